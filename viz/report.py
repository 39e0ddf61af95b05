"""(d) The report: one offline page comparing the cities, from the answers only. Tables are HTML, charts
inline SVG whose Chinese labels are SVG text in a CJK font; no script, no image, nothing from outside."""
from collections import defaultdict
from decimal import Decimal
from typing import Any

from healthkg.queries import load
from healthkg.viz.model import GraphData
from healthkg.viz.page import CJK_FONTS, render
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
          cell_style=None) -> dict:
    """A table for the `table` macro: its header texts and, per row, each cell's text, whether it is a
    number (right-aligned) and its style."""
    headers = headers or {}
    return {"head": [headers.get(v, v) for v in variables],
            "rows": [[{"text": _text(value),
                       "numeric": isinstance(value, (int, float, Decimal)) and not isinstance(value, bool),
                       "style": cell_style(variable, value) if cell_style else ""}
                      for variable, value in zip(variables, row)] for row in rows]}


def answer_table(answer, drop: tuple[str, ...] = (), limit: int | None = None, headers=None, cell_style=None) -> dict:
    """An answer's table without the `drop` columns, its first `limit` rows shown and the rest folded away."""
    keep = [i for i, v in enumerate(answer.variables) if v not in drop]
    variables = [answer.variables[i] for i in keep]
    rows = [[row[i] for i in keep] for row in answer.rows]
    folded = limit is not None and len(rows) > limit
    return {"shown": table(variables, rows[:limit], headers, cell_style),
            "more": table(variables, rows[limit:], headers, cell_style) if folded else None,
            "more_rows": len(rows[limit:]) if folded else 0}


def _fit(label: str, pixels: float, size: float = 13) -> str:
    """The label cut with … to fit about `pixels` wide (a CJK character is about one em, Latin about half)."""
    width = 0.0
    out: list[str] = []
    for ch in label:
        width += size if ord(ch) > 0x2e80 else size * 0.56
        if width > pixels - size:
            return "".join(out) + "…"
        out.append(ch)
    return label


def _rect(x, y, width, height, fill, tip: str | None = None) -> dict:
    return {"tag": "rect", "attributes": [("x", x), ("y", y), ("width", width), ("height", height), ("fill", fill)],
            "tip": tip}


def _label(x, y, text: str, **attributes) -> dict:
    """SVG text at (x, y); `attributes` (font_size=12 ...) are written in the order given, - for _."""
    attributes_written = [(k.replace("_", "-"), v) for k, v in attributes.items()]
    return {"tag": "text", "attributes": [("x", x), ("y", y)] + attributes_written, "text": text}


def _svg(title: str, width: int, height: int, shapes: list[dict]) -> dict:
    """A chart for the `chart` macro: the SVG's size, title and shapes (its heading first)."""
    return {"title": title, "width": width, "height": height, "font": CJK_FONTS,
            "shapes": [_label(0, 16, title, font_size=14, font_weight=600)] + shapes}


