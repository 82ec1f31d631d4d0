"""fulcrum/compare.py: two scenarios side by side, checked against each side's own outcome tables.

The expected values are read from the two outcomes and allocations (shortlists, ranks, reasons,
per-country money), not from the comparison's own output.
"""

from __future__ import annotations

import io
import json

import openpyxl
import pandas as pd
import pytest

from fulcrum.allocate import solve_for_outcome
from fulcrum.compare import Side, compare
from fulcrum.pipeline import rank_scenario
from fulcrum.scenario import parse_scenario
from mcda.export import xlsx_bytes


def _need_heavy(doc: dict) -> dict:
    """The default with HDI weighted six times and Argentina excluded with a hostile reason."""
    d = json.loads(json.dumps(doc))
    for c in d["criteria"]:
        if c["id"] == "hdi":
            c["weight"] = (c.get("weight") or 1.0) * 6
    d["shortlist"]["exclusions"] = [*d["shortlist"].get("exclusions", []), {"id": "ARG", "reason": "=1+1 <b>x</b>"}]
    d["name"] = "More need"
    return d


@pytest.fixture(scope="module")
def pair():
    from tests.support.shipped import SHIPPED

    oa = SHIPPED.outcome("default")
    ob = rank_scenario(parse_scenario(_need_heavy(SHIPPED.doc("default"))))
    return oa, ob, solve_for_outcome(oa), solve_for_outcome(ob)


def test_entered_and_left_are_the_shortlists_difference(pair):
    oa, ob, ra, rb = pair
    c = compare(Side("A", oa, ra), Side("B", ob, rb))
    sa, sb = set(oa.shortlist.index), set(ob.shortlist.index)
    assert sa != sb
    assert set(c.entered) == sb - sa and set(c.left) == sa - sb
    t = c.shortlist.set_index("alternative")
    for a in c.entered + c.left:  # ranks and statuses as each outcome has them
        for side, o in (("a", oa), ("b", ob)):
            row = o.shortlist_table.set_index("alternative").loc[a]
            assert t.loc[a, f"rank_{side}"] == row["rank"] and t.loc[a, f"status_{side}"] == row["status"]
    assert "excluded in B" in t.loc["ARG", "why"] and "=1+1 <b>x</b>" in t.loc["ARG", "why"]
    entered = c.entered[0]
    ra_, rb_ = (o.shortlist_table.set_index("alternative").loc[entered, "rank"] for o in (oa, ob))
    assert f"rank {ra_} → {rb_}" in t.loc[entered, "why"]
    # an alternative outside both shortlists whose status is the same is not listed
    same = set(oa.shortlist_table.loc[oa.shortlist_table["status"] == "below cut", "alternative"]) & set(
        ob.shortlist_table.loc[ob.shortlist_table["status"] == "below cut", "alternative"]
    )
    assert same and not (same & set(t.index))


def test_weights_settings_and_money(pair):
    oa, ob, ra, rb = pair
    c = compare(Side("A", oa, ra), Side("B", ob, rb))
    w = c.weights.set_index("criterion")
    assert w.loc["hdi", "weight_a"] == pytest.approx(oa.weights["hdi"])
    assert w.loc["hdi", "weight_b"] == pytest.approx(ob.weights["hdi"])
    assert w.loc["hdi", "change"] == pytest.approx(ob.weights["hdi"] - oa.weights["hdi"])
    s = c.settings.set_index("setting")
    assert "shortlist.exclusions[ARG].reason" in s.index and "name" in s.index
    assert not any(k.endswith(".weight") for k in s.index)
    bc = c.by_country.set_index("country")
    for country in set(ra.by_country.index) | set(rb.by_country.index):
        ta = ra.by_country["total_musd"].get(country, 0.0)
        tb = rb.by_country["total_musd"].get(country, 0.0)
        if abs(tb - ta) > 1e-6:
            assert bc.loc[country, "change"] == pytest.approx(tb - ta)
    assert bc.loc["ARG", "total_b"] == 0 and bc.loc["ARG", "total_a"] == pytest.approx(
        ra.by_country.loc["ARG", "total_musd"]
    )
    b = c.benefit.set_index("measure")
    assert b.loc["benefit (priority-weighted units)", "change"] == pytest.approx(rb.objective - ra.objective)


