"""Bad input in the plans' folder: a clear one-line error naming the file, exit code 2, and the previous output
left as it was (issue 14, item 7). Also the encodings: `--encoding` for the main job and `build`, and per plan
in its metadata file.
"""
import hashlib
import json
import os
import shutil

import pytest
from conftest import FIXTURES, LAIBIN, LIUZHOU

from healthkg import build_graph

WUZHOU = FIXTURES / "wuzhou-style.txt"


def snapshot(folder):
    """Every file under the folder with a digest of its bytes."""
    return {str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.fixture(scope="module")
def previous_output(tmp_path_factory):
    """A finished main-job output (the bundled plans), built once; each test checks it is untouched."""
    out = tmp_path_factory.mktemp("previous") / "out"
    assert build_graph.main(["--out", str(out)]) == 0
    return out, snapshot(out)


@pytest.fixture
def sources(tmp_path):
    """A copy of the bundled plans and their metadata files."""
    folder = tmp_path / "sources"
    folder.mkdir()
    for plan in (LAIBIN, LIUZHOU):
        shutil.copyfile(plan, folder / plan.name)
        shutil.copyfile(plan.with_suffix(".meta.json"), folder / plan.with_suffix(".meta.json").name)
    return folder


def fails_cleanly(capsys, previous_output, sources, *names, options=()):
    """Run the main job on the sources into the previous output; return its error line."""
    out, before = previous_output
    capsys.readouterr()
    code = build_graph.main(["--sources", str(sources), "--out", str(out), *options])
    err = capsys.readouterr().err.strip()
    assert code == 2, err
    assert err.startswith("error: ") and "\n" not in err and "Traceback" not in err, err
    for name in names:
        assert str(sources / name) in err, (name, err)
    assert snapshot(out) == before
    return err


@pytest.mark.parametrize("content, complaint", [
    ('{"source_url": "http://x", ', "not valid JSON"),
    ("[1, 2]", "must hold a JSON object"),
    ('{"period": "2019-2021"}', '"period" must be'),
    ('{"period": {"start": "2019", "end": 2021}}', '"period" must be'),
    ('{"period": {"start": 2021, "end": 2019}}', '"period" must be'),
    ('{"source_url": 42}', '"source_url" must be a string'),
    ('{"encoding": ["utf-8"]}', '"encoding" must be a string'),
    ('{"encoding": "utf-9"}', "unknown text encoding 'utf-9'"),
], ids=["truncated", "list", "period-string", "period-year-string", "period-reversed", "url-number",
        "encoding-list", "encoding-unknown"])
def test_malformed_metadata_file(capsys, previous_output, sources, content, complaint):
    meta = LIUZHOU.with_suffix(".meta.json").name
    (sources / meta).write_text(content, encoding="utf-8")
    err = fails_cleanly(capsys, previous_output, sources, meta)
    assert complaint in err


def test_metadata_file_not_utf8(capsys, previous_output, sources):
    meta = LAIBIN.with_suffix(".meta.json").name
    (sources / meta).write_bytes('{"notes": "来宾"}'.encode("gbk"))
    assert "UTF-8" in fails_cleanly(capsys, previous_output, sources, meta)


def test_folder_named_like_a_plan(capsys, previous_output, sources):
    (sources / "x.txt").mkdir()
    assert "not a file" in fails_cleanly(capsys, previous_output, sources, "x.txt")


def test_dangling_link_named_like_a_plan(capsys, previous_output, sources):
    os.symlink(sources / "gone.txt", sources / "link.txt")
    err = fails_cleanly(capsys, previous_output, sources, "link.txt")
    assert "does not exist" in err and "gone.txt" in err


def test_utf16_plan_without_byte_order_mark(capsys, previous_output, sources):
    (sources / "wuzhou.txt").write_bytes(WUZHOU.read_text(encoding="utf-8").encode("utf-16-le"))
    err = fails_cleanly(capsys, previous_output, sources, "wuzhou.txt")
    assert "--encoding" in err and "wuzhou.meta.json" in err


def test_encoding_named_in_metadata_file_that_does_not_fit(capsys, previous_output, sources):
    (sources / "wuzhou.txt").write_bytes(WUZHOU.read_text(encoding="utf-8").encode("utf-16-le"))
    (sources / "wuzhou.meta.json").write_text('{"encoding": "gbk"}', encoding="utf-8")
    err = fails_cleanly(capsys, previous_output, sources, "wuzhou.txt")
    assert "not gbk text" in err and "wuzhou.meta.json" in err


def test_duplicate_plan_id_names_both_files(capsys, previous_output, sources):
    shutil.copyfile(LAIBIN, sources / "zz-copy.txt")
    err = fails_cleanly(capsys, previous_output, sources, LAIBIN.name, "zz-copy.txt")
    assert "laibin-2019-22" in err


def test_unknown_encoding_option(capsys, previous_output, sources):
    out, before = previous_output
    with pytest.raises(SystemExit) as exit_:
        build_graph.main(["--encoding", "klingon", "--sources", str(sources), "--out", str(out)])
    assert exit_.value.code == 2
    assert "unknown text encoding 'klingon'" in capsys.readouterr().err
    assert snapshot(out) == before


def test_corpus_build_on_a_utf16_plan(capsys, tmp_path):
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "wuzhou.txt").write_bytes(WUZHOU.read_text(encoding="utf-8").encode("utf-16-le"))
    store = tmp_path / "store"
    code = build_graph.main(["build", "--sources", str(sources), "--store-dir", str(store), "--jobs", "1"])
    err = capsys.readouterr().err
    assert code == 2 and str(sources / "wuzhou.txt") in err and "--encoding" in err, err
    assert not store.exists()
    assert build_graph.main(["build", "--sources", str(sources), "--store-dir", str(store), "--jobs", "1",
                             "--encoding", "utf-16-le"]) == 0
    # 10 numbered tasks in 二、 and the bracketed paragraph of 保障措施 (二): 11 brackets in all
    assert "1 plans, 11 tasks" in capsys.readouterr().out


