"""The main job's two checks run alongside its other stages (HermiT's check of the rules engine's
answer, and the validation): the output is swapped in only when both pass, and is written again from
the checking reasoner's answer when that answer entails more."""
import dataclasses
import json
import shutil

import pytest
from conftest import FIXTURES
from rdflib import Graph
from rdflib.namespace import RDF

from healthkg.graph.app import pipeline
from healthkg.graph.app.output_folder import MAIN_JOB, MARKER
from healthkg.graph.check.validate import ShaclResult, ValidationReport
from healthkg.graph.rdf.vocab import HK, HKD
from healthkg.ontology.reasoning import check as hermit_check
from healthkg.ontology.reasoning.result import InconsistentOntology

WUZHOU = FIXTURES / "wuzhou-style.txt"


@pytest.fixture
def sources(tmp_path):
    folder = tmp_path / "src"
    folder.mkdir()
    shutil.copy(WUZHOU, folder / WUZHOU.name)
    return folder


@pytest.fixture
def out(tmp_path):
    """An earlier run's output folder (marked as the main job's, listing its one file)."""
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "earlier.txt").write_text("an earlier run", encoding="utf-8")
    (folder / MARKER).write_text(json.dumps({"kind": MAIN_JOB, "entries": ["earlier.txt"]}), encoding="utf-8")
    return folder


def untouched(out) -> bool:
    leftovers = [p.name for p in out.parent.iterdir() if p.name.startswith(".out") and not p.name.endswith("-lock")]
    return sorted(p.name for p in out.iterdir()) == [MARKER, "earlier.txt"] and not leftovers


def agreeing_checker(prepared, answer, **_):
    return answer


def test_a_checker_entailing_more_has_the_outputs_written_from_its_answer(sources, out, monkeypatch):
    added = []

    def checker(prepared, answer, **_):
        task = sorted(s for s, p, o in prepared.abox if p == RDF.type and o == HK.Task)[0]
        added.append((task, HK.involvesUnit, HKD["agency/wuzhou-health-commission"]))
        assert added[0] not in answer.inferred
        inferred = Graph()
        for triple in [*answer.inferred, added[0]]:
            inferred.add(triple)
        return dataclasses.replace(answer, inferred=inferred, reasoner="a stricter checker")

    monkeypatch.setattr(hermit_check, "check_with_hermit", checker)
    assert pipeline.run_main_job(sources, out) == 0
    task, _, body = added[0]
    line = f"<{task}> <{HK.involvesUnit}> <{body}> ."
    assert line in (out / "graph" / "healthkg.nt").read_text(encoding="utf-8").splitlines()
    assert not (out / "earlier.txt").exists()


def test_an_inconsistency_found_by_the_checker_fails_the_job_and_keeps_the_earlier_output(sources, out, monkeypatch):
    def checker(prepared, answer, **_):
        raise InconsistentOntology("HermiT finds the ontology plus the data inconsistent: test clash")

    monkeypatch.setattr(hermit_check, "check_with_hermit", checker)
    with pytest.raises(pipeline.BuildFailed, match="test clash"):
        pipeline.run_main_job(sources, out)
    assert untouched(out)


def test_a_validation_failure_fails_the_job_and_keeps_the_earlier_output(sources, out, monkeypatch):
    failing = ValidationReport(
        True, [ShaclResult("hkd:plan/x/task/1", "hk:leadUnit", "test: no lead unit", "hks:TaskShape")])
    monkeypatch.setattr(hermit_check, "check_with_hermit", agreeing_checker)
    monkeypatch.setattr(pipeline, "validate", lambda released, ontology, **_: failing)
    with pytest.raises(pipeline.BuildFailed, match="test: no lead unit"):
        pipeline.run_main_job(sources, out)
    assert untouched(out)
