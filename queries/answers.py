"""Every research question answered from one store: the .rq library, the network tables and the
comparison, written as CSV and Markdown, and the headline answer as a sentence with its numbers."""
from pathlib import Path

from healthkg.queries import library, load
from healthkg.queries.compare import Comparison
from healthkg.queries.exports import CSV_ENCODING
from healthkg.queries.network import Network
from healthkg.queries.runner import run_all, to_csv, to_markdown, to_table
from healthkg.queries.stores import Answer, Store


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


class Answers:
    def __init__(self, store: Store):
        self.store = store
        self.queries = library.all_queries(include_checks=False)
        self.results = {name: run_all(query, store) for name, query in self.queries.items()}
        self.network = Network.from_store(store, load_by_body=self.results[load.BY_BODY])
        # A comparison needs two cities; a corpus of one city's plans still gets every other answer.
        self.comparison = Comparison(store, self.network) if len(self.network.cities) >= 2 else None
        weights = ":".join(map(str, load.headline_weights()))
        self.tables: dict[str, tuple[str, Answer]] = {
            "network-load-robustness": ("排名稳健性 | Ranking under other weightings", load.robustness(store)),
            "network-centrality": ("共同任务网络中心性 | Centrality in the co-assignment network",
                                   self.network.centrality()),
            "network-city-figures": ("两市网络指标 | Network figures per city", self.network.city_figures()),
        }
        if self.comparison:
            self.tables["comparison-coverage"] = (
                f"{self.comparison.first} vs {self.comparison.second} 覆盖对比 | "
                "Coverage compared (per 100 tasks of each city)",
                self.comparison.table())
            self.tables["comparison-function-load"] = (
                "按规模调整的职能负担 | "
                f"Coordinating load by function per 100 tasks of each city (lead {weights} co-op)",
                self.comparison.function_load())
            self.tables["comparison-functions"] = ("职能集合相似度 | Similarity of the function sets",
                                                   self.comparison.summary())

    @property
    def load_by_function(self) -> Answer:
        return self.results[load.BY_FUNCTION]

    @property
    def load_by_body(self) -> Answer:
        return self.results[load.BY_BODY]

    def counted_kinds(self) -> tuple[list[str], list[str]]:
        """Labels of the kinds the load counts by default, and of the kinds shown apart, with bodies."""
        counted: list[str] = []
        apart: list[str] = []
        wanted = load.default_kinds()
        for row in self.results["kinds-of-body"].as_dicts():
            if row["bodies"]:
                kind = row["kind"].rsplit("/", 1)[-1]
                label = f"{row['kind_en']} ({row['bodies']})"
                (counted if wanted in (kind, row["group"]) else apart).append(label)
        return counted, apart

    def formal_coordination(self) -> str:
        """Per city, who the plan makes coordinate overall, as the coordination-roles answer says."""
        parts = []
        for row in self.results["coordination-roles"].as_dicts():
            if row["role_id"] != "overall-coordination":
                continue
            if not row["agency"]:
                parts.append(f"{row['city']}: not named in the plan")
            elif row["written_as"]:
                parts.append(f"{row['city']}: {row['written_as']}, housed in {row['name_zh']} ({row['name_en']})")
            else:
                parts.append(f"{row['city']}: {row['name_zh']} ({row['name_en']})")
        return "; ".join(parts) or "no plan names it"

    def headline(self) -> str:
        table = self.load_by_function
        rows = table.as_dicts()
        first = [row for row in rows if row["rank"] == 1]
        top = first[0]
        robust = self.tables["network-load-robustness"][1]
        stable = sum(1 for rank in robust.rows[0][3:] if rank == 1) if robust.rows else 0
        weights = ":".join(map(str, load.headline_weights()))
        second = [row for row in rows if row["rank"] == 2]
        counted, apart = self.counted_kinds()
        twice = sum(row["listed_twice"] for row in rows)
        who = " and ".join(f"{row['function_en']} ({row['function_zh']})" for row in first)
        verb = "carry" if len(first) == 1 else "tie for"
        lines = [
            f"Headline: across {_count(len(self.network.cities), 'city', 'cities')}, the {who} bureaus {verb} the most "
            f"coordinating load: they lead {top['lead']} tasks and only co-operate on {top['cooperating']} "
            f"(index {top['load_index']} at lead {weights} co-operating; "
            f"{_count(top['bodies'], 'bureau', 'bureaus')} in {_count(top['cities'], 'city', 'cities')}). "
            f"It ranks first under {stable} of {len(load.WEIGHTINGS)} weightings."
            + (" Second: " + ", ".join(f"{row['function_en']} ({row['function_zh']}, index {row['load_index']})"
                                       for row in second) + "." if second else ""),
            "",
            f"Counted: government departments only — {', '.join(counted)}. Shown apart (other-bodies-load): "
            f"{', '.join(apart) or 'none'}. A task on which one function is written both as lead and as co-operating "
            f"counts once, as lead ({_count(twice, 'such listing', 'such listings')}).",
            "",
            "Formal coordination (coordination-roles; bracket load above is how often a bureau is named in the tasks' "
            "brackets, not who the plan makes coordinate): " + self.formal_coordination() + ".",
            "",
            f"Top 10 functions (rank: equal indexes share a rank; the same order as `query {load.BY_FUNCTION}`):",
            to_table(Answer(table.variables[:1] + table.variables[2:-1], [row[:1] + row[2:-1] for row in table.rows]),
                     limit=10),
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
        # with a byte-order mark: Excel (a Chinese Windows above all) reads the file as UTF-8 only then
        csv_path.write_text(to_csv(answer), encoding=CSV_ENCODING)
        md_path.write_text(markdown, encoding="utf-8")
        return [csv_path, md_path]
