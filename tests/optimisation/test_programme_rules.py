"""Issue 11 items 3-6 on the hand-solvable instance (tests/optimisation/instances.py): demonstration
zones, the debt rule, the outcomes objective and co-financing, each with its optimum derived here.

Instance: type g all aid, bands 10 @ 1 then 10 @ 0.5 (capacity 20 per country); type i all
investment, one band 30 @ 1; priorities A 0.6, B 0.4; budgets aid 25, investment 40; no GDP cap.
Objective coefficients (priority x marginal): A.g 0.6 then 0.3, B.g 0.4 then 0.2, A.i 0.6, B.i 0.4.
Without any rule: aid fills A.g band 1 (10), B.g band 1 (10), A.g band 2 (5); investment A.i 30,
B.i 10; benefit 6 + 4 + 1.5 + 18 + 4 = 33.5.
"""

import pandas as pd
import pytest

import optimisation as opt
from mcda.errors import InputError
from optimisation.outcomes import OUTCOME_COLUMNS
from optimisation.tables import allocation_table, summary_dict
from tests.optimisation.instances import BASE, PRI, raises, two_countries, two_types

TOL = 1e-6


def _money(res) -> dict:
    a = res.allocation
    return {(c, p): float(x) for c, p, x in zip(a["country"], a["project_type"], a["total_musd"], strict=True)}


@pytest.fixture(scope="module")
def types():
    return two_types(min_sizes=(0.0, 0.0))


def test_baseline_is_the_documented_optimum(types):
    res = opt.solve(PRI, two_countries(), types, BASE)
    assert res.objective == pytest.approx(33.5, rel=1e-9)


# ----------------------------------------------------------------------------- zones (item 3)


def test_zones_hand_solved(types):
    """g joined to lead i at ratio 0.25: g[c] <= 0.25 i[c].

    i as before (A 30, B 10) allows g A <= 7.5, B <= 2.5, both in band 1: benefit
    18 + 4 + 0.6 x 7.5 + 0.4 x 2.5 = 27.5. Moving US$1 of i from A to B loses 0.6 - 0.4 = 0.2 of i,
    0.25 x 0.6 = 0.15 of A.g and gains 0.25 x 0.4 = 0.1 of B.g: net -0.25, so this is the optimum;
    US$ 15M of aid stays unspent (the zone rule leaves it no use).
    """
    res = opt.solve(PRI, two_countries(), types, {**BASE, "zones": {"lead": ["i"], "joined": {"g": 0.25}}})
    assert res.ok
    x = _money(res)
    assert res.objective == pytest.approx(27.5, rel=1e-9)
    assert x["A", "i"] == pytest.approx(30) and x["B", "i"] == pytest.approx(10)
    assert x["A", "g"] == pytest.approx(7.5) and x["B", "g"] == pytest.approx(2.5)
    assert any("Demonstration zones" in n and "g is funded in a country only alongside i" in n for n in res.notes)


def test_zones_joined_zero_where_lead_zero(types):
    """B x i ruled out: B.g <= 0.25 x 0 = 0 (no binaries); A as above: 18 + 4.5 = 22.5."""
    spec = {
        **BASE,
        "zones": {"lead": ["i"], "joined": {"g": 0.25}},
        "must_not": [{"country": "B", "project_type": "i"}],
    }
    res = opt.solve(PRI, two_countries(), types, spec)
    x = _money(res)
    assert x["B", "g"] == pytest.approx(0, abs=TOL) and x["B", "i"] == pytest.approx(0, abs=TOL)
    assert res.objective == pytest.approx(22.5, rel=1e-9)
    assert not res.is_milp


def test_zones_only_in_listed_countries(types):
    """Zone in A only: A.g <= 7.5; B.g free (10 in band 1 then band 2 up to the aid left):
    aid 25 = A.g 7.5 + B.g 17.5; benefit 18 + 4 + 4.5 + 0.4 x 10 + 0.2 x 7.5 = 32."""
    res = opt.solve(
        PRI, two_countries(), types, {**BASE, "zones": {"lead": ["i"], "joined": {"g": 0.25}, "countries": ["A"]}}
    )
    x = _money(res)
    assert x["A", "g"] == pytest.approx(7.5) and x["B", "g"] == pytest.approx(17.5)
    assert res.objective == pytest.approx(32.0, rel=1e-9)


