"""The committed release (graph/release/healthkg.nt) is what a fresh build of the bundled plans gives."""
import subprocess
import sys
from functools import lru_cache

from conftest import ROOT, SOURCES
from graph import pipeline
from graph.serialize import serialisations


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


def test_main_job_writes_every_release_file(tmp_path):
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "build_graph.py", "--out", str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    for name in ("graph/healthkg.ttl", "graph/healthkg.nt", "graph/healthkg.jsonld", "ontology/healthkg.ttl",
                 "ontology/index.html", "validation-report.md", "records/laibin-2019-22.json",
                 "answers/coordinating-load-by-function.csv", "views/knowledge-graph.html", "views/report.html"):
        assert (out / name).stat().st_size > 0, name
    assert "inferred by the rules engine, confirmed by HermiT" in done.stdout, done.stdout
