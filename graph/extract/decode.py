"""Bytes of a plan file -> text, the way Python's text mode would read it."""
import codecs
from pathlib import Path

# Tried in order when no encoding is given. GB18030 is a superset of GBK and GB2312, so it also
# reads files saved as either; UTF-8 comes first because GB18030 accepts almost any byte string.
DEFAULT_ENCODINGS = ("utf-8", "gb18030")
# A UTF-16 byte-order mark is unambiguous (neither UTF-8 nor GB18030 starts with FF FE / FE FF).
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


class DecodeError(ValueError):
    """The file cannot be read, or is not text in any encoding we know or in the one it was said to be in."""


def known_encoding(encoding: str) -> str:
    """The encoding's name if Python has a text codec of that name; DecodeError otherwise."""
    try:
        b"\0".decode(encoding)        # LookupError for unknown names and for bytes codecs (base64)
    except UnicodeError:
        pass
    except LookupError:
        raise DecodeError(f"unknown text encoding {encoding!r} (e.g. utf-8, gb18030, gbk, big5, utf-16)") from None
    return encoding


def decode_bytes(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Return (text, encoding). Newlines are normalised as in text mode, so that offsets agree with
    `open(path, encoding=...).read()`, which is how researchers (and external checks) read the file."""
    candidates: tuple[str, ...]
    if encoding:
        candidates = (known_encoding(encoding),)
    else:
        candidates = ("utf-16",) if data.startswith(UTF16_BOMS) else DEFAULT_ENCODINGS
    for candidate in candidates:
        try:
            text = data.decode(candidate)
        except UnicodeError as error:
            if encoding:
                raise DecodeError(f"not {encoding} text ({error})") from error
            continue
        return text.replace("\r\n", "\n").replace("\r", "\n"), candidate
    raise DecodeError("not UTF-8, UTF-16 with a byte-order mark or GB18030/GBK text")


def read_text(path: Path, encoding: str | None = None, given_in: str | None = None) -> tuple[str, str]:
    """decode_bytes of the file. A DecodeError names the file and says how to give its encoding;
    `given_in` names the metadata file the encoding came from, if it did."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DecodeError(f"{path}: cannot read it: {error.strerror}") from None
    try:
        return decode_bytes(data, encoding)
    except DecodeError as error:
        if given_in:
            raise DecodeError(f"{path}: {error}, the encoding {given_in} gives; correct \"encoding\" there") from None
        raise DecodeError(f"{path}: {error}; give the file's encoding with --encoding ENC, or as "
                          f"\"encoding\": \"ENC\" in {path.with_suffix('.meta.json').name} beside it") from None
