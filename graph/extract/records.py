"""Plan text -> records (plan, sections, tasks, targets, chain leads), every one with its source span.

Entry points: `extract_text(text)` and `extract_file(path)`; both return the JSON-ready dict that
`build_graph.py extract FILE --json` prints (see RECORDS.md).
"""
import re
from bisect import bisect_left
from pathlib import Path

from healthkg.graph.extract import agencies, tables
from healthkg.graph.extract.brackets import (
    covered_span,
    find_brackets,
    parse_bracket,
    role_sentence,
)
from healthkg.graph.extract.chain_leads import find_chain_leads
from healthkg.graph.extract.control_chars import CleanText, has_control_chars
from healthkg.graph.extract.decode import read_text
from healthkg.graph.extract.layout import (
    Paragraph,
    chinese_number,
    is_end_of_plan,
    paragraphs,
)
from healthkg.graph.extract.metadata import (
    metadata_path,
    plan_metadata,
    read_metadata_file,
)
from healthkg.graph.extract.targets import find_targets

HEADING_END = re.compile(r"[。；;!！?？]")
# Level-1 headings name the part of the plan they open.
PART_WORDS = (("safeguards", ("保障", "组织实施", "实施保障")), ("tasks", ("任务", "工程", "行动", "举措", "重点")),
              ("goals", ("目标", "要求", "原则", "思想", "形势", "基础")))


LABELS_LOOKED_FOR = "牵头单位/牵头部门/牵头考核单位/责任单位/配合单位/配合部门/参与单位…："
VERBS_LOOKED_FOR = "甲牵头，乙配合 / 甲负责 / 甲会同乙负责 / 甲、乙共同负责 / 乙按职责分工负责"


class NoTasksFound(ValueError):
    """The text has no task of the genre: no responsibility bracket anywhere."""


def extract_file(path: Path, encoding: str | None = None) -> dict:
    """The plan's records. Its encoding: the one its metadata file gives, else `encoding`, else detected."""
    extra = read_metadata_file(Path(path))
    if extra.get("encoding"):
        text, used = read_text(path, extra["encoding"], given_in=metadata_path(path).name)
    else:
        text, used = read_text(path, encoding)
    records = extract_text(text, extra)
    records["plan"]["encoding"] = used
    records["plan"]["source_file"] = Path(path).name
    return records


def extract_text(text: str, extra: dict | None = None) -> dict:
    """Records of the text; offsets index `text` as given, control characters included."""
    if has_control_chars(text):
        clean = CleanText(text)
        return clean.map_records(_extract_clean_text(clean.text, extra))
    return _extract_clean_text(text, extra)


def _extract_clean_text(text: str, extra: dict | None = None) -> dict:
    extra = extra or {}
    paras = _plan_paragraphs(paragraphs(text))
    body_start = next((p.start for p in paras if p.kind == "level1"), None)
    if body_start is None:
        raise NoTasksFound("no level-1 heading (一、…) found: this does not look like a plan")
    plan = plan_metadata(text, body_start, None, extra)
    city_name = plan["jurisdiction"] or ""      # the city, province or country whose plan it is
    plan["city_id"] = plan["jurisdiction_id"]
    plan["id"] = _plan_id(plan)
    sections = _sections(text, paras)
    tasks, warnings, unparsed, role_agnostic, first_bracket = _tasks(
        text, _with_sections(paras, sections), sections, city_name)
    line_number = LineNumbers(text)
    warnings[:0] = [f"line {line_number(p.start)}: {p.note}" for p in paras if p.note]
    if not tasks:
        raise NoTasksFound(f"no task understood: looked for responsibility brackets with labels ({LABELS_LOOKED_FOR}), "
                           f"roles as verbs after the names ({VERBS_LOOKED_FOR}) and lines of labels (责任单位：…); "
                           + (f"first bracket seen: {first_bracket}" if first_bracket
                              else "no bracket seen in the plan body"))
    plan["role_agnostic"] = role_agnostic
    placed = list(_with_sections(paras, sections))
    goals = [p for p, section in placed if section["part"] == "goals" and p.kind != "level1"]
    targets = find_targets(text, tasks, goals, (plan.get("period") or {}).get("end"))
    leads = find_chain_leads(text, [p for p, section in placed if section["part"] == "safeguards"], city_name)
    _harmonise_labels([b for t in tasks for b in t["lead"] + t["cooperating"]] + [c["agency"] for c in leads],
                      city_name)
    return {
        "plan": plan,
        "sections": sections,
        "tasks": tasks,
        "targets": targets,
        "chain_leads": leads,
        "unknown_agencies": _unknown_agencies(tasks, leads),
        "unparsed": unparsed,
        "warnings": warnings,
    }


