"""(d) The report: one offline page comparing the cities, from the answers only. Tables are HTML, charts
inline SVG whose Chinese labels are SVG text in a CJK font; no script, no image, nothing from outside."""
from collections import defaultdict
from decimal import Decimal

from healthkg.queries import load
from healthkg.viz.model import GraphData
from healthkg.viz.page import CJK_FONTS, esc, render
from healthkg.viz.side_by_side import CITY_COLOURS

LEAD_COLOUR, COOP_COLOUR = "#1e7d42", "#8fd19e"
CSS = """
body.report { max-width: 1180px; margin: 0 auto; padding: 18px 26px 60px; line-height: 1.5; }
body.report h1 { font-size: 24px; margin: 0 0 4px; }
body.report h2 { font-size: 19px; margin: 30px 0 8px; border-bottom: 2px solid #e4e7eb; padding-bottom: 3px; }
body.report h3 { font-size: 15px; margin: 18px 0 6px; }
table.data { border-collapse: collapse; font-size: 13px; margin: 6px 0 12px; }
table.data th, table.data td { border: 1px solid #d8dce1; padding: 3px 7px; text-align: left; vertical-align: top; }
table.data th { background: #f3f5f7; font-weight: 600; }
table.data td.num { text-align: right; font-variant-numeric: tabular-nums; }
.figure { margin: 8px 0 16px; overflow-x: auto; }
.figure svg text { font-family: var(--cjk); }
.caption { font-size: 12.5px; color: #5b6470; margin: 2px 0 10px; }
.headline { background: #f6f7f9; border-left: 4px solid #2f6db5; padding: 8px 12px; }
details > summary { cursor: pointer; color: #2f6db5; }
nav.toc a { margin-right: 12px; }
.cards { display: flex; gap: 14px; flex-wrap: wrap; }
.cards > div { flex: 1; min-width: 300px; }
"""


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _number(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def table(variables: list[str], rows: list[list], headers: dict[str, str] | None = None,
          cell_style=None) -> str:
    headers = headers or {}
    head = "".join(f"<th>{esc(headers.get(v, v))}</th>" for v in variables)
    lines = []
    for row in rows:
        cells = []
        for variable, value in zip(variables, row):
            numeric = isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)
            style = cell_style(variable, value) if cell_style else ""
            attributes = (' class="num"' if numeric else "") + (f' style="{esc(style)}"' if style else "")
            cells.append(f"<td{attributes}>{esc(_text(value))}</td>")
        lines.append("<tr>" + "".join(cells) + "</tr>")
    return f'<table class="data"><thead><tr>{head}</tr></thead><tbody>{"".join(lines)}</tbody></table>'


def answer_table(answer, drop: tuple[str, ...] = (), limit: int | None = None, headers=None, cell_style=None) -> str:
    keep = [i for i, v in enumerate(answer.variables) if v not in drop]
    rows = [[row[i] for i in keep] for row in answer.rows]
    shown = table([answer.variables[i] for i in keep], rows[:limit], headers, cell_style)
    if limit is not None and len(rows) > limit:
        rest = table([answer.variables[i] for i in keep], rows[limit:], headers, cell_style)
        shown += f"<details><summary>{len(rows) - limit} more rows</summary>{rest}</details>"
    return shown


def _fit(label: str, pixels: float, size: float = 13) -> str:
    """The label cut with … to fit about `pixels` wide (a CJK character is about one em, Latin about half)."""
    width, out = 0.0, []
    for ch in label:
        width += size if ord(ch) > 0x2e80 else size * 0.56
        if width > pixels - size:
            return "".join(out) + "…"
        out.append(ch)
    return label


