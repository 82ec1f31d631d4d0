"""Infeasible allocations: the elastic diagnosis names the conflicting constraint groups and the
smallest relaxation, never just "Infeasible". Instances small enough to reason about by hand.

Base instance (as in test_handsolved.py): types g (all aid, capacity 20 per country),
i (all investment, capacity 30 per country); countries A, B; budgets aid 25, investment 40.
"""

import pandas as pd
import pytest

import optimisation as opt
from tests.optimisation.instances import BASE, PRI

REL = 1e-6


MIN_SIZES = (4.0, 8.0)  # the `types` fixture (tests/optimisation/conftest.py) with minimum project sizes


def diagnose(types, countries, **extra):
    res = opt.solve(PRI, countries, types, {**BASE, **extra})
    assert res.status == "infeasible"
    assert res.diagnosis is not None
    assert res.diagnosis.message.startswith("Infeasible: ") and len(res.diagnosis.message) > 40
    return res


@pytest.mark.parametrize("discrete", [False, True])
def test_floors_above_budget(types, countries, discrete):
    """Floors A 40 + B 40 = 80 > 65 of budget: the floors conflict with the budgets; the smallest
    relaxation is US$ 15M (lower the floors by 15 in all, or raise the budgets by 15)."""
    res = diagnose(types, countries, discrete=discrete, country_floors={"A": {"musd": 40}, "B": {"musd": 40}})
    d = res.diagnosis
    assert "country_floors" in d.conflicting_groups
    assert {"aid_budget", "investment_budget"} & set(d.conflicting_groups)
    assert d.total_relaxation_musd == pytest.approx(15, rel=REL)
    assert d.by_group["country_floors"] == pytest.approx(15, rel=REL)
    # the relaxation shown changes the planner's floors (a budget costs slightly more to relax)
    assert {r["group"] for r in d.relaxations} == {"country_floors"}
    assert "per-country floors" in d.message


def test_must_fund_above_a_cap(types, countries):
    """Must fund A x i with at least 30, but A is capped at 20: relax either by 10."""
    res = diagnose(
        types,
        countries,
        must_fund=[{"country": "A", "project_type": "i", "min_musd": 30}],
        country_caps={"A": {"musd": 20}},
    )
    d = res.diagnosis
    assert set(d.conflicting_groups) == {"must_fund", "country_caps"}
    assert d.total_relaxation_musd == pytest.approx(10, rel=REL)
    assert d.by_group["must_fund"] == pytest.approx(10, rel=REL)
    assert d.by_group["country_caps"] == pytest.approx(10, rel=REL)
    conflicts = res.conflicts
    assert {c["group"] for c in conflicts} == {"must_fund", "country_caps"}
    assert all(c["label"] for c in conflicts)


def test_must_fund_at_default_minimum_size_against_must_not(types, countries):
    """must-fund without min_musd means one project of the type's minimum size (g: 4)."""
    res = diagnose(
        types,
        countries,
        must_fund=[{"country": "B", "project_type": "g"}],
        must_not=[{"country": "B", "project_type": "g"}],
    )
    d = res.diagnosis
    assert set(d.conflicting_groups) == {"must_fund", "must_not"}
    assert d.total_relaxation_musd == pytest.approx(4, rel=REL)


def test_contradictory_linking(types, countries):
    """g >= 2 x i and i >= 1 x g in A allow only g = i = 0, but A x i must be funded (8)."""
    res = diagnose(
        types,
        countries,
        linking=[
            {"lhs_type": "g", "ratio": 2, "rhs_type": "i", "countries": ["A"]},
            {"lhs_type": "i", "ratio": 1, "rhs_type": "g", "countries": ["A"]},
        ],
        must_fund=[{"country": "A", "project_type": "i"}],
    )
    d = res.diagnosis
    assert set(d.conflicting_groups) == {"linking", "must_fund"}
    assert d.by_group["linking"] is not None and d.by_group["linking"] > 0
    assert "linking constraints" in d.message


def test_floor_above_absorptive_capacity(types, countries):
    """A floor of 60 on A exceeds what A can absorb (20 + 30 = 50 across its types)."""
    res = diagnose(
        types, countries, budget_aid_musd=100, budget_investment_musd=100, country_floors={"A": {"musd": 60}}
    )
    d = res.diagnosis
    assert set(d.conflicting_groups) == {"country_floors", "capacity"}
    assert d.total_relaxation_musd == pytest.approx(10, rel=REL)


def test_gdp_cap_conflicts_with_equity_floor_and_floor(types):
    """B's GDP is US$ 100M, so the 16% absorptive cap allows 16; a floor of 20 on B conflicts."""
    countries = pd.DataFrame({"country": ["Aland", "Bland"], "gdp": [1e12, 1e8]}, index=["A", "B"])
    res = opt.solve(
        PRI, countries, types, {**BASE, "absorptive_cap_pct_gdp": 16, "country_floors": {"B": {"musd": 20}}}
    )
    assert res.status == "infeasible"
    assert set(res.diagnosis.conflicting_groups) == {"country_floors", "absorptive_gdp"}
    assert res.diagnosis.total_relaxation_musd == pytest.approx(4, rel=REL)


def test_feasible_model_has_no_conflicts(types, countries):
    res = opt.solve(PRI, countries, types, BASE)
    assert res.ok and res.conflicts == [] and res.diagnosis is None
