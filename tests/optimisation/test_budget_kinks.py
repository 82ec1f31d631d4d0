"""Shadow prices of the budget pools at a kink (issue 8, item 14).

When the budget sits exactly where the benefit-budget curve changes slope, the LP dual is the slope
on ONE side, and which side depends on the solver (scenarios/paper_2022_single_track.json: CBC reports 0.01499
for the aid budget, HiGHS 0.01592). The result now reports both one-sided values, found by
re-solving with the budget one US$1M higher and lower, and says both in words when they differ.

Hand-solved instance (tests/optimisation/instances.py, as in test_handsolved.py):
  type g all aid, bands 10 @ 1.0 then 10 @ 0.5; type i all investment, one band 30 @ 1.0;
  priorities A 0.6, B 0.4  ->  aid coefficients A-g 0.6 (first 10), B-g 0.4, A-g 0.3, B-g 0.2;
  investment coefficients A-i 0.6 (30), B-i 0.4 (30).
Aid budget 10: all of it to A-g's first band (0.6 each). One more US$1M goes to B-g's first band
  (+0.4); one less comes out of A-g's first band (-0.6). Kink: 0.4 above, 0.6 below.
Investment budget 40: A-i 30 (0.6) and B-i 10 (0.4); B-i has room on both sides: 0.4 and 0.4.
"""

import math

import pytest

import optimisation as opt
from fulcrum.report import allocation_markdown as markdown_section
from optimisation.tables import export_sheets, summary_dict
from tests.optimisation.instances import PRI, two_types
from tests.support import ROOT

REL = 1e-6
KINK = {"budget_aid_musd": 10, "budget_investment_musd": 40, "absorptive_cap_pct_gdp": None}


def approx(v):
    return pytest.approx(v, rel=REL, abs=1e-6)


@pytest.mark.parametrize("solver", ["cbc", "highs"])
def test_budget_at_a_kink_reports_both_sides(types, countries, solver):
    res = opt.solve(PRI, countries, types, {**KINK, "solver": solver})
    assert res.status == "optimal" and res.objective == approx(0.6 * 10 + 0.6 * 30 + 0.4 * 10)
    aid = res.marginal_values["aid"]
    assert aid["one_more"] == approx(0.4) and aid["one_less"] == approx(0.6)
    # the dual is one of the two sides (or between them), whichever the solver picked
    assert 0.4 - 1e-6 <= aid["shadow_price"] <= 0.6 + 1e-6
    assert res.shadow_prices["aid budget"] == aid["shadow_price"]  # kept as it was
    words = " ".join(res.binding)
    assert "aid budget: fully used; one more US$1M of aid adds 0.4 units of benefit; one less US$1M loses 0.6" in words
    inv = res.marginal_values["investment"]
    assert inv["one_more"] == approx(0.4) and inv["one_less"] == approx(0.4) and inv["shadow_price"] == approx(0.4)
    # no kink: the sentence is the plain one
    assert "investment budget: fully used; one more US$1M of investment adds 0.4 units of benefit" in res.binding


def test_one_sided_values_reach_every_output(types, countries):
    res = opt.solve(PRI, countries, types, KINK)
    c = res.constraints.set_index("name")
    assert c.loc["budget_aid", "one_more_1m_adds"] == approx(0.4)
    assert c.loc["budget_aid", "one_less_1m_loses"] == approx(0.6)
    assert "shadow_price" in c.columns
    s = summary_dict(res)
    assert s["budget_marginal_values"]["aid"]["one_more_1m_adds"] == approx(0.4)
    assert s["budget_marginal_values"]["aid"]["one_less_1m_loses"] == approx(0.6)
    assert "aid budget" in s["shadow_prices"]  # existing field kept
    sheet = export_sheets(res)["shadow_prices"].set_index("constraint")
    assert sheet.loc["aid budget", "one_more_1m_adds"] == approx(0.4)
    assert sheet.loc["aid budget", "one_less_1m_loses"] == approx(0.6)
    md = markdown_section(res)
    assert "one less US\\$1M loses 0.6" in md and "| aid | " in md  # md_text escapes the $ (it could start math)


def test_one_less_when_the_budget_cannot_go_lower(types, countries):
    """A must-fund of US$10M of grant in A needs the whole aid budget of 10: one less US$1M makes
    the model infeasible, which is said instead of a number."""
    spec = {**KINK, "must_fund": [{"country": "A", "project_type": "g", "min_musd": 10}]}
    res = opt.solve(PRI, countries, types, spec)
    aid = res.marginal_values["aid"]
    assert aid["one_more"] == approx(0.4) and math.isnan(aid["one_less"])
    assert "infeasible" in aid["note"]
    line = next(x for x in res.binding if x.startswith("aid budget"))
    assert "one more US$1M of aid adds 0.4" in line and "one less" in line and "infeasible" in line


