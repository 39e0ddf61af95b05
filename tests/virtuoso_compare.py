"""Every .rq of the library at its defaults (and search-tasks with masks, one term, several words, match=all)
through EndpointStore (what --endpoint uses) against Virtuoso 7.2 and Oxigraph's server, compared with the embedded
store row for row, in order. `.venv/bin/python tests/virtuoso_compare.py` from the repository."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from conftest import RELEASE  # noqa: E402 - tests/ is on the path only from here
from processes import Virtuoso  # noqa: E402
from test_virtuoso import SEARCH_PARAMS  # noqa: E402

from healthkg.queries import library, runner  # noqa: E402
from healthkg.queries.server import OxigraphServer, free_port  # noqa: E402
from healthkg.queries.stores import EndpointStore, OxigraphStore  # noqa: E402

embedded = OxigraphStore(RELEASE)
cases = [(n, {}) for n in sorted(library.all_queries())] + [("search-tasks", p) for p in SEARCH_PARAMS]
with Virtuoso(RELEASE) as v, OxigraphServer(RELEASE, free_port(), timeout=30) as o:
    servers = {"virtuoso": EndpointStore(v.query_url, 30), "oxigraph-server": EndpointStore(o.query_url, 30)}
    counts = {s: [0, 0, 0] for s in servers}     # same order, same multiset only, different
    for name, params in cases:
        want = runner.run(library.get(name), embedded, params)
        line = []
        for s, store in servers.items():
            got = runner.run(library.get(name), store, params)
            same = got.variables == want.variables and got.rows == want.rows
            as_set = got.variables == want.variables and sorted(map(repr, got.rows)) == sorted(map(repr, want.rows))
            verdict = "identical" if same else ("same rows, ties ordered otherwise" if as_set else "DIFFERENT")
            counts[s][0 if same else 1 if as_set else 2] += 1
            line.append(f"{s}: {verdict}")
        label = name + (" " + ",".join(f"{k}={v}" for k, v in params.items()) if params else "")
        print(f"{label:<55} {len(want.rows):>5} rows  " + "; ".join(line))
    for s, (a, b, c) in counts.items():
        print(f"{s}: {a} identical, {b} same rows with ties in another order, {c} different, of {len(cases)}")
