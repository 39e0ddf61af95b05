"""The views in a real browser: Debian's Chromium (/usr/bin/chromium) driven by Playwright, offline.

Every page must load from file:// with no console error and no request outside file://, draw as many
nodes as the graph has, filter, keep hostile text inert, and be still within seconds at 2,000 nodes.
Every wait is bounded: a page that called alert() would otherwise hang a screenshot forever.
Screenshots go to $HEALTHKG_SCREENSHOTS if set, else to pytest's temporary folder; their paths are printed.
"""
import csv
import io
import json
import os
import time
from pathlib import Path

import pytest
from conftest import VIEW_REPORT
from PIL import Image
from views_fixture import (
    HOSTILE_BODY,
    HOSTILE_BODY_ID,
    HOSTILE_TASK_ID,
    HOSTILE_TASK_TEXT,
    SYNTHETIC_COUNTS,
    synthetic_store,
)

from healthkg.viz.model import GraphData

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
WAIT_MS = 15_000
GRAPH_PAGES = ("knowledge-graph.html", "co-assignment.html", "cities-side-by-side.html")

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="Debian's chromium is not installed (/usr/bin/chromium missing): "
                                       "apt-get install chromium fonts-wqy-microhei")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True,
                                              timeout=WAIT_MS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("HEALTHKG_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Visit:
    """One page opened offline, with its console errors, non-file requests and dialogs recorded."""

    def __init__(self, browser, path: Path, viewport=(1400, 900)):
        self.context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, offline=True)
        self.context.set_default_timeout(WAIT_MS)
        self.page = self.context.new_page()
        self.errors, self.external, self.dialogs = [], [], []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))
        self.page.on("request", lambda r: None if r.url.startswith(("file:", "data:", "about:", "blob:"))
                     else self.external.append(r.url))
        self.page.on("dialog", self._dialog)
        started = time.perf_counter()
        self.page.goto(path.as_uri(), wait_until="load", timeout=WAIT_MS)
        if path.name in GRAPH_PAGES or path.name.startswith("synthetic"):
            self.page.wait_for_function("window.hkReady === true", timeout=WAIT_MS)
        self.seconds = time.perf_counter() - started

    def _dialog(self, dialog):
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def eval(self, script, arg=None):
        return self.page.evaluate(script, arg)

    def shot(self, folder: Path, name: str, full_page: bool = False) -> Path:
        path = folder / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=full_page, timeout=WAIT_MS)
        return path

    def close(self):
        self.context.close()


def test_every_page_loads_offline_clean_and_draws_every_node(browser, hostile_views, hostile_answers, screenshots):
    expected = {
        "knowledge-graph.html": [len(json.loads(_data_block(hostile_views["knowledge-graph.html"]))["nodes"])],
        "co-assignment.html": [sum(hostile_answers.network.projection(c).number_of_nodes()
                                   for c in hostile_answers.network.cities)],
        "cities-side-by-side.html": [len(set.intersection(*hostile_answers.comparison.function_sets()))] * 2,
    }
    for name, path in sorted(hostile_views.items()):
        visit = Visit(browser, path)
        try:
            drawn = None
            if name in GRAPH_PAGES:
                drawn = visit.eval("hk.views.map(v => [v.drawn(), v.expected, v.nodes.length])")
                assert [d[0] for d in drawn] == expected[name], (name, drawn)
                assert all(d[0] == d[1] == d[2] for d in drawn), (name, drawn)
            else:
                assert visit.eval("document.body.innerText.length") > 100
            shot = visit.shot(screenshots, path.stem, full_page=name == "report.html")
            assert visit.errors == [], (name, visit.errors)
            assert visit.external == [], (name, visit.external)
            assert visit.dialogs == [], (name, visit.dialogs)
            VIEW_REPORT.append(f"browser: {name:<26} loaded in {visit.seconds:.2f} s; nodes drawn "
                               f"{[d[0] for d in drawn] if drawn else '-'} (graph {expected.get(name, '-')}); "
                               f"external requests {len(visit.external)}; console errors {len(visit.errors)}; "
                               f"dialogs {len(visit.dialogs)}; screenshot {shot}")
        finally:
            visit.close()


