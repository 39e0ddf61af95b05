"""The views as files: self-contained (no external URL, nothing written outside the folder), safe (document
text never parsed as HTML), complete (every node of the graph), and deterministic."""
import base64
import hashlib
import html
import json
import re
from html.parser import HTMLParser

import pytest
from conftest import VIEW_REPORT
from views_fixture import (
    HOSTILE_BODY,
    HOSTILE_BODY_ID,
    HOSTILE_STRINGS,
    HOSTILE_TASK_ID,
    HOSTILE_TASK_TEXT,
    one_city_store,
)

from healthkg.viz import PAGES, write_views
from healthkg.viz.model import GraphData
from healthkg.viz.page import TEMPLATES, ExternalReference, external_references, json_block, render

GRAPH_PAGES = ("knowledge-graph.html", "co-assignment.html", "cities-side-by-side.html")
URL = re.compile(r"(?i)(https?|ftp|wss?):/{2}")


class Page(HTMLParser):
    """Every tag with its attributes, the scripts' text and the data block, as a browser would split them."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags, self.scripts, self.data_blocks, self._script = [], [], [], None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._script = (dict(attrs).get("type"), [])

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            kind, parts = self._script
            (self.data_blocks if kind == "application/json" else self.scripts).append("".join(parts))
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self._script[1].append(data)


def read(path) -> str:
    return path.read_text(encoding="utf-8")


def test_write_views_writes_every_page_and_nothing_in_the_working_directory(hostile_answers, tmp_path,
                                                                           monkeypatch):
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    written = write_views(hostile_answers, tmp_path / "out" / "views")
    assert sorted(p.name for p in written) == sorted(list(PAGES) + ["index.html"])
    assert all(p.parent == tmp_path / "out" / "views" and p.stat().st_size > 0 for p in written)
    assert list(cwd.iterdir()) == [], "a view wrote into the working directory (pyvis's lib/?)"
    assert sorted(p.name for p in (tmp_path / "out" / "views").iterdir()) == sorted(p.name for p in written)


def test_no_page_references_anything_outside_itself(hostile_views):
    for name, path in hostile_views.items():
        text = read(path)
        assert not URL.search(text), f"{name}: {URL.search(text).group(0)!r} spelled out"
        assert external_references(text) == [], name
        page = Page(text)
        for tag, attrs in page.tags:
            for attribute in ("src", "href", "srcset", "action", "data", "poster"):
                value = (attrs.get(attribute) or "").strip()
                if not value:
                    continue
                assert attribute == "href" or value.startswith("data:"), f"{name}: <{tag} {attribute}={value!r}>"
                if attribute == "href":
                    assert value.startswith(("#", "data:")) or re.fullmatch(r"[\w.-]+\.html", value), \
                        f"{name}: <{tag} href={value!r}>"
            assert not (tag == "link" and attrs.get("rel") == "stylesheet"), f"{name}: an external stylesheet"
            assert not (tag == "script" and "src" in attrs), f"{name}: an external script"
        assert "@import" not in text and "url(//" not in text.replace(" ", ""), name
    VIEW_REPORT.append(f"unit: {len(hostile_views)} pages, 0 external URLs (no http(s):// anywhere, "
                       "src/href only data: or sibling pages)")


def test_every_inline_script_is_allowed_by_hash_and_nothing_else(hostile_views):
    for name, path in hostile_views.items():
        text = read(path)
        page = Page(text)
        policy = next(attrs["content"] for tag, attrs in page.tags
                      if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy")
        assert "default-src 'none'" in policy and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
        for script in page.scripts:
            digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
            assert f"'sha256-{digest}'" in policy, f"{name}: a script not in the policy"


def test_hostile_labels_stay_text(hostile_views):
    for name, path in hostile_views.items():
        text = read(path)
        page = Page(text)
        for hostile in HOSTILE_STRINGS:
            assert hostile not in text, f"{name}: {hostile!r} written raw"
        for tag, attrs in page.tags:
            assert not any(a.startswith("on") for a in attrs), f"{name}: <{tag} {attrs}> has an event handler"
            assert tag not in ("img", "iframe", "svg") or name == "report.html" and tag == "svg", f"{name}: <{tag}>"
            assert not any("javascript:" in (v or "") for v in attrs.values()), f"{name}: javascript: URL"
        # The data reaches the page intact, as text: every hostile string round-trips through the JSON block.
        if name in GRAPH_PAGES:
            (block,) = page.data_blocks
            assert "<" not in block and ">" not in block and "&" not in block
            data = json.loads(block)
            flat = json.dumps(data, ensure_ascii=False)
            assert data["bodies"][HOSTILE_BODY_ID]["zh"] == HOSTILE_BODY
            assert json.dumps(HOSTILE_BODY, ensure_ascii=False) in flat
    kg = json.loads(Page(read(hostile_views["knowledge-graph.html"])).data_blocks[0])
    assert kg["tasks"][HOSTILE_TASK_ID]["text"] == HOSTILE_TASK_TEXT
    assert kg["bodies"][HOSTILE_BODY_ID]["zh"] == HOSTILE_BODY
    report = read(hostile_views["report.html"])
    assert html.escape(HOSTILE_BODY) in report, "the report shows the hostile body name, escaped"
    assert "<script" not in report.lower()
    VIEW_REPORT.append(f"unit: hostile labels ({len(HOSTILE_STRINGS)} strings, e.g. {HOSTILE_BODY}) written as "
                       "escaped text / JSON only; no event-handler attribute in any page")


def test_the_knowledge_graph_draws_every_node_of_the_graph(hostile_answers, hostile_views):
    data = GraphData.from_store(hostile_answers.store)
    block = json.loads(Page(read(hostile_views["knowledge-graph.html"])).data_blocks[0])
    counts = {}
    for kind, query in (("plan", "hk:Plan"), ("section", "hk:Section"), ("task", "hk:Task"), ("target", "hk:Target")):
        rows = hostile_answers.store.select(
            "PREFIX hk: <https://w3id.org/healthkg/ontology#> "
            f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a {query} }}").rows
        counts[kind] = rows[0][0]
    assert {k: data.counts()[k] for k in counts} == counts
    assert data.counts()["body"] == len({a for a, in hostile_answers.store.select(
        "PREFIX hk: <https://w3id.org/healthkg/ontology#> SELECT DISTINCT ?a WHERE { ?x hk:assignedUnit ?a }").rows})
    assert len(block["nodes"]) == sum(data.counts().values())
    assert len({n["id"] for n in block["nodes"]}) == len(block["nodes"])
    ids = {n["id"] for n in block["nodes"]}
    assert all(e["from"] in ids and e["to"] in ids for e in block["edges"])
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in block["nodes"]), "a precomputed layout"
    co = json.loads(Page(read(hostile_views["co-assignment.html"])).data_blocks[0])
    network = hostile_answers.network
    assert len(co["nodes"]) == sum(network.projection(c).number_of_nodes() for c in network.cities)
    side = json.loads(Page(read(hostile_views["cities-side-by-side.html"])).data_blocks[0])
    first, second = hostile_answers.comparison.function_sets()
    assert side["shown"] == sorted(first & second)
    VIEW_REPORT.append(f"unit: knowledge graph {len(block['nodes'])} nodes ({data.counts()}) = the store's; "
                       f"co-assignment {len(co['nodes'])} bodies; side by side {len(side['shown'])} shared functions")


def test_views_are_deterministic(hostile_answers, tmp_path):
    first = write_views(hostile_answers, tmp_path / "a")
    second = write_views(hostile_answers, tmp_path / "b")
    for a, b in zip(first, second):
        assert read(a) == read(b), a.name


def test_one_city_gets_every_view_without_a_comparison(tmp_path):
    from healthkg.queries.answers import Answers

    answers = Answers(one_city_store())
    assert answers.comparison is None
    written = {p.name: p for p in write_views(answers, tmp_path)}
    side = json.loads(Page(read(written["cities-side-by-side.html"])).data_blocks[0])
    assert side["single"] and side["cities"] == ["来宾市"] and side["shown"]
    assert "one city in the graph" in read(written["report.html"])


@pytest.mark.parametrize("text", ["</script><script>alert(1)</script>", "a & b <!-- c", "\u2028", "http://x.org/a"])
def test_json_block_cannot_end_its_script_or_name_a_url(text):
    block = json_block({"t": text})
    assert json.loads(block) == {"t": text}
    assert not re.search(r"[<>&\u2028]", block) and not URL.search(block)


def test_external_references_finds_every_form_and_nothing_else():
    # Each form a browser would fetch from elsewhere, in several spellings; then near misses it would not.
    fetched = ["HTTP://a.org", "https://b.org", "ftp://c.org", "ws://d.org", "WSS://e.org", "src = '//f.org'",
               'srcset=//g.org', "Href=  //h.org", 'action="//i.org"', 'url( "//j.org")', "url(//k.org)"]
    harmless = ["https:/l.org", "href=/m", "//n.org", "src=./o.js", "url(p.png)", "data:text/plain,q"]
    text = " ".join(harmless[:3] + fetched + harmless[3:])
    found = external_references(text)
    assert len(found) == len(fetched), found
    for form, context in zip(fetched, found):    # in page order, each with its surroundings
        assert form[:form.index("//") + 2] in context, (form, context)
    assert external_references(" ".join(harmless)) == []


def test_tasks_per_body_counts_each_task_once_per_body():
    data = GraphData()
    data.tasks = {"t1": {"lead": ["a"], "cooperating": ["b", "c"]},
                  "t2": {"lead": ["a", "b"], "cooperating": ["a"]},      # a leads and co-operates: one task
                  "t3": {"lead": [], "cooperating": ["c"]}}
    assert data.tasks_per_body() == {"a": 2, "b": 2, "c": 2}
    assert all(len(data.tasks_of_body(body)) == n for body, n in data.tasks_per_body().items())


@pytest.mark.parametrize("text", ["src=//host/x.js", "url(//host/y)", "href = '//host'", "a///b", "\\//x"])
def test_document_text_with_scheme_relative_references_stays_text(text):
    # plan text is data: shown with textContent, it is no reference, and the page must still be built
    shown = TEMPLATES.from_string('{% extends "base.html" %}{% block body %}<p>{{ text }}</p>{% endblock %}')
    page = render(shown, "t", data={"t": text}, text=text)
    assert external_references(page) == []
    assert json.loads(json_block({"t": text})) == {"t": text}
    assert html.unescape(re.search(r"<p>(.*?)</p>", page).group(1)) == text
    # the page's own code naming an external resource is still caught
    with pytest.raises(ExternalReference):
        render(TEMPLATES.from_string('{% extends "base.html" %}{% block body %}<img src="//host/x.png">{% endblock %}'),
               "t")


def test_a_restated_target_hangs_on_every_task_that_states_it():
    # 柳州: 10个老年人宜居社区 in the goals part, in 3.1-1 (到2022年,全面完成…建成10个老年人宜居社区) and in 3.1-2
    # (到2022年,建成10个老年人宜居社区): one target, drawn beside both tasks
    from conftest import RELEASE

    from healthkg.queries.stores import OxigraphStore
    from healthkg.viz import knowledge_graph
    from healthkg.viz.model import GraphData

    data = GraphData.from_store(OxigraphStore(RELEASE))
    found = [t for t, info in data.targets.items() if info["city"] == "柳州市" and "宜居社区" in info["indicator"]]
    assert len(found) == 1
    tasks = data.targets[found[0]]["tasks"]
    assert [t.rsplit("/", 1)[-1] for t in tasks] == ["s3.1-t1", "s3.1-t2"]
    edges = {(e["from"], e["to"]) for e in knowledge_graph.build(data)["edges"]}
    assert {(found[0], task) for task in tasks} <= edges