@pytest.mark.parametrize(
    "zones, where",
    [
        ({"lead": ["x"], "joined": {"g": 1}}, "allocation.zones.lead[0]"),
        ({"lead": ["i"], "joined": {"x": 1}}, "allocation.zones.joined[x]"),
        ({"lead": ["i"], "joined": {"i": 1}}, "allocation.zones.joined[i]"),
        ({"lead": ["i", "i"], "joined": {"g": 1}}, "allocation.zones.lead"),
        ({"lead": ["i"], "joined": {"g": {"ratio": 1, "lead": ["g"]}}}, "allocation.zones.joined[g].lead[0]"),
        ({"lead": ["i"], "joined": {"g": 1}, "countries": ["Z"]}, "allocation.zones.countries[0]"),
        ({"lead": ["i"], "joined": {"g": 0}}, "allocation.zones.joined[g].ratio"),
        ({"lead": ["i"], "joined": {"g": "1"}}, "allocation.zones.joined[g].ratio"),
        ({"lead": [], "joined": {"g": 1}}, "allocation.zones.lead"),
    ],
)
def test_zones_bad_input_names_the_field(types, zones, where):
    raises(where, opt.solve, PRI, two_countries(), types, {**BASE, "zones": zones})


# ----------------------------------------------------------------------------- debt rule (item 4)

DEBT = {
    "tiers": [
        {"name": "moderate", "above_pct": 40, "min_grant_share": 0.5},
        {"name": "high", "above_pct": 55, "investment_cap_musd": 0, "min_grant_share": 1.0},
    ]
}


def test_debt_rule_hand_solved(types):
    """A's external debt 45% (moderate: grants >= 50%, i.e. A.g >= A.i), B's 60% (high: no loans).

    Investment can go to A only, up to A.g. Each US$1 of A.g in band 2 is worth 0.3 and lets A.i
    grow by 1 (0.6): 0.9 > B.g's 0.4, so A.g = 20 (capacity), A.i = 20, B.g = the aid left = 5.
    Benefit 0.6 x 20 + (6 + 3) + 0.4 x 5 = 23; US$ 20M of investment stays unspent.
    """
    countries = two_countries(external_debt=[45.0, 60.0], external_debt_year=[2024, 2024])
    res = opt.solve(PRI, countries, types, {**BASE, "debt_rule": DEBT})
    x = _money(res)
    assert res.objective == pytest.approx(23.0, rel=1e-9)
    assert x["A", "g"] == pytest.approx(20) and x["A", "i"] == pytest.approx(20)
    assert x["B", "i"] == pytest.approx(0, abs=TOL) and x["B", "g"] == pytest.approx(5)
    # the reason travels: notes, allocation.csv column, summary.json
    assert any("Debt rule, B: external_debt 60.0% of GNI (2024) is above 55% (tier 'high')" in n for n in res.notes)
    table = allocation_table(res)
    reason = (
        "external_debt 60.0% of GNI (2024) is above 55% (tier 'high'): no loans (investment excluded) and grants "
        "at least 100% of its allocation"
    )
    assert set(table.loc[table["country"] == "B", "debt_rule"]) == {reason}
    s = summary_dict(res)
    assert s["debt_rule"]["by_country"]["B"]["investment_cap_musd"] == 0
    assert s["debt_rule"]["by_country"]["A"]["min_grant_share"] == 0.5


def test_debt_rule_blank_value(types):
    """A blank debt value: no limit (said), or no loans under missing = exclude."""
    countries = two_countries(external_debt=[None, 60.0])
    res = opt.solve(PRI, countries, types, {**BASE, "debt_rule": DEBT})
    assert any("no external_debt figure: no debt limit applied" in n for n in res.notes)
    assert _money(res)["A", "i"] == pytest.approx(30)
    res = opt.solve(PRI, countries, types, {**BASE, "debt_rule": {**DEBT, "missing": "exclude"}})
    x = _money(res)
    assert x["A", "i"] == pytest.approx(0, abs=TOL) and x["B", "i"] == pytest.approx(0, abs=TOL)