def test_filtering_by_a_body_shows_its_tasks(browser, hostile_views, hostile_answers):
    from healthkg.viz.model import GraphData

    data = GraphData.from_store(hostile_answers.store)
    body = "hkd:agency/laibin-civil-affairs-bureau"
    visit = Visit(browser, hostile_views["knowledge-graph.html"])
    try:
        before = visit.eval("hkView.drawn()")
        visit.page.select_option("#filter-body", body, timeout=WAIT_MS)
        after = visit.eval("hkView.drawn()")
        tasks = set(visit.eval("hkView.visibleTasks()"))
        assert tasks == data.tasks_of_body(body) and tasks
        assert after < before
        visit.page.select_option("#filter-city", "柳州市", timeout=WAIT_MS)
        assert visit.eval("hkView.drawn()") == 0 or visit.eval("hkView.visibleTasks().length") == 0
        visit.page.click("#reset", timeout=WAIT_MS)
        assert visit.eval("hkView.drawn()") == before
        # Clicking a body highlights its tasks: they keep their colour, the rest is dimmed.
        lit = _click_node(visit, body)
        assert lit == {body} | data.tasks_of_body(body), lit ^ ({body} | data.tasks_of_body(body))
        assert visit.errors == [] and visit.dialogs == []
        VIEW_REPORT.append(f"browser: knowledge graph filtered by body {body}: {before} -> {after} nodes drawn, "
                           f"{len(tasks)} tasks (= the body's tasks); clicking it highlights {len(lit) - 1} tasks")
    finally:
        visit.close()
    visit = Visit(browser, hostile_views["co-assignment.html"])
    try:
        before = visit.eval("hkView.drawn()")
        visit.page.select_option("#filter-city", "来宾市", timeout=WAIT_MS)
        after = visit.eval("hkView.drawn()")
        assert after == hostile_answers.network.projection("来宾市").number_of_nodes() < before
        VIEW_REPORT.append(f"browser: co-assignment filtered by city 来宾市: {before} -> {after} bodies drawn")
    finally:
        visit.close()


def test_side_by_side_sizes_are_the_answers(browser, hostile_views, hostile_answers):
    from healthkg.queries import load

    visit = Visit(browser, hostile_views["cities-side-by-side.html"])
    try:
        shown = visit.eval("hkCounts")
        for city in hostile_answers.comparison.first, hostile_answers.comparison.second:
            answer = {row["function"]: row for row in load.by_function(hostile_answers.store, city=city).as_dicts()}
            assert shown[city]["functions"], city
            for function, counts in shown[city]["functions"].items():
                row = answer[function]
                assert (counts["lead"], counts["cooperating"], counts["load"]) == (
                    row["lead"], row["cooperating"], row["load_index"]), (city, function)
        per_city = len(shown[hostile_answers.comparison.first]["functions"])
        VIEW_REPORT.append(f"browser: side by side: {per_city} functions "
                           "per city sized as coordinating-load-by-function (city=...) answers")
    finally:
        visit.close()


def test_hostile_text_runs_nothing_and_shows_as_text(browser, hostile_views, screenshots):
    visit = Visit(browser, hostile_views["knowledge-graph.html"])
    try:
        options = visit.eval("[...document.querySelectorAll('#filter-body option')].map(o => o.textContent)")
        assert f"{HOSTILE_BODY} · 来宾市" in options
        visit.page.select_option("#filter-body", HOSTILE_BODY_ID, timeout=WAIT_MS)
        visit.page.click("#reset", timeout=WAIT_MS)
        tip = _hover_node(visit, HOSTILE_TASK_ID)
        assert "<script>alert(1)</script>" in tip and 'href="javascript:alert(3)"' in tip
        assert HOSTILE_BODY in tip, "the tooltip names the hostile body as text"
        assert "Laibin Civil Affairs Bureau" in tip and "Civil Affairs" in tip, "English labels of bodies, functions"
        shot = visit.shot(screenshots, "knowledge-graph-hostile-tooltip")
        injected = visit.eval("document.querySelectorAll('img, iframe, #hk-tip script, #hk-tip a').length")
        visit.page.wait_for_timeout(300)       # an onerror would have fired by now
        assert injected == 0 and visit.dialogs == [] and visit.errors == [], (injected, visit.dialogs, visit.errors)
        VIEW_REPORT.append(f"browser: hostile fixture: body option and task tooltip show '{HOSTILE_BODY}' and "
                           f"'<script>alert(1)</script>' as text; dialogs {len(visit.dialogs)}; "
                           f"injected elements {injected}; screenshot {shot}")
    finally:
        visit.close()
    for name in ("co-assignment.html", "cities-side-by-side.html", "report.html"):
        visit = Visit(browser, hostile_views[name])
        try:
            visit.page.wait_for_timeout(200)
            assert HOSTILE_BODY in visit.eval(
                "document.body.innerText + [...document.querySelectorAll('option')].map(o => o.textContent).join()")
            assert visit.eval("document.querySelectorAll('img, iframe').length") == 0
            assert visit.dialogs == [] and visit.errors == [], (name, visit.dialogs, visit.errors)
        finally:
            visit.close()