def test_budget_below_one_million(types, countries):
    """Aid budget US$0.5M: 'one less US$1M' does not exist; the whole 0.5 is cut instead (0.6 each:
    0.3 lost), the same slope as one more US$1M (0.6): no kink. Investment budget 0: nothing to cut."""
    res = opt.solve(PRI, countries, types, {**KINK, "budget_aid_musd": 0.5})
    aid = res.marginal_values["aid"]
    assert aid["one_less_step"] == 0.5 and aid["one_less"] == approx(0.3)
    assert aid["one_more"] == approx(0.6)  # 0.5 -> 1.5, still in A-g's first band
    line = next(x for x in res.binding if x.startswith("aid budget"))
    assert line == "aid budget: fully used; one more US$1M of aid adds 0.6 units of benefit"  # same slope: no kink

    res = opt.solve(PRI, countries, types, {**KINK, "budget_aid_musd": 10.5})  # 0.5 into B-g's band
    aid = res.marginal_values["aid"]
    assert aid["one_more"] == approx(0.4) and aid["one_less"] == approx(0.5 * 0.4 + 0.5 * 0.6)
    res = opt.solve(PRI, countries, types, {**KINK, "budget_aid_musd": 0.5, "budget_investment_musd": 0})
    line = next(x for x in res.binding if x.startswith("investment budget"))
    assert "one more US$1M of investment adds 0.6" in line


def test_solver_state_is_restored_after_the_re_solves(types, countries):
    """The +-US$1M re-solves must not leak into the reported allocation, budgets or duals."""
    m = opt.AllocationModel(PRI, countries, types, KINK)
    res = m.solve()
    assert m.budgets == (10.0, 40.0) and res.budgets == {"aid": 10.0, "investment": 40.0}
    assert res.by_pool["aid"] == approx(10) and res.by_pool["investment"] == approx(40)
    a = res.allocation.set_index(["country", "project_type"])["total_musd"]
    assert a[("A", "g")] == approx(10) and a[("B", "g")] == approx(0)


def test_paper_scenario_both_solvers_report_the_same_two_sides():
    """scenarios/paper_2022_single_track.json: the two solvers' aid duals differ (0.01499 / 0.01592), the
    one-sided values do not; and they equal the change of the optimum when the budget moves by
    US$1M, each solved afresh."""

    from fulcrum.allocate import solve_for_outcome, spec_of
    from fulcrum.pipeline import rank_scenario
    from fulcrum.scenario import load_scenario

    sc = load_scenario(ROOT / "scenarios" / "paper_2022_single_track.json")
    outcome, spec = rank_scenario(sc), spec_of(sc)
    r = {s: solve_for_outcome(outcome, spec.model_copy(update={"solver": s})) for s in ("cbc", "highs")}
    for pool in ("aid", "investment"):
        for side in ("one_more", "one_less"):
            assert r["highs"].marginal_values[pool][side] == pytest.approx(
                r["cbc"].marginal_values[pool][side], rel=1e-4
            )
    B = spec.budget_aid_musd
    up = solve_for_outcome(outcome, spec, budget_aid=B + 1, diagnose=False).objective
    down = solve_for_outcome(outcome, spec, budget_aid=B - 1, diagnose=False).objective
    mv = r["cbc"].marginal_values["aid"]
    assert mv["one_more"] == pytest.approx(up - r["cbc"].objective, rel=1e-4)
    assert mv["one_less"] == pytest.approx(r["cbc"].objective - down, rel=1e-4)
    assert mv["one_less"] - mv["one_more"] > 5e-4  # a real kink: the sides differ in the 2nd digit
    for s in ("cbc", "highs"):
        line = next(x for x in r[s].binding if x.startswith("aid budget"))
        assert "one more US$1M of aid adds 0.01499" in line and "one less US$1M loses 0.01592" in line


def test_discrete_projects_one_sided_values_by_re_solving_the_milp(countries):
    """Discrete projects (MILP), minimum sizes g 4, i 8. Aid budget 10 goes to A-g (10 x 0.6).
    One more US$1M cannot open a B-g project (minimum 4), so it goes to A-g's second band: +0.3
    (the LP would give 0.4). One less comes out of A-g's first band: -0.6. Investment 40: A-i 30,
    B-i 10 (>= 8); B-i moves by 1 either way: 0.4 and 0.4."""
    res = opt.solve(PRI, countries, two_types(min_sizes=(4.0, 8.0)), {**KINK, "discrete": True})
    assert res.status == "optimal" and res.is_milp
    aid, inv = res.marginal_values["aid"], res.marginal_values["investment"]
    assert aid["one_more"] == approx(0.3) and aid["one_less"] == approx(0.6)
    assert inv["one_more"] == approx(0.4) and inv["one_less"] == approx(0.4)
    line = next(x for x in res.binding if x.startswith("aid budget"))
    assert "one more US$1M of aid adds 0.3" in line and "one less US$1M loses 0.6" in line
