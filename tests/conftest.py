"""Shared fixtures: the bundled plans and their extracted records (computed once per session)."""
from functools import lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "graph" / "sources"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
LAIBIN = SOURCES / "laibin-2019-laizhengfa-22.txt"
LIUZHOU = SOURCES / "liuzhou-2020-liuzhenggui-9.txt"


@lru_cache(maxsize=None)
def extract_records(path: Path) -> dict:
    from healthkg.graph.extract.records import extract_file

    return extract_file(path)


@pytest.fixture(scope="session", autouse=True)
def session_result_cache(tmp_path_factory):
    """Main jobs run by module- and session-scoped fixtures keep verified results (graph/result_cache.py)
    in the session's temporary folder, never in the user's cache."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HEALTHKG_CACHE_DIR", str(tmp_path_factory.mktemp("healthkg-cache")))
        yield


@pytest.fixture(autouse=True)
def own_result_cache(tmp_path, monkeypatch):
    """Each test's main jobs (in process or run as a command) keep verified results in a cache of its own:
    no test reuses another's HermiT verdict."""
    monkeypatch.setenv("HEALTHKG_CACHE_DIR", str(tmp_path / "healthkg-cache"))


@pytest.fixture(scope="session")
def laibin() -> dict:
    return extract_records(LAIBIN)


@pytest.fixture(scope="session")
def liuzhou() -> dict:
    return extract_records(LIUZHOU)


def source_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


# ---------------------------------------------------------------- the committed release graph, loaded once

RELEASE = ROOT / "graph" / "release" / "healthkg.nt"


@pytest.fixture(scope="session")
def release_store():
    """The committed release in the embedded Oxigraph store (in memory)."""
    from healthkg.queries.stores import OxigraphStore

    return OxigraphStore(RELEASE)


@pytest.fixture(scope="session")
def rdflib_release():
    """The committed release in one rdflib graph for the whole session (parsing it takes about 1 s)."""
    from healthkg.queries.stores import RdflibStore

    return RdflibStore(RELEASE)


# -- views -------------------------------------------------------------------------------------------
# Lines the view and browser tests report (pages, node counts, requests, console errors, screenshots),
# printed at the end of the run whatever pytest's capture mode.
VIEW_REPORT: list[str] = []


def pytest_sessionfinish(session):
    output = getattr(session.config, "workeroutput", None)
    if output is not None:              # a pytest-xdist worker: its lines go to the controller, which prints
        output["view_report"] = list(VIEW_REPORT)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """pytest-xdist's controller, as each worker ends: its view lines."""
    VIEW_REPORT.extend(getattr(node, "workeroutput", {}).get("view_report", []))


def pytest_terminal_summary(terminalreporter):
    if VIEW_REPORT:
        terminalreporter.section("views")
        for line in VIEW_REPORT:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def hostile_answers():
    """Answers over the release graph with hostile labels (see tests/views_fixture.py)."""
    from views_fixture import hostile_store

    from healthkg.queries.answers import Answers

    return Answers(hostile_store())


@pytest.fixture(scope="session")
def hostile_views(hostile_answers, tmp_path_factory):
    """The views of the hostile answers, written once: {file name: path}."""
    from healthkg.viz import write_views

    folder = tmp_path_factory.mktemp("views")
    return {path.name: path for path in write_views(hostile_answers, folder)}