def test_the_report_renders_chinese_glyphs(browser, hostile_views):
    visit = Visit(browser, hostile_views["report.html"])
    try:
        labels = visit.eval("[...document.querySelectorAll('svg text')].map(t => t.textContent)"
                            ".filter(t => /[\\u4e00-\\u9fff]/.test(t)).length")
        assert labels > 20
        # Two different characters drawn in the report's fonts differ: no identical empty boxes (tofu).
        distinct = visit.eval("""() => {
            const family = getComputedStyle(document.querySelector('svg')).fontFamily;
            const canvas = document.createElement('canvas'); canvas.width = canvas.height = 40;
            const g = canvas.getContext('2d');
            const draw = ch => { g.clearRect(0, 0, 40, 40); g.font = '30px ' + family; g.fillText(ch, 3, 33);
                                 return g.getImageData(0, 0, 40, 40).data.join(','); };
            return [draw('健') !== draw('康'), draw('养') !== draw('医'), family];
        }""")
        assert distinct[0] and distinct[1], f"CJK characters render as identical boxes in {distinct[2]}"
        VIEW_REPORT.append(f"browser: report: {labels} SVG labels in Chinese, glyphs distinct (font {distinct[2]})")
    finally:
        visit.close()


def test_two_thousand_nodes_become_still_within_seconds(browser, tmp_path, screenshots):
    from healthkg.viz import knowledge_graph
    from healthkg.viz.model import GraphData

    started = time.perf_counter()
    data = GraphData.from_store(synthetic_store(tmp_path))
    assert data.counts() == SYNTHETIC_COUNTS and sum(data.counts().values()) == 2000
    path = tmp_path / "synthetic-2000.html"
    path.write_text(knowledge_graph.page(data, title="2,000 synthetic nodes"), encoding="utf-8")
    built = time.perf_counter() - started
    visit = Visit(browser, path)
    try:
        still = visit.eval("""() => new Promise(resolve => {
            const positions = () => JSON.stringify(hkView.network.getPositions());
            let last = positions(), checks = 0;
            const timer = setInterval(() => {
                const now = positions(); checks += 1;
                if (now === last) { clearInterval(timer); resolve({still: performance.now(), checks: checks}); }
                else if (checks > 100) { clearInterval(timer); resolve({still: null, checks: checks}); }
                last = now;
            }, 250);
        })""")
        drawn = visit.eval("hkView.drawn()")
        assert drawn == 2000
        assert still["still"] is not None, "the 2,000-node view kept moving"
        shot = visit.shot(screenshots, "synthetic-2000")
        assert visit.errors == [] and visit.external == []
        VIEW_REPORT.append(f"browser: synthetic view: {drawn} nodes drawn; page built in {built:.2f} s (Python), "
                           f"loaded and drawn in {visit.seconds:.2f} s, still {still['still'] / 1000:.2f} s after "
                           f"navigation start; screenshot {shot}")
    finally:
        visit.close()