def test_debt_rule_bad_input_names_the_field(types):
    raises("allocation.debt_rule.column", opt.solve, PRI, two_countries(), types, {**BASE, "debt_rule": DEBT})
    bad = two_countries(external_debt=["high", 3.0])
    raises("allocation.debt_rule.column", opt.solve, PRI, bad, types, {**BASE, "debt_rule": DEBT})
    ok = two_countries(external_debt=[1.0, 2.0])
    for rule, where in [
        ({"tiers": []}, "allocation.debt_rule.tiers"),
        ({"tiers": [{"name": "a", "above_pct": 50}]}, "allocation.debt_rule"),
        ({"tiers": [{"name": "a", "above_pct": -1, "min_grant_share": 1}]}, "allocation.debt_rule.tiers[0].above_pct"),
        (
            {"tiers": [{"name": "a", "above_pct": 1, "min_grant_share": 2}]},
            "allocation.debt_rule.tiers[0].min_grant_share",
        ),
        ({"tiers": [{"name": "a", "above_pct": 1, "investment_cap_musd": -3}]}, "tiers[0].investment_cap_musd"),
        ({**DEBT, "missing": "zero"}, "allocation.debt_rule.missing"),
        ({"tiers": DEBT["tiers"][::-1]}, "allocation.debt_rule"),
    ]:
        raises(where, opt.solve, PRI, ok, types, {**BASE, "debt_rule": rule})


# ----------------------------------------------------------------------------- outcomes (item 5)


@pytest.fixture(scope="module")
def types_out():
    t = two_types(min_sizes=(0.0, 0.0))
    t["output_unit"] = ["child", "zone"]
    t["output_per_musd_low"] = [2.0, None]
    t["output_per_musd_high"] = [4.0, None]
    t["output_source"] = ["test source (table 1)", "not found: no cost per zone"]
    return t


def test_outcomes_objective_hand_solved(types_out):
    """Weight 1 per child of g, 2 children per US$1M on the low basis: maximise 2 x (A.g + B.g).
    Aid 25 all to g (capacity 40): objective 50; i has no outcome and no weight, so it gets nothing.
    On the midpoint basis (3 per US$1M) the objective is 75."""
    spec = {**BASE, "objective": "outcomes", "outcome_weights": {"g": 1.0}}
    res = opt.solve(PRI, two_countries(), types_out, spec)
    x = _money(res)
    assert res.objective == pytest.approx(50.0, rel=1e-9)
    assert x["A", "g"] + x["B", "g"] == pytest.approx(25)
    assert x["A", "i"] + x["B", "i"] == pytest.approx(0, abs=TOL)
    res = opt.solve(PRI, two_countries(), types_out, {**spec, "outcome_basis": "mid"})
    assert res.objective == pytest.approx(75.0, rel=1e-9)
    t = allocation_table(res).set_index(["country", "project_type"])
    g = t.loc[("A", "g")]
    assert g["outcomes_low"] == pytest.approx(2 * g["total_musd"]) and g["outcomes_high"] == pytest.approx(
        4 * g["total_musd"]
    )
    assert g["usd_per_outcome_low"] == pytest.approx(250_000) and g["usd_per_outcome_high"] == pytest.approx(500_000)
    assert g["unit_cost_source"] == "test source (table 1)"
    i = t.loc[("A", "i")]
    assert pd.isna(i["outcomes_low"]) and i["unit_cost_source"].startswith("no sourced unit cost: not found")
    out = summary_dict(res)["outcomes"]["by_type"]
    assert out["i"]["outcomes_low"] is None and "no sourced unit cost" in out["i"]["unit_cost_source"]
    assert out["g"]["outcomes_high"] == pytest.approx(100.0)


