"""Run a named query against a store and render its answer as a table, CSV, JSON or Markdown."""
import csv
import io
import json
import re
from decimal import Decimal

from healthkg.queries.library import Query, QueryError
from healthkg.queries.stores import Answer, QuerySyntaxError, Store

CONCEPT_IDS = """SELECT ?concept WHERE {{ ?concept <http://www.w3.org/2004/02/skos/core#inScheme>
  <https://w3id.org/healthkg/concept/scheme/{scheme}> }}"""


def run(query: Query, store: Store, params: dict[str, str] | None = None, page: bool = True) -> Answer:
    """The answer; for a question that lists rows (`# page: rows`), one page of it (`limit` rows after the first
    `offset`) with the total number of rows, unless `page` is False: then every row."""
    text = query.bind(params, page=page)
    values = query.values(params)
    for name, scheme in query.schemes.items():
        check_concepts(query, name, values[name], scheme, store)
    answer = _select(store, query, text)
    if page and query.paged:
        answer.limit, answer.offset = int(values["limit"]), int(values["offset"])
        answer.total = total_rows(query, store, params, answer)
    return ranked(answer, query.rank_by) if query.rank_by else answer


def run_all(query: Query, store, params: dict[str, str] | None = None) -> Answer:
    """Every row of the answer, whatever page size the question has: for the main job's answers, the network and
    the comparison, which read the whole answer."""
    return run(query, store, params, page=False)


def _select(store, query: Query, text: str) -> Answer:
    try:
        return store.select(text)
    except QuerySyntaxError as error:
        raise at_user_position(error, query, text) from None


SELECT_START = re.compile(r"^SELECT\b", re.MULTILINE)


def total_rows(query: Query, store, params: dict[str, str] | None, answer: Answer) -> int:
    """How many rows the whole answer has. A page short of its limit ends the answer: the rows before it and its
    own. Otherwise the store counts them: the same query (unpaged) as a sub-select of a COUNT, plain SPARQL 1.1
    that any endpoint runs."""
    limit, offset = answer.limit, answer.offset
    if limit is None or offset is None:
        raise QueryError(f"{query.name}: the answer is no page (no limit and offset) to count the rows of")
    if len(answer.rows) < limit and (answer.rows or not offset):
        return offset + len(answer.rows)
    text = query.bind(params, page=False)
    start = SELECT_START.search(text)
    if start is None:
        raise QueryError(f"{query.name}: a paged query must start its SELECT on a line of its own")
    counted = _select(store, query, f"{text[:start.start()]}SELECT (COUNT(*) AS ?total)\nWHERE {{\n"
                                    f"{text[start.start():]}\n}}\n")
    return int(counted.rows[0][0])


def at_user_position(error: QuerySyntaxError, query: Query, text: str) -> QuerySyntaxError:
    """The error with its line counted in the user's own text (without the prefixes declared before it), and
    that line quoted."""
    lines = text.splitlines()
    line = error.line - query.prologue_lines
    quoted = f' in "{lines[error.line - 1].strip()[:80]}"' if 0 < error.line <= len(lines) else ""
    return QuerySyntaxError(line, error.column, error.detail + quoted)


def check_concepts(query: Query, name: str, value: str, scheme: str, store: Store) -> None:
    """Each comma-separated id of `value` names a concept of the scheme in the store (or is `all`): an id
    that names nothing would silently count nothing."""
    wanted = [part.strip() for part in value.split(",") if part.strip()]
    known = sorted(str(row[0]).rsplit("/", 1)[-1] for row in store.select(CONCEPT_IDS.format(scheme=scheme)).rows)
    unknown = [part for part in wanted if part != "all" and part not in known]
    if not wanted or unknown:
        raise QueryError(f"{query.name}: {name}={value!r}: {', '.join(unknown) or 'no id'} is not a {scheme} in the "
                         f"graph; give a comma-separated list of: all, {', '.join(known)}")


def ranked(answer: Answer, variable: str) -> Answer:
    """The answer with a first column `rank`: its rows come ordered by `variable`, largest first, and
    equal values share a rank (1, 2, 2, 4); the query's ORDER BY breaks the tie for display."""
    if variable not in answer.variables:
        raise QueryError(f"the query ranks by ?{variable}, which its answer lacks")
    column = answer.variables.index(variable)
    values = [row[column] for row in answer.rows]
    if any(later > earlier for earlier, later in zip(values, values[1:])):
        raise QueryError(f"the query ranks by ?{variable} but does not order its rows by it, largest first")
    ranks: list[int] = []
    for position, value in enumerate(values):
        ranks.append(ranks[-1] if position and value == values[position - 1] else position + 1)
    return Answer(["rank"] + answer.variables, [[rank] + list(row) for rank, row in zip(ranks, answer.rows)])


def _text(value) -> str:
    if value is None:
        return ""
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def to_csv(answer: Answer) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(answer.variables)
    writer.writerows([[_text(v) for v in row] for row in answer.rows])
    return buffer.getvalue()


def to_json(answer: Answer) -> str:
    def plain(value):
        return float(value) if isinstance(value, Decimal) else value

    rows = [{k: plain(v) for k, v in row.items()} for row in answer.as_dicts()]
    data = {"variables": answer.variables, "rows": rows}
    if answer.total is not None:
        data.update(total=answer.total, offset=answer.offset, limit=answer.limit)
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def _width(text: str) -> int:
    """Display width: CJK characters take two columns in a terminal."""
    return sum(2 if "\u2e80" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" else 1 for ch in text)


def to_table(answer: Answer, limit: int | None = None) -> str:
    rows = [[_text(v) for v in row] for row in answer.rows[:limit]]
    widths = [max([_width(h)] + [_width(r[i]) for r in rows]) for i, h in enumerate(answer.variables)]

    def line(cells):
        return "  ".join(c + " " * (w - _width(c)) for c, w in zip(cells, widths)).rstrip()

    lines = [line(answer.variables), line(["-" * w for w in widths])] + [line(r) for r in rows]
    if limit is not None and len(answer.rows) > limit:
        lines.append(f"... {len(answer.rows) - limit} more rows")
    if answer.total is not None and (answer.offset or answer.total > len(answer.rows)):
        lines.append(page_line(answer))
    return "\n".join(lines) + "\n"


def page_line(answer: Answer) -> str:
    """Which rows of how many a page holds, and how to ask for the next."""
    offset, total = answer.offset, answer.total
    if offset is None or total is None:
        raise ValueError("the answer is no page (no offset and total)")
    shown = f"rows {offset + 1}-{offset + len(answer.rows)}" if answer.rows else "no rows"
    more = offset + len(answer.rows) < total
    return f"{shown} of {total}" + (f" (next page: --param offset={offset + len(answer.rows)})" if more else "")


def _escape_markdown(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(answer: Answer, query: Query | None = None) -> str:
    lines = []
    if query is not None:
        lines += [f"## {query.title or query.name}", ""]
        if query.question_zh or query.question_en:
            lines += [f"{query.question_zh}  ", f"{query.question_en}", ""]
        if query.row:
            lines += [f"One row: {query.row}", ""]
    lines.append("| " + " | ".join(answer.variables) + " |")
    lines.append("|" + "---|" * len(answer.variables))
    lines += ["| " + " | ".join(_escape_markdown(_text(v)) for v in row) + " |" for row in answer.rows]
    return "\n".join(lines) + "\n"


RENDERERS = {"table": to_table, "csv": to_csv, "json": to_json}