def _plan_paragraphs(paras: list[Paragraph]) -> list[Paragraph]:
    """Paragraphs up to the end of the plan (attachments, distribution lists and page furniture cut)."""
    body = False
    for index, paragraph in enumerate(paras):
        body = body or paragraph.kind == "level1"
        if body and is_end_of_plan(paragraph):
            return paras[:index]
    return paras


def _plan_id(plan: dict) -> str:
    number = re.search(r"[〔\[(（](\d{4})[〕\])）]\s*(\d+)", plan["doc_number"] or "")
    if number:
        return f"{plan['city_id']}-{number.group(1)}-{number.group(2)}"
    return f"{plan['city_id']}-{(plan['issued'] or 'undated')[:4]}-{agencies.slug(plan['title'] or 'plan')[:40]}"


def _heading(paragraph: Paragraph) -> str:
    body = paragraph.body
    match = HEADING_END.search(body)
    return (body[: match.start()] if match else body).strip()


def _part(heading: str) -> str:
    return next((part for part, words in PART_WORDS if any(w in heading for w in words)), "goals")


def _industry(heading: str) -> str | None:
    found = [i for i, row in tables.industries().items()
             if any(k in heading for k in tables.split_list(row["keywords"]))]
    return found[0] if len(found) == 1 else None


def _sections(text: str, paras: list[Paragraph]) -> list[dict]:
    sections: list[dict] = [{"id": "s0", "level": 0, "number": None, "parent": None, "heading": "",
                             "industry": None, "part": "preamble", "start": 0, "end": 0}]
    parent = None
    for paragraph in paras:
        if paragraph.kind not in ("level1", "level2"):
            continue
        number = chinese_number(paragraph.number)
        heading = _heading(paragraph)
        if paragraph.kind == "level1":
            parent = {"id": f"s{number}", "level": 1, "number": text[paragraph.start:paragraph.body_start].strip(),
                      "parent": None, "heading": heading, "industry": _industry(heading), "part": _part(heading),
                      "start": paragraph.start, "end": paragraph.end}
            sections.append(parent)
        elif parent is not None:
            sections.append({"id": f"{parent['id']}.{number}", "level": 2,
                             "number": text[paragraph.start:paragraph.body_start].strip(), "parent": parent["id"],
                             "heading": heading, "industry": _industry(heading), "part": parent["part"],
                             "start": paragraph.start, "end": paragraph.end})
    # A section runs until the next heading of its level or above, or the end of the plan.
    plan_end = paras[-1].end if paras else len(text)
    open_sections: list[dict] = []
    for section in sections + [{"level": 0, "start": plan_end}]:
        while open_sections and open_sections[-1]["level"] >= section["level"]:
            closing = open_sections.pop()
            closing["end"] = _trimmed_end(text, closing["start"], section["start"])
        open_sections.append(section)
    return sections[1:]


def _trimmed_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


PREAMBLE = {"id": "s0", "part": "preamble", "industry": None}


def _with_sections(paras: list[Paragraph], sections: list[dict]):
    """(paragraph, innermost section holding it) in one pass: both lists are in text order."""
    current = PREAMBLE
    by_start = {s["start"]: s for s in sections}
    for paragraph in paras:
        current = by_start.get(paragraph.start, current)
        yield paragraph, current