def test_outcomes_bad_input(types_out):
    raises(
        "allocation.outcome_weights[i]",
        opt.solve,
        PRI,
        two_countries(),
        types_out,
        {**BASE, "objective": "outcomes", "outcome_weights": {"i": 1}},
    )
    raises("allocation.outcome_weights", opt.solve, PRI, two_countries(), types_out, {**BASE, "objective": "outcomes"})
    raises(
        "allocation.outcome_weights[x]",
        opt.solve,
        PRI,
        two_countries(),
        types_out,
        {**BASE, "outcome_weights": {"x": 1}},
    )
    raises(
        "allocation.outcome_weights[g]",
        opt.solve,
        PRI,
        two_countries(),
        types_out,
        {**BASE, "outcome_weights": {"g": -1}},
    )
    raises("allocation.outcome_basis", opt.solve, PRI, two_countries(), types_out, {**BASE, "outcome_basis": "best"})
    raises("allocation.objective", opt.solve, PRI, two_countries(), types_out, {**BASE, "objective": "people"})


# ----------------------------------------------------------------------------- co-financing (item 6)


def test_cofinancing_reported_apart_never_in_the_budget(types):
    """Match 0.5 on g: matched_musd = 0.5 x g's money; the allocation, the pool totals and the
    objective are exactly those without co-financing."""
    plain = opt.solve(PRI, two_countries(), types, BASE)
    res = opt.solve(PRI, two_countries(), types, {**BASE, "cofinancing": {"g": {"ratio": 0.5, "partner": "firms"}}})
    assert res.objective == pytest.approx(plain.objective, rel=1e-12)
    assert res.by_pool == pytest.approx(plain.by_pool)
    t = allocation_table(res)
    g = t["project_type"] == "g"
    assert (t.loc[g, "matched_musd"] == 0.5 * t.loc[g, "total_musd"]).all()
    assert (t.loc[~g, "matched_musd"] == 0).all() and set(t.loc[g, "matched_by"]) == {"firms"}
    s = summary_dict(res)
    assert s["cofinancing"]["matched_total_musd"] == pytest.approx(12.5)  # 0.5 x (15 + 10)
    assert s["used_aid"] == pytest.approx(25) and s["used_investment"] == pytest.approx(40)
    assert "matched_musd" not in allocation_table(plain).columns


def test_cofinancing_bad_input(types):
    for cf, where in [
        ({"x": {"ratio": 1}}, "allocation.cofinancing[x]"),
        ({"g": {"ratio": 0}}, "allocation.cofinancing[g].ratio"),
        ({"g": {"ratio": True}}, "allocation.cofinancing[g].ratio"),
        ({"g": {"ratio": 1, "partner": ""}}, "allocation.cofinancing[g].partner"),
        ({"g": 0.5}, "allocation.cofinancing[g]"),
    ]:
        raises(where, opt.solve, PRI, two_countries(), types, {**BASE, "cofinancing": cf})


def test_no_rule_no_new_output(types):
    """A spec using none of items 3-6 adds only the outcome report (item 5: every allocation reports
    its outcomes); with ``report_outcomes: false`` it writes exactly the columns and keys of before."""
    base = ["country", "project_type", "aid_musd", "investment_musd", "total_musd"]
    res = opt.solve(PRI, two_countries(), types, BASE)
    assert list(allocation_table(res).columns) == base + OUTCOME_COLUMNS
    s = summary_dict(res)
    assert "outcomes" in s and set(s["outcomes"]["by_type"]) == {"i", "g"}
    assert not {"zones", "debt_rule", "cofinancing", "rules_in_words", "objective_kind"} & set(s)
    off = opt.solve(PRI, two_countries(), types, {**BASE, "report_outcomes": False})
    assert list(allocation_table(off).columns) == base
    assert not {"zones", "debt_rule", "outcomes", "cofinancing", "rules_in_words", "objective_kind"} & set(
        summary_dict(off)
    )


def test_input_error_is_input_error(types):
    with pytest.raises(InputError):
        opt.solve(PRI, two_countries(), types, {**BASE, "zones": {"lead": ["i"]}})