def bar_chart(title: str, rows: list[tuple[str, str, list[float]]], series: list[tuple[str, str]],
              stacked: bool = False, weights: list[float] | None = None, label_width: int = 190,
              bar_width: int = 470, texts: list[list[str]] | None = None) -> str:
    """Horizontal bars: one row per (zh label, en label, values); grouped, or stacked with weights.
    `texts`, per row and value, replaces the number written after a grouped bar (a share and its count)."""
    weights = weights or [1.0] * len(series)
    row_height = 24 if stacked else 8 + 12 * len(series)
    top, legend_height = 26, 22
    height = top + legend_height + row_height * len(rows) + 10
    width = label_width + bar_width + 80
    totals = [sum(v * w for v, w in zip(values, weights)) if stacked else max(values or [0]) for _, _, values in rows]
    scale = bar_width / (max(totals) or 1)
    parts = [f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{esc(title)}" font-family="{esc(CJK_FONTS)}" font-size="13">',
             f"<title>{esc(title)}</title>",
             f'<text x="0" y="16" font-size="14" font-weight="600">{esc(title)}</text>']
    x = label_width
    for (name, colour) in series:
        parts.append(f'<rect x="{x}" y="{top + 4}" width="12" height="12" fill="{esc(colour)}"/>')
        parts.append(f'<text x="{x + 16}" y="{top + 15}" font-size="12">{esc(name)}</text>')
        x += 26 + 13 * len(name)
    y = top + legend_height
    for row_number, ((zh, en, values), total) in enumerate(zip(rows, totals)):
        label = _fit(zh if not en else f"{zh} {en}", label_width - 8)
        parts.append(f'<text x="{label_width - 6}" y="{y + row_height / 2 + 4:.1f}" text-anchor="end">{esc(label)}</text>')
        if stacked:
            cursor = label_width
            for value, weight, (name, colour) in zip(values, weights, series):
                length = value * weight * scale
                if length > 0:
                    parts.append(f'<rect x="{cursor:.1f}" y="{y + 4}" width="{length:.1f}" height="{row_height - 8}" '
                                 f'fill="{esc(colour)}"><title>{esc(f"{zh} {name}: {_text(value)}")}</title></rect>')
                cursor += length
            parts.append(f'<text x="{cursor + 4:.1f}" y="{y + row_height / 2 + 4:.1f}" font-size="12">'
                         f'{esc(_text(total if total != int(total) else int(total)))}</text>')
        else:
            row_texts = texts[row_number] if texts else None
            for i, (value, (name, colour)) in enumerate(zip(values, series)):
                length = value * scale
                bar_y = y + 4 + 12 * i
                shown = row_texts[i] if row_texts else _text(int(value) if value == int(value) else value)
                parts.append(f'<rect x="{label_width}" y="{bar_y}" width="{length:.1f}" height="10" fill="{esc(colour)}">'
                             f'<title>{esc(f"{zh} {name}: {shown}")}</title></rect>')
                parts.append(f'<text x="{label_width + length + 4:.1f}" y="{bar_y + 9}" font-size="11">'
                             f'{esc(shown)}</text>')
        y += row_height
    parts.append("</svg>")
    return '<div class="figure">' + "".join(parts) + "</div>"


