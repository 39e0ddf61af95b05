"""The package's shape (issue 18): one import name, layers that follow the data flow, one vocabulary."""
import ast
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from conftest import ROOT
from rdflib import Graph, URIRef

from healthkg.graph.rdf.vocab import HK, curie

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def test_installing_puts_only_healthkg_on_the_import_path():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert config["package-dir"] == {"healthkg": "."}
    assert all(name == "healthkg" or name.startswith("healthkg.") for name in config["packages"])
    on_disk = {".".join(("healthkg", *path.parent.relative_to(ROOT).parts)) for path in ROOT.glob("*/**/__init__.py")
               if ".venv" not in path.parts}
    assert on_disk <= set(config["packages"]), "a package folder that would not be installed"


def test_the_vocabulary_lists_exactly_the_ontology_terms():
    ontology = Graph().parse(ROOT / "ontology" / "healthkg.ttl")
    namespace = str(HK._NS)
    defined = {str(s)[len(namespace):] for s in ontology.subjects()
               if isinstance(s, URIRef) and str(s).startswith(namespace) and len(str(s)) > len(namespace)}
    assert set(HK.__annotations__) == defined


def test_a_misspelt_term_raises_instead_of_minting_an_iri():
    assert str(HK.leadUnit) == "https://w3id.org/healthkg/ontology#leadUnit"
    with pytest.raises(AttributeError, match="leadUnitt"):
        HK.leadUnitt  # noqa: B018 - the access itself is the test


def test_curie_prefers_the_longest_namespace_and_leaves_unknown_iris_alone():
    assert curie("https://w3id.org/healthkg/id/plan/laibin-2019-22") == "hkd:plan/laibin-2019-22"
    assert curie("https://w3id.org/healthkg/ontology#Task") == "hk:Task"
    assert curie("https://example.org/x") == "https://example.org/x"
    assert curie("https://w3id.org/healthkg/ontology#") == "https://w3id.org/healthkg/ontology#"


@pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is installed with the test extra")
def test_the_layers_contract_holds():
    done = subprocess.run([str(LINT_IMPORTS)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-2000:]
    assert "1 kept, 0 broken" in done.stdout


@pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is installed with the test extra")
def test_the_layers_contract_can_fail(tmp_path):
    """The same checker, with the data flow upside down, must report the imports that exist."""
    upside_down = tmp_path / "contracts.toml"
    upside_down.write_text('[tool.importlinter]\nroot_package = "healthkg"\n\n'
                           '[[tool.importlinter.contracts]]\nname = "upside down"\ntype = "layers"\n'
                           'layers = ["healthkg.graph.extract", "healthkg.graph.app"]\n', encoding="utf-8")
    done = subprocess.run([str(LINT_IMPORTS), "--config", str(upside_down)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 1
    assert "healthkg.graph.app is not allowed to import healthkg.graph.extract" in done.stdout


def test_every_module_says_its_job_in_its_first_line():
    silent = [str(path.relative_to(ROOT)) for path in sorted(ROOT.glob("**/*.py"))
              if not {".venv", "tests", ".mypy-path"} & set(path.relative_to(ROOT).parts)
              and not (ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or "").strip()]
    assert silent == []
