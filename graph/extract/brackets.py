"""Responsibility brackets of a paragraph -> who leads and who co-operates, names as written, and by when.

`(牵头单位:市民政局;配合单位:市住建局、卫生健康委,各县〔市、区〕人民政府)` gives
lead 市民政局 and co-operating 市住建局, 市卫生健康委, 各县〔市、区〕人民政府: a prefix written once
for several bodies is restored, as is a shared suffix (`融水县、鹿寨县人民政府`). The other grammars
(graph/extract/roles.py): roles as verbs after the names (`（省商务厅牵头，海关配合）`, `（市民政局负责）`,
`（市卫生健康委会同市民政局负责）`), labels after other content (`（2022年6月底前完成，牵头考核单位：…）`), a
line of labels without brackets (`责任单位：…`), a paragraph without a bracket whose last sentence states the
roles (`……。由市市场监管局牵头，市公安局配合。`). A paragraph may hold several brackets: each covers the text
before it, back to the previous one or the paragraph's start. A bracket of another kind (`（0.25分）`,
`（含技工学校）`) is none of these; one that names a role word but cannot be read is reported, not guessed.
"""
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import NamedTuple

from healthkg.graph.extract import deadlines, roles, tables
from healthkg.graph.extract.layout import BRACKET_OPEN, LABEL_LINE, unwrap

LABEL = roles.LABEL
OPENERS, CLOSERS = "(（〔[【《“", ")）〕]】》”"
GROUP_SEPARATORS = ",，;；。"
ITEM_SEPARATOR = "、"
TRIM = " \t\n\u3000\xa0,，;；。、.:："   # a line end too: a bracket may wrap after a separator
# A collective written with a 、 inside it: 各区、县级市 / 各县、区人民政府 are one body each.
COLLECTIVE_STUB = re.compile(r"^各(?:有关|相关)?[县区市乡镇城]{1,3}$")
COLLECTIVE_TAIL = re.compile(r"^(县级市|县区|城区|县|区|市|乡镇|开发区|管委会)")
SHARED_SUFFIXES = ("人民政府", "政府", "管委会", "管委")
BARE_PLACE = re.compile(r"^[\u4e00-\u9fff]{1,8}?(县|区|市|新区|开发区|乡|镇)$")
# Prefixes a list writes once for several bodies. 市场监管局 starts with 市 but has no prefix.
PREFIXES = ("自治区", "省", "市")
# Words that make a bracket a responsibility bracket the reader failed to understand when it yields no body.
ROLE_HINT = re.compile(r"牵头|负责|配合|责任|会同|协助|参与|协办|主责|单位[:：]|部门[:：]")
COVER_TRIM = " \t\n\u3000\xa0,，;；。、.:：!！?？"


@dataclass
class NameMention:
    name: str        # the body's name with any shared prefix or suffix restored
    written: str     # the characters of the source, text[start:end]
    start: int
    end: int
    role: str        # "lead" or "cooperating"
    label: str       # the label or verb that gave the role, e.g. 牵头单位, 牵头, 负责
    notes: list[str] = field(default_factory=list)
    differentiated: bool = True   # False for 负责/责任单位/names alone: no lead told from co-operating


@dataclass
class Bracket:
    start: int
    end: int         # one past the closing parenthesis (the line's end for a line of labels)
    mentions: list[NameMention]
    closed: bool = True
    form: str = "labels"          # "labels", "verbs", "names", "label-line" or "sentence"
    deadline: dict | None = None
    covers: tuple[int, int] | None = None   # the text it assigns, set by the caller
    unread: list[str] = field(default_factory=list)   # clauses read as neither role, deadline nor body

    @property
    def understood(self) -> bool:
        return bool(self.mentions)

    @property
    def role_hint(self) -> bool:
        """Whether it names a role word, so that not understanding it is worth a warning."""
        return bool(self.mentions) or bool(self.unread and any(ROLE_HINT.search(c) for c in self.unread))


class BracketSpan(NamedTuple):
    start: int       # the opening parenthesis (the label for a line of labels)
    end: int         # one past the closing one, or where an unclosed one is cut
    closed: bool