# -- encodings that work ----------------------------------------------------------------------------------

def test_utf16_with_byte_order_mark_is_detected(tmp_path):
    from healthkg.graph.extract.records import extract_file

    plan = tmp_path / "wuzhou.txt"
    plan.write_bytes(WUZHOU.read_text(encoding="utf-8").encode("utf-16"))
    records = extract_file(plan)
    assert records["plan"]["encoding"] == "utf-16"
    assert records["tasks"] == extract_file(WUZHOU)["tasks"]


def test_encoding_from_metadata_file_beats_the_option(tmp_path):
    """The metadata file speaks for its plan; --encoding for the plans whose metadata says nothing."""
    from healthkg.graph.extract.records import extract_file

    plan = tmp_path / "wuzhou.txt"
    plan.write_bytes(WUZHOU.read_text(encoding="utf-8").encode("utf-16-le"))
    (tmp_path / "wuzhou.meta.json").write_text(json.dumps({"encoding": "utf-16-le"}), encoding="utf-8")
    records = extract_file(plan, "gbk")
    assert records["plan"]["encoding"] == "utf-16-le"
    assert records["tasks"] == extract_file(WUZHOU)["tasks"]


def test_main_job_with_encoding_option(tmp_path, capsys):
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "wuzhou.txt").write_bytes(WUZHOU.read_text(encoding="utf-8").encode("utf-16-le"))
    out = tmp_path / "out"
    assert build_graph.main(["--encoding", "utf-16-le", "--sources", str(sources), "--out", str(out)]) == 0
    records = json.loads(next((out / "records").glob("*.json")).read_text(encoding="utf-8"))
    assert records["plan"]["encoding"] == "utf-16-le" and len(records["tasks"]) == 11
