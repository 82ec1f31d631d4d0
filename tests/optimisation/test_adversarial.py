"""Adversarial inputs to the allocation optimiser: every one is bad input (InputError naming the
field; exit 2 from the command line) or a diagnosed infeasibility, never a crash, a traceback or
a silent empty / wrong answer.

Small instance as in test_handsolved.py: types g (all aid, bands 10;20 -> capacity 20
per country) and i (all investment, one band of 30); countries A, B; budgets aid 25, investment 40.
"""

import json
from pathlib import Path

import pandas as pd
import pytest

import optimisation as opt
from mcda.errors import InputError
from optimisation.spec import parse_spec
from tests.optimisation.instances import BASE, PRI, raises
from tests.support import ROOT

REL = 1e-6


MIN_SIZES = (4.0, 8.0)  # the `types` fixture (tests/optimisation/conftest.py) with minimum project sizes


# ---- budgets: JSON Infinity/NaN, true/false, text, both zero, absurdly large -----------------


@pytest.mark.parametrize(
    "value, needle",
    [
        (float("inf"), "finite"),  # reached the solver as a RHS: PulpError, exit 1
        (float("nan"), "finite"),
        (True, "not true/false"),  # was read as US$ 1M without a word
        ("100", "not text"),  # was read as 100
        (1e300, "less than or equal"),  # made every constraint look binding (tolerance scaled by it)
    ],
)
def test_budget_values_that_are_not_amounts(value, needle):
    e = raises("allocation.budget_aid_musd", parse_spec, {"budget_aid_musd": value, "budget_investment_musd": 5})
    assert needle in e


def test_other_number_fields_reject_true_and_infinity():
    raises("allocation.equity_floor", parse_spec, {**BASE, "equity_floor": True})
    raises("allocation.country_caps[A].musd", parse_spec, {**BASE, "country_caps": {"A": {"musd": float("inf")}}})
    raises("allocation.country_capacity_scale[A]", parse_spec, {**BASE, "country_capacity_scale": {"A": float("inf")}})


def test_both_budgets_zero_is_nothing_to_allocate(types, countries):
    e = raises("allocation", parse_spec, {**BASE, "budget_aid_musd": 0, "budget_investment_musd": 0})
    assert "nothing to allocate" in e
    # one pool at zero stays a valid (investment-only) plan
    res = opt.solve(PRI, countries, types, {**BASE, "budget_aid_musd": 0})
    assert res.ok and res.by_pool["aid"] == 0 and res.by_pool["investment"] == pytest.approx(40, rel=REL)


def test_binding_list_is_not_fooled_by_a_huge_unused_budget(types, countries):
    """Aid US$ 1e8M can fund at most g's capacity (20 + 20). The cap A <= 100 has 50 of slack; the
    tolerance used to be 1e-6 x the budgets (= 100), so it was reported binding."""
    res = opt.solve(PRI, countries, types, {**BASE, "budget_aid_musd": 1e8, "country_caps": {"A": {"musd": 100}}})
    assert res.by_pool["aid"] == pytest.approx(40, rel=REL)
    row = res.constraints.set_index("label").loc["Aland (A) cap: US$ 100M"]
    assert row["slack"] == pytest.approx(50, rel=REL) and not row["binding"]
    assert not any(s.startswith("Aland (A) cap") for s in res.binding)
    assert any("aid budget: not fully used" in s for s in res.binding + list(res.constraints["meaning"]))


# ---- constraint sets whose only solution is "allocate nothing" ------------------------------


def test_share_caps_on_every_country_below_100_percent(types, countries):
    e = raises(
        "allocation.country_caps",
        opt.solve,
        PRI,
        countries,
        types,
        {**BASE, "country_caps": {"A": {"share": 0.3}, "B": {"share": 0.4}}},
    )
    assert "70%" in e
    # per pool: aid caps summing to 50% would force aid to 0
    raises(
        "allocation.country_caps",
        opt.solve,
        PRI,
        countries,
        types,
        {**BASE, "country_caps": {"A": {"share": 0.25, "pool": "aid"}, "B": {"share": 0.25, "pool": "aid"}}},
    )
    raises(
        "allocation.type_caps",
        opt.solve,
        PRI,
        countries,
        types,
        {**BASE, "type_caps": {"g": {"share": 0.4}, "i": {"share": 0.4}}},
    )
    # caps on a subset, or summing to 100%, stay valid
    assert opt.solve(PRI, countries, types, {**BASE, "country_caps": {"A": {"share": 0.3}}}).ok
    res = opt.solve(PRI, countries, types, {**BASE, "country_caps": {"A": {"share": 0.5}, "B": {"share": 0.5}}})
    assert res.ok and res.objective > 0