def find_brackets(text: str, start: int, end: int) -> list[BracketSpan]:
    """Every top-level bracket of text[start:end], in order, and every line of labels outside brackets.
    A responsibility bracket that is never closed runs to the next responsibility bracket or the paragraph's
    end (brackets inside it, `（市、区）`, are its own); another unclosed parenthesis is ignored. One pass
    over the paragraph, with a stack."""
    pairs, stack = [], []
    for position in range(start, end):
        char = text[position]
        if char in "(（":
            stack.append(position)
        elif char in ")）" and stack:
            pairs.append((stack.pop(), position + 1))
    pairs.sort()
    closed: list[BracketSpan] = []
    reach = start
    for open_at, close in pairs:
        if open_at >= reach:
            closed.append(BracketSpan(open_at, close, True))
            reach = close
    unclosed = [at for at in stack if BRACKET_OPEN.match(text, at)]   # in order: a stack
    spans: list[BracketSpan] = []
    index = 0
    for at, following in zip(unclosed, unclosed[1:] + [end]):
        while index < len(closed) and closed[index].start < at:
            spans.append(closed[index])
            index += 1
        if spans and spans[-1].end > at:
            continue                        # an opener inside a closed bracket
        cut = following
        while index < len(closed) and closed[index].start < cut:
            if BRACKET_OPEN.match(text, closed[index].start):
                cut = closed[index].start
                break
            index += 1                      # nested in the unclosed bracket
        spans.append(BracketSpan(at, cut, False))
    spans.extend(closed[index:])
    spans.sort()
    starts = [span.start for span in spans]
    lines: list[BracketSpan] = []
    for line in LABEL_LINE.finditer(text, start, end):
        at = line.start(1)
        after = bisect_right(starts, at)      # spans[after] is the first bracket opening after the label
        if (after and spans[after - 1].end > at) or (lines and at < lines[-1].end):
            continue
        stop = text.find("\n", at, end)
        # a line of labels ends with its line, or where a bracket after it opens
        stop = min(stop if stop >= 0 else end, starts[after] if after < len(starts) else end)
        span = BracketSpan(at, _trim_end(text, at, stop), True)
        if lines and not text[lines[-1].end:at].strip():
            span = BracketSpan(lines.pop().start, span.end, True)   # 责任单位：… then 完成时限：… : one
        lines.append(span)
    return sorted(spans + lines)


def role_sentence(text: str, start: int, end: int, city_name: str = "") -> Bracket | None:
    """The roles of a paragraph that has no bracket but ends with a sentence of roles as verbs
    (`……。由市市场监管局牵头，市公安局、市中级人民法院配合。`), or None. Every clause of that sentence must be a
    verb clause whose names are all bodies (or a deadline): a sentence of content (`各地要切实负责…`) is not one."""
    stop = _trim_end(text, start, end)
    while stop > start and text[stop - 1] in "\n。；;":
        stop -= 1
    opening = max(text.rfind(mark, start, stop) for mark in "。；;\n") + 1
    opening = max(opening, start)
    if opening == start or not ROLE_HINT.search(text, opening, stop):
        return None            # the paragraph's only sentence is its content, not a statement of roles
    bracket = Bracket(opening, stop, [], True, "sentence")
    _read_clauses(text, bracket, _split(text, opening, stop, GROUP_SEPARATORS), city_name)
    return bracket if bracket.mentions and not bracket.unread and bracket.form != "names" else None


def _trim_end(text: str, start: int, stop: int) -> int:
    while stop > start and text[stop - 1] in " \t\u3000\xa0":
        stop -= 1
    return stop


def find_bracket(text: str, start: int, end: int) -> BracketSpan | None:
    """The last labelled responsibility bracket inside text[start:end], or None."""
    labelled = [s for s in find_brackets(text, start, end) if LABEL.search(text, s.start, s.end)]
    return labelled[-1] if labelled else None


def covered_span(text: str, start: int, stop: int) -> tuple[int, int]:
    """text[start:stop] without the punctuation and spaces around it: what a bracket assigns."""
    while start < stop and text[start] in COVER_TRIM:
        start += 1
    while stop > start and text[stop - 1] in " \t\n\u3000\xa0":
        stop -= 1
    return start, max(start, stop)


