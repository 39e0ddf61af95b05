"""Every research question answered from one store: the .rq library, the network tables and the
comparison, written as CSV and Markdown, and the headline answer as a sentence with its numbers."""
from pathlib import Path

from queries import library
from queries.compare import Comparison
from queries.network import HEADLINE_WEIGHTS, WEIGHTINGS, Network
from queries.runner import run, to_csv, to_markdown, to_table
from queries.stores import Answer


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


class Answers:
    def __init__(self, store):
        self.store = store
        self.queries = library.all_queries(include_checks=False)
        self.results = {name: run(query, store) for name, query in self.queries.items()}
        self.network = Network.from_store(store)
        # A comparison needs two cities; a corpus of one city's plans still gets every other answer.
        self.comparison = Comparison(store, self.network) if len(self.network.cities) >= 2 else None
        self.tables: dict[str, tuple[str, Answer]] = {
            "network-load-by-function": ("协调负担指数(按职能) | Coordinating-load index by function (lead 2 : co-op 1)",
                                         self.network.load_by_function()),
            "network-load-robustness": ("排名稳健性 | Ranking under other weightings", self.network.robustness()),
            "network-load-by-body": ("协调负担指数(按单位) | Coordinating-load index by body", self.network.load_by_body()),
            "network-collectives": ("统称单位(非单一部门) | Collectives, shown apart", self.network.collectives()),
            "network-centrality": ("共同任务网络中心性 | Centrality in the co-assignment network",
                                   self.network.centrality()),
            "network-city-figures": ("两市网络指标 | Network figures per city", self.network.city_figures()),
        }
        if self.comparison:
            self.tables["comparison-coverage"] = (
                f"{self.comparison.first} vs {self.comparison.second} 覆盖对比 | Coverage compared",
                self.comparison.table())
            self.tables["comparison-functions"] = ("职能集合相似度 | Similarity of the function sets",
                                                   self.comparison.summary())

    def headline(self) -> str:
        table = self.network.load_by_function()
        top = table.as_dicts()[0]
        robust = self.network.robustness(top=10)
        top_ranks = robust.rows[0][3:]
        stable = sum(1 for rank in top_ranks if rank == 1)
        weights = ":".join(map(str, HEADLINE_WEIGHTS))
        lines = [
            f"Headline: across {_count(len(self.network.cities), 'city', 'cities')}, the {top['function_en']} ({top['function_zh']}) "
            f"bodies carry the most coordinating load: they lead {top['lead']} tasks and co-operate on "
            f"{top['cooperating']} (index {top[f'load_index_{HEADLINE_WEIGHTS[0]}_{HEADLINE_WEIGHTS[1]}']} at "
            f"lead {weights} co-operating; {_count(top['bodies'], 'body', 'bodies')} in "
            f"{_count(top['cities'], 'city', 'cities')}). It ranks first under "
            f"{stable} of {len(WEIGHTINGS)} weightings.",
            "",
            "Top 10 functions (collectives such as 各县区人民政府 left out):",
            to_table(Answer(table.variables[1:], [row[1:] for row in table.rows]), limit=10),
            "Robustness: rank of each under other weightings of lead vs co-operating:",
            to_table(Answer(robust.variables[1:], [row[1:] for row in robust.rows])),
        ]
        return "\n".join(lines)

    def write(self, folder: Path) -> list[Path]:
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for name, answer in self.results.items():
            written += self._write(folder, name, answer, to_markdown(answer, self.queries[name]))
        for name, (title, answer) in self.tables.items():
            written += self._write(folder, name, answer, f"## {title}\n\n" + to_markdown(answer))
        (folder / "headline.md").write_text("```\n" + self.headline() + "```\n", encoding="utf-8")
        return written + [folder / "headline.md"]

    @staticmethod
    def _write(folder: Path, name: str, answer: Answer, markdown: str) -> list[Path]:
        csv_path, md_path = folder / f"{name}.csv", folder / f"{name}.md"
        csv_path.write_text(to_csv(answer), encoding="utf-8")
        md_path.write_text(markdown, encoding="utf-8")
        return [csv_path, md_path]
