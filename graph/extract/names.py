"""ASCII forms of Chinese names: pinyin slugs for ids, title-cased pinyin for English labels."""
import re
from functools import lru_cache

from pypinyin import lazy_pinyin

HAN_RUN = re.compile(r"[\u4e00-\u9fff]+|[A-Za-z0-9]+")


@lru_cache(maxsize=65536)
def slug(chinese: str) -> str:
    """ASCII slug of a name: pinyin without tones, other characters dropped."""
    # characters without pinyin: ASCII letters and digits kept, anything else a separator
    syllables = lazy_pinyin(chinese, errors=lambda chars: "".join(c if c.isascii() and c.isalnum() else " "
                                                                  for c in chars))
    return re.sub(r"[^a-z0-9]+", "-", "".join(syllables).lower()).strip("-") or "unnamed"


def title(chinese: str) -> str:
    return "".join(lazy_pinyin(chinese)).title()


def title_words(chinese: str) -> str:
    """Title-cased pinyin, one word per run of Chinese characters (or of ASCII letters and digits):
    punctuation and spaces of the name (各有关区、县级市) become single spaces, never stray characters."""
    return " ".join(title(run) if not run.isascii() else run for run in HAN_RUN.findall(chinese))