def test_share_floors_above_100_percent(types, countries):
    e = raises(
        "allocation.country_floors",
        opt.solve,
        PRI,
        countries,
        types,
        {**BASE, "country_floors": {"A": {"share": 0.7}, "B": {"share": 0.7}}},
    )
    assert "140%" in e
    raises(
        "allocation.type_floors",
        opt.solve,
        PRI,
        countries,
        types,
        {**BASE, "type_floors": {"g": {"share": 0.6}, "i": {"share": 0.6}}},
    )


def test_shortlist_of_one_with_a_share_cap(types, countries):
    raises(
        "allocation.country_caps",
        opt.solve,
        pd.Series({"A": 1.0}),
        countries,
        types,
        {**BASE, "country_caps": {"A": {"share": 0.5}}},
    )
    res = opt.solve(pd.Series({"A": 1.0}), countries, types, {**BASE, "equity_floor": 1.0})
    assert res.ok and res.by_country.loc["A", "total_musd"] == pytest.approx(50, rel=REL)


def test_discrete_minimum_size_above_every_capacity(types, countries):
    e = raises(
        "allocation.type_params[g].min_size_musd",
        opt.solve,
        PRI,
        countries,
        types,
        {**BASE, "discrete": True, "type_params": {"g": {"min_size_musd": 25}}},
    )
    assert "could never be funded" in e
    # from the data file, named there; with discrete off the minimum size does not matter
    big = types.assign(min_size_musd=[25.0, 8.0])
    raises("project_types[g].min_size_musd", opt.solve, PRI, countries, big, {**BASE, "discrete": True})
    assert opt.solve(PRI, countries, big, BASE).ok


def test_discrete_minimum_sizes_above_the_budgets(types, countries):
    # i needs 8 of investment but the pool has 5: noted, i gets nothing, g still funded
    res = opt.solve(PRI, countries, types, {**BASE, "discrete": True, "budget_investment_musd": 5})
    assert res.ok and res.by_type.loc["i", "total_musd"] == 0 and res.by_type.loc["g", "total_musd"] > 0
    assert any("cannot be funded" in n and "investment budget" in n for n in res.notes)
    # no type fundable at all: the model could only return an empty allocation
    e = raises(
        "allocation.discrete",
        opt.solve,
        PRI,
        countries,
        types,
        {**BASE, "discrete": True, "budget_aid_musd": 3, "budget_investment_musd": 5},
    )
    assert "no project type can be funded" in e


# ---- model files -----------------------------------------------------------------------------


def test_unwritable_model_file_is_bad_input(types, countries, tmp_path):
    m = opt.AllocationModel(PRI, countries, types, BASE)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    raises(str(blocker / "m.mps"), m.write_model, blocker / "m.mps")  # parent is a file
    assert "cannot write" in raises("m.lp", m.write_model, blocker / "sub" / "m.lp")


# ---- infeasibility diagnosis names the right groups in new combinations -----------------------


def test_type_floor_against_the_gdp_absorptive_cap(types):
    """GDP US$ 100M each: 16% caps allow 16 + 16 = 32, but i must get 35: relax either by 3."""
    small = pd.DataFrame({"country": ["Aland", "Bland"], "gdp": [1e8, 1e8]}, index=["A", "B"])
    res = opt.solve(PRI, small, types, {**BASE, "absorptive_cap_pct_gdp": 16, "type_floors": {"i": {"musd": 35}}})
    assert res.status == "infeasible"
    d = res.diagnosis
    assert set(d.conflicting_groups) == {"type_floors", "absorptive_gdp"}
    assert d.total_relaxation_musd == pytest.approx(3, rel=REL)
    assert d.by_group["type_floors"] == pytest.approx(3, rel=REL)
    assert d.by_group["absorptive_gdp"] == pytest.approx(3, rel=REL)