def bar_chart(title: str, rows: list[tuple[str, str, list[float]]], series: list[tuple[str, str]],
              stacked: bool = False, weights: list[float] | None = None, label_width: int = 190,
              bar_width: int = 470, texts: list[list[str]] | None = None) -> dict:
    """Horizontal bars: one row per (zh label, en label, values); grouped, or stacked with weights.
    `texts`, per row and value, replaces the number written after a grouped bar (a share and its count)."""
    weights = weights or [1.0] * len(series)
    row_height = 24 if stacked else 8 + 12 * len(series)
    top, legend_height = 26, 22
    height = top + legend_height + row_height * len(rows) + 10
    width = label_width + bar_width + 80
    totals = [sum(v * w for v, w in zip(values, weights)) if stacked else max(values or [0]) for _, _, values in rows]
    scale = bar_width / (max(totals) or 1)
    shapes = []
    x = label_width
    for (name, colour) in series:
        shapes.append(_rect(x, top + 4, 12, 12, colour))
        shapes.append(_label(x + 16, top + 15, name, font_size=12))
        x += 26 + 13 * len(name)
    y = top + legend_height
    for row_number, ((zh, en, values), total) in enumerate(zip(rows, totals)):
        label = _fit(zh if not en else f"{zh} {en}", label_width - 8)
        shapes.append(_label(label_width - 6, f"{y + row_height / 2 + 4:.1f}", label, text_anchor="end"))
        if stacked:
            cursor: float = label_width
            for value, weight, (name, colour) in zip(values, weights, series):
                length = value * weight * scale
                if length > 0:
                    shapes.append(_rect(f"{cursor:.1f}", y + 4, f"{length:.1f}", row_height - 8, colour,
                                        f"{zh} {name}: {_text(value)}"))
                cursor += length
            shapes.append(_label(f"{cursor + 4:.1f}", f"{y + row_height / 2 + 4:.1f}",
                                 _text(total if total != int(total) else int(total)), font_size=12))
        else:
            row_texts = texts[row_number] if texts else None
            for i, (value, (name, colour)) in enumerate(zip(values, series)):
                length = value * scale
                bar_y = y + 4 + 12 * i
                shown = row_texts[i] if row_texts else _text(int(value) if value == int(value) else value)
                shapes.append(_rect(label_width, bar_y, f"{length:.1f}", 10, colour, f"{zh} {name}: {shown}"))
                shapes.append(_label(f"{label_width + length + 4:.1f}", bar_y + 9, shown, font_size=11))
        y += row_height
    return _svg(title, width, height, shapes)


def indicator_chart(rows: list[dict], cities: list[str], colours: dict[str, str]) -> dict | None:
    """Per indicator that two cities set, each city's largest value as a bar scaled to the larger of the two."""
    by_indicator: defaultdict[str, dict[str, float]] = defaultdict(dict)
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
        return None
    label_width, bar_width, row_height = 200, 380, 14 * len(cities) + 10
    height = 48 + row_height * len(by_indicator)
    width = label_width + bar_width + 150
    title = "两市共同指标的目标值 | Target values of the indicators both cities set (bar: share of the larger value)"
    shapes = []
    x = label_width
    for city in cities:
        shapes.append(_rect(x, 26, 12, 12, colours[city]))
        shapes.append(_label(x + 16, 37, city, font_size=12))
        x += 90
    y = 48
    for indicator in sorted(by_indicator):
        values = by_indicator[indicator]
        peak = max(values.values()) or 1
        shapes.append(_label(label_width - 6, f"{y + row_height / 2 + 3:.1f}", _fit(indicator, label_width - 8),
                             text_anchor="end"))
        for i, city in enumerate(cities):
            if city not in values:
                continue
            length = bar_width * values[city] / peak
            bar_y = y + 4 + 14 * i
            shown = f"{values[city]:g} {units[(indicator, city)]}"
            shapes.append(_rect(label_width, bar_y, f"{length:.1f}", 11, colours[city], f"{indicator} {city}: {shown}"))
            shapes.append(_label(f"{label_width + length + 4:.1f}", bar_y + 10, shown, font_size=11))
        y += row_height
    return _svg(title, width, height, shapes)


def _rank_colour(variable: str, value) -> str:
    if not variable.startswith("rank") or not isinstance(value, int):
        return ""
    shades = {1: "#1e7d42", 2: "#4c9f63", 3: "#7fbf8c", 4: "#b5dbbc", 5: "#dceede"}
    colour = shades.get(value, "#f4f5f6")
    return f"background:{colour};color:{'#fff' if value <= 2 else '#1d2329'}"


