"""Print the package-level import graph of the project (every import statement, module level or
inside functions), e.g. ``python tools/import_graph.py`` or ``python tools/import_graph.py --modules mcda``.

Used for docs/ARCHITECTURE.md and the layering evidence; tests/test_layers.py enforces the rules.
"""

from __future__ import annotations

import argparse
import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("mcda", "optimisation", "fulcrum", "ui", "datasets")


def edges(root: Path = ROOT, modules: str | None = None) -> dict[str, set[str]]:
    """{importer: {imported}}; packages by default, modules of one package with ``modules``."""
    out: dict[str, set[str]] = defaultdict(set)
    files = [p for pkg in PACKAGES for p in (root / pkg).rglob("*.py")] + [root / "app.py"]
    for p in files:
        rel = p.relative_to(root).with_suffix("")
        parts = rel.parts
        src = parts[0] if modules is None else ".".join(parts)
        if modules is not None and parts[0] != modules:
            continue
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for n in names:
                top = n.split(".")[0]
                if top not in PACKAGES:
                    continue
                dst = top if modules is None else n
                if dst != src:
                    out[src + (" (__main__ shim)" if parts[-1] == "__main__" and modules is None else "")].add(dst)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--modules", help="show module-level edges inside this package")
    args = ap.parse_args()
    for src, dsts in sorted(edges(modules=args.modules).items()):
        print(f"{src} -> {', '.join(sorted(dsts))}")


if __name__ == "__main__":
    main()
