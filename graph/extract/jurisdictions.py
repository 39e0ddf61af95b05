"""Jurisdictions and levels of government: whose plan a document is (a city, a province, the country), and
the level a body's name marks (省商务厅 provincial, 国家卫生健康委 central, 市民政局 municipal).

A jurisdiction is named by its Chinese name as the records give it (`plan.jurisdiction`): 柳州市,
安徽省, 广西壮族自治区, 中国. Every name is read by `parse`, so callers pass plain strings.
"""
import re
from dataclasses import dataclass
from functools import lru_cache

from healthkg.graph.extract import tables
from healthkg.graph.extract.names import slug, title

COUNTRY_NAMES = ("中国", "全国", "中华人民共和国")
# A jurisdiction type -> the level of its government.
TYPE_LEVELS = {"country": "central", "province": "provincial", "city": "municipal", "county": "county"}


@dataclass(frozen=True)
class Jurisdiction:
    name: str                   # 柳州市, 安徽省, 广西壮族自治区, 中国 ("" when the plan does not say)
    id: str                     # liuzhou, anhui, guangxi, china
    type: str                   # city, province, country, county
    level: str                  # municipal, provincial, central, county (a municipality: a provincial city)
    short: str                  # the name without its ending, as written before a body's name (柳州, 安徽)
    en: str                     # Liuzhou, Anhui, Guangxi, China
    markers: tuple[str, ...]    # prefixes of its own bodies' names: 市, 省, 自治区, 国家

    @property
    def en_prefix(self) -> str:
        """How an English label names the jurisdiction before a body's name."""
        return "National" if self.type == "country" else self.en

    @property
    def prefixes(self) -> tuple[str, ...]:
        """Prefixes that say a body is this jurisdiction's own, longest first."""
        found = {p for p in (self.name, self.short, *self.markers) if p}
        return tuple(sorted(found, key=lambda p: (-len(p), p)))


COUNTRY = Jurisdiction("中国", "china", "country", "central", "", "China", ("国家",))


@lru_cache(maxsize=1024)
def parse(name: str) -> Jurisdiction:
    """The jurisdiction a name refers to; a name that is no province nor the country is read as a city
    (or a county when it ends in 县), as the city plans of the genre are."""
    name = (name or "").strip()
    if name in COUNTRY_NAMES:
        return COUNTRY
    province = province_named(name)
    if province and name in (province["zh"], province["short"], province["short"] + province["marker"]):
        municipality = province["type"] == "municipality"
        return Jurisdiction(province["zh"], province["id"], "city" if municipality else "province", "provincial",
                            province["short"], province["en"], (province["marker"],))
    if name.endswith("县"):
        return Jurisdiction(name, slug(name[:-1]), "county", "county", name[:-1], title(name[:-1]), ("县",))
    short = name[:-1] if name.endswith("市") else name
    return Jurisdiction(name, slug(short) if name else "unknown", "city", "municipal", short,
                        title(short) if name else "", ("市",))


@lru_cache(maxsize=4096)
def province_named(text: str) -> dict | None:
    """The province whose full or short name opens `text` (广西壮族自治区民政厅, 安徽银保监局)."""
    for row in _provinces_longest_first():
        if text.startswith((row["zh"], row["short"])):
            return row
    return None


@lru_cache(maxsize=None)
def _provinces_longest_first() -> tuple[dict, ...]:
    return tuple(sorted(tables.provinces().values(), key=lambda row: -len(row["zh"])))


def province_by_abbreviation(character: str) -> dict | None:
    return next((row for row in tables.provinces().values() if row["abbreviation"] == character), None)


@dataclass(frozen=True)
class LevelMark:
    level: str
    prefix: str       # the characters that mark it, as written
    place: dict | None = None   # the province named, when the prefix is a province's name


@lru_cache(maxsize=65536)
def level_mark(name: str, jurisdiction_name: str) -> LevelMark | None:
    """The level the start of a name marks: the plan's own place or markers (its level), a province's
    name (provincial), or a prefix of levels.tsv (国家, 省, 自治区, 市, 县, 团市委 ...); None for a bare name."""
    place = parse(jurisdiction_name)
    for prefix in place.prefixes:
        if name.startswith(prefix) and len(name) > len(prefix) + 1 and not name.startswith("市场"):
            return LevelMark(place.level, prefix)
    province = province_named(name)
    if province:
        written = next(p for p in (province["zh"], province["short"]) if name.startswith(p))
        if len(name) > len(written) + 1:
            return LevelMark("provincial", written, province)
    for level, pattern in tables.level_prefixes():
        match = pattern.match(name)
        # A prefix may be the whole name (团市委 is a body of its own); a name of two characters is none.
        if match and len(name) >= 3:
            return LevelMark(level, match.group(0))
    return None


def mentions_place(name: str, jurisdiction_name: str) -> bool:
    """Whether the name names the plan's own place after its start (自治区药监局来宾检查分局 in Laibin)."""
    place = parse(jurisdiction_name)
    return bool(place.short) and re.search(re.escape(place.short), name[1:]) is not None
