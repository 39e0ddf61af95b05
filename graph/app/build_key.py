"""The main job's build key: a sha256 over exactly what its output folder is computed from, so that a rerun
whose key equals the one recorded in the folder (graph.app.output_folder) can keep the folder as it is.

What goes in: every plan text of --sources and its .meta.json (names and bytes); the options that change the
output or the report (--encoding, --reasoner, HermiT's bounds, the output folder's path, which the report
names); the package's own files (code, tables in graph/data/, the ontology, queries, templates and assets;
not its documentation, bundled plans or committed release); the versions of Python and of the libraries that
shape the outputs; HermiT's class path (digest) and which java would run it.
"""
import os
import shutil
import sys
from importlib import metadata, resources
from pathlib import Path

from healthkg.graph.app.output_folder import MARKER
from healthkg.graph.extract.metadata import metadata_path
from healthkg.graph.result_cache import digest, file_digest
from healthkg.ontology.reasoning.hermit import classpath_digest, hermit_classpath

FORMAT = 1                 # what goes into the key; a new recipe never matches an old folder
# Libraries whose version can change a byte of the output: parsing and serialising, the store and the
# queries, validation, reasoning, pinyin ids, the views' layout and templates.
LIBRARIES = ("rdflib", "pyparsing", "pyoxigraph", "pyshacl", "pyrudof", "owlready2", "owlrl", "pypinyin",
             "networkx", "numpy", "scipy", "pyvis", "jinja2", "markupsafe")
PACKAGE = Path(str(resources.files("healthkg")))
SUBPACKAGES = ("graph", "ontology", "queries", "viz")
# Inside the package but not what an output is computed from: the bundled plans (read through --sources,
# when they are the sources), the committed release (--update-release writes it), the documentation.
NOT_INPUTS = ("graph/sources", "graph/release")
SKIPPED_SUFFIXES = (".md", ".pyc")


def package_files(package: Path | None = None) -> list[Path]:
    """The package's own files, in a stable order: its top-level modules and every file of its
    subpackages, without caches, hidden files, documentation or an output folder someone put inside."""
    package = package or PACKAGE
    skipped = tuple(package / name for name in NOT_INPUTS)
    files = sorted(path for path in package.glob("*.py") if path.is_file())
    for name in SUBPACKAGES:
        files += _walk(package / name, skipped)
    return files


def _walk(folder: Path, skipped: tuple[Path, ...] = ()) -> list[Path]:
    files: list[Path] = []
    for here, subfolders, names in os.walk(folder):
        subfolders[:] = sorted(sub for sub in subfolders
                               if not sub.startswith(".") and sub != "__pycache__"
                               and Path(here, sub) not in skipped and not Path(here, sub, MARKER).exists())
        files += [Path(here, name) for name in sorted(names)
                  if not name.startswith(".") and not name.endswith(SKIPPED_SUFFIXES)]
    return files


def source_files(plans: list[Path]) -> list[Path]:
    """The plan texts (pipeline.plan_files) and the metadata files beside them."""
    return [file for plan in plans for file in (plan, metadata_path(plan)) if file.is_file()]


def build_key(plans: list[Path], out: Path, *, encoding: str | None, reasoner: str, hermit_seconds: float | None,
              hermit_memory_gb: float | None, read_from: tuple[Path, ...] = ()) -> str:
    """The key of a main job reading `plans` (pipeline.plan_files of --sources) into `out`. `read_from`:
    the files and folders the stages read their tables, ontology and queries from; they are inside the
    package, and hashed with it, unless pointed elsewhere (as tests do)."""
    parts: list[str] = [f"healthkg build key {FORMAT}", f"out {out.resolve()}", f"encoding {encoding}",
                        f"reasoner {reasoner}", f"hermit bounds {hermit_seconds} s {hermit_memory_gb} GB",
                        f"python {sys.version}"]
    parts += [f"{library} {_version(library)}" for library in LIBRARIES]
    if reasoner != "rules":
        classpath = hermit_classpath()
        parts += [f"java {shutil.which('java')}", f"hermit {classpath and classpath_digest(classpath)}"]
    for plan in source_files(plans):
        parts += ["source", plan.name, file_digest(plan)]
    program = package_files()
    for path in program:
        parts += ["program", path.relative_to(PACKAGE).as_posix(), file_digest(path)]
    known = set(program)
    for root in read_from:
        for path in _walk(root) if root.is_dir() else [root]:
            if path not in known:
                parts += ["read", path.relative_to(root.parent).as_posix(), file_digest(path)]
    return digest(*parts)


def _version(library: str) -> str:
    try:
        return metadata.version(library)
    except metadata.PackageNotFoundError:
        return "not installed"
