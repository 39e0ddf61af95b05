"""The committed release (graph/release/healthkg.nt) is what a fresh build of the bundled plans gives."""
import os
import subprocess
import sys
from functools import lru_cache

import pytest
from conftest import ROOT, SOURCES

from healthkg.graph.app import pipeline
from healthkg.graph.app.output_folder import MARKER
from healthkg.graph.rdf.serialize import serialisations


@lru_cache(maxsize=None)
def fresh_build():
    return pipeline.build(SOURCES)


def test_fresh_build_equals_the_committed_release():
    built = serialisations(fresh_build().released)["nt"]
    committed = pipeline.RELEASE.read_text(encoding="utf-8")
    if built != committed:
        new, old = set(built.splitlines()), set(committed.splitlines())
        sample = sorted(new - old)[:5] + sorted(old - new)[:5]
        raise AssertionError(f"{len(new - old)} triples added, {len(old - new)} removed; e.g. {sample}. "
                             "If the change is intended: python build_graph.py --update-release")


def test_build_validates_with_zero_violations():
    report = fresh_build().validation
    assert report.conforms, report.to_text()


@pytest.fixture(scope="module")
def main_jobs(tmp_path_factory) -> dict:
    """The main job run twice, under two string-hash seeds: Python orders sets and dicts of strings
    differently in every process, and the outputs must not show it."""
    runs = {}
    for seed in ("1", "2"):
        folder = tmp_path_factory.mktemp(f"hash-seed-{seed}")
        out = folder / "out"
        # a result cache of its own: each run computes everything, nothing is reused from another run
        done = subprocess.run([sys.executable, "build_graph.py", "--out", str(out)], cwd=ROOT, capture_output=True,
                              text=True, timeout=600, env={**os.environ, "PYTHONHASHSEED": seed,
                                                           "HEALTHKG_CACHE_DIR": str(folder / "cache")})
        assert done.returncode == 0, done.stderr
        runs[seed] = (done, out)
    return runs


def test_main_job_writes_every_release_file(main_jobs):
    done, out = main_jobs["1"]
    for name in ("graph/healthkg.ttl", "graph/healthkg.nt", "graph/healthkg.jsonld", "ontology/healthkg.ttl",
                 "ontology/index.html", "validation-report.md", "records/laibin-2019-22.json",
                 "answers/coordinating-load-by-function.csv", "views/knowledge-graph.html", "views/report.html"):
        assert (out / name).stat().st_size > 0, name
    assert "inferred by the rules engine, confirmed by HermiT" in done.stdout, done.stdout


def test_main_job_outputs_are_byte_identical_whatever_the_hash_seed(main_jobs):
    (_, first), (_, second) = main_jobs["1"], main_jobs["2"]
    # The output folder's marker records when the build ran and the report it printed (with its timings).
    files = sorted(path.relative_to(first) for path in first.rglob("*") if path.is_file()
                   and path.name != MARKER)
    assert files == sorted(path.relative_to(second) for path in second.rglob("*") if path.is_file()
                           and path.name != MARKER)
    assert len(files) > 20
    differing = [str(name) for name in files if (first / name).read_bytes() != (second / name).read_bytes()]
    assert not differing, differing
