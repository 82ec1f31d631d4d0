"""Bad allocation inputs raise InputError naming the field (never a bare KeyError / solver error)."""

import math

import pandas as pd
import pytest

import optimisation as opt
from mcda.errors import InputError
from optimisation.params import check_segments, load_project_types
from optimisation.spec import AllocationSpec, parse_spec
from tests.optimisation.instances import BUDGETS, PRI, raises, two_countries, two_types


@pytest.fixture
def types():
    return two_types(need=("poverty", "none"), transform=("ratio_to_mean", "none"))


@pytest.fixture
def countries():
    return two_countries(poverty=[3.0, float("nan")])


BASE = dict(BUDGETS)


# ---- spec validation (pydantic -> InputError) -------------------------------------------


def test_negative_budget():
    e = raises("allocation.budget_aid_musd", parse_spec, {"budget_aid_musd": -5, "budget_investment_musd": 1})
    assert "greater than or equal to 0" in str(e)
    raises("allocation.budget_investment_musd", AllocationSpec(**BASE).with_budgets, investment=-1)


def test_misspelled_fields_name_the_field_and_suggest():
    e = raises("allocation.budget_aid", parse_spec, {"budget_aid": 5, "budget_investment_musd": 1})
    assert "did you mean 'budget_aid_musd'" in str(e)
    e = raises("allocation.country_caps[BRA].shares", parse_spec, {**BASE, "country_caps": {"BRA": {"shares": 0.2}}})
    assert "did you mean 'share'" in str(e)
    raises("allocation.linking[0].ratio", parse_spec, {**BASE, "linking": [{"lhs_type": "g", "rhs_type": "i"}]})
    raises("allocation.country_caps[BRA]", parse_spec, {**BASE, "country_caps": {"BRA": {}}})


def test_out_of_range_shares_and_aid_share_override():
    raises("allocation.type_params[g].aid_share", parse_spec, {**BASE, "type_params": {"g": {"aid_share": 1.5}}})
    raises("allocation.country_floors[A].share", parse_spec, {**BASE, "country_floors": {"A": {"share": 2}}})
    raises("allocation.equity_floor", parse_spec, {**BASE, "equity_floor": -0.1})


def test_spec_is_json_round_trippable():
    spec = parse_spec(
        {
            **BASE,
            "country_caps": {"A": {"share": 0.3}},
            "linking": [{"lhs_type": "g", "ratio": 0.25, "rhs_type": "i"}],
            "discrete": True,
        }
    )
    again = AllocationSpec.model_validate_json(spec.model_dump_json())
    assert again == spec


# ---- membership checks at build time ----------------------------------------------------


def test_unknown_country_and_type(types, countries):
    raises(
        "allocation.country_caps[BRA]", opt.solve, PRI, countries, types, {**BASE, "country_caps": {"BRA": {"musd": 5}}}
    )
    raises(
        "allocation.must_fund[0].project_type",
        opt.solve,
        PRI,
        countries,
        types,
        {**BASE, "must_fund": [{"country": "A", "project_type": "solar"}]},
    )
    raises(
        "allocation.must_not[0].country",
        opt.solve,
        PRI,
        countries,
        types,
        {**BASE, "must_not": [{"country": "ZZZ", "project_type": "g"}]},
    )
    raises("allocation.type_caps[x]", opt.solve, PRI, countries, types, {**BASE, "type_caps": {"x": {"musd": 1}}})
    raises("allocation.project_types[1]", opt.solve, PRI, countries, types, {**BASE, "project_types": ["g", "q"]})
    raises(
        "allocation.linking[0]",
        opt.solve,
        PRI,
        countries,
        types,
        {**BASE, "linking": [{"lhs_type": "g", "ratio": 1, "rhs_type": "g"}]},
    )
    # a type that exists but is switched off is reported as such
    e = raises(
        "allocation.type_floors[i]",
        opt.solve,
        PRI,
        countries,
        types,
        {**BASE, "project_types": ["g"], "type_floors": {"i": {"musd": 1}}},
    )
    assert "not enabled" in str(e)


def test_non_concave_segments(types, countries):
    e = raises(
        "allocation.type_params[g].segment_marginals",
        opt.solve,
        PRI,
        countries,
        types,
        {**BASE, "type_params": {"g": {"segment_marginals": [0.5, 0.8]}}},
    )
    assert "concave" in str(e)
    raises(
        "allocation.type_params[g]",
        opt.solve,
        PRI,
        countries,
        types,
        {**BASE, "type_params": {"g": {"segment_breaks_musd": [10, 20, 30]}}},
    )  # 3 breaks, 2 marginals
    with pytest.raises(InputError):
        check_segments("10;5", "1;0.5", "x")
    with pytest.raises(InputError):
        check_segments("10;20", "1;-0.5", "x")


