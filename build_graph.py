#!/usr/bin/env python3
"""healthkg: a knowledge graph of Chinese municipal big-health industry plans.

    python build_graph.py                        # the main job on the bundled plans, into out/
    python build_graph.py --out DIR              # the same, into DIR
    python build_graph.py extract FILE --json    # one plan's records as JSON on stdout
    python build_graph.py extract FILE           # what was found in it, section by section
    python build_graph.py query --list           # the research questions
    python build_graph.py query NAME [--param k=v] [--format table|csv|json] [--endpoint URL]
    python build_graph.py query my-question.rq   # your own SPARQL file, the project's prefixes declared
    python build_graph.py query --sparql 'SELECT ?task WHERE { ?task a hk:Task } LIMIT 5'
    python build_graph.py serve [--port N]       # a read-only SPARQL endpoint and the query page on 127.0.0.1
    python build_graph.py build --sources DIR [--store-dir DIR]   # a corpus into an on-disk store
    python build_graph.py bench [--plans 2,20,200,2000] [--json FILE]  # stage times, memory, query latency
"""
import argparse
import json
import os
import signal
import sys
from pathlib import Path

from healthkg.graph import child_processes
from healthkg.graph.app import pipeline
from healthkg.graph.app.corpus import DEFAULT_HERMIT_SAMPLE, build_corpus
from healthkg.graph.app.output_folder import OutputError
from healthkg.graph.bench import benchmark as bench
from healthkg.graph.extract.decode import DecodeError, known_encoding
from healthkg.graph.extract.metadata import MetadataError
from healthkg.graph.extract.records import NoTasksFound, extract_file
from healthkg.graph.result_cache import ENVIRONMENT, ResultCache
from healthkg.queries import library, runner, stores
from healthkg.queries.front import QueryFront
from healthkg.queries.library import QueryError
from healthkg.queries.server import DEFAULT_QUERY_TIMEOUT as SERVE_TIMEOUT
from healthkg.queries.server import OxigraphServer, free_port
from healthkg.queries.stores import DEFAULT_MAX_RESPONSE_MB as ENDPOINT_MAX_MB
from healthkg.queries.stores import DEFAULT_TIMEOUT as ENDPOINT_TIMEOUT
from healthkg.queries.stores import StoreError, StoreInputError

EXIT_BUILD_FAILED = 1
EXIT_BAD_INPUT = 2
ENCODING_HELP = ("the plan files' encoding, for those whose .meta.json gives none "
                 "(default: detect UTF-8, UTF-16 with a byte-order mark, GB18030/GBK)")


def encoding_option(name: str) -> str:
    try:
        return known_encoding(name)
    except DecodeError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def positive_number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number, got {text}")
    return value


def port_number(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = 0
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"must be a port number from 1 to 65535, got {text}")
    return port


class Parser(argparse.ArgumentParser):
    """Bad arguments are one line and exit code 2, like every other bad input."""
    def error(self, message: str):
        self.exit(EXIT_BAD_INPUT, f"error: {message} (see {self.prog} --help)\n")


