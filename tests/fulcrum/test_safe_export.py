"""Exports are safe to open in a spreadsheet (issue 8, item 2; OWASP "CSV Injection").

A text cell that begins with = + - @ tab or carriage return is written with a leading ' in every
CSV and XLSX (ranking.csv, shortlist.csv, allocation.csv, results.xlsx, the `rank` and `smaa`
outputs, the app's downloads); numbers stay numbers; no XLSX cell is ever a formula. The files are
read back here the way a spreadsheet would see them: the CSV cell by cell, the XLSX as its XML.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from tests.support import ROOT

RISKY = ("=", "+", "-", "@", "\t", "\r")
HOSTILE_IDS = ['=HYPERLINK("http://evil","x")', "+cmd|' /C calc'!A0", "@SUM(1)", "-2+3", "-2", "ARG"]
HOSTILE_NAMES = ["=1+1", "<script>alert(1)</script>", "@import", "+44 20", "-minus", "Argentina"]


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text)) or text.lower() in ("inf", "-inf")
    except ValueError:
        return False


def _assert_safe_csv(text: str) -> list[list[str]]:
    """Every cell that is not a number must not start like a formula; the rows, for further checks."""
    rows = list(csv.reader(io.StringIO(text)))
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            assert _is_number(cell) or not cell.startswith(RISKY), f"row {i}, column {j}: {cell!r}"
    return rows


def hostile_files(folder: Path, allocation: bool = True) -> Path:
    """A data file and a scenario whose ids, names, criterion, reasons and texts start like formulas."""
    data = pd.DataFrame(
        {
            "alternative": HOSTILE_IDS,
            "country": HOSTILE_NAMES,
            "gdp": [10.0, 20, 30, 40, 50, 60],
            "=risk": [0.5, 0.6, 0.7, 0.8, 0.9, 0.4],
            "ok": [1, 1, 1, 0, 1, 1],
        }
    )
    data.to_csv(folder / "data.csv", index=False)
    doc = {
        "name": '=HYPERLINK("http://evil","x") plan',
        "description": "+cmd|' /C calc'!A0",
        "data": {"dataset": "data.csv", "missing": {"default": "error"}},
        "criteria": [
            {"id": "gdp", "direction": "benefit", "weight": 1},
            {"id": "=risk", "direction": "cost", "weight": 1},
        ],
        "shortlist": {
            "top_k": 3,
            "filters": [{"column": "ok", "op": "==", "value": 1, "reason": "@fails the filter"}],
            "exclusions": [{"id": "@SUM(1)", "reason": "-excluded by hand"}],
        },
    }
    if allocation:
        doc["allocation"] = {"budget_aid_musd": 100, "budget_investment_musd": 200}
    (folder / "scenario.json").write_text(json.dumps(doc), encoding="utf-8")
    return folder / "scenario.json"


def test_neutralise_follows_owasp():
    from mcda.export import csv_text, neutralise

    for risky in ("=1+1", "+1", "-1+1", "@SUM(A1)", "\tx", "\rx", "-2", "-0.5"):
        assert neutralise(risky) == "'" + risky
    for fine in ("ARG", "a=b", " =x", "", "'=x", "1-2", "São Tomé"):
        assert neutralise(fine) == fine
    for number in (-0.5, -2, 0.0, float("nan"), None, True):
        assert neutralise(number) is number or neutralise(number) == number
    df = pd.DataFrame({"=id": ["=1+1", "ok"], "score": [-0.5, 1.0], "n": [-3, 4]})
    assert csv_text(df) == "'=id,score,n\n'=1+1,-0.5,-3\nok,1.0,4\n"
    assert list(df["=id"]) == ["=1+1", "ok"]  # the caller's frame is not changed


def test_rank_and_smaa_outputs_are_formula_safe(tmp_path, cli):
    matrix = pd.DataFrame({"alternative": HOSTILE_IDS, "=c1": [1.0, 2, 3, 4, 5, 6], "c2": [-1.0, -2, 3, 2, 1, 0.5]})
    matrix.to_csv(tmp_path / "m.csv", index=False)
    pd.DataFrame({"criterion": ["=c1", "c2"], "direction": ["benefit", "cost"], "weight": [1, 1]}).to_csv(
        tmp_path / "c.csv", index=False
    )
    outputs = {}
    r = cli("mcda", "rank", tmp_path / "m.csv", "--criteria", tmp_path / "c.csv", "--out", tmp_path / "rank.csv")
    assert r.returncode == 0, r.stderr
    outputs["rank --out"] = (tmp_path / "rank.csv").read_text(encoding="utf-8")
    r = cli("mcda", "rank", tmp_path / "m.csv", "--criteria", tmp_path / "c.csv")
    assert r.returncode == 0, r.stderr
    outputs["rank to stdout"] = r.stdout
    r = cli(
        "mcda",
        "smaa",
        tmp_path / "m.csv",
        "--criteria",
        tmp_path / "c.csv",
        "--samples",
        200,
        "--out",
        tmp_path / "s.csv",
    )
    assert r.returncode == 0, r.stderr
    outputs["smaa --out"] = (tmp_path / "s.csv").read_text(encoding="utf-8")
    for what, text in outputs.items():
        rows = _assert_safe_csv(text)
        ids = [row[0] for row in rows[1:]]
        assert ids == [("'" + a if a.startswith(RISKY) else a) for a in HOSTILE_IDS], (what, ids)
        assert all(_is_number(c) for row in rows[1:] for c in row[1:]), what  # scores, ranks, shares: numbers
    assert outputs["rank --out"] == outputs["rank to stdout"]


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory, cli):
    d = tmp_path_factory.mktemp("hostile")
    sc = hostile_files(d)
    r = cli("mcda", "run", sc, "--out", d / "out")
    assert r.returncode == 0, r.stderr
    return d / "out"


@pytest.mark.parametrize("name", ["ranking.csv", "shortlist.csv", "allocation.csv"])
def test_run_csv_files_are_formula_safe(hostile_run, name):
    rows = _assert_safe_csv((hostile_run / name).read_text(encoding="utf-8"))
    header, body = rows[0], rows[1:]
    first = [row[0] for row in body]
    assert {"'-2", '\'=HYPERLINK("http://evil","x")', "'-2+3"} <= set(first) or name == "allocation.csv"
    for col in ("score", "aid_musd", "total_musd", "priority"):
        if col in header:
            j = header.index(col)
            assert all(_is_number(row[j]) for row in body if row[j] != ""), col
    if "name" in header:
        assert "'=1+1" in [row[header.index("name")] for row in body]


def test_results_xlsx_holds_no_formula_and_keeps_numbers(hostile_run):
    from openpyxl import load_workbook

    with zipfile.ZipFile(hostile_run / "results.xlsx") as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
        assert sheets
        for n in sheets:
            assert not re.search(r"<f[ >]", z.read(n).decode("utf-8")), f"{n} holds a formula"
    wb = load_workbook(hostile_run / "results.xlsx")
    texts = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
                    assert not cell.value.startswith(RISKY), (ws.title, cell.coordinate, cell.value)
    assert '\'=HYPERLINK("http://evil","x")' in texts and "'=risk" in texts and "'-2" in texts
    ranking = wb["ranking"]
    header = [c.value for c in ranking[1]]
    scores = [row[header.index("score")].value for row in ranking.iter_rows(min_row=2)]
    assert scores and all(
        isinstance(v, (int, float)) and not isinstance(v, bool) for v in scores
    )  # numbers stay numbers
    contrib = [row[header.index("contrib_=risk")].value for row in ranking.iter_rows(min_row=2)]
    assert any(isinstance(v, float) and v < 0 for v in contrib)  # a negative number is a number, not text


def test_the_app_downloads_use_the_same_safe_csv(hostile_run):
    """The app's download buttons call mcda.export.csv_text on the same tables as `mcda run`, so they
    carry the same bytes as ranking.csv and shortlist.csv (checked here on the hostile scenario)."""
    from fulcrum.pipeline import rank_scenario
    from fulcrum.report import ranking_table, shortlist_export
    from fulcrum.scenario import load_scenario
    from mcda.export import csv_text

    out = rank_scenario(load_scenario(hostile_run.parent / "scenario.json"))
    assert csv_text(ranking_table(out)) == (hostile_run / "ranking.csv").read_text(encoding="utf-8")
    assert csv_text(shortlist_export(out)) == (hostile_run / "shortlist.csv").read_text(encoding="utf-8")
    page = (ROOT / "ui" / "pages" / "scenarios.py").read_text(encoding="utf-8")
    assert page.count("csv_text(") >= 3


WRITERS = re.compile(r"\.to_csv\(|\.to_excel\(|ExcelWriter\(|openpyxl\.Workbook\(")


def test_every_csv_and_xlsx_writer_goes_through_mcda_export():
    """One place writes spreadsheets: no other module of the product calls pandas' or openpyxl's writers."""
    files = [ROOT / "app.py"] + [
        p for pkg in ("mcda", "optimisation", "fulcrum", "ui") for p in (ROOT / pkg).rglob("*.py")
    ]
    bad = [
        f"{p.relative_to(ROOT)}:{i}"
        for p in files
        if p != ROOT / "mcda" / "export.py"
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if WRITERS.search(line)
    ]
    assert not bad, "write CSV/XLSX through mcda.export (formula-safe, atomic): " + ", ".join(bad)


def test_xlsx_strings_are_never_formulas_or_errors():
    from openpyxl import load_workbook

    from mcda.export import xlsx_bytes

    df = pd.DataFrame({"t": ["=SUM(1)", "#N/A", "ok\x01ctrl"], "x": [1.5, -2.0, 3.0]})
    wb = load_workbook(io.BytesIO(xlsx_bytes({"s": df})))
    cells = [(c.value, c.data_type) for c in wb["s"]["A"]]
    assert cells == [("t", "s"), ("'=SUM(1)", "s"), ("#N/A", "s"), ("ok\ufffdctrl", "s")]
    assert [c.value for c in wb["s"]["B"]][1:] == [1.5, -2.0, 3.0]