def _data_block(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    opening = '<script type="application/json" id="hk-data">'
    start = text.index(opening) + len(opening)
    return text[start:text.index("</script>", start)]


def _node_on_screen(visit: Visit, node: str) -> tuple[float, float]:
    return tuple(visit.eval("""id => {
        const network = hkView.network;
        network.focus(id, {scale: 1.6, animation: false});
        const dom = network.canvasToDOM(network.getPosition(id));
        const box = network.body.container.getBoundingClientRect();
        return [box.left + dom.x, box.top + dom.y];
    }""", node))


def _hover_node(visit: Visit, node: str) -> str:
    x, y = _node_on_screen(visit, node)
    visit.page.mouse.move(x - 30, y - 30)
    visit.page.mouse.move(x, y, steps=5)
    visit.page.wait_for_function("document.getElementById('hk-tip').style.display === 'block'", timeout=WAIT_MS)
    return visit.eval("document.getElementById('hk-tip').textContent")


def _click_node(visit: Visit, node: str) -> set[str]:
    x, y = _node_on_screen(visit, node)
    visit.page.mouse.click(x, y)
    visit.page.wait_for_function("id => hkView.network.getSelectedNodes().includes(id)", arg=node, timeout=WAIT_MS)
    return set(visit.eval("hkView.nodes.get({filter: n => n.color !== hk.DIM_NODE}).map(n => n.id)"))


# ---------------------------------------------------------------- working in the views: search, exports, labels
# Read in the plans: no plan text spells 来宾市民政局 (the body's name comes from its alignment, bodies.tsv), and
# 秋澜 occurs once, in 柳州 3.3-6 (依托柳州市中医医院和秋澜医养中心).
CIVIL_AFFAIRS = "hkd:agency/laibin-civil-affairs-bureau"
QIULAN_TASK = "hkd:plan/liuzhou-2020-9/task/s3.3-t6"


def _search(visit: Visit, text: str) -> list[str]:
    visit.page.fill("#search", text)
    visit.page.press("#search", "Enter")
    return sorted(visit.eval("hkView.network.getSelectedNodes()"))


def _offset_from_centre(visit: Visit, node: str) -> float:
    return visit.eval("""id => {
        const network = hkView.network, dom = network.canvasToDOM(network.getPosition(id));
        const box = hkView.container.getBoundingClientRect();
        return Math.hypot(dom.x - box.width / 2, dom.y - box.height / 2);
    }""", node)


def test_search_finds_bodies_by_either_name_and_tasks_by_their_text(browser, hostile_views, screenshots):
    visit = Visit(browser, hostile_views["knowledge-graph.html"])
    try:
        assert _search(visit, "来宾市民政局") == [CIVIL_AFFAIRS]
        assert _offset_from_centre(visit, CIVIL_AFFAIRS) < 5, "the body found is centred"
        assert _search(visit, "laibin civil affairs") == [CIVIL_AFFAIRS]       # English, any case, by words
        assert _search(visit, "秋澜") == [QIULAN_TASK]
        assert _offset_from_centre(visit, QIULAN_TASK) < 5
        lit = set(visit.eval("hkView.selection"))
        # read in the plan: 柳州市卫生健康委 is one of its leads
        assert QIULAN_TASK in lit and "hkd:agency/liuzhou-health-commission" in lit, "the task and its bodies lit"
        shot = visit.shot(screenshots, "knowledge-graph-search-qiulan")
        # a search for what a filter hides clears the filter first
        visit.page.select_option("#filter-city", "来宾市", timeout=WAIT_MS)
        assert _search(visit, "秋澜") == [QIULAN_TASK] and QIULAN_TASK in visit.eval("hkView.shownIds()")
        assert _search(visit, "没有这个词") == [] and visit.eval("hkView.selection") == []
        assert visit.eval("document.getElementById('search-found').textContent") == "未找到 nothing found"
        assert visit.errors == [] and visit.external == [] and visit.dialogs == []
    finally:
        visit.close()
    visit = Visit(browser, hostile_views["co-assignment.html"])
    try:
        assert _search(visit, "来宾市民政局") == [CIVIL_AFFAIRS]
        assert _search(visit, "Laibin Civil Affairs Bureau") == [CIVIL_AFFAIRS]
        assert _offset_from_centre(visit, CIVIL_AFFAIRS) < 5
        both = _search(visit, "民政局")
        assert both == [CIVIL_AFFAIRS, "hkd:agency/liuzhou-civil-affairs-bureau"]
        co_shot = visit.shot(screenshots, "co-assignment-search-civil-affairs")
        assert visit.errors == [] and visit.external == []
    finally:
        visit.close()
    VIEW_REPORT.append(f"browser: search: 来宾市民政局 and 'laibin civil affairs' select {CIVIL_AFFAIRS} (centred), "
                       f"秋澜 selects {QIULAN_TASK}; co-assignment 民政局 selects {len(both)} bodies; "
                       f"screenshots {shot}, {co_shot}")


def _download(visit: Visit, button: str) -> bytes:
    with visit.page.expect_download(timeout=WAIT_MS) as info:
        visit.page.click(button, timeout=WAIT_MS)
    return Path(info.value.path()).read_bytes()


def _csv_rows(raw: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_csv_export_is_the_selection_as_utf8_with_a_bom(browser, hostile_views, hostile_answers):
    data = GraphData.from_store(hostile_answers.store)
    visit = Visit(browser, hostile_views["knowledge-graph.html"])
    try:
        assert _search(visit, "来宾市民政局") == [CIVIL_AFFAIRS]
        raw = _download(visit, "#export-csv")
    finally:
        visit.close()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = _csv_rows(raw)
    assert {row["id"] for row in rows} == {CIVIL_AFFAIRS} | data.tasks_of_body(CIVIL_AFFAIRS)
    (body,) = [row for row in rows if row["type"] == "body"]
    assert (body["name_zh"], body["name_en"], body["city"]) == ("来宾市民政局", "Laibin Civil Affairs Bureau", "来宾市")
    by_id = {row["id"]: row for row in rows}
    for task_id in data.tasks_of_body(CIVIL_AFFAIRS):
        assert by_id[task_id]["text"] == data.tasks[task_id]["text"]       # the whole text, line breaks and all
    assert by_id[HOSTILE_TASK_ID]["text"] == HOSTILE_TASK_TEXT, "hostile text exported as it is"
    visit = Visit(browser, hostile_views["co-assignment.html"])
    try:
        visit.page.select_option("#filter-city", "来宾市", timeout=WAIT_MS)      # nothing selected: what is shown
        shown = _download(visit, "#export-csv")
    finally:
        visit.close()
    rows = _csv_rows(shown)
    assert shown.startswith(b"\xef\xbb\xbf") and {row["city"] for row in rows} == {"来宾市"}
    assert len(rows) == hostile_answers.network.projection("来宾市").number_of_nodes()
    VIEW_REPORT.append(f"browser: CSV export: the body found and its {len(data.tasks_of_body(CIVIL_AFFAIRS))} tasks "
                       f"({len(raw)} bytes, BOM); co-assignment 来宾市 shown: {len(rows)} bodies")


def test_png_export_is_the_canvas(browser, hostile_views, tmp_path):
    for name in ("knowledge-graph.html", "co-assignment.html"):
        visit = Visit(browser, hostile_views[name])
        try:
            size = visit.eval("[hkView.container.querySelector('canvas').width, "
                              "hkView.container.querySelector('canvas').height]")
            raw = _download(visit, "#export-png")
        finally:
            visit.close()
        assert raw.startswith(b"\x89PNG\r\n\x1a\n")
        path = tmp_path / f"{name}.png"
        path.write_bytes(raw)
        with Image.open(path) as image:
            image.verify()
        with Image.open(path) as image:
            assert list(image.size) == size
            colours = image.convert("RGB").getcolors(maxcolors=1 << 16)
            assert colours is None or len(colours) > 10, "a blank image"
        VIEW_REPORT.append(f"browser: PNG export of {name}: {size[0]}x{size[1]}, {len(raw)} bytes, a valid PNG")


LABELS_DRAWN = """() => Object.values(hkView.network.body.nodes).filter(n => hkView.shownIds().includes(n.id))
    .map(n => [n.id, n.labelModule.visible(), n.labelModule.fontOptions.size * hkView.network.getScale()])"""


def test_labels_are_drawn_only_where_readable_and_the_selection_keeps_them(browser, hostile_views, screenshots):
    visit = Visit(browser, hostile_views["knowledge-graph.html"])
    try:
        visit.eval("() => { hkView.network.fit({animation: false}); hkView.network.redraw(); }")
        whole = visit.eval(LABELS_DRAWN)
        assert all(size >= 10 for _, drawn, size in whole if drawn), "a label drawn smaller than 10 px"
        fit_count = sum(drawn for _, drawn, _ in whole)
        assert fit_count < len(whole) / 4, "the whole graph is not drawn with every label"
        visit.eval("() => { hkView.network.moveTo({scale: 2.5, animation: false}); hkView.network.redraw(); }")
        zoomed = visit.eval(LABELS_DRAWN)
        zoomed_count = sum(drawn for _, drawn, _ in zoomed)
        assert zoomed_count > fit_count and zoomed_count == len(zoomed), "zoomed in, every label is readable"
        visit.eval("() => { hkView.network.fit({animation: false}); hkView.network.redraw(); }")
        assert sum(drawn for _, drawn, _ in visit.eval(LABELS_DRAWN)) == fit_count
        fit_shot = visit.shot(screenshots, "knowledge-graph-labels-whole")
        _search(visit, "来宾市民政局")
        visit.eval("() => { hkView.network.fit({animation: false}); hkView.network.redraw(); }")
        visit.page.wait_for_timeout(100)        # the relabelling waits for the next frame after a zoom
        visit.eval("() => hkView.network.redraw()")
        labelled = {node for node, drawn, size in visit.eval(LABELS_DRAWN) if drawn}
        assert set(visit.eval("hkView.selection")) <= labelled, "the selection's labels are drawn at any zoom"
        shot = visit.shot(screenshots, "knowledge-graph-labels-selection")
        assert visit.errors == []
    finally:
        visit.close()
    VIEW_REPORT.append(f"browser: labels: {fit_count} of {len(whole)} drawn on the whole graph (none under 10 px), "
                       f"{zoomed_count} at zoom 2.5; with a body selected its {len(labelled)} labels are drawn; "
                       f"screenshots {fit_shot}, {shot}")
