"""The responsibility bracket of a task -> who leads and who co-operates, names as written.

`(牵头单位:市民政局;配合单位:市住建局、卫生健康委,各县〔市、区〕人民政府)` gives
lead 市民政局 and co-operating 市住建局, 市卫生健康委, 各县〔市、区〕人民政府: a prefix written once
for several bodies is restored, as is a shared suffix (`融水县、鹿寨县人民政府`).
"""
import re
from dataclasses import dataclass, field
from typing import NamedTuple

from graph import tables
from graph.layout import BRACKET_LABEL, BRACKET_OPEN, unwrap

LABEL = re.compile(r"(" + BRACKET_LABEL + r")\s*[:：]")
OPENERS, CLOSERS = "(（〔[【《“", ")）〕]】》”"
GROUP_SEPARATORS = ",，;；"
ITEM_SEPARATOR = "、"
TRIM = " \t\n\u3000\xa0,，;；。、.:："   # a line end too: a bracket may wrap after a separator
# A collective written with a 、 inside it: 各区、县级市 / 各县、区人民政府 are one body each.
COLLECTIVE_STUB = re.compile(r"^各(?:有关|相关)?[县区市乡镇城]{1,3}$")
COLLECTIVE_TAIL = re.compile(r"^(县级市|县区|城区|县|区|市|乡镇|开发区|管委会)")
SHARED_SUFFIXES = ("人民政府", "政府", "管委会", "管委")
BARE_PLACE = re.compile(r"^[\u4e00-\u9fff]{1,8}?(县|区|市|新区|开发区|乡|镇)$")
# Prefixes a list writes once for several bodies. 市场监管局 starts with 市 but has no prefix.
PREFIXES = ("自治区", "省", "市")


@dataclass
class NameMention:
    name: str        # the body's name with any shared prefix or suffix restored
    written: str     # the characters of the source, text[start:end]
    start: int
    end: int
    role: str        # "lead" or "cooperating"
    label: str       # the bracket label that introduced it, e.g. 牵头单位
    notes: list[str] = field(default_factory=list)


@dataclass
class Bracket:
    start: int
    end: int         # one past the closing parenthesis
    mentions: list[NameMention]


def role_of(label: str) -> str:
    return "lead" if any(word in label for word in ("牵头", "责任", "主责")) else "cooperating"


class BracketSpan(NamedTuple):
    start: int       # the opening parenthesis
    end: int         # one past the closing one, or the paragraph's end when it is never closed
    closed: bool


def find_bracket(text: str, start: int, end: int) -> BracketSpan | None:
    """The last responsibility bracket inside text[start:end] (only its closing parenthesis is looked for:
    each search runs to the paragraph's end when the bracket is not closed)."""
    last = None
    for last in BRACKET_OPEN.finditer(text, start, end):
        pass
    if last is None:
        return None
    close = _closing(text, last.start(), end)
    return BracketSpan(last.start(), close or end, close is not None)


def _closing(text: str, open_at: int, limit: int) -> int | None:
    """One past the parenthesis closing the one at open_at; None if it does not close before limit."""
    depth = 0
    for position in range(open_at, limit):
        char = text[position]
        if char in "(（":
            depth += 1
        elif char in ")）":
            depth -= 1
            if depth == 0:
                return position + 1
    return None


def parse_bracket(text: str, start: int, end: int, city_name: str = "") -> Bracket:
    labels = list(LABEL.finditer(text, start, end))
    mentions: list[NameMention] = []
    for index, label in enumerate(labels):
        stop = labels[index + 1].start() if index + 1 < len(labels) else _inner_end(text, end)
        role = role_of(label.group(1))
        for group in _split(text, label.end(), stop, GROUP_SEPARATORS):
            items = _merge_collectives(text, _split(text, group[0], group[1], ITEM_SEPARATOR))
            mentions.extend(_restore(text, items, role, label.group(1), city_name))
    return Bracket(start, end, mentions)


def _inner_end(text: str, end: int) -> int:
    return end - 1 if text[end - 1] in ")）" else end


def _split(text: str, start: int, stop: int, separators: str) -> list[tuple[int, int]]:
    """Spans of the pieces of text[start:stop] between separators outside any brackets, trimmed."""
    pieces, depth, piece_start = [], 0, start
    for position in range(start, stop + 1):
        char = text[position] if position < stop else separators[0]
        if char in OPENERS:
            depth += 1
        elif char in CLOSERS:
            depth = max(0, depth - 1)
        elif char in separators and (depth == 0 or position == stop):
            span = _trim(text, piece_start, position)
            if span:
                pieces.append(span)
            piece_start = position + 1
    return pieces


def _trim(text: str, start: int, stop: int) -> tuple[int, int] | None:
    while start < stop and text[start] in TRIM:
        start += 1
    while stop > start and text[stop - 1] in TRIM:
        stop -= 1
    return (start, stop) if stop > start else None


def _merge_collectives(text: str, items: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for item in items:
        # Only the first piece of the merged item is read: a long run of merges stays linear.
        if merged and COLLECTIVE_STUB.match(_first_piece(text, *merged[-1])) \
                and not text.endswith(SHARED_SUFFIXES, *merged[-1]) \
                and COLLECTIVE_TAIL.match(text[item[0]:item[1]]):
            merged[-1] = (merged[-1][0], item[1])
        else:
            merged.append(item)
    return merged


def _first_piece(text: str, start: int, stop: int) -> str:
    """text[start:stop].split("、")[0]."""
    separator = text.find("、", start, stop)
    return text[start:separator if separator >= 0 else stop]


def _restore(text, items, role, label, city_name) -> list[NameMention]:
    written = [text[a:b] for a, b in items]
    names = [_drop_etc(unwrap(name)) for name in written]
    names = [tables.fix_typos(name) for name in names]
    notes = [[f"typo normalised: {w} -> {n[0]}"] if n[1] else [] for w, n in zip(written, names)]
    names = [n[0] for n in names]
    prefix = _prefix_of(names[0]) if names else None
    suffix = next((s for s in SHARED_SUFFIXES if names and names[-1].endswith(s)), None)
    restored = []
    for index, name in enumerate(names):
        if index and prefix and _lacks_prefix(name, prefix, city_name):
            name = prefix + name
        if suffix and index < len(names) - 1 and BARE_PLACE.match(name):
            name = name + suffix
        restored.append(name)
    return [NameMention(name, w, a, b, role, label, note)
            for name, w, (a, b), note in zip(restored, written, items, notes)]


def _drop_etc(name: str) -> str:
    for tail in ("等单位", "等部门", "等"):
        if name.endswith(tail) and len(name) > len(tail) + 1:
            return name[: -len(tail)]
    return name


def _prefix_of(name: str) -> str | None:
    for prefix in PREFIXES:
        if name.startswith(prefix) and not name.startswith("市场"):
            return prefix
    return None


def _lacks_prefix(name: str, prefix: str, city_name: str) -> bool:
    """Whether a list item is a bare department name that shares the first item's prefix."""
    if name.startswith(prefix) and not (prefix == "市" and name.startswith("市场")):
        return False
    # A name that says its own level (省商务厅, 民政部, 安徽银保监局, 团市委) keeps it.
    if name.startswith("各") or tables.has_own_level(name) or (city_name and name.startswith(city_name[:2])):
        return False
    return tables.known_body(name) is not None or tables.kind_by_suffix(name) in (
        "municipal-department", "mass-organisation", "state-owned-enterprise")