def parse_bracket(text: str, start: int, end: int, city_name: str = "", closed: bool = True) -> Bracket:
    """The roles (and deadline) of the bracket text[start:end], whichever grammar it is written in."""
    inner_start = start + 1 if text[start] in "(（" else start
    inner_end = _inner_end(text, end) if inner_start > start else end
    labels = _top_level(text, LABEL.finditer(text, inner_start, inner_end), inner_start)
    bracket = Bracket(start, end, [], closed, "labels" if inner_start > start else "label-line")
    if labels:
        _read_labels(text, bracket, labels, inner_start, inner_end, city_name)
    else:
        bracket.form = "verbs"
        _read_clauses(text, bracket, _split(text, inner_start, inner_end, GROUP_SEPARATORS), city_name)
    return bracket


def _top_level(text: str, matches, start: int) -> list[re.Match]:
    """The matches (in order) that lie outside any inner brackets or quotes, the text read once."""
    kept, depth, position = [], 0, start
    for match in matches:
        for char in text[position:match.start()]:
            if char in OPENERS:
                depth += 1
            elif char in CLOSERS:
                depth = max(0, depth - 1)
        position = match.start()
        if depth == 0:
            kept.append(match)
    return kept


def _read_labels(text, bracket, labels, inner_start, inner_end, city_name) -> None:
    # What comes before the first label: a deadline or a note (`2022年6月底前完成，牵头考核单位：…`).
    lead_seen = False
    for group in _split(text, inner_start, labels[0].start(), GROUP_SEPARATORS):
        if _deadline(text, bracket, group):
            continue
        clause = roles.verb_clause(text, *group)
        if clause and _all_bodies(text, clause):     # 市民政局牵头；配合单位：…
            lead_seen = _add_clause(text, bracket, clause, lead_seen, city_name)
        else:
            bracket.unread.append(text[group[0]:group[1]])
    for index, label in enumerate(labels):
        stop = labels[index + 1].start() if index + 1 < len(labels) else inner_end
        word = label.group(1)
        groups = _split(text, label.end(), stop, GROUP_SEPARATORS)
        if roles.is_deadline_label(word):
            for group in groups:
                _deadline_or_unread(text, bracket, group)
            continue
        kind = roles.label_role(word)
        for group in groups:
            if _deadline(text, bracket, group):
                continue
            clause = roles.verb_clause(text, *group)
            if clause:
                # 责任单位：市发展改革委牵头，市财政局配合 — the verbs tell the roles.
                lead_seen = _add_clause(text, bracket, clause, lead_seen, city_name)
                continue
            role = "lead" if kind == "lead" or (kind == "responsible" and not lead_seen) else "cooperating"
            lead_seen = _add_items(text, bracket, group, role, word, city_name, kind != "responsible") or lead_seen
        lead_seen = lead_seen or kind == "lead"


def _read_clauses(text, bracket, groups, city_name) -> None:
    """Clauses with verbs after the names, names alone, or deadlines; any other clause is left unread
    and then the bracket names no body (it is not a responsibility bracket, or not one read). Names
    before a comma join the next verb's names (`市民政局，市卫生健康委负责`)."""
    pending, carried = [], None
    for group in groups:
        if _deadline(text, bracket, group):
            continue
        clause = roles.verb_clause(text, *group)
        if clause and _all_bodies(text, clause):
            if carried:
                pending.append(clause._replace(names=carried, others=None,
                                               kind="lead" if clause.kind == "joint-with" else clause.kind))
                carried = None
            pending.append(clause)
        elif _names_only(text, group):
            carried = (carried[0], group[1]) if carried else group
        else:
            bracket.unread.append(text[group[0]:group[1]])
    if carried:
        if (not pending and _after_sentence(text, bracket.start)
                and _names_only(text, carried, roles.looks_like_named_body)):
            pending.append(roles.Clause("names", carried, ""))
            bracket.form = "names"
        else:
            bracket.unread.append(text[carried[0]:carried[1]])
    # A clause read as nothing is a note (2022—2025年分步实施, 列入督查) unless it names a role word: then the
    # bracket is one this reader does not understand, and it gives no body rather than a wrong one.
    if not pending or any(ROLE_HINT.search(clause) for clause in bracket.unread):
        return
    lead_seen = False
    for clause in pending:
        lead_seen = _add_clause(text, bracket, clause, lead_seen, city_name)


