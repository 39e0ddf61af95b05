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
    from graph.extract import extract_file

    return extract_file(path)


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
    from queries.stores import OxigraphStore

    return OxigraphStore(RELEASE)


@pytest.fixture(scope="session")
def rdflib_release():
    """The committed release in one rdflib graph for the whole session (parsing it takes about 1 s)."""
    from queries.stores import RdflibStore

    return RdflibStore(RELEASE)
