"""Golden outputs: every file the command line writes for the shipped scenarios and fixed inputs.

A refactor must not change behaviour, so ``tests/golden/test_golden.py`` re-runs the commands below and
compares what they write with the committed files in ``tests/golden/expected/``. A deliberate
change of output (a fixed defect) regenerates them, and the diff shows up in review::

    .venv/bin/python -m tests.golden.golden update        # rewrite tests/golden/expected/
    .venv/bin/python -m tests.golden.golden check         # compare (numbers to 1e-9 relative)
    .venv/bin/python -m tests.golden.golden check --exact  # byte for byte (same machine only)

Canonical forms, so the comparison means something across machines: ``results.xlsx`` becomes
``results.xlsx.json`` (every sheet's cell values; the zip's timestamps differ run to run) and the
base64 PNG charts in ``report.html`` are replaced by a placeholder (their pixels depend on the
font rasteriser; the charts have their own tests). The commands are run in this process with
``runpy`` (tests/support/cli.py) exactly as ``python -m mcda ...`` / ``python -m optimisation ...`` would run them.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import sys
import tempfile
from pathlib import Path

from tests.support.cli import run_cli

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
INPUTS = HERE / "inputs"
EXPECTED = HERE / "expected"

SCENARIOS = ("default", "paper_2022_single_track", "paper_2022")
RANK_METHODS = ("topsis", "vikor", "promethee2", "wsm", "wpm", "copras", "edas", "mabac", "spotis", "ahp")
POSITIVE_ONLY = ("wpm", "copras", "edas")  # methods that need values > 0: run on matrix_positive.csv
SMAA_METHODS = ("topsis", "wsm", "vikor", "promethee2")


def _cases() -> list[tuple[str, str, list[str], str | None]]:
    """(case name, module, argv with {out} for the output folder, unused)."""
    m, c, j = str(INPUTS / "matrix.csv"), str(INPUTS / "criteria.csv"), str(INPUTS / "judgements.csv")
    cases: list[tuple[str, str, list[str], str | None]] = []
    for sc in SCENARIOS:
        path = str(ROOT / "scenarios" / f"{sc}.json")
        cases.append((f"run_{sc}", "mcda", ["run", path, "--out", "{out}"], None))
        cases.append((f"solve_{sc}", "optimisation", ["solve", path, "--out", "{out}", "--frontier"], None))
    mp, cp = str(INPUTS / "matrix_positive.csv"), str(INPUTS / "criteria_positive.csv")
    for meth in RANK_METHODS:
        mm, cc = (mp, cp) if meth in POSITIVE_ONLY else (m, c)
        cases.append(
            (f"rank_{meth}", "mcda", ["rank", mm, "--criteria", cc, "--method", meth, "--out", "{out}/rank.csv"], None)
        )
    cases.append(("rank_wpm_nonpositive_refused", "mcda", ["rank", m, "--criteria", c, "--method", "wpm"], None))
    cases.append(
        (
            "rank_topsis_minmax_sorted",
            "mcda",
            ["rank", m, "--criteria", c, "--normalization", "minmax", "--sort", "--out", "{out}/rank.csv"],
            None,
        )
    )
    for meth in ("eigen", "geometric"):
        cases.append((f"ahp_{meth}", "mcda", ["ahp", j, "--method", meth], None))
    for meth in SMAA_METHODS:
        cases.append(
            (
                f"smaa_{meth}",
                "mcda",
                [
                    "smaa",
                    m,
                    "--criteria",
                    c,
                    "--method",
                    meth,
                    "--samples",
                    "2000",
                    "--seed",
                    "7",
                    "--out",
                    "{out}/smaa.csv",
                ],
                None,
            )
        )
    cases.append(
        (
            "smaa_topsis_spread",
            "mcda",
            [
                "smaa",
                m,
                "--criteria",
                c,
                "--samples",
                "2000",
                "--seed",
                "3",
                "--spread",
                "30",
                "--out",
                "{out}/smaa.csv",
            ],
            None,
        )
    )
    return cases


def produce(dest: Path) -> None:
    """Run every case into ``dest/<case>/`` and write the canonical forms."""
    dest.mkdir(parents=True, exist_ok=True)
    for name, module, argv, _ in _cases():
        d = dest / name
        d.mkdir(parents=True, exist_ok=True)
        ran = run_cli(module, *[a.replace("{out}", str(d)) for a in argv])
        code, text, err = ran.returncode, ran.stdout, ran.stderr
        (d / "exit_code.txt").write_text(f"{code}\n", encoding="utf-8")
        # stderr is part of the contract (one-line errors, notes), with this machine's paths removed
        (d / "stderr.txt").write_text(err.replace(str(d), "<out>").replace(str(ROOT), "<root>"), encoding="utf-8")
        (d / "stdout.txt").write_text(text.replace(str(d), "<out>").replace(str(ROOT), "<root>"), encoding="utf-8")
        canonicalize(d)
        _strip_root(d)


def _strip_root(d: Path) -> None:
    """This checkout's path (e.g. the scenario path in summary.json) -> <root>, so the goldens
    compare equal in any checkout or worktree."""
    for f in d.rglob("*"):
        if f.is_file() and f.suffix in (".json", ".md", ".html", ".csv", ".txt"):
            t = f.read_text(encoding="utf-8")
            if str(ROOT) in t:
                f.write_text(t.replace(str(ROOT), "<root>"), encoding="utf-8")


def _cell(v):
    if isinstance(v, float) and not math.isfinite(v):
        return repr(v)
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return v


def canonicalize(d: Path) -> None:
    """results.xlsx -> results.xlsx.json (cell values, formulas kept as their text); report.html
    with the PNG payloads replaced."""
    x = d / "results.xlsx"
    if x.exists():
        from openpyxl import load_workbook

        wb = load_workbook(x, data_only=False)
        doc = {ws.title: [[_cell(v) for v in row] for row in ws.iter_rows(values_only=True)] for ws in wb.worksheets}
        (d / "results.xlsx.json").write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        x.unlink()
    h = d / "report.html"
    if h.exists():
        t = h.read_text(encoding="utf-8")
        h.write_text(
            re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "data:image/png;base64,<png>", t), encoding="utf-8"
        )


_NUM = re.compile(r"-?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?|nan|inf")


def _close(a: str, b: str, rel: float = 1e-9, abs_: float = 1e-12) -> bool:
    if a == b:
        return True
    try:
        x, y = float(a), float(b)
    except ValueError:
        return False
    if math.isnan(x) and math.isnan(y):
        return True
    return math.isclose(x, y, rel_tol=rel, abs_tol=abs_)


def _text_equal(a: str, b: str) -> bool:
    """Equal outside numbers; numbers equal to 1e-9 relative (last-bit BLAS/CPU differences)."""
    if a == b:
        return True
    ta, tb = _NUM.split(a), _NUM.split(b)
    na, nb = _NUM.findall(a), _NUM.findall(b)
    return ta == tb and len(na) == len(nb) and all(_close(x, y) for x, y in zip(na, nb, strict=False))


def compare(expected: Path, actual: Path, exact: bool = False) -> list[str]:
    """Differences between two golden trees, one line each (empty = identical)."""
    diffs = []
    exp = {p.relative_to(expected) for p in expected.rglob("*") if p.is_file()}
    act = {p.relative_to(actual) for p in actual.rglob("*") if p.is_file()}
    for p in sorted(exp - act):
        diffs.append(f"missing: {p}")
    for p in sorted(act - exp):
        diffs.append(f"unexpected: {p}")
    for p in sorted(exp & act):
        a, b = (expected / p).read_bytes(), (actual / p).read_bytes()
        if a == b:
            continue
        if exact:
            diffs.append(f"differs: {p}")
            continue
        la, lb = a.decode("utf-8").splitlines(), b.decode("utf-8").splitlines()
        if len(la) != len(lb):
            diffs.append(f"differs: {p} ({len(la)} vs {len(lb)} lines)")
            continue
        for i, (x, y) in enumerate(zip(la, lb, strict=False), 1):
            if not _text_equal(x, y):
                diffs.append(f"differs: {p} line {i}:\n  expected {x[:200]}\n  actual   {y[:200]}")
                break
    return diffs


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    cmd = argv[0] if argv else "check"
    if cmd == "update":
        if EXPECTED.exists():
            shutil.rmtree(EXPECTED)
        produce(EXPECTED)
        print(f"wrote {EXPECTED}")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        produce(Path(tmp))
        diffs = compare(EXPECTED, Path(tmp), exact="--exact" in argv)
    for d in diffs:
        print(d)
    print("golden outputs: " + ("identical" if not diffs else f"{len(diffs)} difference(s)"))
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
