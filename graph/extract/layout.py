"""Text -> paragraphs with their heading level and number, and the sections they form.

A paragraph is one line of the source, except that a hard-wrapped line (one that does not end a
sentence) is joined with the next, and a responsibility bracket on a line of its own belongs to the
paragraph above it. A line that leaves a responsibility bracket open is joined with the next only if that
one closes it: a bracket whose closing parenthesis is missing ends with its line, instead of taking the
paragraphs after it.
"""
import re
from dataclasses import dataclass, field

from healthkg.graph.extract import roles

CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

LEVEL1 = re.compile(r"([一二三四五六七八九十]{1,3})\s*[、．.](?!\d)\s*")
LEVEL2 = re.compile(r"[(（]\s*([一二三四五六七八九十]{1,3})\s*[)）]\s*")
# A level-2 marker that lost its closing parenthesis, "(二加快…": taken as one only when it is the next number.
LEVEL2_UNCLOSED = re.compile(r"[(（]\s*([一二三四五六七八九十]{1,3})\s*(?=[\u4e00-\u9fff])")
ITEM = re.compile(r"(?:(\d{1,3})\s*[.、．](?!\d)|[(（]\s*(\d{1,3})\s*[)）]|([①-⑳]))\s*")
BULLET = re.compile(r"[-－–—•·●▪■◆](?![-－–—])\s*")
# A responsibility bracket holds a label and a colon, at its start or after a short note (a deadline).
BRACKET_LABEL = roles.LABEL_WORDS
BRACKET_OPEN = re.compile(r"[(（][^()（）\n]{0,24}?" + BRACKET_LABEL + r"\s*" + roles.COLON)
# A line of labels without brackets (`责任单位：市民政局`), at a line's start or after a sentence.
LABEL_LINE = re.compile(r"(?:^|(?<=\n)|(?<=[。；;]))[ \t\u3000]*" + roles.LABEL.pattern)
# A bracket of verbs on a line of its own, `（市民政局负责）`: the paragraph above is its task.
VERB_BRACKET_LINE = re.compile(r"^[(（][^()（）]{2,120}[)）][。；;]?$")
PARENTHESES = re.compile(r"[(（)）]")
SENTENCE_END = tuple("。；;！!？?）)」”\"：:")
# Lines after which the plan itself is over: attachments, distribution, page furniture.
END_OF_PLAN = re.compile(r"(附件\s*(?:[:：\d一二三四五六七八九十]|$)|公开方式|抄送|相关链接|主题分类|主题词|扫一扫)")
SPACES = " \t\u3000\xa0\ufeff"
LINE_WRAP = re.compile(f"[{SPACES}]*\n[{SPACES}]*")


def chinese_number(numeral: str | None) -> int:
    """一 -> 1, 十 -> 10, 十二 -> 12, 二十三 -> 23 (None, a heading's number where classify found none: an error)."""
    if numeral is None:
        raise ValueError("a numbered heading without its number")
    if "十" not in numeral:
        return CN_DIGITS[numeral]
    tens, _, ones = numeral.partition("十")
    return (CN_DIGITS[tens] if tens else 1) * 10 + (CN_DIGITS[ones] if ones else 0)


@dataclass
class Paragraph:
    start: int            # first non-space character
    end: int              # one past the last non-space character
    kind: str             # "level1", "level2", "item", "bullet" or "plain"
    number: str | None    # "1" for 1. / (1); "一" for 一、 / (一)
    body_start: int       # first character after the marker
    text: str = field(repr=False)
    open_depth: int = 0   # nesting depth of a responsibility bracket left open at the end, 0 if none
    note: str | None = None   # what was repaired to read it, for the records' warnings

    @property
    def body(self) -> str:
        return self.text[self.body_start - self.start:]


def unwrap(name: str) -> str:
    """A name hard-wrapped across lines, joined again (Chinese names have no space at a wrap)."""
    return LINE_WRAP.sub("", name)


