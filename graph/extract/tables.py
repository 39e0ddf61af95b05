"""The curated tables in graph/data/, read once: bodies, kinds, functions, levels, jurisdictions, industries,
typos."""
import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

# the curated tables, shared by extraction and the RDF writer
DATA = Path(str(resources.files("healthkg.graph") / "data"))
# The groups a kind may belong to (kinds.tsv's group column): "" is a kind of its own.
KIND_GROUPS = {"": None, "government-department": ("政府部门", "Government department (bureau)")}


def read_tsv(name: str) -> list[dict[str, str]]:
    """Rows of a tab-separated table; lines starting with # are comments."""
    with open(DATA / name, encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    return [{k: (v or "").strip() for k, v in row.items()}
            for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)]


def split_list(cell: str) -> list[str]:
    return [part for part in cell.split("|") if part]


@dataclass(frozen=True)
class KnownBody:
    key: str
    kind: str
    functions: tuple[str, ...]
    zh: str
    en: str
    level: str = ""        # fixed level (central, provincial), "" when the name and the plan give it
    successor: str = ""    # for a former name: the key of the body that does its work today


@lru_cache(maxsize=None)
def rows_by_id(name: str) -> dict[str, dict[str, str]]:
    """The rows of a table keyed by its id column, in the table's order, read once."""
    return {row["id"]: row for row in read_tsv(name)}


def functions() -> dict[str, dict[str, str]]:
    return rows_by_id("functions.tsv")


def kinds() -> dict[str, dict[str, str]]:
    return rows_by_id("kinds.tsv")


def levels() -> dict[str, dict[str, str]]:
    """Levels of government, highest first (levels.tsv)."""
    return rows_by_id("levels.tsv")


def provinces() -> dict[str, dict[str, str]]:
    """Provincial-level divisions (jurisdictions.tsv), by id."""
    return rows_by_id("jurisdictions.tsv")


@lru_cache(maxsize=None)
def level_prefixes() -> list[tuple[str, re.Pattern]]:
    return [(key, re.compile(row["prefix"])) for key, row in levels().items()]


def industries() -> dict[str, dict[str, str]]:
    return rows_by_id("industries.tsv")


@lru_cache(maxsize=None)
def _aliases() -> dict[str, KnownBody]:
    aliases = {}
    for row in read_tsv("bodies.tsv"):
        body = KnownBody(row["key"], row["kind"], tuple(split_list(row["functions"])), row["zh"], row["en"],
                         row["level"], row["successor"])
        for alias in split_list(row["aliases"]):
            aliases[normalise_brackets(alias)] = body
    return aliases


@lru_cache(maxsize=None)
def _typos() -> list[tuple[re.Pattern, str]]:
    return [(re.compile(row["pattern"]), row["replacement"]) for row in read_tsv("typos.tsv")]


@lru_cache(maxsize=None)
def _kind_patterns() -> list[tuple[str, re.Pattern]]:
    return [(row["id"], re.compile(row["pattern"])) for row in read_tsv("kinds.tsv")]


@lru_cache(maxsize=None)
def _function_keywords() -> list[tuple[str, str]]:
    pairs = [(keyword, function) for function, row in functions().items() for keyword in split_list(row["keywords"])]
    return sorted(pairs, key=lambda pair: -len(pair[0]))


def normalise_brackets(name: str) -> str:
    """One spelling of the brackets inside names: 各县〔市、区〕 and 各县（市、区） both read 各县(市、区)."""
    return name.translate(str.maketrans("〔〕（）", "()()"))


def bare_names(name: str, city_name: str = "") -> list[str]:
    """The name and the same name without its city prefix (市, 柳州市, 柳州), most specific first."""
    name = normalise_brackets(name)
    candidates = [name]
    city_short = city_name[:-1] if city_name.endswith("市") else city_name
    for prefix in filter(None, (city_name, city_short, "市")):
        if name.startswith(prefix) and len(name) > len(prefix) + 1 and not name.startswith("市场"):
            candidates.append(name[len(prefix):])
    return candidates


@lru_cache(maxsize=4096)
def known_body(name: str, city_name: str = "") -> KnownBody | None:
    return first_known(bare_names(name, city_name))


def first_known(candidates) -> KnownBody | None:
    """The known body of the first candidate name listed as an alias."""
    aliases = _aliases()
    return next((aliases[c] for c in map(normalise_brackets, candidates) if c in aliases), None)


@lru_cache(maxsize=None)
def central_names() -> tuple[str, ...]:
    """Aliases of central bodies, longest first: a vertically managed office is often written under its
    parent's name (国家税务总局钦州市税务局)."""
    names = {alias for alias, body in _aliases().items() if body.level == "central"}
    return tuple(sorted(names, key=lambda name: (-len(name), name)))


def kind_level(kind: str) -> str:
    """The level a kind implies by itself ("" when the name or the plan gives it)."""
    return kinds().get(kind, {}).get("level", "")


def department_kind(level: str) -> str:
    return levels()[level]["department_kind"]