def test_bad_rows_in_project_type_file(tmp_path):
    good = load_project_types()
    df = good.reset_index()
    for col in ("segment_breaks_musd", "segment_marginals"):
        df[col] = df[col].map(lambda t: ";".join(f"{x:g}" for x in t))
    bad = df.copy()
    bad.loc[1, "aid_share"] = 1.2
    bad.to_csv(tmp_path / "t.csv", index=False)
    e = raises("row 3, column aid_share", load_project_types, tmp_path / "t.csv")
    assert "[0, 1]" in str(e)
    bad = df.copy()
    bad.loc[0, "segment_marginals"] = "0.1;0.2;0.3;0.4"
    bad.to_csv(tmp_path / "t2.csv", index=False)
    raises("t2.csv row 2", load_project_types, tmp_path / "t2.csv")
    bad = df.copy()
    bad.loc[2, "min_size_source"] = ""
    bad.to_csv(tmp_path / "t3.csv", index=False)
    raises("column min_size_source", load_project_types, tmp_path / "t3.csv")
    raises("nope.csv", load_project_types, tmp_path / "nope.csv")


def test_bad_priorities(types, countries):
    raises("priorities", opt.solve, pd.Series({"A": -0.1, "B": 1.1}), countries, types, BASE)
    raises("priorities", opt.solve, pd.Series({"A": float("nan"), "B": 1}), countries, types, BASE)
    raises("priorities", opt.solve, pd.Series(dtype=float), countries, types, BASE)
    raises("priorities", opt.solve, pd.Series({"A": 0.0, "B": 0.0}), countries, types, BASE)
    raises("countries", opt.solve, pd.Series({"A": 0.5, "C": 0.5}), countries, types, BASE)
    m = opt.AllocationModel(PRI, countries, types, BASE)
    raises("priorities", m.set_priorities, pd.Series({"A": 1.0}))
    raises("allocation.budget_aid_musd", m.set_budgets, aid=-3)
    raises("allocation.budget_investment_musd", m.set_budgets, investment=math.inf)
    # the spec's limit holds here too (set_budgets used to accept any finite budget)
    raises("above the limit", m.set_budgets, aid=2e9)


def test_gdp_and_need_columns(types, countries):
    raises(
        "allocation.country_caps[A].pct_gdp",
        opt.solve,
        PRI,
        countries.drop(columns="gdp"),
        types,
        {**BASE, "country_caps": {"A": {"pct_gdp": 1}}},
    )
    no_need = types.copy()
    no_need.loc["g", "need_indicator"] = "health_gap"
    raises("project_types[g].need_indicator", opt.solve, PRI, countries, no_need, BASE)
    # blank need value: neutral factor by default (and said so), an error on request
    res = opt.solve(PRI, countries, types, BASE)
    assert any("blank for B" in n for n in res.notes)
    assert res.need_factors.loc["B", "g"] == 1.0
    raises("project_types[g].need_indicator", opt.solve, PRI, countries, types, {**BASE, "missing_need": "error"})


def test_unknown_model_file_type(types, countries, tmp_path):
    m = opt.AllocationModel(PRI, countries, types, BASE)
    raises("m.xlsx", m.write_model, tmp_path / "m.xlsx")


def test_one_budget_rule_for_the_spec_the_command_line_and_set_budgets():
    """A budget is checked by one rule wherever it enters: the scenario's allocation section, the
    command line's --budget-aid override and AllocationModel.set_budgets all refuse the same values
    (negative, infinite, above the limit, text, true) and accept the same ones."""
    from optimisation.spec import MAX_BUDGET_MUSD, check_budget, parse_spec

    bad = [-1.0, float("inf"), float("nan"), MAX_BUDGET_MUSD * 2, "x", True]
    for v in bad:
        with pytest.raises(InputError):
            check_budget(v, where="--budget-aid")
        with pytest.raises(InputError):
            parse_spec({"budget_aid_musd": v, "budget_investment_musd": 10})
    for v in (0.0, 250.0, MAX_BUDGET_MUSD):
        assert check_budget(v, where="--budget-aid") == v
        assert parse_spec({"budget_aid_musd": v, "budget_investment_musd": 10}).budget_aid_musd == v
    assert check_budget("250", where="--budget-aid") == 250.0  # the command line gives text