def test_same_scenario_shows_no_difference(pair):
    oa, _, ra, _ = pair
    c = compare(Side("A", oa, ra), Side("A again", oa, ra))
    assert c.entered == [] and c.left == []
    assert len(c.shortlist) == len(c.settings) == len(c.by_country) == len(c.by_type) == 0
    assert (c.weights["change"] == 0).all() and (c.benefit["change"] == 0).all()


def test_without_allocations_and_with_tracks(pair, shipped):
    oa, _, _, _ = pair
    ot = shipped.outcome("paper_2022")  # two tracks
    c = compare(Side("A", oa), Side("Paper", ot))
    assert c.by_country.empty and c.by_type.empty
    assert list(c.benefit["measure"]) == ["shortlisted countries"]
    assert "track" in c.weights.columns
    assert set(c.entered) == set(ot.shortlist.index) - set(oa.shortlist.index)


def test_exports_escape_the_planners_text(pair):
    oa, ob, ra, rb = pair
    c = compare(Side("<script>x</script>", oa, ra), Side("=HYPERLINK(1)", ob, rb))
    md = c.markdown()
    assert "<script>" not in md and "&lt;script&gt;" in md and "<b>" not in md
    wb = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(c.sheets())))
    cells = [v for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)]
    assert not any(v.startswith("=") for v in cells)  # no formula: neutralised by mcda.export
    assert {"shortlist", "allocation_by_country", "benefit"} <= set(wb.sheetnames)


def test_outcome_change_per_type_from_each_sides_money_and_the_unit_costs(pair):
    """Outcomes per type (issue 13 item 4 with issue 11 item 5): each side's money of the type times the
    sourced outputs per US$1M in datasets/project_types.csv; a type without a unit cost says so."""
    from optimisation.params import load_project_types

    oa, ob, ra, rb = pair
    c = compare(Side("A", oa, ra), Side("B", ob, rb))
    pt = load_project_types()
    t = c.outcomes.set_index("project_type")
    changed = {
        p
        for p in set(ra.by_type.index) | set(rb.by_type.index)
        if abs(rb.by_type["total_musd"].get(p, 0.0) - ra.by_type["total_musd"].get(p, 0.0)) > 1e-6
    }
    assert changed and set(t.index) == changed
    for p in changed:
        ma, mb = (r.by_type["total_musd"].get(p, 0.0) for r in (ra, rb))
        low = pt.loc[p, "output_per_musd_low"]
        if pd.isna(low) or str(low).strip() == "":  # blank in project_types.csv: no sourced unit cost
            assert pd.isna(t.loc[p, "change_low"]) and "no sourced unit cost" in t.loc[p, "unit_cost_source"]
            continue
        for end in ("low", "high"):
            k = float(pt.loc[p, f"output_per_musd_{end}"])
            assert t.loc[p, f"outcomes_{end}_a"] == pytest.approx(ma * k, rel=1e-6)
            assert t.loc[p, f"outcomes_{end}_b"] == pytest.approx(mb * k, rel=1e-6)
            assert t.loc[p, f"change_{end}"] == pytest.approx((mb - ma) * k, rel=1e-6, abs=1e-6)
        assert t.loc[p, "outcome_unit"] == pt.loc[p, "output_unit"]
    assert "rural_poverty" in changed and t.loc["rural_poverty", "outcome_unit"].startswith("beneficiary")
    md = c.markdown()
    assert "## Outcomes in physical units" in md and "beneficiary" in md
    wb = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(c.sheets())))
    assert list(next(wb["outcomes"].iter_rows(values_only=True))) == list(c.outcomes.columns)
    same = compare(Side("A", oa, ra), Side("A again", oa, ra))
    assert same.outcomes.empty
    assert compare(Side("A", oa), Side("B", ob)).outcomes.empty  # not solved: no outcome change
