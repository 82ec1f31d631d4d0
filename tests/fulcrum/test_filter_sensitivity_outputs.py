"""Filter sensitivity through the product layer (issue 10, item 4): filter_sensitivity.csv from
`mcda run` with the columns scenarios/README.md documents, the report sections, the shipped
scenarios' filters, and no file for a scenario without filters."""

from __future__ import annotations

import json
import re

import pandas as pd

from fulcrum.filters import outcome_filter_sensitivity
from fulcrum.pipeline import rank_scenario
from fulcrum.scenario import load_scenario
from mcda.shortlist import make_shortlist
from tests.support import ROOT

EXAMPLE = ROOT / "scenarios" / "examples" / "paper_rejections.json"


def _documented_columns() -> list[str]:
    text = (ROOT / "scenarios" / "README.md").read_text(encoding="utf-8")
    block = text.split("Columns of `filter_sensitivity.csv`:", 1)[1].split("\n\n", 1)[0]
    return re.findall(r"`([a-z_]+)`", block)


def test_run_writes_the_csv_and_the_report_sections(cli, tmp_path):
    out = tmp_path / "out"
    r = cli("mcda", "run", str(EXAMPLE), "--out", str(out), "--no-allocation")
    assert r.returncode == 0, r.stderr
    t = pd.read_csv(out / "filter_sensitivity.csv", keep_default_na=False)
    assert list(t.columns) == _documented_columns()
    pv = t[t["rule"] == "wgi_pv > -1"].iloc[0]
    # checked against the data: VEN's wgi_pv is the largest value below -1 among the eligible
    # countries (-1.19) and the next value above -1 is -0.72 (see the brute-force test in tests/mcda)
    assert (pv["kind"], float(pv["lower"]), float(pv["upper"])) == ("numeric", -1.19, -0.72)
    assert pv["below_enter"] == "VEN"
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "## Filter sensitivity" in md and "below -1.19 Venezuela would enter" in md
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "id=filter-sensitivity" in html and 'alt="Safe interval of each filter threshold"' in html


def test_the_reported_bounds_hold_on_the_scenario(tmp_path):
    """Re-cut the example's shortlist at, just inside and just outside each reported bound."""
    o = rank_scenario(load_scenario(EXAMPLE))
    sl = o.scenario.shortlist
    filters = [f.model_dump() for f in sl.filters]
    excl = [e.model_dump() for e in sl.exclusions]

    def at(i, t):
        fs = [dict(f) for f in filters]
        fs[i]["value"] = t
        s = make_shortlist(o.ranking, o.countries, sl.top_k, fs, excl)
        return set(s.loc[s["status"] == "shortlisted", "alternative"])

    current = set(o.shortlist.index)
    for s in outcome_filter_sensitivity(o):
        if s.kind != "numeric":
            continue
        for bound, closed, sign, enter, leave in (
            (s.lower, s.lower_closed, -1, s.below_enter, s.below_leave),
            (s.upper, s.upper_closed, 1, s.above_enter, s.above_leave),
        ):
            if bound is None:
                continue
            assert at(s.index, bound - sign * 1e-9) == current
            beyond = at(s.index, bound + sign * 1e-9) if closed else at(s.index, bound)
            assert beyond == (current - set(leave)) | set(enter) and beyond != current


def test_shipped_scenarios_filters(shipped):
    for name in ("default", "paper_2022_single_track"):
        (s,) = outcome_filter_sensitivity(shipped.outcome(name))
        assert s.rule == "prc_relations == 1" and s.kind == "categorical"
        # refusing the one accepted value empties the shortlist; accepting 0 too changes nothing
        # (no country without PRC relations ranks in the top k)
        assert [a for a, _, _ in s.changes] == ["no longer accepting 1"]
        assert sorted(s.changes[0][2]) == sorted(shipped.outcome(name).shortlist.index)


def test_no_filters_no_file(cli, tmp_path):
    doc = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    doc["shortlist"]["filters"] = []
    sc = tmp_path / "s.json"
    sc.write_text(json.dumps(doc), encoding="utf-8")
    r = cli("mcda", "run", str(sc), "--out", str(tmp_path / "out"), "--no-allocation")
    assert r.returncode == 0, r.stderr
    assert not (tmp_path / "out" / "filter_sensitivity.csv").exists()
    assert "Filter sensitivity" not in (tmp_path / "out" / "report.md").read_text(encoding="utf-8")


def test_a_second_run_into_the_same_folder_replaces_the_file(cli, tmp_path):
    """filter_sensitivity.csv is one of Fulcrum's own files: a re-run replaces it, and a run of a
    scenario without filters removes it with the old set."""
    out = tmp_path / "out"
    for _ in range(2):
        r = cli("mcda", "run", str(EXAMPLE), "--out", str(out), "--no-allocation")
        assert r.returncode == 0, r.stderr
    doc = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    doc["shortlist"]["filters"] = []
    sc = tmp_path / "s.json"
    sc.write_text(json.dumps(doc), encoding="utf-8")
    r = cli("mcda", "run", str(sc), "--out", str(out), "--no-allocation")
    assert r.returncode == 0, r.stderr
    assert not (out / "filter_sensitivity.csv").exists()