def _tasks(text: str, placed, sections: list[dict], city_name: str):
    candidates, previous = [], None
    for paragraph, section in placed:
        if paragraph.kind != "level1" and section["part"] != "preamble":
            # A paragraph right under a heading line of its own is that heading's text (保障措施 items).
            under_heading = previous is not None and previous.kind == "level2" \
                and _heading(previous) == previous.body.strip().rstrip("。")
            brackets = [parse_bracket(text, span.start, span.end, city_name, span.closed)
                        for span in find_brackets(text, paragraph.start, paragraph.end)]
            if not any(bracket.understood for bracket in brackets):
                sentence = role_sentence(text, paragraph.start, paragraph.end, city_name)
                brackets += [sentence] if sentence else []
            candidates.append((paragraph, section, brackets, under_heading))
        previous = paragraph
    bracketed_sections = {section["id"] for _, section, brackets, _ in candidates if _understood(brackets)}
    # Parts whose tasks are their level-2 items, （四）…（十九）, with no 1. level under them.
    level2_parts = _level2_parts(candidates)
    task_parts = {_part_of(section) for _, section, brackets, _ in candidates if _understood(brackets)}
    line_number = LineNumbers(text)
    by_id = {section["id"]: section for section in sections}
    tasks: list[dict] = []
    warnings: list[str] = []
    unparsed: list[dict] = []
    ordinals: dict[tuple[str, str], int] = {}
    repeats: dict[str, int] = {}
    differentiated = False
    for paragraph, section, brackets, under_heading in candidates:
        understood = _understood(brackets)
        numbered = paragraph.kind == "item"
        unread = [b for b in brackets if not b.understood and b.role_hint]
        # A numbered item of a part that holds tasks, in a section where nothing is understood: it looks like
        # a task whose bracket (if any) is written in a form not read here.
        looks_like_task = numbered and not understood and section["id"] not in bracketed_sections \
            and section["part"] != "safeguards" and _part_of(section) in task_parts
        if unread or looks_like_task:
            if unread:
                first = unread[0]
                reason = f"the bracket {_snippet(text, first.start, first.end)} names a role but was not understood"
            else:
                reason = (f"{_snippet(text, paragraph.start, paragraph.end)} looks like a task, "
                          "but no bracket was understood")
            warnings.append(f"line {line_number(paragraph.start if not unread else unread[0].start)}: {reason}; "
                            f"its bodies are left out")
            unparsed.append({"start": paragraph.start, "end": paragraph.end, "snippet": _snippet(text, paragraph.start,
                             paragraph.end, 40), "reason": reason,
                             "brackets": [{"start": b.start, "end": b.end} for b in unread]})
        level2_task = paragraph.kind == "level2" and section["parent"] in level2_parts \
            and section["id"] not in bracketed_sections and not FRAMEWORK.search(_heading(paragraph)) \
            and _heading(paragraph) != paragraph.body.strip().rstrip("。")
        if not understood and not (numbered and section["id"] in bracketed_sections) and not level2_task:
            continue
        task_id = _task_id(paragraph, section, ordinals, repeats)
        last = understood[-1] if understood else None
        task = {"id": task_id, "section": section["id"],
                "number": paragraph.number if numbered or paragraph.kind == "level2" else None,
                "heading": section["heading"] if paragraph.kind == "level2" or (under_heading and not numbered)
                else _heading(paragraph),
                "industry": (section["industry"] or by_id.get(section.get("parent"), {}).get("industry")
                             or "cross-cutting"),
                "lead": [], "cooperating": [], "flags": [] if last else ["no-bracket"],
                "bracket": {"start": last.start, "end": last.end} if last else None,
                "brackets": [],
                "start": paragraph.start, "end": last.end if last else paragraph.end}
        assigned: dict[str, dict[str, dict]] = {"lead": {}, "cooperating": {}}    # role -> body id -> record
        covered_from = paragraph.start
        for index, bracket in enumerate(understood, 1):
            if not bracket.closed:
                warnings.append(f"{task_id}: line {line_number(bracket.start)}: the responsibility bracket "
                                f"{text[bracket.start:bracket.end][:16]}… is not closed; closed at the end of the line")
            covers = covered_span(text, covered_from, bracket.start)
            covered_from = bracket.end
            entry = {"start": bracket.start, "end": bracket.end, "form": bracket.form,
                     "covers": {"start": covers[0], "end": covers[1]},
                     "lead": [], "cooperating": [], "deadline": bracket.deadline}
            in_bracket: dict[str, set[str]] = {"lead": set(), "cooperating": set()}
            for mention in bracket.mentions:
                differentiated = differentiated or mention.differentiated
                body = _assign(task, mention, city_name, warnings, assigned, in_bracket, index)
                if body is not None:
                    entry[mention.role].append({key: body[key] for key in ("name", "id")}
                                               | {"start": mention.start, "end": mention.end})
            task["brackets"].append(entry)
        if not last:
            warnings.append(f"{task_id}: numbered task without a responsibility bracket; lead left empty")
        tasks.append(task)
    return tasks, warnings, unparsed, bool(tasks) and not differentiated, _first_bracket(text, candidates)


def _part_of(section: dict) -> str:
    """The id of the level-1 part a section is in."""
    return section["parent"] or section["id"]


def _level2_parts(candidates) -> set[str]:
    """Level-1 parts (not the safeguards) whose level-2 items with text of their own mostly carry brackets:
    their items without one are tasks without bodies."""
    counts: dict[str, list[int]] = {}
    for paragraph, section, brackets, _ in candidates:
        if paragraph.kind == "level2" and section["part"] != "safeguards" \
                and _heading(paragraph) != paragraph.body.strip().rstrip("。"):
            count = counts.setdefault(section["parent"], [0, 0])
            count[0] += bool(_understood(brackets))
            count[1] += 1
    return {part for part, (bracketed, total) in counts.items() if 2 * bracketed > total}