def parse_args(argv):
    # `healthkg` when run as the installed command, else the script's name
    prog = "healthkg" if Path(sys.argv[0]).name == "healthkg" else "build_graph.py"
    parser = Parser(prog=prog, description=__doc__.split("\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n".join(__doc__.split("\n")[2:]))
    parser.add_argument("--out", type=Path, help="output folder (default: out/)")
    parser.add_argument("--sources", type=Path, help="folder of plan texts (default: the bundled plans)")
    parser.add_argument("--encoding", type=encoding_option, dest="main_encoding", metavar="ENC",
                        help=ENCODING_HELP)
    parser.add_argument("--update-release", action="store_true",
                        help="also copy the built graph to graph/release/ (the committed release)")
    parser.add_argument("--force", action="store_true",
                        help="write into an --out folder that holds files healthkg did not write: "
                             "they are moved aside to OUT.before-healthkg-<time>, never deleted")
    parser.add_argument("--reasoner", choices=("auto", "hermit", "rules"), default="auto", dest="main_reasoner",
                        help="how the main job checks the rules engine's answer: auto (default: HermiT, or the "
                             "pure-Python OWL RL closure without Java or past HermiT's bounds), hermit (HermiT, "
                             "which must finish) or rules (HermiT turned off, not checked)")
    parser.add_argument("--hermit-timeout", type=positive_number, metavar="SECONDS",
                        help="seconds HermiT may take (default: 60 + 1 per 1,000 triples of its input, at most 600)")
    parser.add_argument("--hermit-memory", type=positive_number, metavar="GB",
                        help="HermiT's Java heap, -Xmx, for each of the check's two JVMs (default: a quarter of the "
                             "memory, at most 4 GB)")
    parser.add_argument("--no-cache", action="store_true",
                        help="build everything anew: neither keep an --out folder that is up to date (built "
                             "from the same plans, options, tables, ontology, queries and program, and unchanged "
                             "since) nor reuse a verified result (HermiT's confirmation, the validation, the rules "
                             f"engine's answer) kept from a run on the same input in ${ENVIRONMENT} or the user's "
                             f"cache folder; {ENVIRONMENT}= (empty) does the same")
    commands = parser.add_subparsers(dest="command")

    extract = commands.add_parser("extract", help="print one plan's records")
    extract.add_argument("file", type=Path)
    extract.add_argument("--json", action="store_true",
                         help="print the records as JSON (graph/RECORDS.md); without it, a summary per section")
    extract.add_argument("--encoding", type=encoding_option, metavar="ENC", help=ENCODING_HELP)

    query = commands.add_parser("query", help="answer a research question (queries/*.rq), or your own SPARQL")
    query.add_argument("name", nargs="?", help="a question of the library (query --list), or a .rq file of yours "
                                               "(the project's prefixes are declared for it)")
    query.add_argument("--sparql", metavar="TEXT", help="inline SPARQL text, the project's prefixes declared for it")
    query.add_argument("--list", action="store_true", help="list the questions")
    query.add_argument("--param", action="append", default=[], metavar="K=V", help="bind a parameter")
    query.add_argument("--format", choices=("table", "csv", "json"), default="table")
    query.add_argument("--endpoint", help="ask this SPARQL 1.1 endpoint instead of the embedded store")
    query.add_argument("--store", choices=("oxigraph", "rdflib"), default="oxigraph",
                       help="the embedded store (default: oxigraph, in memory)")
    query.add_argument("--graph", type=Path, default=pipeline.RELEASE,
                       help="N-Triples file for the embedded store (default: the committed release)")
    query.add_argument("--timeout", type=positive_number, default=ENDPOINT_TIMEOUT,
                       help="the most seconds one request to an endpoint may take, all of it "
                            f"(default: {ENDPOINT_TIMEOUT})")
    query.add_argument("--max-response-mb", type=positive_number, default=ENDPOINT_MAX_MB,
                       help=f"refuse an endpoint's answer larger than this, in MB (default: {ENDPOINT_MAX_MB})")
    query.add_argument("--store-dir", type=Path, help="ask the on-disk store built by `build` instead")

    serve = commands.add_parser("serve", help="start a read-only SPARQL endpoint loaded with the graph")
    serve.add_argument("--port", type=port_number, default=7878)
    serve.add_argument("--graph", type=Path, default=pipeline.RELEASE)
    serve.add_argument("--store-dir", type=Path, help="serve the on-disk store built by `build`")
    serve.add_argument("--timeout", type=positive_number, default=SERVE_TIMEOUT,
                       help=f"the server cancels a query after this many seconds (default: {SERVE_TIMEOUT})")
    serve.add_argument("--allow-federation", action="store_true",
                       help="let queries use SERVICE <URL> (the server then connects where a query says)")

    corpus = commands.add_parser("build", help="build a corpus of plans into an on-disk Oxigraph store")
    corpus.add_argument("--sources", type=Path, required=True, dest="corpus_sources", help="folder of plan texts")
    corpus.add_argument("--store-dir", type=Path, default=Path("store"),
                        help="the store folder, replaced when the build succeeds (default: store/)")
    corpus.add_argument("--force", action="store_true", dest="force_store",
                        help="build into a --store-dir that holds files healthkg did not write "
                             "(they are moved aside, never deleted)")
    corpus.add_argument("--reasoner", choices=("rules", "hermit"), default="rules",
                        help="per-plan reasoning: the linear rules engine (default) or HermiT")
    corpus.add_argument("--jobs", type=int, help="worker processes of the local Dask cluster, plans processed at "
                                                 "once (default: one per CPU core; 1: no cluster, in this process)")
    corpus.add_argument("--scheduler", metavar="ADDRESS",
                        help="run the plans on an existing Dask cluster (tcp://HOST:8786) instead of a local one; "
                             "its workers must have healthkg installed and see --sources at the same path")
    corpus.add_argument("--hermit-sample", type=float, default=DEFAULT_HERMIT_SAMPLE, metavar="FRACTION",
                        help="with the rules engine, the share of plans HermiT checks it on, at least one plan; "
                             f"any difference fails the build (default: {DEFAULT_HERMIT_SAMPLE}; 0: none)")
    corpus.add_argument("--sample-seed", type=int, default=0, help="the seed that picks the plans HermiT checks")
    corpus.add_argument("--encoding", type=encoding_option, dest="corpus_encoding", metavar="ENC",
                        help=ENCODING_HELP)
    bench_command = commands.add_parser("bench", help="measure stage times, memory and query latency from 2 to "
                                                      "2,000 synthetic plans (graph/bench/BENCHMARK.md)")
    bench.add_arguments(bench_command)
    args = parser.parse_args(argv)
    # One meaning per option: the options before a command are the main job's, and the main job takes no command.
    if args.command:
        given = [option for option, value in (("--sources", args.sources), ("--out", args.out),
                                               ("--update-release", args.update_release))
                 if value not in (None, False)]
        if given:
            parser.error(f"{', '.join(given)} before `{args.command}` would apply to the main job, which "
                         f"`{args.command}` does not run; write the command's own options after it")
    args.sources = args.sources or pipeline.SOURCES
    args.out = args.out or Path("out")
    return args


class Interrupted(BaseException):
    """SIGINT, SIGTERM or SIGHUP reached the program (BaseException: no `except Exception` swallows it)."""
    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _interrupt(signum, frame):
    raise Interrupted(signum)


INTERRUPTING = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def main(argv: list[str] | None = None) -> int:
    """The command line; Ctrl-C, SIGTERM and SIGHUP end it with one line, its children killed, and exit
    code 128 + the signal's number (130 for Ctrl-C)."""
    previous = {signum: signal.signal(signum, _interrupt) for signum in INTERRUPTING}
    try:
        return run_command(list(sys.argv[1:] if argv is None else argv))
    except BrokenPipeError:         # the reader left (`... | head`): stop quietly, as other tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except (Interrupted, KeyboardInterrupt) as interruption:
        child_processes.kill_all()
        signum = getattr(interruption, "signum", signal.SIGINT)
        print(f"interrupted ({signal.Signals(signum).name}); the previous output is untouched", file=sys.stderr)
        return 128 + signum
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def run_command(argv: list[str]) -> int:
    args = parse_args(argv)
    try:
        if args.command == "bench":
            return bench.run(args)
        if args.command == "extract":
            return run_extract(args)
        if args.command == "query":
            return run_query(args)
        if args.command == "serve":
            return run_serve(args)
        if args.command == "build":
            return run_build(args)
        return pipeline.run_main_job(args.sources, args.out, args.update_release, force=args.force,
                                     encoding=args.main_encoding,
                                     checking=pipeline.Checking(args.main_reasoner, args.hermit_timeout,
                                                                args.hermit_memory),
                                     cache=None if args.no_cache else ResultCache.from_environment())
    except (NoTasksFound, DecodeError, MetadataError, pipeline.InputError, QueryError, OutputError,
            StoreInputError) as error:   # bad input; StoreInputError before StoreError (its base)
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except StoreError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BUILD_FAILED
    except pipeline.BuildFailed as error:
        print(f"build failed: {error}", file=sys.stderr)
        return EXIT_BUILD_FAILED


def run_extract(args) -> int:
    if not args.file.is_file():
        raise pipeline.InputError(f"no such file: {args.file}")
    try:
        records = extract_file(args.file, args.encoding)
    except NoTasksFound as error:
        raise NoTasksFound(f"{args.file}: {error}") from error
    for warning in records["warnings"]:
        print(f"warning: {warning}", file=sys.stderr)
    if args.json:
        json.dump(records, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        print(pipeline.summary(records))
    return 0


def run_query(args) -> int:
    if args.list or not (args.name or args.sparql is not None):
        for name, query in library.all_queries().items():
            print(f"{name:<40} {query.title or '(quality check: returns zero rows)'}")
            for param, description in query.params.items():
                print(f"    --param {param}={query.defaults.get(param, '')}  ({description})")
        return 0
    query = chosen_query(args.name, args.sparql)
    params = dict(_key_value(item) for item in args.param)
    store: stores.Store
    if args.endpoint:
        store = stores.EndpointStore(args.endpoint, args.timeout, args.max_response_mb)
    elif args.store_dir:
        store = stores.OxigraphStore(path=args.store_dir, read_only=True)
    else:
        if not args.graph.is_file():
            raise pipeline.InputError(f"no graph file {args.graph}; run the main job first")
        store = stores.OxigraphStore(args.graph) if args.store == "oxigraph" else stores.RdflibStore(args.graph)
    answer = runner.run(query, store, params)
    sys.stdout.write(runner.RENDERERS[args.format](answer))
    return 0


def chosen_query(name: str | None, sparql: str | None) -> library.Query:
    """A library question by name, a .rq file, or --sparql text (the last two with the project's prefixes)."""
    if sparql is not None:
        if name:
            raise QueryError(f"give either a query ({name}) or --sparql, not both")
        if not sparql.strip():
            raise QueryError("--sparql: the query text is empty")
        return library.adhoc(sparql, "--sparql")
    if name is None:
        raise QueryError("give a query: a name (query --list), a .rq file or --sparql TEXT")
    path = Path(name)
    if name.endswith(".rq") or os.sep in name or path.is_file():
        if not path.is_file():
            raise QueryError(f"no such query file: {name}")
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as error:
            raise QueryError(f"{name} is not UTF-8 text ({error.reason} at byte {error.start})") from None
        return library.adhoc(text, path.stem)
    return library.get(name)


def _key_value(item: str) -> tuple[str, str]:
    key, sep, value = item.partition("=")
    if not sep or not key:
        raise QueryError(f"--param takes NAME=VALUE, got {item!r}")
    return key.strip(), value


def run_build(args) -> int:
    summary = build_corpus(args.corpus_sources, args.store_dir, "auto" if args.reasoner == "hermit" else "rules",
                           jobs=args.jobs, force=args.force_store, encoding=args.corpus_encoding,
                           hermit_fraction=args.hermit_sample, sample_seed=args.sample_seed,
                           scheduler=args.scheduler)
    print(f"{summary['plans']} plans, {summary['tasks']} tasks, {summary['targets']} targets: "
          f"{summary['triples']} triples ({summary['inferred']} inferred) in {args.store_dir} "
          f"({summary['seconds']} s with {summary['jobs']} jobs on {summary['workers']}, reasoning: {args.reasoner})")
    print("seconds per stage, summed over the plans: "
          + ", ".join(f"{stage} {seconds:.1f}" for stage, seconds in summary["stage_seconds"].items()))
    check = summary["hermit_check"]
    print(f"HermiT's check of the rules engine: {check['checked']} of {check['sampled']} sampled plans agree "
          f"({check['note']})" if check["sampled"] else f"HermiT's check of the rules engine: {check['note']}")
    print(f"ask it: build_graph.py query NAME --store-dir {args.store_dir}")
    return 0


def run_serve(args) -> int:
    # The user's port is taken first (a taken port fails before anything starts): the front there serves the
    # query page and passes everything else to Oxigraph's server on a private port (queries/front.py).
    front = QueryFront(args.port, free_port(), idle_timeout=args.timeout + 60)
    server = OxigraphServer(args.graph, front.upstream_port, store_dir=args.store_dir, query_timeout=args.timeout,
                            allow_federation=args.allow_federation)
    # SIGTERM and SIGHUP stop it as Ctrl-C does, so the server and its temporary store go with it; Ctrl-C
    # stops it even when started from a shell that ignores SIGINT (a background job inherits that)
    for stop in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(stop, _stop_once)
    try:
        server.start()          # stops what it started if it fails or is interrupted
        with server:
            front.start()
            federation = "SERVICE allowed" if args.allow_federation else "SERVICE refused (--allow-federation)"
            print(f"SPARQL endpoint (read-only) at {front.url}/query; query page at {front.url}/ "
                  f"(offline, the project's prefixes and questions); queries cancelled after {args.timeout} s; "
                  f"{federation}; Ctrl-C stops it", flush=True)
            code = server.wait()
    except KeyboardInterrupt:
        print("stopping", file=sys.stderr)
        return 0
    finally:
        front.stop()
    raise StoreError(f"the oxigraph server stopped by itself (exit code {code})")


def _stop_once(*_) -> None:
    """The first stop signal ends `serve`; later ones are ignored so that the cleanup runs to its end."""
    for stop in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(stop, signal.SIG_IGN)
    raise KeyboardInterrupt

if __name__ == "__main__":
    code = main()
    if code > 128:          # interrupted: children are killed and staging removed; don't wait for
        sys.stdout.flush()  # worker threads (a validation running alongside) to finish their work
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)
