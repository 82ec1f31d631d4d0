"""`fulcrum compare` and `fulcrum library` through the command line (exit-2 cases: tests/hostile, "library")."""

from __future__ import annotations

import csv
import io

import openpyxl

from fulcrum.pipeline import rank_scenario
from fulcrum.scenario import load_scenario, scenario_to_json
from tests.support import SCENARIOS


def test_compare_writes_the_tables_and_names_who_entered_and_left(cli, tmp_path):
    a, b = SCENARIOS / "default.json", SCENARIOS / "paper_2022.json"
    r = cli("fulcrum", "compare", a, b, "--out", tmp_path / "cmp", "--no-allocation")
    assert r.returncode == 0, r.stderr
    sa = set(rank_scenario(load_scenario(a)).shortlist.index)
    sb = set(rank_scenario(load_scenario(b)).shortlist.index)
    rows = list(csv.DictReader(io.StringIO((tmp_path / "cmp" / "comparison_shortlist.csv").read_text())))
    assert {x["alternative"] for x in rows if x["change"] == "entered"} == sb - sa
    assert {x["alternative"] for x in rows if x["change"] == "left"} == sa - sb
    assert f"entered: {', '.join(x['alternative'] for x in rows if x['change'] == 'entered')}" in r.stdout
    wb = openpyxl.load_workbook(tmp_path / "cmp" / "comparison.xlsx")
    assert "shortlist" in wb.sheetnames and "weights" in wb.sheetnames
    assert "Shortlist changes" in (tmp_path / "cmp" / "comparison.md").read_text()


def test_library_save_list_show_export_round_trip(cli, tmp_path):
    url = str(tmp_path / "lib.sqlite")
    src = SCENARIOS / "default.json"
    assert cli("fulcrum", "library", "save", src, "--name", "Plan", "--note", "one", "--url", url).returncode == 0
    r = cli("fulcrum", "library", "save", src, "--name", "Plan", "--note", "two", "--url", url)
    assert r.returncode == 0 and "version 2" in r.stdout
    r = cli("fulcrum", "library", "list", "--url", url)
    assert r.stdout.startswith("Plan\t2 version(s)")
    r = cli("fulcrum", "library", "show", "--name", "Plan", "--url", url)
    assert [ln.split("\t")[0] for ln in r.stdout.splitlines()] == ["2", "1"]
    assert r.stdout.splitlines()[1].endswith("\tone")
    out = tmp_path / "v1.json"
    r = cli("fulcrum", "library", "export", "--name", "Plan", "--version", "1", "--out", out, "--url", url)
    assert r.returncode == 0, r.stderr
    assert out.read_text(encoding="utf-8") == scenario_to_json(load_scenario(src))
