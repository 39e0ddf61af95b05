"""Body names as written -> aligned agencies: a stable ASCII id, a kind, functions, zh/en labels.

Known names come from data/bodies.tsv; an unseen name gets its kind from its suffix (kinds.tsv) and
its functions from keywords (functions.tsv). A body with no function is reported, never dropped.
"""
import re
from dataclasses import dataclass
from functools import lru_cache

from pypinyin import lazy_pinyin

from graph import tables

GOVERNMENT = re.compile(r"(人民政府|政府)$")
ZONE_COMMITTEE = re.compile(r"(管委会|管委|管理委员会)$")
PLACE_LEVELS = {"县": ("county", "County"), "区": ("district", "District"), "市": ("city", "City")}
ZONE_TYPES = (("高新区", "high-tech-zone", "High-tech Zone"), ("新区", "new-area", "New Area"),
              ("开发区", "development-zone", "Development Zone"), ("工业园区", "industrial-park", "Industrial Park"),
              ("园区", "park", "Park"))
# Kinds whose English label reads "<City> <label>" (a city's own bureaus and companies).
CITY_PREFIXED_KINDS = ("municipal-department", "state-owned-enterprise", "mass-organisation")


@dataclass(frozen=True)
class Agency:
    id: str
    kind: str
    functions: tuple[str, ...]
    label_zh: str
    label_en: str

    def as_record(self, name: str) -> dict:
        # Written out rather than dataclasses.asdict, which deep-copies: a quarter of extract's time.
        return {"name": name, "id": self.id, "kind": self.kind, "functions": list(self.functions),
                "label_zh": self.label_zh, "label_en": self.label_en}


@lru_cache(maxsize=65536)
def slug(chinese: str) -> str:
    """ASCII slug of a name: pinyin without tones, other characters dropped."""
    syllables = lazy_pinyin(chinese, errors=lambda chars: [c if c.isascii() and c.isalnum() else " " for c in chars])
    return re.sub(r"[^a-z0-9]+", "-", "".join(syllables).lower()).strip("-") or "unnamed"


def title(chinese: str) -> str:
    return "".join(lazy_pinyin(chinese)).title()


def city_short(city_name: str) -> str:
    return city_name[:-1] if city_name.endswith("市") else city_name


def city_id(city_name: str) -> str:
    return slug(city_short(city_name))


@lru_cache(maxsize=65536)
def align(name: str, city_name: str) -> Agency:
    """The agency a body name refers to, in the plan's city."""
    city = city_id(city_name)
    city_en = title(city_short(city_name))
    known = tables.known_body(name, city_name)
    if known:
        en = f"{city_en} {known.en}" if known.kind in CITY_PREFIXED_KINDS else known.en
        if known.zh.startswith("市"):
            zh = city_short(city_name) + known.zh
        elif known.kind == "higher-level-branch" and city_short(city_name) not in known.zh:
            zh, en = city_short(city_name) + known.zh, f"{city_en} {known.en}"
        elif known.kind in CITY_PREFIXED_KINDS:
            zh = city_name + known.zh
        else:
            zh = known.zh
        return Agency(f"{city}-{known.key}", known.kind, known.functions, zh, en)
    bare = tables.bare_names(name, city_name)[-1]
    kind = tables.kind_by_suffix(bare) or ("municipal-department" if name.startswith("市") else "other")
    default = tables.kinds().get(kind, {}).get("default_function")
    functions = (default,) if default else tuple(tables.functions_by_keyword(bare))
    key, en = _key_and_label(bare, kind, city_en)
    return Agency(f"{city}-{key}", kind, functions, _label_zh(name, bare, kind, city_name), en)


def _label_zh(name: str, bare: str, kind: str, city_name: str) -> str:
    """One Chinese label per body however it is written: 北部生态新区 and 北部生态新区管委会 are one."""
    if kind == "county-government":
        return GOVERNMENT.sub("", bare) + "人民政府"
    if kind == "development-zone-committee":
        return ZONE_COMMITTEE.sub("", bare) + "管委会"
    if name.startswith("市") and not name.startswith("市场"):
        return city_short(city_name) + name
    return name


def _key_and_label(bare: str, kind: str, city_en: str) -> tuple[str, str]:
    if kind == "county-government":
        place = GOVERNMENT.sub("", bare)
        level, level_en = PLACE_LEVELS.get(place[-1], ("area", "Area"))
        return f"{slug(place[:-1])}-{level}-government", f"{title(place[:-1])} {level_en} People's Government"
    if kind == "development-zone-committee":
        zone = ZONE_COMMITTEE.sub("", bare)
        for suffix, zone_type, zone_en in ZONE_TYPES:
            if zone.endswith(suffix):
                base = zone[: -len(suffix)]
                return f"{slug(base)}-{zone_type}-committee", f"{title(base)} {zone_en} Administrative Committee"
        return f"{slug(zone)}-committee", f"{title(zone)} Administrative Committee"
    kind_en = tables.kinds().get(kind, {}).get("en", "body").lower()
    prefix = f"{city_en} " if kind in CITY_PREFIXED_KINDS else ""
    return slug(bare), f"{prefix}{title(bare)} ({kind_en})"
