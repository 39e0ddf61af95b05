"""The Python API (issue 19): its docstring examples run (doctest), no store is empty by accident, ad-hoc SPARQL
and the exports for Gephi and Excel."""
import csv
import doctest
import io
import subprocess
import sys
from collections import Counter

import networkx as nx
import pytest
from conftest import LAIBIN, RELEASE, ROOT

import healthkg
from healthkg.queries import api, exports
from healthkg.queries.stores import OxigraphStore, QuerySyntaxError, RdflibStore

BOM = b"\xef\xbb\xbf"


@pytest.mark.parametrize("module", [healthkg, api], ids=lambda m: m.__name__)
def test_docstring_examples_run(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


def test_root_import_stays_light():
    # importing any part of the package imports the root first: it must not pull in the API and its stores
    done = subprocess.run([sys.executable, "-c", "import sys, healthkg.graph.extract.records; "
                           "print('healthkg.queries.api' in sys.modules, 'pyoxigraph' in sys.modules)"],
                          cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]
    assert healthkg.load is api.load and healthkg.extract is api.extract
    with pytest.raises(AttributeError, match="nope"):
        healthkg.nope  # noqa: B018 - the access is the test


def test_a_store_is_never_empty_by_accident():
    for make in (OxigraphStore, RdflibStore):
        with pytest.raises(TypeError, match="empty"):
            make()
    assert OxigraphStore.empty().select("SELECT * WHERE { ?s ?p ?o }").rows == []
    assert RdflibStore(empty=True).select("SELECT * WHERE { ?s ?p ?o }").rows == []


def test_load_other_sources_and_their_errors(tmp_path):
    assert api.load(RELEASE, store="rdflib").ask("plan-overview")[0]["tasks"] == 30     # 来宾: 30 tasks
    with pytest.raises(healthkg.queries.stores.StoreInputError, match="no graph file"):
        api.load(tmp_path / "missing.nt")
    with pytest.raises(healthkg.queries.stores.StoreInputError, match="not an Oxigraph store|no store"):
        api.load(store_dir=tmp_path / "nothing")


def test_sparql_syntax_error_names_the_users_line_and_column():
    kg = api.load()
    for text, line in (("SELECT ?x WHERE {\n  ?x a hk:Task\n  FILTER (}", 3), ("SELECT ?x WHERE { ?x a nope:X }", 1)):
        with pytest.raises(QuerySyntaxError) as error:
            kg.sparql(text)
        assert error.value.line == line, str(error.value)
        assert f"line {line}," in str(error.value)


def test_rows_to_pandas():
    pandas = pytest.importorskip("pandas")
    frame = api.load().ask("plan-overview").to_pandas()
    assert isinstance(frame, pandas.DataFrame)
    assert dict(zip(frame["city"], frame["tasks"])) == {"来宾市": 30, "柳州市": 60}


def test_extract_gives_the_records():
    records = api.extract(LAIBIN)
    assert records["plan"]["doc_number"] in LAIBIN.read_text(encoding="utf-8") and len(records["tasks"]) == 30


# ---------------------------------------------------------------- exports

@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    folder = tmp_path_factory.mktemp("exports")
    api.load().export(folder)
    return folder


def test_tasks_csv_one_row_per_task(exported):
    raw = (exported / "tasks.csv").read_bytes()
    assert raw.startswith(BOM), "Excel needs the byte-order mark"
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0].keys() == set(exports.TASK_COLUMNS) and list(rows[0]) == exports.TASK_COLUMNS
    # tasks per city, as the gold readings count them: 来宾 30, 柳州 60
    assert Counter(row["city"] for row in rows) == {"来宾市": 30, "柳州市": 60}
    assert len({row["task"] for row in rows}) == 90
    # 来宾 5 "推进医养结合工作"（牵头单位：市卫生健康委；配合单位：市民政局，各县〔市、区〕人民政府）, in 二（二）
    row = next(r for r in rows if r["task"].endswith("laibin-2019-22/task/s2.2-t5"))
    assert (row["section"], row["section_number"], row["number"], row["heading"]) == ("s2.2", "(二)", "5",
                                                                                      "推进医养结合工作")
    assert row["leads"] == "来宾市卫生健康委" and row["cooperating"] == "来宾市民政局、各县(市、区)人民政府"
    assert row["text"].startswith("5.推进医养结合工作。") and "medical" in row["chain_elements"].split()
    source = LAIBIN.read_text(encoding="utf-8")
    assert source[int(row["start"]):int(row["end"])] == row["text"]
    # 柳州 3.2-2 states two targets: 80% of the over-65s with health records, 12 医养结合 service institutions
    liuzhou = next(r for r in rows if r["task"].endswith("liuzhou-2020-9/task/s3.2-t2"))
    assert "12个兼顾康复医疗的医养结合服务机构" in liuzhou["targets"].split("；")


@pytest.mark.parametrize("name", ["body-task", "co-assignment"])
def test_networks_open_in_networkx_with_their_attributes(exported, name):
    gexf, graphml = nx.read_gexf(exported / f"{name}.gexf"), nx.read_graphml(exported / f"{name}.graphml")
    assert sorted(gexf.nodes) == sorted(graphml.nodes) and gexf.number_of_edges() == graphml.number_of_edges() > 0
    body = gexf.nodes["hkd:agency/laibin-health-commission"]
    assert body["label"] == body["label_zh"] == "来宾市卫生健康委" and body["city"] == "来宾市"
    assert body["label_en"] and body["kind"] and "health" in body["function"].split() and body["load"] > 0
    assert "lastmodifieddate" not in (exported / f"{name}.gexf").read_text(encoding="utf-8")   # same bytes every day


def test_body_task_network_links_the_bodies_of_a_task(exported):
    graph = nx.read_gexf(exported / "body-task.gexf")
    task = "hkd:plan/laibin-2019-22/task/s2.2-t5"       # 来宾 5: 市卫生健康委 leads; 市民政局, 各县区 co-operate
    roles = {graph.nodes[n]["label_zh"]: graph.edges[task, n]["role"] for n in graph.neighbors(task)}
    assert roles == {"来宾市卫生健康委": "lead", "来宾市民政局": "cooperating", "各县(市、区)人民政府": "cooperating"}