def has_own_level(name: str) -> bool:
    """Whether a name says its level of government itself: a level prefix (国家, 省, 自治区, 市, 团市委), a
    province's name (安徽银保监局), a body whose row or kind fixes its level (民政部, 商务厅, 证监局)."""
    name = normalise_brackets(name)
    if any(pattern.match(name) for _, pattern in level_prefixes()):
        return True
    if any(name.startswith((row["zh"], row["short"])) for row in provinces().values()):
        return True
    # A vertically managed office (海关, 税务局) is never written under a local government's prefix.
    known = first_known([name])
    kind = known.kind if known else kind_by_suffix(name) or ""
    return bool(known and known.level) or bool(kind_level(kind)) or kind == "higher-level-branch"


@lru_cache(maxsize=None)
def _branch_aliases() -> tuple[tuple[str, KnownBody], ...]:
    pairs = [(alias, body) for alias, body in _aliases().items() if body.kind == "higher-level-branch"]
    return tuple(sorted(pairs, key=lambda pair: (-len(pair[0]), pair[0])))


def branch_in_place(name: str) -> tuple[KnownBody, str] | None:
    """A vertically managed office named after the place it serves, which no table lists: 合肥海关 is the
    customs office of Hefei. Returns the office and the place as written."""
    name = normalise_brackets(name)
    for alias, body in _branch_aliases():
        place = name[: -len(alias)]
        if name.endswith(alias) and 2 <= len(place) <= 6 and re.fullmatch(r"[\u4e00-\u9fff]+", place):
            return body, place
    return None


def kind_by_suffix(name: str) -> str | None:
    name = normalise_brackets(name)
    return next((kind for kind, pattern in _kind_patterns() if pattern.search(name)), None)


def functions_by_keyword(name: str) -> list[str]:
    """Functions whose keywords occur in the name; a longer keyword hides the shorter ones it contains."""
    found: list[str] = []
    covered: list[tuple[int, int]] = []
    for keyword, function in _function_keywords():
        at = name.find(keyword)
        if at < 0 or any(a <= at and at + len(keyword) <= b for a, b in covered):
            continue
        covered.append((at, at + len(keyword)))
        if function not in found:
            found.append(function)
    return sorted(found)


def fix_typos(name: str) -> tuple[str, bool]:
    for pattern, replacement in _typos():
        fixed = pattern.sub(replacement, name)
        if fixed != name:
            return fixed, True
    return name, False


# --- Keeping the tables in their canonical form (run: python -m graph.tables --check / --fix) ---

SORTED_TABLES = ("bodies.tsv", "chain_elements.tsv", "chain_rules.tsv", "functions.tsv", "indicators.tsv", "typos.tsv",
                 "jurisdictions.tsv")


def _sorted_lines(name: str) -> tuple[list[str], list[str]]:
    """(current lines, lines in canonical order): comments and header first, rows sorted by first column."""
    lines = (DATA / name).read_text(encoding="utf-8").splitlines(keepends=True)
    head = [line for line in lines if line.startswith("#")]
    rows = [line for line in lines if line.strip() and not line.startswith("#")]
    return lines, head + rows[:1] + sorted(rows[1:], key=lambda line: line.split("\t")[0])


def table_problems() -> list[str]:
    problems = []
    for name in SORTED_TABLES:
        current, canonical = _sorted_lines(name)
        if current != canonical:
            problems.append(f"{name}: rows not sorted by their first column (fix: python -m graph.tables --fix)")
    seen: dict[str, str] = {}
    for row in read_tsv("bodies.tsv"):
        if row["kind"] not in kinds():
            problems.append(f"bodies.tsv {row['key']}: unknown kind {row['kind']!r}")
        for function in split_list(row["functions"]):
            if function not in functions():
                problems.append(f"bodies.tsv {row['key']}: unknown function {function!r}")
        for alias in split_list(row["aliases"]):
            key = normalise_brackets(alias)
            if key in seen and seen[key] != row["key"]:
                problems.append(f"bodies.tsv: alias {alias} belongs to both {seen[key]} and {row['key']}")
            seen[key] = row["key"]
        if not row["key"].isascii() or not row["en"]:
            problems.append(f"bodies.tsv {row['key']}: key must be ASCII and en label present")
        if row["level"] and row["level"] not in levels():
            problems.append(f"bodies.tsv {row['key']}: unknown level {row['level']!r}")
        if row["successor"] and row["successor"] not in {r["key"] for r in read_tsv("bodies.tsv")}:
            problems.append(f"bodies.tsv {row['key']}: successor {row['successor']!r} is no body's key")
    for row in levels().values():
        if row["department_kind"] not in kinds():
            problems.append(f"levels.tsv {row['id']}: unknown department kind {row['department_kind']!r}")
    for row in read_tsv("kinds.tsv"):
        if row["default_function"] and row["default_function"] not in functions():
            problems.append(f"kinds.tsv {row['id']}: unknown default function {row['default_function']!r}")
        if row["group"] not in KIND_GROUPS:
            problems.append(f"kinds.tsv {row['id']}: group {row['group']!r} is none of {sorted(KIND_GROUPS)}")
        if row["level"] and row["level"] not in levels():
            problems.append(f"kinds.tsv {row['id']}: unknown level {row['level']!r}")
    return problems


def fix_order() -> None:
    for name in SORTED_TABLES:
        current, canonical = _sorted_lines(name)
        if current != canonical:
            (DATA / name).write_text("".join(canonical), encoding="utf-8")


if __name__ == "__main__":
    import sys

    if "--fix" in sys.argv:
        fix_order()
    found = table_problems()
    print("\n".join(found) or "tables ok")
    sys.exit(1 if found else 0)
