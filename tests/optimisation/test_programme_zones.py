"""Demonstration zones and the debt rule inside a multi-year programme (issue 11 items 1, 3, 4):
with ``allocation.programme`` the zone rule holds per country AND commitment year; loan caps hold on
the programme's total loan commitments, each pipeline project in its own pool.

Instance of tests/optimisation/instances.py (US$ millions): type g all aid, bands 10 @ 1 then
10 @ 0.5; type i all investment, one band 30 @ 1; priorities A 0.6, B 0.4; budgets aid 25,
investment 40; no GDP cap. Objective coefficients: A-g 0.6 then 0.3, B-g 0.4 then 0.2, A-i 0.6,
B-i 0.4. Both types disburse in their start year (profile "1"), so a year's commitment is that
year's disbursement.
"""

from __future__ import annotations

import pandas as pd
import pytest

from optimisation.model import AllocationModel
from tests.optimisation.instances import BASE, PRI
from tests.optimisation.test_programme import approx, check_properties, pipe, programme

ZONES = {"lead": ["i"], "joined": {"g": 0.5}}
PROG = programme(2, [4, 21], inv=[30, 10], g="1", i="1")


def _model(types, countries, prog: dict, pipeline: pd.DataFrame | None = None, **extra) -> AllocationModel:
    spec = {**BASE, "programme": prog, **extra}
    if pipeline is not None:
        spec["pipeline"] = "pipe.csv"
    return AllocationModel(PRI, countries, types, spec, pipeline=pipeline)


def committed(model: AllocationModel, c: str, p: str, y: int) -> float:
    """Money of pair (c, p) committed in year y in the solved model (envelope and projects)."""
    return sum(k * (v.varValue or 0.0) for v, k in model.built.programme.commit_terms(c, p, y))


@pytest.mark.parametrize("solver", ["cbc", "highs"])
def test_zones_per_commitment_year_hand_solved(types, countries, solver):
    """Two years, zones led by i with g joined at 0.5; aid ceilings 4 (2026) and 21 (2027), investment
    ceilings 30 and 10.

    Per year: g(c, y) <= 0.5 i(c, y). In 2026 g <= 4 (its ceiling); in 2027 g <= 0.5 x i committed in 2027
    <= 0.5 x 10 = 5. So g <= 9 in all, worth at most 0.6 x 9 = 5.4 (A-g's first band); investment 40 is
    worth at most 22 (A-i 30 @ 0.6 + B-i 10 @ 0.4). Both at once: A-i 20 in 2026 and 10 in 2027, B-i 10
    in 2026, A-g 4 in 2026 (<= 0.5 x 20) and 5 in 2027 (<= 0.5 x 10). Optimum 27.4, B-g 0.

    With the rule on the programme's totals only (g(c) <= 0.5 i(c); before), g could take 4 + 21 = 25:
    A-g <= 15, B-g <= 5, worth 6 + 1.5 + 2 = 9.5, optimum 31.5; so the per-year rule costs 4.1."""
    m = _model(types, countries, PROG, zones=ZONES, solver=solver)
    res = m.solve()
    assert res.status == "optimal"
    assert res.objective == approx(27.4)
    alloc = res.allocation.set_index(["country", "project_type"])["total_musd"]
    assert alloc[("A", "g")] == approx(9.0) and alloc[("B", "g")] == approx(0.0)
    assert alloc[("A", "i")] == approx(30.0) and alloc[("B", "i")] == approx(10.0)
    for c in ("A", "B"):
        for y in (2026, 2027):
            assert committed(m, c, "g", y) <= 0.5 * committed(m, c, "i", y) + 1e-6, (c, y)
    names = set(res.constraints["name"])
    assert {"zone_A_g_2026", "zone_A_g_2027", "zone_B_g_2026", "zone_B_g_2027"} <= names
    assert "zone_A_g" not in names  # the whole-programme row is the sum of the yearly ones
    label = res.constraints.set_index("name").loc["zone_A_g_2027", "label"]
    assert label.endswith(", 2027") and "demonstration zone" in label
    assert any("in a country and commitment year only alongside i there that year" in n for n in res.notes)
    check_properties(res, {**PROG, "ceilings": {"aid": [4, 21], "investment": [30, 10]}})


