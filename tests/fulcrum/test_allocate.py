"""The allocation step of the end-to-end run (fulcrum.allocate + the report helpers that
fulcrum.report calls): same model as the CLI, sheets and markdown for solved and infeasible runs."""

import json

import pytest

from fulcrum.allocate import solve_for_outcome, spec_of
from fulcrum.outputs import write_allocation_outputs
from fulcrum.report import allocation_markdown as markdown_section
from mcda.errors import InputError
from optimisation.tables import export_sheets
from tests.support import ROOT

ALLOCATION = {
    "budget_aid_musd": 300,
    "budget_investment_musd": 700,
    "type_floors": {"rural_poverty": {"share": 0.15}, "production_capacity": {"share": 0.15}},
    "linking": [{"lhs_type": "health", "ratio": 0.25, "rhs_type": "production_capacity"}],
}


@pytest.fixture(scope="module")
def outcome():
    from fulcrum.pipeline import rank_scenario
    from fulcrum.scenario import parse_scenario

    src = ROOT / "scenarios" / "paper_2022_single_track.json"
    if not src.exists():
        pytest.skip("no example scenario")
    d = json.loads(src.read_text(encoding="utf-8"))
    d["allocation"] = ALLOCATION
    return rank_scenario(parse_scenario(d))


def test_solve_for_outcome_and_sheets(outcome, tmp_path):
    res = solve_for_outcome(outcome)
    assert res.ok and res.is_optimal
    assert set(res.by_country.index) == set(outcome.shortlist.index)
    assert isinstance(res.message, str) and res.message() == res.message  # attribute and call both work
    sheets = export_sheets(res)
    assert {"allocation", "allocation_totals", "shadow_prices", "assumptions"} <= set(sheets)
    assert sheets["assumptions"]["basis"].isin(["sourced", "assumption", "planner"]).all()
    md = markdown_section(res)
    assert md.startswith("## Allocation") and "aid budget" in md
    files = write_allocation_outputs(res, tmp_path)
    assert {p.name for p in files} == {"allocation.csv", "summary.json"}
    # budget overrides as in the CLI
    r2 = solve_for_outcome(outcome, budget_aid=150)
    assert r2.budgets["aid"] == 150 and r2.by_pool["aid"] <= 150 * (1 + 1e-7)


def test_infeasible_sheets_and_markdown(outcome):
    res = solve_for_outcome(outcome, {**ALLOCATION, "type_floors": {"health": {"musd": 5000}}})
    assert res.status == "infeasible" and not res.is_optimal
    sheets = export_sheets(res)
    assert "conflicts" in sheets and len(sheets["conflicts"]) > 0
    assert "per-type floors" in markdown_section(res)


def test_spec_of_without_allocation(outcome):
    class NoAlloc:
        allocation = None

    with pytest.raises(InputError, match="no allocation section"):
        spec_of(NoAlloc())
