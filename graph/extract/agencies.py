"""Body names as written -> aligned agencies: a stable ASCII id, a kind, a level of government, functions,
zh/en labels.

Known names come from data/bodies.tsv; an unseen name gets its kind from its suffix (kinds.tsv) and
its functions from keywords (functions.tsv). A body with no function is reported, never dropped.
The level (levels.tsv) comes from the name's prefix (国家, 省, 自治区, a province's name, 市, the plan's
own place), else from the known body or its kind, else from the plan's jurisdiction: a bare 民政部 is
central anywhere, a bare 卫生健康委 is of the plan's level.
"""
import re
from dataclasses import dataclass
from functools import lru_cache

from healthkg.graph.extract import jurisdictions, tables
from healthkg.graph.extract.jurisdictions import Jurisdiction, LevelMark
from healthkg.graph.extract.names import slug, title, title_words

__all__ = ["Agency", "align", "city_id", "city_short", "slug", "title"]

GOVERNMENT = re.compile(r"(人民政府|政府)$")
COLLECTIVE_QUALIFIER = re.compile(r"^各(?:有关|相关)(?=[县区市乡镇城])")
ZONE_COMMITTEE = re.compile(r"(管委会|管委|管理委员会)$")
PLACE_LEVELS = {"县": ("county", "County"), "区": ("district", "District"), "市": ("city", "City")}
ZONE_TYPES = (("高新区", "high-tech-zone", "High-tech Zone"), ("新区", "new-area", "New Area"),
              ("开发区", "development-zone", "Development Zone"), ("工业园区", "industrial-park", "Industrial Park"),
              ("园区", "park", "Park"))
# Kinds whose English label reads "<Place> <label>" (a jurisdiction's own bureaus and companies).
CITY_PREFIXED_KINDS = ("municipal-department", "state-owned-enterprise", "mass-organisation",
                       "provincial-department", "central-department", "county-department")
# The English noun of a department by the end of its name, for an unseen name with one function.
NOUNS = (("总局", "Administration"), ("总署", "Administration"), ("厅", "Department"), ("委员会", "Commission"),
         ("委", "Commission"), ("办公室", "Office"), ("办", "Office"), ("局", "Bureau"), ("部", "Department"))


@dataclass(frozen=True)
class Agency:
    id: str
    kind: str
    functions: tuple[str, ...]
    label_zh: str
    label_en: str
    level: str = "municipal"
    successor: str | None = None    # a former name's: the id of the body that does its work today

    def as_record(self, name: str) -> dict:
        # Written out rather than dataclasses.asdict, which deep-copies: a quarter of extract's time.
        return {"name": name, "id": self.id, "kind": self.kind, "functions": list(self.functions),
                "label_zh": self.label_zh, "label_en": self.label_en, "level": self.level,
                "successor": self.successor}


def city_short(city_name: str) -> str:
    return city_name[:-1] if city_name.endswith("市") else city_name


def city_id(city_name: str) -> str:
    return jurisdictions.parse(city_name).id


def department_kinds() -> set[str]:
    return {row["department_kind"] for row in tables.levels().values()}


@lru_cache(maxsize=65536)
def align(name: str, city_name: str) -> Agency:
    """The agency a body name refers to, in the plan's jurisdiction (a city, province or the country,
    named as `plan.jurisdiction` names it)."""
    place = jurisdictions.parse(city_name)
    written = tables.normalise_brackets(name)
    parent, core = _without_parent(written, city_name)
    mark = jurisdictions.level_mark(core, city_name)
    bare = core[len(mark.prefix):] if mark and len(core) - len(mark.prefix) >= 2 else core
    # The place's own name inside a name (共青团钦州市委员会) is a prefix written late.
    inner = written[:1] + written[1:].replace(place.short, "", 1) if place.short else written
    # 各有关区、县级市 and 各相关部门 are the collectives 各区、县级市 and 各部门 name.
    collective = COLLECTIVE_QUALIFIER.sub("各", written)
    known = tables.first_known(dict.fromkeys((written, core, bare, inner, collective)))
    if known:
        kind = known.kind
    else:
        kind = next(filter(None, map(tables.kind_by_suffix, dict.fromkeys((bare, core, written)))), None) \
            or (tables.department_kind(mark.level) if mark else "other")
    level = _level(name, city_name, place, mark, known, kind)
    if known and level == "central" and not known.level:
        # A bare 卫生健康委 in a national plan is the 国家卫生健康委 its table row names.
        central = tables.first_known(prefix + form for form in (bare, known.zh) for prefix in ("国家", "中国"))
        known = central if central and central.level == "central" else known
    if not known and not parent and (branch := tables.branch_in_place(written)):
        return _branch_in_place(*branch, written, level, place)
    if kind in department_kinds() - {"county-department"} or (kind == "county-department" and level != "county"):
        kind = tables.department_kind(level)
    if known:
        return _known_agency(known, written, kind, level, mark, place)
    if parent:
        return _branch_of(parent, name, core, city_name, kind, level, mark, place)
    return _unseen_agency(name, city_name, kind, level, mark, place)


def _branch_in_place(office, place_written: str, written: str, level: str, place: Jurisdiction) -> Agency:
    """合肥海关: the office a table lists, in a place the name gives."""
    return Agency(f"{place.id}-{slug(place_written)}-{office.key}", office.kind, office.functions, written,
                  _clean(f"{title(place_written)} {office.en}"), level)


def _without_parent(name: str, city_name: str) -> tuple[tables.KnownBody | None, str]:
    """A vertically managed office written under its central parent's name: the parent and the name
    without it (国家税务总局钦州市税务局 -> 钦州市税务局), when a place follows the parent's name."""
    for parent in tables.central_names():
        rest = name[len(parent):]
        if name.startswith(parent) and len(rest) >= 2 and jurisdictions.level_mark(rest, city_name):
            return tables.first_known([parent]), rest
    return None, name