def indicator_chart(rows: list[dict], cities: list[str], colours: dict[str, str]) -> str:
    """Per indicator that two cities set, each city's largest value as a bar scaled to the larger of the two."""
    by_indicator = defaultdict(dict)
    units = {}
    for row in rows:
        # a frequency is part of what is compared: 1-2 events a year is not 1-2 events
        indicator = row["indicator_zh"] + (f" (per {row['per']})" if row.get("per") else "")
        value = max(_number(row["value"]), _number(row.get("value_max")))
        current = by_indicator[indicator].get(row["city"])
        if current is None or value > current:
            by_indicator[indicator][row["city"]] = value
            units[(indicator, row["city"])] = row["unit"] or ""
    if not by_indicator:
        return ""
    label_width, bar_width, row_height = 200, 380, 14 * len(cities) + 10
    height = 48 + row_height * len(by_indicator)
    width = label_width + bar_width + 150
    title = "两市共同指标的目标值 | Target values of the indicators both cities set (bar: share of the larger value)"
    parts = [f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{esc(title)}" font-family="{esc(CJK_FONTS)}" font-size="13">', f"<title>{esc(title)}</title>",
             f'<text x="0" y="16" font-size="14" font-weight="600">{esc(title)}</text>']
    x = label_width
    for city in cities:
        parts.append(f'<rect x="{x}" y="26" width="12" height="12" fill="{esc(colours[city])}"/>'
                     f'<text x="{x + 16}" y="37" font-size="12">{esc(city)}</text>')
        x += 90
    y = 48
    for indicator in sorted(by_indicator):
        values = by_indicator[indicator]
        peak = max(values.values()) or 1
        parts.append(f'<text x="{label_width - 6}" y="{y + row_height / 2 + 3:.1f}" text-anchor="end">'
                     f'{esc(_fit(indicator, label_width - 8))}</text>')
        for i, city in enumerate(cities):
            if city not in values:
                continue
            length = bar_width * values[city] / peak
            bar_y = y + 4 + 14 * i
            shown = f"{values[city]:g} {units[(indicator, city)]}"
            parts.append(f'<rect x="{label_width}" y="{bar_y}" width="{length:.1f}" height="11" '
                         f'fill="{esc(colours[city])}"><title>{esc(f"{indicator} {city}: {shown}")}</title></rect>')
            parts.append(f'<text x="{label_width + length + 4:.1f}" y="{bar_y + 10}" font-size="11">{esc(shown)}</text>')
        y += row_height
    parts.append("</svg>")
    return '<div class="figure">' + "".join(parts) + "</div>"


def _rank_colour(variable: str, value) -> str:
    if not variable.startswith("rank") or not isinstance(value, int):
        return ""
    shades = {1: "#1e7d42", 2: "#4c9f63", 3: "#7fbf8c", 4: "#b5dbbc", 5: "#dceede"}
    colour = shades.get(value, "#f4f5f6")
    return f"background:{colour};color:{'#fff' if value <= 2 else '#1d2329'}"


FORMAL_VS_BRACKET = (
    "<p><b>正式统筹与括注负担不是一回事。</b>规划在保障措施中把综合统筹(统筹、协调、督促)交给联席会议办公室或某一部门，"
    "并为每个健康产业指定牵头部门：这是规划赋予的正式协调职责。括注负担则是各任务括注(牵头单位、配合单位)中"
    "一个部门出现的次数：它衡量分到的具体任务有多少，不衡量谁负责统筹。下表把两者并列。</p>"
    "<p><b>Formal coordination and bracket load are different things.</b> In its safeguards (保障措施) a plan gives "
    "overall coordination (统筹、协调、督促) to a joint-meeting office or a bureau, and names the bureau that leads each "
    "health industry: the formal duty to coordinate. Bracket load counts how often a bureau is named in the tasks' "
    "brackets (lead, co-operating): how much concrete work it is handed, not who is charged with coordinating it. "
    "The table sets the two side by side.</p>")