def test_zones_without_a_programme_unchanged(types, countries):
    """No programme: one row per country, g(c) <= 0.5 i(c); g free to take its 25 (optimum 31.5 above)."""
    res = AllocationModel(PRI, countries, types, {**BASE, "zones": ZONES}).solve()
    assert res.objective == approx(31.5)
    names = set(res.constraints["name"])
    assert {"zone_A_g", "zone_B_g"} <= names and not any(n.startswith("zone_A_g_") for n in names)
    assert any("g is funded in a country only alongside i there," in n for n in res.notes)


def test_zone_with_pipeline_projects_per_year(types, countries):
    """A project counts in its commitment year: PG (A x g, 6, no earlier than 2027, must fund) needs 12 of i
    committed by A in 2027, above that year's investment ceiling 10: infeasible, and the diagnosis names
    A's 2027 zone row (and the ceilings). With the 2027 investment ceiling 12 it fits (A-i 12 in 2027)."""
    p = pipe(("PG", "A", "g", "aid", 6, 2027, "1", "", "fund"))
    res = _model(types, countries, PROG, p, zones=ZONES).solve()
    assert res.status == "infeasible"
    conflicts = res.diagnosis.conflicts()
    assert {c["group"] for c in conflicts} == {"zones", "annual_ceilings"}
    zone = next(c for c in conflicts if c["group"] == "zones")
    assert zone["constraints"] == ["Aland (A): g <= 0.5 x i (demonstration zone), 2027"]
    ok = _model(types, countries, programme(2, [4, 21], inv=[30, 12], g="1", i="1"), p, zones=ZONES).solve()
    assert ok.status == "optimal"
    assert ok.programme["projects"].set_index("project_id").loc["PG", "start_year"] == 2027


@pytest.mark.parametrize("solver", ["cbc", "highs"])
def test_debt_loan_cap_on_the_programme_total_with_projects_in_their_own_pool(types, countries, solver):
    """Loan cap of A: 12 (tier above 50% of GNI). Two years, aid ceilings 4 and 21, investment 30 and 10.
    The cap holds on A's loan commitments over both years together (not 12 a year). A pipeline project PI
    (A x g, 6, investment pool, must fund) is a loan of A although type g is all aid, so A-i <= 12 - 6 = 6.

    Investment 40: PI 6 (in A-g's first band, 0.6 x 6 = 3.6), A-i 6 (3.6), B-i 28 (11.2). Aid 25, all g
    envelope: A-g 4 more of its first band (2.4), B-g 10 (4), A-g second band 10 (3), B-g second band 1
    (0.2) = 9.6. Optimum 3.6 + 3.6 + 11.2 + 9.6 = 28.0. Counting PI by its type's aid share (before: not
    a loan) would allow A-i 12 and give 29.2."""
    countries = countries.assign(debt=[60.0, 10.0])
    rule = {
        "column": "debt",
        "tiers": [{"name": "high", "above_pct": 50, "investment_cap_musd": 12, "source": "test"}],
    }
    p = pipe(("PI", "A", "g", "investment", 6, 2026, "1", "", "fund"))
    prog = programme(2, [4, 21], inv=[30, 10], g="1", i="1")
    m = _model(types, countries, prog, p, debt_rule=rule, solver=solver)
    res = m.solve()
    assert res.status == "optimal"
    a_loans = res.allocation.set_index(["country", "project_type"])["investment_musd"].xs("A").sum()
    assert a_loans == approx(12.0)
    assert res.objective == approx(28.0)
    assert any("total loan commitments over all its years together" in n for n in res.notes)