def _add_clause(text, bracket, clause, lead_seen: bool, city_name: str) -> bool:
    """Adds the clause's bodies; returns whether a lead clause has now been seen in the bracket."""
    def add(span, role, differentiated):
        return _add_items(text, bracket, span, role, clause.verb, city_name, differentiated)

    if clause.kind == "joint-with":      # 甲会同乙负责: 甲 leads, 乙 co-operates
        add(clause.names, "lead", True)
        add(clause.others, "cooperating", True)
        return True
    if clause.kind == "lead":
        add(clause.names, "lead", True)
        return True
    if clause.kind == "cooperating":
        add(clause.names, "cooperating", True)
        return lead_seen
    # 负责, 按职责分工负责, 共同负责, names alone: lead, or co-operating after a lead clause.
    if lead_seen and clause.kind != "joint":
        return add(clause.names, "cooperating", True) or lead_seen
    return add(clause.names, "lead", False)


def _items(text: str, span: tuple[int, int]) -> list[tuple[int, int]]:
    """The spans of the names listed in text[span]: split at 、 (a collective such as 各区、县级市 kept
    whole), then at 和/及/与 or a space between two names of bodies."""
    items = []
    for start, stop in _merge_collectives(text, _split(text, span[0], span[1], ITEM_SEPARATOR)):
        pieces, at = [], start
        for joint in roles.JOINED.finditer(text, start, stop):
            if roles.looks_like_body(unwrap(text[at:joint.start()])) and roles.looks_like_body(
                    unwrap(text[joint.end():stop])):
                pieces.append((at, joint.start()))
                at = joint.end()
        items.extend(pieces + [(at, stop)])
    return items


def _add_items(text, bracket, span, role, word, city_name, differentiated) -> bool:
    """Adds the bodies listed in text[span] in `role`; a list in which one is marked `（牵头）` gives that
    one the lead and the others co-operating. Returns whether such a mark was found."""
    items = [item for item in _items(text, span) if not roles.is_role_word(text[item[0]:item[1]])]
    if not items:
        return False
    marks = [roles.LEAD_MARK.search(text, start, stop) for start, stop in items]
    if not any(marks):
        bracket.mentions.extend(_restore(text, items, role, word, city_name, differentiated))
        return False
    trimmed = [(start, mark.start() if mark else stop) for (start, stop), mark in zip(items, marks)]
    mentions = _restore(text, trimmed, role, word, city_name, True)
    for mention, mark in zip(mentions, marks):
        mention.role = "lead" if mark else "cooperating"
        mention.label = "牵头" if mark else word
    bracket.mentions.extend(mentions)
    return True


def _all_bodies(text: str, clause: roles.Clause) -> bool:
    spans = [clause.names] + ([clause.others] if clause.others else [])
    return all(_names_only(text, span) for span in spans)


def _names_only(text: str, span: tuple[int, int], looks_like=roles.looks_like_body) -> bool:
    items = _items(text, span)
    return bool(items) and all(looks_like(unwrap(text[a:b])) for a, b in items)


def _after_sentence(text: str, at: int) -> bool:
    """Whether the bracket at `at` stands after a finished sentence (or opens its line)."""
    before = at - 1
    while before >= 0 and text[before] in " \t\u3000":
        before -= 1
    return before < 0 or text[before] in "。；;！!？?\n"


def _deadline(text: str, bracket: Bracket, group: tuple[int, int]) -> bool:
    """Whether the clause is a deadline; the last one of a bracket is its deadline (2022年启动，2025年完成)."""
    found = deadlines.parse(text, *group)
    if found:
        bracket.deadline = found
    return found is not None


def _deadline_or_unread(text: str, bracket: Bracket, group: tuple[int, int]) -> None:
    if not _deadline(text, bracket, group):
        bracket.unread.append(text[group[0]:group[1]])


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


def _restore(text, items, role, label, city_name, differentiated=True) -> list[NameMention]:
    written = [text[a:b] for a, b in items]
    fixed = [tables.fix_typos(_drop_etc(unwrap(name))) for name in written]     # (name, whether a typo was fixed)
    notes = [[f"typo normalised: {w} -> {n[0]}"] if n[1] else [] for w, n in zip(written, fixed)]
    names = [n[0] for n in fixed]
    prefix = _prefix_of(names[0]) if names else None
    suffix = next((s for s in SHARED_SUFFIXES if names and names[-1].endswith(s)), None)
    restored = []
    for index, name in enumerate(names):
        if index and prefix and _lacks_prefix(name, prefix, city_name):
            name = prefix + name
        if suffix and index < len(names) - 1 and BARE_PLACE.match(name):
            name = name + suffix
        restored.append(name)
    return [NameMention(name, w, a, b, role, label, note, differentiated)
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