def page(answers, data: GraphData,
         title: str = "两市大健康产业规划对比报告 | The cities' big-health plans compared") -> str:
    """The report page (viz/templates/report.html): this gathers its tables and charts from the answers."""
    network, comparison = answers.network, answers.comparison
    cities = comparison and [comparison.first, comparison.second] or network.cities
    colours = {c: CITY_COLOURS[i % len(CITY_COLOURS)] for i, c in enumerate(cities)}
    tables = answers.tables
    lead_weight, cooperating_weight = load.headline_weights()
    context: dict[str, Any] = {"lead_weight": lead_weight, "cooperating_weight": cooperating_weight,
                               "comparison": comparison is not None}
    context["plans"] = table(["city", "title", "number", "tasks"],
                             [[p["city"], p["title"], p["number"],
                               comparison.city_tasks.get(p["city"], "") if comparison else ""]
                              for p in sorted(data.plans.values(), key=lambda p: p["city"])],
                             {"city": "城市 city", "title": "标题 title", "number": "文号 number",
                              "tasks": "任务 tasks"})
    context["headline"] = answers.headline().splitlines()[0]

    if comparison is not None:
        title_text, coverage = tables["comparison-coverage"]
        rows = coverage.as_dicts()
        series = [(f"{city} per 100 tasks", colours[city]) for city in cities]
        charts = []
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
                charts.append(bar_chart(heading + (" (top 20)" if dimension == "function" else ""), chart_rows, series,
                                        label_width=300, texts=texts))
        context["coverage_charts"] = charts
        summary_title, summary = tables["comparison-functions"]
        context["summary"] = (summary_title, answer_table(summary))
        context["coverage"] = []
        for dimension, heading in (("element", "产业链要素 Chain elements"), ("industry", "产业 Industries"),
                                   ("function", "职能 Functions"), ("indicator", "指标 Indicators")):
            subset = [row for row in coverage.rows if row[0] == dimension]
            if subset:
                context["coverage"].append((f"{title_text} — {heading}",
                                            answer_table(type(coverage)(coverage.variables, subset),
                                                         drop=("dimension", "concept"), limit=25)))

    by_function = answers.load_by_function
    top = by_function.as_dicts()[:15]
    context["load_chart"] = bar_chart(
        f"协调负担指数(按职能, 前15) | Coordinating-load index by function, top 15 "
        f"(lead {lead_weight} : co-op {cooperating_weight})",
        [(f"{r['rank']}. {r['function_zh']}", r["function_en"], [_number(r["lead"]), _number(r["cooperating"])])
         for r in top],
        [(f"牵头 lead ×{lead_weight}", LEAD_COLOUR), (f"仅配合 only co-op ×{cooperating_weight}", COOP_COLOUR)],
        stacked=True, weights=[lead_weight, cooperating_weight], label_width=300)
    context["load_by_function"] = answer_table(by_function, drop=("function", "kinds"), limit=15)
    robust_title, robust = tables["network-load-robustness"]
    context["robustness"] = (robust_title, answer_table(robust, drop=("function",), cell_style=_rank_colour))
    if comparison is not None:
        share_title, shares = tables["comparison-function-load"]
        context["shares"] = (share_title, answer_table(shares, drop=("function",), limit=15, cell_style=_rank_colour))
    by_body = answers.load_by_body
    city_column = by_body.variables.index("city")
    context["load_by_body"] = [
        (city, answer_table(type(by_body)(by_body.variables,
                                          [row for row in by_body.rows if row[city_column] == city][:10]),
                            drop=("city", "agency", "kind", "kinds")))
        for city in cities]
    context["other_bodies"] = answer_table(answers.results["other-bodies-load"], drop=("agency", "kind"), limit=15)
    context["roles"] = answer_table(answers.results["coordination-roles"], drop=("agency", "role_id"),
                                    headers={"written_as": "原文 written as",
                                             "leads_most": "该产业牵头最多 leads most"})

    indicators = answers.results.get("indicator-comparison")
    if indicators is not None and indicators.rows:
        context["indicators"] = (indicator_chart(indicators.as_dicts(), cities, colours),
                                 answer_table(indicators, drop=("indicator", "target"), limit=60,
                                              headers={"indicator_zh": "指标 indicator", "value_max": "value max"}))
    figures_title, figures = tables["network-city-figures"]
    context["figures"] = (figures_title, answer_table(figures))
    figure_rows = figures.as_dicts()
    if figure_rows:
        context["figures_chart"] = bar_chart(
            "任务、单位与单位间连线 | Tasks, bodies and body links per city",
            [(label, "", [_number(r[key]) for r in figure_rows])
             for label, key in (("任务 tasks", "tasks"), ("单位 bodies", "bodies"), ("分工 assignments", "assignments"),
                                ("连线 body links", "body_links"), ("社群 communities", "communities"))],
            [(r["city"], colours.get(r["city"], "#777")) for r in figure_rows])
    return render("report.html", title, css=CSS, body_class="report", **context)
