"""A two-country, two-type allocation solved by hand; optimum and shadow prices known analytically.

Instance (US$ millions; no need scaling, no GDP cap):
  types   g: aid share 1 (all grant), bands [0,10] and (10,20] with marginal benefit 1.0 then 0.5
          i: aid share 0 (all investment), one band [0,30] with marginal benefit 1.0
  priorities  A = 0.6, B = 0.4
  budgets     aid 25, investment 40

Objective coefficient per band = priority x marginal:
  A-g: 0.6 (first 10), 0.3 (next 10)     B-g: 0.4 (first 10), 0.2 (next 10)
  A-i: 0.6 (up to 30)                    B-i: 0.4 (up to 30)

Aid (25) only funds g: fill by coefficient, A-g1 10 (0.6), B-g1 10 (0.4), A-g2 5 (0.3) -> 6 + 4 + 1.5
  = 11.5; the last aid dollar goes to A-g2, so the aid shadow price is 0.3.
Investment (40) only funds i: A-i 30 (0.6), B-i 10 (0.4) -> 18 + 4 = 22; shadow price 0.4.
Optimum 33.5; allocation A: g 15, i 30 (45); B: g 10, i 10 (20).

Variant with a cap "A total <= 40": A must give up 5. Cutting A-g2 by 5 (aid moves to B-g2, 0.2)
loses 0.3 - 0.2 = 0.1 per US$1M; cutting A-i (investment moves to B-i, 0.4) loses 0.6 - 0.4 = 0.2.
So cut A-g2: optimum 33.5 - 0.5 = 33.0; A: g 10, i 30; B: g 15, i 10. Shadow prices: cap 0.1,
aid 0.2 (next aid dollar goes to B-g2), investment 0.4 (B-i).
"""

import math

import pytest

import optimisation as opt
from tests.optimisation.instances import BASE, PRI

REL = 1e-6  # CBC returns ~8 significant digits


def approx(v):
    return pytest.approx(v, rel=REL, abs=1e-7)


def cell(res, c, p):
    a = res.allocation.set_index(["country", "project_type"])
    return float(a.loc[(c, p), "total_musd"])


@pytest.mark.parametrize("solver", ["cbc", "highs"])
def test_hand_solved_optimum_and_shadow_prices(types, countries, solver):
    res = opt.solve(PRI, countries, types, {**BASE, "solver": solver})
    assert res.status == "optimal"
    assert res.objective == approx(33.5)
    assert cell(res, "A", "g") == approx(15) and cell(res, "A", "i") == approx(30)
    assert cell(res, "B", "g") == approx(10) and cell(res, "B", "i") == approx(10)
    assert res.shadow_prices["aid budget"] == approx(0.3)
    assert res.shadow_prices["investment budget"] == approx(0.4)
    assert res.by_pool["aid"] == approx(25) and res.by_pool["investment"] == approx(40)


@pytest.mark.parametrize("solver", ["cbc", "highs"])
def test_hand_solved_with_cap(types, countries, solver):
    spec = {**BASE, "solver": solver, "country_caps": {"A": {"musd": 40}}}
    res = opt.solve(PRI, countries, types, spec)
    assert res.objective == approx(33.0)
    assert cell(res, "A", "g") == approx(10) and cell(res, "B", "g") == approx(15)
    assert cell(res, "A", "i") == approx(30) and cell(res, "B", "i") == approx(10)
    sp = res.shadow_prices
    assert sp["Aland (A) cap: US$ 40M"] == approx(0.1)
    assert sp["aid budget"] == approx(0.2)
    assert sp["investment budget"] == approx(0.4)
    words = " ".join(res.binding)
    assert "Aland (A) cap: US$ 40M: binding; raising it by US$1M adds 0.1 units of benefit" in words
    assert "one more US$1M of aid adds 0.2 units of benefit" in words


def test_shadow_prices_match_finite_differences(types, countries):
    """The reported duals equal the change of the optimum when the limit moves by US$1M
    (within the same basis: steps small enough not to change which band is marginal)."""
    spec = {**BASE, "country_caps": {"A": {"musd": 40}}}
    m = opt.AllocationModel(PRI, countries, types, spec)
    r0 = m.solve()
    m.set_budgets(aid=26)
    r1 = m.solve()
    assert r1.objective - r0.objective == approx(r0.shadow_prices["aid budget"])
    m.set_budgets(aid=25, investment=41)
    r2 = m.solve()
    assert r2.objective - r0.objective == approx(r0.shadow_prices["investment budget"])
    m2 = opt.AllocationModel(PRI, countries, types, {**spec, "country_caps": {"A": {"musd": 41}}})
    assert m2.solve().objective - r0.objective == approx(0.1)


def test_floor_shadow_price_is_negative_and_worded(types, countries):
    """Floor "B total >= 30": B gains 10 from A. Cheapest: B-g2 takes 5 aid from A-g2
    (0.3 -> 0.2, loss 0.5) and B-i takes 5 investment from A-i (0.6 -> 0.4, loss 1.0): the
    marginal US$1M is the investment move, so lowering the floor by 1 adds 0.2. Optimum 32.0."""
    spec = {**BASE, "country_floors": {"B": {"musd": 30}}}
    res = opt.solve(PRI, countries, types, spec)
    assert res.objective == approx(32.0)
    lab = "Bland (B) floor: US$ 30M"
    assert res.shadow_prices[lab] == approx(-0.2)
    assert any(s.startswith(lab + ": binding; lowering it by US$1M adds 0.2") for s in res.binding)


def test_unused_budget_is_explained(types, countries):
    # capacity: g holds 20 per country (40 in all), aid 60 cannot all be used
    res = opt.solve(PRI, countries, types, {**BASE, "budget_aid_musd": 60})
    assert res.by_pool["aid"] == approx(40)
    assert res.shadow_prices["aid budget"] == approx(0.0)
    assert any("left unspent" in n for n in res.notes)
    assert math.isclose(res.objective, 0.6 * 10 + 0.3 * 10 + 0.4 * 10 + 0.2 * 10 + 22, rel_tol=REL)
