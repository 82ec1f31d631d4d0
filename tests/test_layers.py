"""The layering rules of docs/ARCHITECTURE.md, checked on every import statement (module level and
inside functions alike):

- ``mcda/`` (ranking) never imports ``optimisation/`` or ``fulcrum/``;
- ``optimisation/`` (allocation) uses nothing of ``mcda`` but ``mcda.errors`` and never imports
  ``fulcrum/``;
- neither library imports streamlit;
- the one exception is each library's ``__main__.py``: an entry-point shim for the historical
  ``python -m mcda`` / ``python -m optimisation`` commands, never imported by the library;
- ``ui/`` and ``app.py`` import no private name (``_x``) of the packages below them.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> list[tuple[int, str, list[str]]]:
    """(line, module, names) of every import in a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name, []) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.append((node.lineno, node.module, [a.name for a in node.names]))
    return out


def _files(pkg: str) -> list[Path]:
    return sorted(p for p in (ROOT / pkg).rglob("*.py") if p.name != "__main__.py")


def _top(module: str) -> str:
    return module.split(".")[0]


@pytest.mark.parametrize("pkg", ["mcda", "optimisation"])
def test_libraries_do_not_import_streamlit_or_the_product_layer(pkg):
    bad = [
        f"{p.relative_to(ROOT)}:{line} imports {mod}"
        for p in _files(pkg)
        for line, mod, _ in _imports(p)
        if _top(mod) in ("streamlit", "fulcrum", "ui", "app")
    ]
    assert not bad, "\n".join(bad)


def test_mcda_never_imports_optimisation():
    bad = [
        f"{p.relative_to(ROOT)}:{line} imports {mod}"
        for p in _files("mcda")
        for line, mod, _ in _imports(p)
        if _top(mod) == "optimisation"
    ]
    assert not bad, "\n".join(bad)


def test_optimisation_uses_nothing_of_mcda_but_its_input_error():
    bad = []
    for p in _files("optimisation"):
        for line, mod, names in _imports(p):
            if _top(mod) != "mcda":
                continue
            if mod != "mcda.errors" or any(n != "InputError" for n in names):
                bad.append(f"{p.relative_to(ROOT)}:{line} imports {mod} {names}")
    assert not bad, "\n".join(bad)


def test_the_app_uses_no_private_name_of_the_packages():
    files = [ROOT / "app.py"] + sorted((ROOT / "ui").rglob("*.py"))
    bad = [
        f"{p.relative_to(ROOT)}:{line} imports {mod}.{n}"
        for p in files
        for line, mod, names in _imports(p)
        if _top(mod) in ("mcda", "optimisation", "fulcrum")
        for n in names
        if n.startswith("_")
    ]
    assert not bad, "\n".join(bad)


def test_the_checker_sees_a_function_level_import(tmp_path):
    """The checker itself: an import hidden inside a function is found."""
    f = tmp_path / "m.py"
    f.write_text("def f():\n    from optimisation.model import solve\n    return solve\n")
    assert _imports(f) == [(2, "optimisation.model", ["solve"])]
