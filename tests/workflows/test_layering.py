"""The engine layer's import layering: workflows/bpmn_xml.py is a leaf, and the lint rules and
the translation catalogs never import the bundle reader (workflows.bundles imports them).

workflows/__init__.py re-exports the bundle functions for the application, so importing any
submodule the usual way loads workflows.bundles through the package. The import checks here
load the package without running its __init__, so that only a module's own imports count.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

WORKFLOWS = Path(__file__).resolve().parents[2] / "workflows"
BELOW_BUNDLES = sorted(
    [
        "workflows.lint",
        "workflows.translations",
        *(f"workflows.lint.{path.stem}" for path in (WORKFLOWS / "lint").glob("[!_]*.py")),
    ]
)
BPMN_MODEL = "http://www.omg.org/spec/BPMN/20100524/MODEL"

_IMPORT_ALONE = """
import importlib, sys, types
package = types.ModuleType("workflows")
package.__path__ = [sys.argv[1]]
sys.modules["workflows"] = package
importlib.import_module(sys.argv[2])
print("\\n".join(sorted(name for name in sys.modules if name.startswith("workflows"))))
"""


def loaded_with(module: str) -> set[str]:
    """The modules of the engine layer that importing ``module`` in a fresh interpreter loads."""
    done = subprocess.run(
        [sys.executable, "-c", _IMPORT_ALONE, str(WORKFLOWS), module],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return set(done.stdout.split())


def imported_by(path: Path) -> set[str]:
    """The engine-layer modules a file imports anywhere (at its top or inside a function)."""
    package = ".".join(path.relative_to(WORKFLOWS.parent).with_suffix("").parts[:-1])
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            if base == "workflows":  # from workflows import errors: the names are modules
                found.update(f"{base}.{alias.name}" for alias in node.names)
            else:
                found.add(base)
    return {name for name in found if name.split(".")[0] == "workflows"}


@pytest.mark.parametrize("module", BELOW_BUNDLES)
def test_lint_and_translations_load_without_the_bundle_reader(module: str) -> None:
    assert "workflows.bundles" not in loaded_with(module)


@pytest.mark.parametrize("module", BELOW_BUNDLES)
def test_lint_and_translations_never_import_the_bundle_reader(module: str) -> None:
    path = WORKFLOWS.parent / module.replace(".", "/")
    path = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
    assert "workflows.bundles" not in imported_by(path)


def test_the_xml_vocabulary_imports_only_the_errors() -> None:
    assert imported_by(WORKFLOWS / "bpmn_xml.py") <= {"workflows.errors"}
    assert loaded_with("workflows.bpmn_xml") == {
        "workflows",
        "workflows.bpmn_xml",
        "workflows.errors",
    }


def test_the_errors_import_nothing_of_the_engine_layer() -> None:
    assert imported_by(WORKFLOWS / "errors.py") == set()


def test_the_bpmn_namespace_is_written_in_one_module() -> None:
    writing = [
        path.relative_to(WORKFLOWS).as_posix()
        for path in sorted(WORKFLOWS.rglob("*.py"))
        if BPMN_MODEL in path.read_text("utf-8")
    ]
    assert writing == ["bpmn_xml.py"]
