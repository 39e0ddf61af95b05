"""An --out folder that is up to date is kept (graph/app/build_key.py, graph/app/output_folder.py): a rerun
with the same plans, options, tables, ontology, queries and program, into a folder holding exactly what the
last build wrote, rebuilds nothing and prints that build's report again under a first line saying so; any
difference builds anew. A rebuild is observed by pipeline.build being called (patched to raise), or by the
folder's files; never by timing."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, SOURCES

from healthkg import build_graph
from healthkg.graph.app import build_key, pipeline
from healthkg.graph.app.output_folder import MARKER
from healthkg.graph.extract import tables
from healthkg.queries import library

UP_TO_DATE = "up to date: "


class Rebuilt(Exception):
    """pipeline.build was called: the folder was not kept."""


def snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every file under the folder (the marker too): its modification time and bytes."""
    return {path.relative_to(folder).as_posix(): (path.stat().st_mtime_ns, path.read_bytes())
            for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The bundled plans built by the command line into one folder, then run again with nothing changed;
    a pristine copy of the folder is kept for the tests that change it."""
    folder = tmp_path_factory.mktemp("up-to-date")
    sources, out, cache = folder / "src", folder / "out", folder / "cache"
    shutil.copytree(SOURCES, sources)
    environment = {**os.environ, "HEALTHKG_CACHE_DIR": str(cache)}
    runs, snapshots = [], []
    for _ in range(2):
        run = subprocess.run([sys.executable, str(ROOT / "build_graph.py"), "--sources", str(sources),
                              "--out", str(out)], capture_output=True, text=True, env=environment, timeout=900)
        assert run.returncode == 0, run.stderr
        runs.append(run.stdout)
        snapshots.append(snapshot(out))
    shutil.copytree(out, folder / "pristine")
    return {"folder": folder, "sources": sources, "out": out, "cache": cache, "runs": runs, "snapshots": snapshots}


@pytest.fixture
def out(built) -> Path:
    """The built folder, restored to what the build wrote (same path: the path is part of the key)."""
    shutil.rmtree(built["out"])
    shutil.copytree(built["folder"] / "pristine", built["out"])
    return built["out"]


@pytest.fixture
def sources(built, tmp_path) -> Path:
    """A copy of the built plans, this test's own (the key holds their names and bytes, not their folder)."""
    shutil.copytree(built["sources"], tmp_path / "src")
    return tmp_path / "src"


@pytest.fixture
def no_build(monkeypatch):
    def build(*args, **kwargs):
        raise Rebuilt
    monkeypatch.setattr(pipeline, "build", build)


def run(sources: Path, out: Path, *options: str) -> int:
    return build_graph.run_command(["--sources", str(sources), "--out", str(out), *options])


def test_a_second_run_is_up_to_date_rebuilds_nothing_and_prints_the_first_runs_report(built):
    first, second = built["runs"]
    assert not first.startswith(UP_TO_DATE)
    headline, rest = second.split("\n", 1)
    assert headline.startswith(f"{UP_TO_DATE}{built['out']} was built from the same plans, tables, ontology, "
                               "queries and program at ")
    assert headline.endswith(" UTC; nothing rebuilt (--no-cache builds it anew)")
    assert rest == first, "the report is the first run's, byte for byte"
    answers = [line for line in first.splitlines() if line.startswith("Headline:")]
    assert answers and answers[0] in rest.splitlines()
    assert built["snapshots"][1] == built["snapshots"][0], "no file was written, not even the marker"


def test_an_up_to_date_folder_does_not_call_the_build(sources, out, no_build, capsys):
    before = snapshot(out)
    assert run(sources, out) == 0
    assert capsys.readouterr().out.startswith(f"{UP_TO_DATE}{out} was built")
    assert snapshot(out) == before


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _laibin(sources: Path) -> Path:
    return sources / "laibin-2019-laizhengfa-22.txt"


def change_plan_text(sources, out, tmp_path, monkeypatch):
    _edit(_laibin(sources), "养老", "养护")


def change_plan_metadata(sources, out, tmp_path, monkeypatch):
    path = _laibin(sources).with_suffix(".meta.json")
    metadata = json.loads(path.read_text(encoding="utf-8"))
    metadata["source_url"] = "http://example.org/changed"
    path.write_text(json.dumps(metadata, ensure_ascii=False), encoding="utf-8")


def add_plan(sources, out, tmp_path, monkeypatch):
    shutil.copy(FIXTURES / "wuzhou-style.txt", sources / "wuzhou-style.txt")


def remove_plan(sources, out, tmp_path, monkeypatch):
    _laibin(sources).unlink()


def change_table(sources, out, tmp_path, monkeypatch):
    shutil.copytree(tables.DATA, tmp_path / "data")
    _edit(tmp_path / "data" / "functions.tsv", "\tAudit\t", "\tAuditing (changed)\t")
    monkeypatch.setattr(tables, "DATA", tmp_path / "data")


def change_query(sources, out, tmp_path, monkeypatch):
    shutil.copytree(library.QUERIES, tmp_path / "queries", ignore=shutil.ignore_patterns("__pycache__"))
    _edit(tmp_path / "queries" / "plan-overview.rq", "SELECT", "SELECT  ")
    monkeypatch.setattr(library, "QUERIES", tmp_path / "queries")


def change_ontology(sources, out, tmp_path, monkeypatch):
    ontology = tmp_path / "healthkg.ttl"
    ontology.write_text(pipeline.ONTOLOGY.read_text(encoding="utf-8")
                        + '\nhk:Task rdfs:comment "A comment added by a test."@en .\n', encoding="utf-8")
    monkeypatch.setattr(pipeline, "ONTOLOGY", ontology)


def copy_of_program(tmp_path, monkeypatch) -> Path:
    """A copy of the package's files stands for the installed package (the stages read their tables,
    ontology and queries from it)."""
    package = tmp_path / "package"
    for path in build_key.package_files():
        copy = package / path.relative_to(build_key.PACKAGE)
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, copy)
    monkeypatch.setattr(build_key, "PACKAGE", package)
    monkeypatch.setattr(tables, "DATA", package / "graph" / "data")
    monkeypatch.setattr(pipeline, "ONTOLOGY", package / "ontology" / "healthkg.ttl")
    monkeypatch.setattr(library, "QUERIES", package / "queries")
    return package