def page(answers, data: GraphData, title: str = "两市大健康产业规划对比报告 | The cities' big-health plans compared") -> str:
    network, comparison = answers.network, answers.comparison
    cities = comparison and [comparison.first, comparison.second] or network.cities
    colours = {c: CITY_COLOURS[i % len(CITY_COLOURS)] for i, c in enumerate(cities)}
    tables = answers.tables
    lead_weight, cooperating_weight = load.headline_weights()
    out = [f"<h1>{esc(title)}</h1>",
           '<p class="caption">Built from the knowledge graph; every figure comes from the query answers written '
           "beside the views (answers/*.csv).</p>",
           '<nav class="toc"><a href="#plans">方案 Plans</a><a href="#coverage">覆盖 Coverage</a>'
           '<a href="#load">协调负担 Load</a><a href="#coordination">正式统筹 Coordination</a>'
           '<a href="#indicators">指标 Indicators</a><a href="#network">网络 Network</a></nav>',
           '<h2 id="plans">方案 | The plans</h2>']
    out.append(table(["city", "title", "number", "tasks"],
                     [[p["city"], p["title"], p["number"], comparison.city_tasks.get(p["city"], "") if comparison else ""]
                      for p in sorted(data.plans.values(), key=lambda p: p["city"])],
                     {"city": "城市 city", "title": "标题 title", "number": "文号 number", "tasks": "任务 tasks"}))
    out.append(f'<p class="headline">{esc(answers.headline().splitlines()[0])}</p>')

    out.append('<h2 id="coverage">覆盖对比 | Coverage compared</h2>')
    if comparison is None:
        out.append("<p>图中只有一个城市，无覆盖对比 (one city in the graph: no comparison).</p>")
    else:
        out.append('<p class="caption">每百项任务 = 该市任务中落在此处的份额 (per 100 tasks: the share of that city\'s '
                   "tasks; the plans differ in size, so bars show shares and the raw count follows in brackets).</p>")
        title_text, coverage = tables["comparison-coverage"]
        rows = coverage.as_dicts()
        series = [(f"{city} per 100 tasks", colours[city]) for city in cities]
        for dimension, heading in (("element", "产业链要素(医养管食游动)任务份额 | Share of tasks per chain element"),
                                   ("industry", "产业任务份额 | Share of tasks per industry"),
                                   ("function", "职能承担任务份额 | Share of tasks per government function")):
            chosen = [r for r in rows if r["dimension"] == dimension]
            if dimension == "function":
                chosen = sorted(chosen, key=lambda r: -sum(_number(r[f"per 100 tasks {c}"]) for c in cities))[:20]
            chart_rows = [(r["label_zh"], "" if dimension == "function" else r["label_en"],
                           [_number(r[f"per 100 tasks {c}"]) for c in cities]) for r in chosen]
            texts = [[f"{_text(r[f'per 100 tasks {c}'])} ({_text(r[f'tasks {c}'])})" for c in cities] for r in chosen]
            if chart_rows:
                out.append(bar_chart(heading + (" (top 20)" if dimension == "function" else ""), chart_rows, series,
                                     label_width=300, texts=texts))
        summary_title, summary = tables["comparison-functions"]
        out.append(f"<h3>{esc(summary_title)}</h3>" + answer_table(summary))
        for dimension, heading in (("element", "产业链要素 Chain elements"), ("industry", "产业 Industries"),
                                   ("function", "职能 Functions"), ("indicator", "指标 Indicators")):
            subset = [row for row in coverage.rows if row[0] == dimension]
            if subset:
                out.append(f"<h3>{esc(title_text)} — {esc(heading)}</h3>")
                out.append(answer_table(type(coverage)(coverage.variables, subset), drop=("dimension", "concept"),
                                        limit=25))

    out.append('<h2 id="load">协调负担排名及稳健性 | Coordinating load and its robustness</h2>')
    by_function = answers.load_by_function
    out.append(f'<p class="caption">协调负担指数 = {lead_weight} × 牵头任务数 + {cooperating_weight} × 仅配合任务数；'
               "只计政府部门(局、委、办及上级派驻机构)，同一任务中既牵头又配合的只按牵头计一次；指数相同者名次相同。 "
               f"Coordinating-load index = {lead_weight} × tasks led + {cooperating_weight} × tasks only co-operated on, "
               "over government departments only (companies, schools, development-zone committees, county governments, "
               "collectives and mass organisations are listed apart below), each task once per function (as lead when "
               "written as both); equal indexes share a rank. Query: coordinating-load-by-function.</p>")
    top = by_function.as_dicts()[:15]
    out.append(bar_chart(f"协调负担指数(按职能, 前15) | Coordinating-load index by function, top 15 "
                         f"(lead {lead_weight} : co-op {cooperating_weight})",
                         [(f"{r['rank']}. {r['function_zh']}", r["function_en"],
                           [_number(r["lead"]), _number(r["cooperating"])]) for r in top],
                         [(f"牵头 lead ×{lead_weight}", LEAD_COLOUR), (f"仅配合 only co-op ×{cooperating_weight}", COOP_COLOUR)],
                         stacked=True, weights=[lead_weight, cooperating_weight], label_width=300))
    out.append("<h3>协调负担指数(按职能) | Coordinating-load index by function</h3>"
               + answer_table(by_function, drop=("function", "kinds"), limit=15))
    robust_title, robust = tables["network-load-robustness"]
    out.append(f"<h3>{esc(robust_title)}</h3>")
    out.append('<p class="caption">The rank of each of the top functions when leading and co-operating are weighted '
               "otherwise; a robust answer keeps its rank (dark green: rank 1; equal indexes share a rank).</p>")
    out.append(answer_table(robust, drop=("function",), cell_style=_rank_colour))
    if comparison is not None:
        share_title, shares = tables["comparison-function-load"]
        out.append(f"<h3>{esc(share_title)}</h3>")
        out.append('<p class="caption">各市负担除以该市任务数(每百项任务)，两市份额取平均后排名：不因某市规划更长而占优。 '
                   "Each city's load divided by its number of tasks (per 100 tasks), ranked by the mean of the two cities' "
                   "shares, so the longer plan does not dominate; rank pooled is the ranking above.</p>")
        out.append(answer_table(shares, drop=("function",), limit=15, cell_style=_rank_colour))
    by_body = answers.load_by_body
    out.append("<h3>协调负担指数(按单位, 各市前10) | Coordinating-load index by bureau (top 10 per city)</h3>"
               '<div class="cards">')
    for city in cities:
        rows = [row for row in by_body.rows if row[by_body.variables.index("city")] == city][:10]
        out.append(f"<div><b>{esc(city)}</b>" + answer_table(type(by_body)(by_body.variables, rows),
                                                             drop=("city", "agency", "kind", "kinds")) + "</div>")
    out.append("</div>")
    others = answers.results["other-bodies-load"]
    out.append("<h3>非政府部门单位(不计入上表) | Bodies that are not government departments (not in the tables above)</h3>"
               '<p class="caption">with_its_function_bureau: tasks on which the body co-operates while a government '
               "department sharing one of its functions leads (a state-owned company beside its bureau).</p>"
               + answer_table(others, drop=("agency", "kind"), limit=15))

    out.append('<h2 id="coordination">正式统筹与括注负担 | Formal coordination beside bracket load</h2>')
    out.append(FORMAL_VS_BRACKET)
    roles = answers.results["coordination-roles"]
    out.append(answer_table(roles, drop=("agency", "role_id"),
                            headers={"written_as": "原文 written as", "leads_most": "该产业牵头最多 leads most"}))

    out.append('<h2 id="indicators">指标对比 | Indicators both cities set</h2>')
    indicators = answers.results.get("indicator-comparison")
    if indicators is None or not indicators.rows:
        out.append("<p>没有两市都设定的指标 (no indicator is set by more than one city).</p>")
    else:
        out.append(indicator_chart(indicators.as_dicts(), cities, colours))
        out.append(answer_table(indicators, drop=("indicator", "target"), limit=60,
                                headers={"indicator_zh": "指标 indicator", "value_max": "value max"}))

    out.append('<h2 id="network">网络指标 | Network figures per city</h2>')
    figures_title, figures = tables["network-city-figures"]
    out.append(f"<h3>{esc(figures_title)}</h3>" + answer_table(figures))
    figure_rows = figures.as_dicts()
    if figure_rows:
        out.append(bar_chart("任务、单位与单位间连线 | Tasks, bodies and body links per city",
                             [(label, "", [_number(r[key]) for r in figure_rows])
                              for label, key in (("任务 tasks", "tasks"), ("单位 bodies", "bodies"),
                                                 ("分工 assignments", "assignments"), ("连线 body links", "body_links"),
                                                 ("社群 communities", "communities"))],
                             [(r["city"], colours.get(r["city"], "#777")) for r in figure_rows]))
    out.append('<p class="caption">Body links, centrality and communities are over government departments (the bodies '
               "the load counts); bodies_not_counted are the other bodies of the city's brackets. Communities: Louvain, "
               "fixed seed.</p>")
    return render(title, "\n".join(out), css=CSS, body_class="report")
