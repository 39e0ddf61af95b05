"""Write every view of one set of answers into a folder: the three graph pages, the report and an index."""
from pathlib import Path

from healthkg.queries import load
from healthkg.viz import co_assignment, knowledge_graph, report, side_by_side
from healthkg.viz.model import GraphData
from healthkg.viz.page import render

PAGES = {  # file: (title zh, title en, what it shows)
    "knowledge-graph.html": ("知识图谱", "Knowledge graph",
                             "plans, sections, tasks, bodies, chain elements and targets; filters by city, chain "
                             "element, industry and body"),
    "co-assignment.html": ("单位共同任务网络", "Co-assignment network",
                           "bodies linked by shared tasks, sized by coordinating load, coloured by community"),
    "cities-side-by-side.html": ("两市对比", "Cities side by side", "the cities over the functions both have"),
    "report.html": ("对比报告", "Report", "coverage, load ranking and its robustness, indicators, network figures"),
}


def write_views(answers, folder: Path) -> list[Path]:
    """Write the views of `answers` (a queries.answers.Answers) into `folder`; return the paths written.
    Everything is read from answers.store and the answers; nothing is written anywhere else."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    data = GraphData.from_store(answers.store)
    pages = {
        "knowledge-graph.html": knowledge_graph.page(data, load.by_body(answers.store, kinds="all")),
        "co-assignment.html": co_assignment.page(answers.network, answers.load_by_body, load.headline_weights()),
        "cities-side-by-side.html": side_by_side.page(data, answers.network, answers.comparison,
                                                      load.headline_weights()),
        "report.html": report.page(answers, data),
    }
    pages["index.html"] = index_page(data)
    written = []
    for name, text in pages.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def index_page(data: GraphData) -> str:
    return render("index.html", "healthkg views", css=report.CSS, body_class="report", pages=PAGES,
                  cities=", ".join(data.cities), counts=data.counts())
