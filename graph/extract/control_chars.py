"""Control characters in a plan text: what the extraction sees, and the way back to the source's offsets.

Text extracted from PDFs or word processors carries form feeds at page breaks, vertical tabs (a manual
line break in Word), U+2028/U+2029 and stray control bytes. The extraction reads a cleaned copy: a
character that ends a line (`\\r`, vertical tab, U+0085, U+2028, U+2029, the information separators
U+001C-U+001E: Python's `str.splitlines` without the form feed) becomes `\\n` (same length); any other
control character (Unicode category Cc, except tab and newline) is dropped, so that it splits neither a
heading marker nor a body's name. A form feed is dropped too: a page break ends no paragraph (pdftotext
puts it at the start of the next page's first line). The records' offsets are then mapped back to the
source text and their quotes re-read from it, so `source[start:end] == quote` holds for the text as it came.
"""
import re
from bisect import bisect_right

LINE_BREAKS = "\r\v\x1c\x1d\x1e\x85\u2028\u2029"
TO_NEWLINE = str.maketrans(LINE_BREAKS, "\n" * len(LINE_BREAKS))
INVISIBLE = re.compile("[\x00-\x08\x0c\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")
ANY = re.compile(f"[{LINE_BREAKS}]|{INVISIBLE.pattern}")
QUOTE_KEYS = ("written", "text")    # fields that are text[start:end] of the record they sit in


def has_control_chars(text: str) -> bool:
    return ANY.search(text) is not None


class CleanText:
    """`text` with line breaks made `\\n` and other control characters dropped, and the offset map back."""

    def __init__(self, source: str):
        self.source = source
        newlines = source.translate(TO_NEWLINE)
        dropped = [match.start() for match in INVISIBLE.finditer(newlines)]
        # where each dropped character would sit in the cleaned text (non-decreasing)
        self._gaps = [position - count for count, position in enumerate(dropped)]
        self.text = INVISIBLE.sub("", newlines)

    def start(self, index: int) -> int:
        """The source offset of the cleaned text's character at index (or of the end of the text)."""
        return index + bisect_right(self._gaps, index)

    def end(self, index: int) -> int:
        """The source offset one past the cleaned character before index (index > 0): dropped characters
        right after a span stay outside it."""
        return index + bisect_right(self._gaps, index - 1)

    def map_records(self, records):
        """Offsets of every span in the records (dicts with int start and end, except the plan's
        period of years) mapped to the source, and their quotes re-read from it. In place."""
        if isinstance(records, list):
            for item in records:
                self.map_records(item)
        elif isinstance(records, dict):
            if isinstance(records.get("start"), int) and isinstance(records.get("end"), int):
                start, end = records["start"], records["end"]
                records["start"] = self.start(start)
                records["end"] = self.end(end) if end > start else records["start"]
                for key in QUOTE_KEYS:
                    if isinstance(records.get(key), str):
                        records[key] = self.source[records["start"]:records["end"]]
            for key, value in records.items():
                if key != "period":
                    self.map_records(value)
        return records