def _branch_of(parent, name: str, core: str, city_name: str, kind: str, level: str, mark: LevelMark | None,
               place: Jurisdiction) -> Agency:
    """An unseen office of a central body in a place: 国家统计局柳州调查队 is the Liuzhou branch of the
    National Bureau of Statistics."""
    functions = parent.functions or tuple(tables.functions_by_keyword(core))
    return Agency(f"{place.id}-{_key_tag(level, mark, place)}{parent.key}-branch", kind, functions, name,
                  _clean(f"{_place_en(level, mark, place)} branch of the {parent.en}"), level)


def _level(name: str, city_name: str, place: Jurisdiction, mark: LevelMark | None, known, kind: str) -> str:
    if kind == "higher-level-branch" and jurisdictions.mentions_place(name, city_name):
        return place.level          # a vertically managed office serving the plan's place
    if mark:
        return mark.level
    if known and known.level:
        return known.level
    return tables.kind_level(kind) or place.level


def _place_en(level: str, mark: LevelMark | None, place: Jurisdiction) -> str:
    """The English name of the place a body of this level serves."""
    if level == place.level:
        return place.en_prefix
    if mark and mark.place:
        return mark.place["en"]
    return "National" if level == "central" else tables.levels()[level]["en"]


def _key_tag(level: str, mark: LevelMark | None, place: Jurisdiction) -> str:
    """The word an id carries for a body of another level than the plan's (national-health-commission)."""
    if level == place.level:
        return ""
    return (mark.place["id"] if mark and mark.place else tables.levels()[level]["tag"]) + "-"


def _level_words(en: str, level: str) -> str:
    """A label written for a city's body, for a body of another level: the Party committee of a
    province is not a municipal one."""
    return en if level == "municipal" else en.replace("Municipal", tables.levels()[level]["en"])


def _known_agency(known, written: str, kind: str, level: str, mark: LevelMark | None,
                  place: Jurisdiction) -> Agency:
    own = level == place.level
    fixed_name = known.level == "central"           # a central body's English name is complete
    place_en = "" if fixed_name else _place_en(level, mark, place)
    en = f"{place_en} {_level_words(known.en, level)}" if kind in CITY_PREFIXED_KINDS else known.en
    if kind == "higher-level-branch" and not own:
        en = f"{place_en} {known.en}"
    if not own:
        zh = known.zh if fixed_name and not mark else written
    elif place.type == "country":
        zh = known.zh if fixed_name else written if mark or "市" in known.zh else "国家" + known.zh
    elif known.zh.startswith("市") and place.name:
        zh = place.name + known.zh[1:]              # 市委组织部 -> 柳州市委组织部, 安徽省委组织部
    elif "市委" in known.zh and place.name:
        zh = known.zh.replace("市委", place.name + "委", 1)     # 共青团市委 -> 共青团柳州市委
    elif known.kind == "higher-level-branch" and place.short not in known.zh:
        zh, en = place.short + known.zh, f"{place.en_prefix} {known.en}"
    elif kind in CITY_PREFIXED_KINDS and not fixed_name:
        zh = place.name + known.zh
    else:
        zh = known.zh
    successor = f"{place.id}-{known.successor}" if known.successor else None
    # A body whose row or kind fixes its level (民政部, 各县区人民政府) has one key at every level.
    tagged = not known.level and not tables.kind_level(known.kind)
    return Agency(f"{place.id}-{_key_tag(level, mark, place) if tagged else ''}{known.key}", kind,
                  known.functions, zh, _clean(en), level, successor)


def _unseen_agency(name: str, city_name: str, kind: str, level: str, mark: LevelMark | None,
                   place: Jurisdiction) -> Agency:
    # The key and keywords read the name without the city's prefix, as every release has built them.
    bare = tables.bare_names(name, city_name)[-1]
    default = tables.kinds().get(kind, {}).get("default_function")
    functions = (default,) if default else tuple(tables.functions_by_keyword(bare))
    key, en = _key_and_label(bare, kind, functions, _place_en(level, mark, place))
    return Agency(f"{place.id}-{key}", kind, functions, _label_zh(name, bare, kind, place), _clean(en), level)


def _label_zh(name: str, bare: str, kind: str, place: Jurisdiction) -> str:
    """One Chinese label per body however it is written: 北部生态新区 and 北部生态新区管委会 are one."""
    if kind == "county-government":
        return GOVERNMENT.sub("", bare) + "人民政府"
    if kind == "development-zone-committee":
        return ZONE_COMMITTEE.sub("", bare) + "管委会"
    if name.startswith("市") and not name.startswith("市场") and place.type == "city":
        return place.short + name
    return name


def _key_and_label(bare: str, kind: str, functions: tuple[str, ...], place_en: str) -> tuple[str, str]:
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
    prefix = f"{place_en} " if kind in CITY_PREFIXED_KINDS else ""
    noun = next((en for suffix, en in NOUNS if bare.endswith(suffix)), None)
    if kind in department_kinds() and len(functions) == 1 and noun:
        # An unseen bureau with one function reads as words: "Wuzhou Statistics Bureau".
        return slug(bare), f"{prefix}{tables.functions()[functions[0]]['en']} {noun}"
    kind_en = tables.kinds().get(kind, {}).get("en", "body").lower().replace(" (collective)", ", collective")
    return slug(bare), f"{prefix}{title_words(bare)} ({kind_en})"


def _clean(label: str) -> str:
    """One space between words, none at the ends."""
    return " ".join(label.split())