def classify(line: str) -> tuple[str, str | None, int]:
    """(kind, number, marker length) of a line stripped of leading spaces."""
    for kind, pattern in (("level1", LEVEL1), ("level2", LEVEL2), ("item", ITEM), ("bullet", BULLET)):
        match = pattern.match(line)
        if match and match.end() < len(line):
            number = next((g for g in match.groups() if g), None) if match.groups() else None
            return kind, number, match.end()
    return "plain", None, 0


def _lines(text: str):
    """(start, end) of each non-blank line, trimmed of surrounding spaces."""
    position = 0
    for raw in text.split("\n"):
        left = len(raw) - len(raw.lstrip(SPACES))
        right = len(raw.rstrip(SPACES))
        if right > left:
            yield position + left, position + right
        position += len(raw) + 1


def paragraphs(text: str) -> list[Paragraph]:
    """All paragraphs of the text, in order. Before the first level-1 heading (the notice, page
    furniture) every line is its own paragraph; hard-wrapped lines are joined only in the plan body."""
    result: list[Paragraph] = []
    in_body, level2 = False, 0        # the last level-2 number under the current level-1 heading
    last_level2 = 0                   # the last level-2 number of the plan
    for start, end in _lines(text):
        line = text[start:end]
        kind, number, marker = classify(line)
        note = None
        unclosed = LEVEL2_UNCLOSED.match(line) if in_body and kind == "plain" else None
        if unclosed and chinese_number(unclosed.group(1)) in (level2 + 1, last_level2 + 1):
            kind, number, marker = "level2", unclosed.group(1), unclosed.end()
            note = f"the heading marker {line[:unclosed.end()].strip()} has no closing parenthesis; read as a heading"
        in_body = in_body or kind == "level1"
        if kind in ("level1", "level2"):
            level2 = chinese_number(number) if kind == "level2" else 0
            # Numbering may run on across parts: （四） right under 二、 after （三） under 一、.
            last_level2 = level2 or last_level2
        previous = result[-1] if result else None
        if previous and in_body and kind == "plain" and _continues(previous, text[previous.end - 1], line):
            previous.end = end     # its text is cut once at the end: copying it per line was quadratic
            previous.open_depth = bracket_depth(line, previous.open_depth)[1]
            continue
        result.append(Paragraph(start, end, kind, number, start + marker, line, bracket_depth(line, 0)[1], note))
    for paragraph in result:
        if len(paragraph.text) != paragraph.end - paragraph.start:
            paragraph.text = text[paragraph.start:paragraph.end]
    return result


def bracket_depth(line: str, depth: int) -> tuple[bool, int]:
    """(whether a responsibility bracket open at the line's start closes in it, the depth of one still open
    at its end), given that depth at its start. Only the line's parentheses are visited."""
    opens = {match.start() for match in BRACKET_OPEN.finditer(line)}
    if depth == 0 and not opens:
        return False, 0
    closed = False
    for match in PARENTHESES.finditer(line):
        if depth == 0:
            depth = 1 if match.start() in opens else 0
        elif match.group() in "(（":
            depth += 1
        else:
            depth -= 1
            closed = closed or depth == 0
    return closed, depth


def _continues(previous: Paragraph, last_char: str, line: str) -> bool:
    """Whether `line` continues the paragraph `previous`, whose last character is `last_char`."""
    if previous.open_depth:
        return bracket_depth(line, previous.open_depth)[0]
    if BRACKET_OPEN.match(line) or LABEL_LINE.match(line) or _verb_bracket_line(line):
        return previous.kind != "level1"
    if previous.kind in ("level1", "level2"):
        return False
    return last_char not in SENTENCE_END


def _verb_bracket_line(line: str) -> bool:
    if not VERB_BRACKET_LINE.match(line):
        return False
    clauses = [c for c in re.split(r"[，,；;]", line.strip("（()）。；;")) if c]
    return any(roles.verb_clause(c, 0, len(c)) for c in clauses)


def is_end_of_plan(paragraph: Paragraph) -> bool:
    return bool(END_OF_PLAN.match(paragraph.text))
