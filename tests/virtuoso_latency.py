"""Figures for the README, not a test: Virtuoso's start-up and bulk-load time of the release, and the median
latency of every question over RUNS runs through Virtuoso's endpoint and on the embedded Oxigraph store.

    .venv/bin/python tests/virtuoso_latency.py [RUNS]
"""
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from conftest import RELEASE  # noqa: E402 - tests/ is on the path only from here
from processes import Virtuoso  # noqa: E402

from healthkg.queries import library, runner  # noqa: E402
from healthkg.queries.stores import EndpointStore, OxigraphStore  # noqa: E402


def median_ms(query, store, runs: int) -> float:
    runner.run(query, store)                  # warm: the first run also compiles and caches
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        runner.run(query, store)
        times.append(time.perf_counter() - began)
    return statistics.median(times) * 1000


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    began = time.perf_counter()
    embedded = OxigraphStore(RELEASE)
    oxigraph_load = time.perf_counter() - began
    with Virtuoso(RELEASE) as server:
        endpoint = EndpointStore(server.query_url, timeout=60)
        print(f"Virtuoso start-up (new database) {server.started:.2f} s; bulk load of the release "
              f"{server.loaded:.2f} s; embedded Oxigraph load {oxigraph_load:.2f} s")
        print("| question | Oxigraph embedded (ms) | Virtuoso endpoint (ms) |\n|---|---:|---:|")
        totals = [0.0, 0.0]
        for name, query in library.all_queries().items():
            figures = [median_ms(query, embedded, runs), median_ms(query, endpoint, runs)]
            totals = [a + b for a, b in zip(totals, figures)]
            print(f"| {name} | {figures[0]:.1f} | {figures[1]:.1f} |")
        print(f"| total | {totals[0]:.1f} | {totals[1]:.1f} |")


if __name__ == "__main__":
    main()
