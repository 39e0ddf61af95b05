"""The main job: every plan in a folder -> records in the output folder, with a summary printed.

Outputs are written to a temporary folder and moved into place only when every plan has gone
through, so a failed run leaves the previous output untouched.
"""
import json
import shutil
import tempfile
from collections import Counter
from pathlib import Path

from graph.extract import NoTasksFound, extract_file


class InputError(ValueError):
    """Bad input named by the user: a missing folder, a folder with no plans."""


def plan_files(sources: Path) -> list[Path]:
    if not sources.is_dir():
        raise InputError(f"no such folder: {sources}")
    files = sorted(sources.glob("*.txt"))
    if not files:
        raise InputError(f"no plan texts (*.txt) in {sources}")
    return files


def extract_all(sources: Path) -> list[dict]:
    records = []
    for path in plan_files(sources):
        try:
            records.append(extract_file(path))
        except NoTasksFound as error:
            raise NoTasksFound(f"{path}: {error}") from error
    return records


def write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def run_main_job(sources: Path, out: Path) -> int:
    plans = extract_all(sources)
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".healthkg-", dir=out.parent))
    try:
        (staging / "records").mkdir()
        for records in plans:
            write_json(staging / "records" / f"{records['plan']['id']}.json", records)
        _replace_folder(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    for records in plans:
        print(summary(records))
    print(f"records written to {out / 'records'}")
    return 0


def _replace_folder(staging: Path, out: Path) -> None:
    """Swap the finished output in; the old one is removed only after the new one is in place."""
    previous = out.with_name(out.name + ".previous")
    if previous.exists():
        shutil.rmtree(previous)
    if out.exists():
        out.rename(previous)
    staging.rename(out)
    if previous.exists():
        shutil.rmtree(previous)


def summary(records: dict) -> str:
    plan = records["plan"]
    tasks = Counter(t["section"] for t in records["tasks"])
    section_of_task = {t["id"]: t["section"] for t in records["tasks"]}
    targets = Counter(section_of_task.get(t["task"], "goals") for t in records["targets"])
    lines = [f"{plan['city']} {plan['doc_number']} 《{plan['title']}》: {len(records['tasks'])} tasks, "
             f"{len(records['targets'])} targets, {len(records['unknown_agencies'])} unknown agencies, "
             f"{len(records['warnings'])} warnings"]
    if targets["goals"]:
        lines.append(f"  {'goals':<6} {'目标 (goals part)':<24} tasks {0:>3}  targets {targets['goals']:>3}")
    for section in records["sections"]:
        if tasks[section["id"]] or targets[section["id"]]:
            lines.append(f"  {section['id']:<6} {section['heading'][:24]:<24} tasks {tasks[section['id']]:>3}  "
                         f"targets {targets[section['id']]:>3}")
    return "\n".join(lines)
