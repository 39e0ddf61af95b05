"""Bytes of a plan file -> text, the way Python's text mode would read it."""
from pathlib import Path

# Tried in order when no encoding is given. GB18030 is a superset of GBK and GB2312, so it also
# reads files saved as either; UTF-8 comes first because GB18030 accepts almost any byte string.
DEFAULT_ENCODINGS = ("utf-8", "gb18030")


class DecodeError(ValueError):
    """The file is not text in any encoding we know."""


def decode_bytes(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Return (text, encoding). Newlines are normalised as in text mode, so that offsets agree with
    `open(path, encoding=...).read()`, which is how researchers (and external checks) read the file."""
    candidates = (encoding,) if encoding else DEFAULT_ENCODINGS
    for candidate in candidates:
        try:
            text = data.decode(candidate)
        except (UnicodeDecodeError, LookupError) as error:
            if encoding:
                raise DecodeError(f"cannot decode as {encoding}: {error}") from error
            continue
        return text.replace("\r\n", "\n").replace("\r", "\n"), candidate
    raise DecodeError("not UTF-8 or GB18030/GBK text; give the encoding with --encoding")


def read_text(path: Path, encoding: str | None = None) -> tuple[str, str]:
    return decode_bytes(Path(path).read_bytes(), encoding)