def test_must_not_against_a_type_floor_when_one_country_has_capacity(types, countries):
    """B's capacity is scaled to 1% (g: 0.2), A x g is ruled out, yet g must get 15: the floor,
    the must-not and B's capacity conflict; the smallest relaxation is 15 - 0.2 = 14.8."""
    res = opt.solve(
        PRI,
        countries,
        types,
        {
            **BASE,
            "country_capacity_scale": {"B": 0.01},
            "type_floors": {"g": {"musd": 15}},
            "must_not": [{"country": "A", "project_type": "g"}],
        },
    )
    assert res.status == "infeasible"
    d = res.diagnosis
    assert set(d.conflicting_groups) == {"type_floors", "must_not", "capacity"}
    assert d.total_relaxation_musd == pytest.approx(14.8, rel=REL)
    assert "must-not pairs" in d.message and "per-type floors" in d.message


# ---- floor duals through HiGHS (its duals are those of the minimisation: sign flipped) --------


@pytest.mark.parametrize(
    "extra, label",
    [
        ({"country_floors": {"B": {"musd": 30}}}, "Bland (B) floor: US$ 30M"),
        (
            {"must_fund": [{"country": "B", "project_type": "i", "min_musd": 20}]},
            "must fund Bland (B) x i (at least US$ 20M)",
        ),
    ],
)
def test_floor_shadow_prices_are_negative_with_highs_too(types, countries, extra, label):
    """Forcing B up moves investment from A-i (0.6) to B-i (0.4): each US$1M of the floor costs 0.2."""
    for solver in ("cbc", "highs"):
        res = opt.solve(PRI, countries, types, {**BASE, **extra, "solver": solver})
        assert res.shadow_prices[label] == pytest.approx(-0.2, rel=REL), solver
        assert any(s.startswith(f"{label}: binding; lowering it by US$1M adds 0.2") for s in res.binding), solver


# ---- command line ------------------------------------------------------------------------------


def _scenario(tmp_path, allocation_text: str) -> Path:
    d = json.loads((ROOT / "scenarios" / "default.json").read_text(encoding="utf-8"))
    d.pop("allocation", None)
    text = json.dumps(d)[:-1] + ', "allocation": ' + allocation_text + "}"
    p = tmp_path / "s.json"
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize(
    "allocation, flags, needle",
    [
        ('{"budget_aid_musd": Infinity, "budget_investment_musd": 600}', [], "budget_aid_musd"),
        ('{"budget_aid_musd": 300, "budget_investment_musd": 600}', ["--budget-aid", "1e300"], "--budget-aid"),
        ('{"budget_aid_musd": 300, "budget_investment_musd": 600}', ["--mps", "/proc/no/such/m.mps"], "m.mps"),
    ],
)
def test_cli_exits_2_with_one_line(tmp_path, allocation, flags, needle, cli):
    r = cli("optimisation", "solve", _scenario(tmp_path, allocation), "--out", tmp_path / "out", *flags)
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert needle in r.stderr


def test_need_column_absent_from_user_data_is_neutral_with_a_note_or_an_error():
    """A user's own data has no poverty_rate column: neutral need factor (noted), or an error if asked."""
    import pandas as pd

    from fulcrum.allocate import build_model
    from optimisation.model import AllocationModel
    from optimisation.spec import parse_spec

    countries = pd.DataFrame({"gdp": [5e10, 8e10]}, index=["AAA", "BBB"])
    pr = pd.Series({"AAA": 0.6, "BBB": 0.4})
    spec = {"budget_aid_musd": 50, "budget_investment_musd": 50}
    # the product layer names the shipped data set as the reference: poverty_rate is a known indicator
    res = build_model(pr, countries, parse_spec(spec)).solve()
    assert res.ok and any("'poverty_rate' is not in the data" in n for n in res.notes)
    with pytest.raises(InputError, match="need indicator column 'poverty_rate' is not in the countries table"):
        build_model(pr, countries, parse_spec({**spec, "missing_need": "error"})).solve()
    # the library alone knows no reference data set: a column found nowhere is a typo, unless the caller names it
    with pytest.raises(InputError, match="need indicator column 'poverty_rate' is not in the countries table"):
        AllocationModel(pr, countries, None, parse_spec(spec))
    assert AllocationModel(pr, countries, None, parse_spec(spec), known_columns={"poverty_rate", "hdi"}).solve().ok
