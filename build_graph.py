#!/usr/bin/env python3
"""healthkg command line: extract records from plan texts and run the main job.

    python build_graph.py                       # the main job on the bundled plans, into out/
    python build_graph.py --out DIR             # the same, into DIR
    python build_graph.py extract FILE --json   # one plan's records as JSON on stdout
"""
import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from graph import pipeline  # noqa: E402
from graph.decode import DecodeError  # noqa: E402
from graph.extract import NoTasksFound, extract_file  # noqa: E402

EXIT_BUILD_FAILED = 1
EXIT_BAD_INPUT = 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build_graph.py", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "out", help="output folder (default: out/)")
    parser.add_argument("--sources", type=Path, default=ROOT / "graph" / "sources",
                        help="folder of plan texts (default: the bundled plans)")
    parser.add_argument("--update-release", action="store_true",
                        help="also copy the built graph to graph/release/ (the committed release)")
    commands = parser.add_subparsers(dest="command")
    extract = commands.add_parser("extract", help="print one plan's records")
    extract.add_argument("file", type=Path)
    extract.add_argument("--json", action="store_true", help="print JSON (the default; kept for clarity)")
    extract.add_argument("--encoding", help="the file's encoding, if not UTF-8 or GB18030/GBK")
    args = parser.parse_args(argv)
    try:
        if args.command == "extract":
            return run_extract(args)
        return pipeline.run_main_job(args.sources, args.out, args.update_release)
    except (NoTasksFound, DecodeError, pipeline.InputError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
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
    json.dump(records, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