def change_program(sources, out, tmp_path, monkeypatch):
    templates = sorted((copy_of_program(tmp_path, monkeypatch) / "viz" / "templates").glob("*"))
    assert templates
    templates[0].write_text(templates[0].read_text(encoding="utf-8") + "\n", encoding="utf-8")


def change_code(sources, out, tmp_path, monkeypatch):
    module = copy_of_program(tmp_path, monkeypatch) / "graph" / "rdf" / "build.py"
    module.write_text(module.read_text(encoding="utf-8") + "# a comment\n", encoding="utf-8")


def test_a_copy_of_the_unchanged_program_is_up_to_date(sources, out, tmp_path, monkeypatch, no_build, capsys):
    """The control of change_program and change_code: only their change makes the difference."""
    copy_of_program(tmp_path, monkeypatch)
    assert run(sources, out) == 0
    assert capsys.readouterr().out.startswith(UP_TO_DATE)


def edit_output_file(sources, out, tmp_path, monkeypatch):
    _edit(out / "graph" / "healthkg.ttl", "hk:", "hk: ")


def edit_output_file_keeping_its_size(sources, out, tmp_path, monkeypatch):
    path = out / "answers" / "plan-overview.csv"
    data = path.read_bytes()
    index = data.index(b"1")
    path.write_bytes(data[:index] + b"2" + data[index + 1:])


def delete_output_file(sources, out, tmp_path, monkeypatch):
    (out / "views" / "report.html").unlink()


def delete_output_folder(sources, out, tmp_path, monkeypatch):
    shutil.rmtree(out / "exports")


def marker_without_manifest(sources, out, tmp_path, monkeypatch):
    marker = json.loads((out / MARKER).read_text(encoding="utf-8"))
    del marker["files"]
    (out / MARKER).write_text(json.dumps(marker), encoding="utf-8")


def no_cache(sources, out, tmp_path, monkeypatch):
    return ["--no-cache"]


