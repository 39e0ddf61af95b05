"""Plans that kill the Dask worker process running them, for tests/test_cluster.py. The tests put these in
place of corpus.plan_triples in the test process; the workers import this module to run them (pytest puts
tests/ on sys.path, and spawned workers inherit it)."""
import os
from pathlib import Path

from healthkg.graph.app.corpus import plan_triples


def die_once(marker: Path, path: Path, *args):
    """The first plan given to any worker kills that worker (the marker file, created atomically, records its
    pid); every other plan, and that plan again, is built as usual."""
    try:
        with open(marker, "x") as file:
            file.write(str(os.getpid()))
    except FileExistsError:
        return plan_triples(path, *args)
    os._exit(1)


def die_on(victim: str, path: Path, *args):
    """The plan file named `victim` kills every worker it is given to."""
    if Path(path).name == victim:
        os._exit(1)
    return plan_triples(path, *args)
