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
NOT_INPUTS = (PACKAGE / "graph" / "sources", PACKAGE / "graph" / "release")
SKIPPED_SUFFIXES = (".md", ".pyc")


def package_files() -> list[Path]:
    """The package's own files, in a stable order: its top-level modules and every file of its
    subpackages, without caches, hidden files, documentation or an output folder someone put inside."""
    files = sorted(path for path in PACKAGE.glob("*.py") if path.is_file())
    for name in SUBPACKAGES:
        for folder, subfolders, names in os.walk(PACKAGE / name):
            here = Path(folder)
            subfolders[:] = sorted(sub for sub in subfolders
                                   if not sub.startswith(".") and sub != "__pycache__"
                                   and here / sub not in NOT_INPUTS and not (here / sub / MARKER).exists())
            files += [here / file for file in sorted(names)
                      if not file.startswith(".") and not file.endswith(SKIPPED_SUFFIXES)]
    return files


def source_files(plans: list[Path]) -> list[Path]:
    """The plan texts (pipeline.plan_files) and the metadata files beside them."""
    return [file for plan in plans for file in (plan, metadata_path(plan)) if file.is_file()]


def build_key(plans: list[Path], out: Path, *, encoding: str | None, reasoner: str, hermit_seconds: float | None,
              hermit_memory_gb: float | None) -> str:
    """The key of a main job reading `plans` (pipeline.plan_files of --sources) into `out`."""
    parts: list[str] = [f"healthkg build key {FORMAT}", f"out {out.resolve()}", f"encoding {encoding}",
                        f"reasoner {reasoner}", f"hermit bounds {hermit_seconds} s {hermit_memory_gb} GB",
                        f"python {sys.version}"]
    parts += [f"{library} {_version(library)}" for library in LIBRARIES]
    if reasoner != "rules":
        classpath = hermit_classpath()
        parts += [f"java {shutil.which('java')}", f"hermit {classpath and classpath_digest(classpath)}"]
    for kind, files, root in (("source", source_files(plans), None), ("program", package_files(), PACKAGE)):
        for path in files:
            parts += [kind, path.name if root is None else path.relative_to(root).as_posix(), file_digest(path)]
    return digest(*parts)


def _version(library: str) -> str:
    try:
        return metadata.version(library)
    except metadata.PackageNotFoundError:
        return "not installed"
