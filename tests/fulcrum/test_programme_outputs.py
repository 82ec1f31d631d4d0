"""The programme's files through the console (``python -m optimisation solve``) and the workbook:
disbursements.csv, projects.csv, summary.json's per-year totals, the illustrative label, exit codes 2
(a pipeline path outside the scenario's folder) and 3 (must-fund projects above the ceilings)."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest

from tests.support import ROOT

EXAMPLE = ROOT / "scenarios" / "examples" / "programme.json"
PIPELINE = ROOT / "scenarios" / "examples" / "pipelines" / "illustrative.csv"


@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    from tests.support.cli import run_cli

    out = tmp_path_factory.mktemp("prog") / "out"
    r = run_cli("optimisation", "solve", EXAMPLE, "--out", out)
    assert r.returncode == 0, r.stderr
    return out


def _rows(path):
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_disbursements_csv_columns_and_sums(solved):
    text = (solved / "disbursements.csv").read_text(encoding="utf-8")
    assert text.splitlines()[0] == "country,project_type,project_id,pool,year,musd"
    rows = _rows(solved / "disbursements.csv")
    alloc = {(r["country"], r["project_type"]): float(r["total_musd"]) for r in _rows(solved / "allocation.csv")}
    got: dict = {}
    for r in rows:
        got[r["country"], r["project_type"]] = got.get((r["country"], r["project_type"]), 0.0) + float(r["musd"])
        assert 2026 <= int(r["year"]) <= 2030
    for key, v in alloc.items():
        assert got.get(key, 0.0) == pytest.approx(v, rel=1e-6, abs=1e-6), key
    assert any(r["project_id"] == "" for r in rows) and any(r["project_id"] for r in rows)


def test_summary_has_per_year_totals_within_ceilings_and_the_illustrative_label(solved):
    s = json.loads((solved / "summary.json").read_text(encoding="utf-8"))
    years = s["programme"]["per_year"]
    assert list(years) == ["2026", "2027", "2028", "2029", "2030"]
    for v in years.values():
        assert v["aid_musd"] <= v["ceiling_aid_musd"] + 1e-6
        assert v["investment_musd"] <= v["ceiling_investment_musd"] + 1e-6
    assert sum(v["total_musd"] for v in years.values()) == pytest.approx(s["used_aid"] + s["used_investment"])
    assert s["programme"]["pipeline_illustrative"] is True
    assert any("ILLUSTRATIVE" in n for n in s["notes"])


def test_projects_csv_says_why_each_unselected_project_lost(solved):
    text = (solved / "projects.csv").read_text(encoding="utf-8")
    assert text.splitlines()[0].startswith("project_id,selected,start_year,commitment_musd,why_not_selected")
    rows = _rows(solved / "projects.csv")
    assert len(rows) == len(_rows(PIPELINE))
    for r in rows:
        assert r["source"].startswith("illustrative")
        if r["selected"] == "False":
            assert r["why_not_selected"] and r["start_year"] == ""
        else:
            assert r["why_not_selected"] == "" and 2026 <= int(r["start_year"]) <= 2030
    assert any("kept out by" in r["why_not_selected"] for r in rows)
    assert any(r["why_not_selected"].startswith("requires ") for r in rows)


def test_workbook_has_a_sheet_per_programme_view(default_outcome):
    import openpyxl

    from fulcrum.allocate import solve_for_outcome
    from fulcrum.pipeline import rank_scenario
    from fulcrum.report import xlsx_bytes
    from fulcrum.scenario import load_scenario

    outcome = rank_scenario(load_scenario(EXAMPLE))
    res = solve_for_outcome(outcome)
    wb = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(outcome, res)))
    for sheet in ("programme_years", "year_x_country", "disbursements", "projects", "programme_notes"):
        assert sheet in wb.sheetnames
    assert [c.value for c in wb["year_x_country"][1]] == ["country", "2026", "2027", "2028", "2029", "2030"]
    plain = xlsx_bytes(default_outcome, solve_for_outcome(default_outcome))
    assert "disbursements" not in openpyxl.load_workbook(io.BytesIO(plain)).sheetnames


def _copy(tmp_path, pipeline: str, rows: str | None = None) -> str:
    doc = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    doc["allocation"]["pipeline"] = pipeline
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "s.json").write_text(json.dumps(doc), encoding="utf-8")
    if rows is not None:
        (tmp_path / "s" / "p.csv").write_text(rows, encoding="utf-8")
    shutil.copy(PIPELINE, tmp_path / "outside.csv")
    return str(tmp_path / "s" / "s.json")


def test_a_pipeline_outside_the_scenario_folder_is_refused(cli, tmp_path):
    r = cli("optimisation", "solve", _copy(tmp_path, "../outside.csv"), "--out", tmp_path / "o")
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and "allocation.pipeline" in r.stderr and "outside" in r.stderr


def test_must_fund_projects_above_the_ceilings_exit_3_naming_the_ceilings(cli, tmp_path):
    head = "project_id,country,project_type,pool,commitment_musd,start_year_min,disbursement,requires,must\n"
    sc = _copy(tmp_path, "p.csv", head + "BIG,ARG,infrastructure,investment,700,2026,1,,fund\n")
    r = cli("optimisation", "solve", sc, "--out", tmp_path / "o")
    assert r.returncode == 3, r.stderr
    s = json.loads((tmp_path / "o" / "summary.json").read_text(encoding="utf-8"))
    assert any(c["group"] == "annual_ceilings" for c in s["conflicts"]), s["conflicts"]
    assert "annual disbursement ceilings" in r.stderr


def test_a_bad_pipeline_row_exits_2_naming_file_line_and_column(cli, tmp_path):
    head = "project_id,country,project_type,pool,commitment_musd,start_year_min,disbursement,requires,must\n"
    sc = _copy(tmp_path, "p.csv", head + "P1,ARG,health,aid,1,2026,0.3;0.3,,\n")
    r = cli("optimisation", "solve", sc, "--out", tmp_path / "o")
    assert r.returncode == 2
    assert "p.csv, line 2, column disbursement" in r.stderr and "sum to 0.6" in r.stderr