FRAMEWORK = re.compile(r"指导思想|基本原则|总体要求|发展目标|主要目标|总体目标|工作目标|目标任务|发展定位|总体思路")


def _understood(brackets) -> list:
    return [bracket for bracket in brackets if bracket.understood]


def _snippet(text: str, start: int, end: int, length: int = 24) -> str:
    quote = re.sub(r"\s+", " ", text[start:end])
    return quote if len(quote) <= length else quote[:length] + "…"


def _first_bracket(text: str, candidates) -> str | None:
    """The first bracket of the plan body that names a role, else the first bracket at all."""
    brackets = [b for _, _, found, _ in candidates for b in found]
    hinted = [b for b in brackets if b.role_hint]
    first = (hinted or brackets or [None])[0]
    return _snippet(text, first.start, first.end, 40) if first else None


class LineNumbers:
    """The 1-based line of an offset; the line ends are found once, when first asked."""

    def __init__(self, text: str):
        self.text = text
        self.ends: list[int] | None = None

    def __call__(self, offset: int) -> int:
        if self.ends is None:
            self.ends = [match.start() for match in re.finditer("\n", self.text)]
        return bisect_left(self.ends, offset) + 1


def _task_id(paragraph: Paragraph, section: dict, ordinals: dict[tuple[str, str], int],
             repeats: dict[str, int]) -> str:
    if paragraph.kind == "item":
        base = f"{section['id']}-t{paragraph.number}"
    else:
        letter = "b" if paragraph.kind == "bullet" else "p"
        key = (section["id"], letter)
        ordinals[key] = ordinals.get(key, 0) + 1
        base = f"{section['id']}-{letter}{ordinals[key]}"
    # A number written twice in a section (or a section number twice) gives base, base.2, base.3 ...
    # counted per base: no base ends in .N, so these ids never meet another base.
    repeats[base] = repeats.get(base, 0) + 1
    return base if repeats[base] == 1 else f"{base}.{repeats[base]}"


def _assign(task: dict, mention, city_name: str, warnings: list[str], assigned: dict[str, dict],
            in_bracket: dict[str, set], bracket_number: int) -> dict | None:
    """Add the mention's body to the task's role list (the union of its brackets); `assigned` maps the ids
    in each list to their records, `in_bracket` holds the ids this bracket has named in each role. A body
    named in two brackets is one record listing both; named twice in one bracket it is warned about."""
    agency = agencies.align(mention.name, city_name)
    role_list = task[mention.role]
    for note in mention.notes:
        warnings.append(f"{task['id']}: {note}")
    other_role = "cooperating" if mention.role == "lead" else "lead"
    if agency.id in in_bracket[other_role]:
        warnings.append(f"{task['id']}: {mention.name} is listed both as lead and as cooperating; kept in both")
    if agency.id in in_bracket[mention.role]:
        warnings.append(f"{task['id']}: {mention.name} listed twice as {mention.role}; kept once")
        return None
    in_bracket[mention.role].add(agency.id)
    if agency.id in assigned[mention.role]:
        record = assigned[mention.role][agency.id]
        record["brackets"].append(bracket_number)
        return record
    record = agency.as_record(mention.name)
    record.update({"position": len(role_list) + 1, "written": mention.written,
                   "start": mention.start, "end": mention.end, "label": mention.label, "brackets": [bracket_number]})
    role_list.append(record)
    assigned[mention.role][agency.id] = record
    return record


def _harmonise_labels(bodies: list[dict], city_name: str) -> None:
    """One Chinese label per body, as this city writes it: the longest name written for it
    (市卫生健康委 over 市卫健委), with a leading 市 spelt out (来宾市卫生健康委)."""
    names: dict[str, set[str]] = {}
    for body in bodies:
        names.setdefault(body["id"], set()).add(tables.normalise_brackets(body["name"]))
    for body in bodies:
        longest = min(names[body["id"]], key=lambda name: (-len(name), name))
        spelt = (agencies.city_short(city_name) + longest
                 if longest.startswith("市") and not longest.startswith("市场") and city_name else longest)
        body["label_zh"] = spelt


def _unknown_agencies(tasks: list[dict], leads: list[dict]) -> list[dict]:
    bodies = [b for t in tasks for b in t["lead"] + t["cooperating"]] + [c["agency"] for c in leads if c.get("agency")]
    unknown = {}
    for body in bodies:
        if not body["functions"] and body["id"] not in unknown:
            unknown[body["id"]] = {k: body[k] for k in ("name", "id", "kind", "functions")}
    return list(unknown.values())