def cache_turned_off(sources, out, tmp_path, monkeypatch):
    monkeypatch.setenv("HEALTHKG_CACHE_DIR", "")


def another_reasoner_option(sources, out, tmp_path, monkeypatch):
    return ["--reasoner", "rules"]


def another_encoding_option(sources, out, tmp_path, monkeypatch):
    return ["--encoding", "gb18030"]


def moved_folder(sources, out, tmp_path, monkeypatch):
    """The report names the folder: a copy elsewhere is built again, so that what it prints is true."""
    shutil.copytree(out, tmp_path / "moved")
    return tmp_path / "moved"


@pytest.mark.parametrize("change", [
    change_plan_text, change_plan_metadata, add_plan, remove_plan, change_table, change_query, change_ontology,
    change_program, change_code, edit_output_file, edit_output_file_keeping_its_size, delete_output_file,
    delete_output_folder, marker_without_manifest, no_cache, cache_turned_off, another_reasoner_option,
    another_encoding_option, moved_folder], ids=lambda change: change.__name__)
def test_any_difference_builds_anew(change, sources, out, tmp_path, monkeypatch, no_build, capsys):
    assert run(sources, out) == 0 and capsys.readouterr().out.startswith(UP_TO_DATE), "the control is up to date"
    changed = change(sources, out, tmp_path, monkeypatch)
    options = changed if isinstance(changed, list) else []
    target = changed if isinstance(changed, Path) else out
    with pytest.raises(Rebuilt):
        run(sources, target, *options)
    assert UP_TO_DATE not in capsys.readouterr().out


def test_an_added_file_is_refused_as_before_and_rebuilt_with_force(sources, out, no_build, capsys):
    (out / "answers" / "mine.txt").write_text("my notes", encoding="utf-8")
    assert run(sources, out) == 2
    assert "mine.txt" in capsys.readouterr().err
    with pytest.raises(Rebuilt):
        run(sources, out, "--force")


def test_an_edited_file_is_rebuilt_to_what_the_build_writes_then_up_to_date(built, sources, out, tmp_path,
                                                                          monkeypatch, capsys):
    shutil.copytree(built["cache"], tmp_path / "cache")
    monkeypatch.setenv("HEALTHKG_CACHE_DIR", str(tmp_path / "cache"))
    report = out / "views" / "report.html"
    written = report.read_bytes()
    report.write_bytes(written.replace(b"<html", b"<html data-edited", 1))
    assert run(sources, out) == 0
    assert not capsys.readouterr().out.startswith(UP_TO_DATE)
    assert report.read_bytes() == written
    pristine = snapshot(built["folder"] / "pristine")
    rebuilt = snapshot(out)
    assert set(rebuilt) == set(pristine)
    assert all(rebuilt[name][1] == pristine[name][1] for name in pristine if name != MARKER)
    assert run(sources, out) == 0
    assert capsys.readouterr().out.startswith(UP_TO_DATE)


def test_update_release_when_up_to_date_copies_the_built_graph(sources, out, no_build, tmp_path, monkeypatch,
                                                               capsys):
    release = tmp_path / "release" / "healthkg.nt"
    monkeypatch.setattr(pipeline, "RELEASE", release)
    assert run(sources, out, "--update-release") == 0
    assert capsys.readouterr().out.startswith(UP_TO_DATE)
    assert release.read_bytes() == (out / "graph" / "healthkg.nt").read_bytes()


def test_the_build_key_covers_the_package_files_only():
    files = build_key.package_files()
    relative = {path.relative_to(build_key.PACKAGE).as_posix() for path in files}
    assert "graph/app/pipeline.py" in relative and "build_graph.py" in relative
    assert any(name.startswith("graph/data/") and name.endswith(".tsv") for name in relative)
    assert any(name.startswith("viz/templates/") for name in relative)
    assert any(name.startswith("queries/") and name.endswith(".rq") for name in relative)
    assert "ontology/healthkg.ttl" in relative
    assert not any(name.startswith(("tests/", ".venv/", "graph/sources/", "graph/release/")) or "__pycache__" in name
                   or name.endswith(".md") for name in relative)
