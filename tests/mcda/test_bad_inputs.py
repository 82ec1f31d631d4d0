"""Adversarial input through the library: every bad input is an InputError saying what and where;
no NaN ever reaches a ranking. (File-level cases go through the CLI in test_cli_bad_inputs.py.)"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mcda import weights as mw
from mcda.compare import compare_methods
from mcda.errors import InputError
from mcda.methods import METHODS, get_method
from mcda.problem import DecisionProblem

IDX = ["A", "B", "C"]
CRIT = {"p": "cost", "q": "benefit"}


@pytest.fixture
def problem():
    return DecisionProblem(pd.DataFrame({"p": [1.0, 2, 3], "q": [3.0, 1, 2]}, index=IDX), CRIT)


# --- weights ------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(METHODS))
@pytest.mark.parametrize(
    "weights",
    [pd.Series({"p": "x", "q": 1.0}), ["a", "b"], np.array(["1", "zz"])],
    ids=["series_text", "list_text", "array_text"],
)
@pytest.mark.parametrize("call", ["scores", "rank", "explain"])
def test_text_weights_are_input_errors_naming_the_criterion(problem, name, weights, call):
    with pytest.raises(InputError, match=r"weights, criterion (p|q): weight .* is not a number"):
        getattr(get_method(name), call)(problem, weights)


@pytest.mark.parametrize("name", sorted(METHODS))
def test_huge_weights_do_not_overflow_into_nan(problem, name):
    # 1e308 + 1e308 overflows to inf; dividing by it used to give all-zero weights (or NaN scores)
    m = get_method(name)
    huge = m.scores(problem, np.array([1e308, 1e308]))
    np.testing.assert_allclose(huge, m.scores(problem, np.array([1.0, 1.0])), rtol=1e-12)


def test_direct_weights_huge_and_negative_zero():
    np.testing.assert_allclose(mw.direct({"p": 1e308, "q": 1e308}, ["p", "q"]).to_numpy(), [0.5, 0.5])
    w = mw.direct({"p": -0.0, "q": 1}, ["p", "q"])
    assert not np.signbit(w["p"])  # shown as 0, not -0


def test_objective_method_not_a_string(problem):
    with pytest.raises(InputError, match="unknown objective weighting method"):
        mw.objective(problem, None)


# --- method options -----------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(METHODS))
def test_unknown_option_lists_the_options_the_method_takes(name):
    with pytest.raises(InputError, match=r"does not take option\(s\) colour.*(its options are|no options)"):
        get_method(name, colour="red")


@pytest.mark.parametrize(
    "opts,msg",
    [
        ({"preference": "vshape", "p": "x"}, "preference threshold p must be a number, got 'x'"),
        ({"preference": "usual", "q": "abc"}, "indifference threshold q must be a number, got 'abc'"),
        ({"preference": "linear", "p": 1, "q": 2}, r"q \(2\) must be below p \(1\)"),
    ],
)
def test_promethee_thresholds(problem, opts, msg):
    with pytest.raises(InputError, match=msg):
        get_method("promethee2", **opts).scores(problem, [1, 1])


@pytest.mark.parametrize(
    "bounds,msg",
    [
        ({"p": ("a", 5)}, "pair of numbers"),
        ({"p": (0,)}, "pair of numbers"),
        ({"p": 5}, "pair of numbers"),
        ({"p": (0, float("inf"))}, "must be finite"),
        ([(0, 5), (0, 5)], "must map criterion id"),
    ],
)
def test_spotis_bounds_malformed(problem, bounds, msg):
    with pytest.raises(InputError, match=msg):
        get_method("spotis", bounds=bounds).scores(problem, [1, 1])


def test_compare_methods_accepts_a_single_name(problem):
    ranks, _ = compare_methods(problem, [1, 1], "topsis")
    assert list(ranks.columns) == ["topsis"]  # not 't', 'o', 'p', ... as unknown methods


# --- the decision problem -----------------------------------------------------------------------
@pytest.mark.parametrize(
    "col,msg",
    [
        (pd.array([1 + 1j, 2, 3]), "complex128 values, not plain numbers"),
        (pd.to_datetime(["2020", "2021", "2022"]), "datetime64.* values, not plain numbers"),
    ],
)
def test_complex_and_date_columns_are_not_silently_converted(col, msg):
    with pytest.raises(InputError, match=msg):
        DecisionProblem(pd.DataFrame({"p": col, "q": [1.0, 2, 3]}, index=IDX), CRIT)


def test_values_too_large_for_float_arithmetic():
    m = pd.DataFrame({"p": [1e308, -1e308, 3], "q": [1.0, 2, 3]}, index=IDX)
    with pytest.raises(InputError, match="column p: criterion p has a value too large"):
        DecisionProblem(m, CRIT)


@pytest.mark.parametrize("missing", [None, 123, ["error"]])
def test_missing_policy_of_the_wrong_type(missing):
    with pytest.raises(InputError, match="missing-data policy must be a name"):
        DecisionProblem(pd.DataFrame({"p": [1.0, 2, 3], "q": [3.0, 1, 2]}, index=IDX), CRIT, missing=missing)


@pytest.mark.parametrize(
    "kwargs,msg",
    [
        ({"values": [["a", 1], [2, 3]], "types": [1, 1]}, "numbers only"),
        ({"values": [[1, 2], [2, 3]], "types": [1, 1], "alternatives": ["a"]}, "1 alternative id"),
        ({"values": [[1, 2], [2, 3]], "types": [1, 1], "criterion_ids": ["c"]}, "1 criterion id"),
    ],
)
def test_from_arrays_shape_and_type_errors(kwargs, msg):
    with pytest.raises(InputError, match=msg):
        DecisionProblem.from_arrays(**kwargs)


# --- property: never NaN, on awkward but valid data ----------------------------------------------
@st.composite
def awkward(draw):
    """Small problems with wide magnitudes, negatives, zeros, duplicate rows and zero weights."""
    n = draw(st.integers(2, 7))
    m = draw(st.integers(1, 4))
    scale = draw(st.sampled_from([1e-6, 1.0, 1e6, 1e12]))
    base = draw(st.lists(st.lists(st.integers(-5, 5), min_size=m, max_size=m), min_size=n, max_size=n))
    X = np.array(base, dtype=float) * scale
    if draw(st.booleans()) and n > 2:
        X[-1] = X[0]  # a duplicate alternative (same values, other id)
    types = draw(st.lists(st.sampled_from([1, -1]), min_size=m, max_size=m))
    w = np.array(draw(st.lists(st.sampled_from([0.0, 0.1, 1.0, 7.0]), min_size=m, max_size=m)))
    return X, types, w


@pytest.mark.parametrize("name", sorted(METHODS))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=awkward())
def test_every_method_returns_finite_scores_and_ranks_or_an_input_error(name, data):
    X, types, w = data
    try:
        problem = DecisionProblem.from_arrays(X, types)
        df = get_method(name).rank(problem, w)
    except InputError:
        return  # constant column, all-zero weights, values <= 0 for a ratio method, ...: refused, fine
    n = len(X)
    assert np.isfinite(df["score"]).all()
    assert df["rank"].between(1, n).all() and df["rank"].min() == 1
    contrib = df.filter(like="contrib_").to_numpy()
    assert np.isfinite(contrib).all()
    assert sorted(df["alternative"]) == sorted(problem.alternatives)


# --- shortlist ----------------------------------------------------------------------------------
from mcda.shortlist import make_shortlist  # noqa: E402

RANKING = pd.DataFrame({"alternative": ["BRA", "MEX", "ARG"], "score": [0.9, 0.8, 0.7], "rank": [1, 2, 3]})
DATA = pd.DataFrame({"rel": [1, 1, 0], "region": ["S", "N", "S"]}, index=["BRA", "MEX", "ARG"])


@pytest.mark.parametrize(
    "kwargs,msg",
    [
        # "1" (text, as typed into JSON with quotes) against numbers used to fail every row silently
        (
            {"filters": [{"column": "rel", "op": "==", "value": "1", "reason": "r"}]},
            "'1' is text but column 'rel' holds numbers",
        ),
        ({"filters": [{"column": "rel", "op": "==", "value": None, "reason": "r"}]}, "has no value"),
        ({"filters": [{"column": "rel", "op": "=~", "value": 1, "reason": "r"}]}, "unknown filter operator '=~'"),
        ({"filters": [{"column": "rel", "value": 1}]}, "filter lacks reason"),
        ({"filters": [{"column": "rel", "value": 1, "reason": " "}]}, "filter has no reason"),
        ({"filters": {"column": "rel", "value": 1, "reason": "r"}}, "filters must be a list"),
        ({"exclusions": [{"id": "BRA"}]}, "exclusion needs an id and a reason"),
        ({"exclusions": [{"id": "BRA", "reason": ""}]}, "exclusion of 'BRA' has no reason"),
        ({"top_k": "2"}, "top_k must be a whole number"),
        ({"top_k": 1.5}, "top_k must be a whole number"),
        ({"top_k": None}, "top_k must be a whole number"),
    ],
)
def test_shortlist_bad_rules(kwargs, msg):
    args = {"top_k": 2, **kwargs}
    with pytest.raises(InputError, match=msg):
        make_shortlist(RANKING, DATA, **args)


def test_shortlist_refuses_nan_scores_and_incomplete_rankings():
    with pytest.raises(InputError, match="score of BRA is missing or not finite"):
        make_shortlist(RANKING.assign(score=[np.nan, 0.8, 0.7]), DATA, 2)
    with pytest.raises(InputError, match=r"no column.*rank"):
        make_shortlist(RANKING[["alternative", "score"]], DATA, 2)


def test_shortlist_text_filter_and_numeric_ids():
    out = make_shortlist(RANKING, DATA, 2, filters=[{"column": "region", "op": "==", "value": "S", "reason": "south"}])
    assert out.set_index("alternative")["status"].to_dict() == {
        "BRA": "shortlisted",
        "MEX": "excluded",
        "ARG": "shortlisted",
    }
    # ids 1, 2, 3 in a table indexed by numbers still match the ranking's text ids
    r = pd.DataFrame({"alternative": ["1", "2", "3"], "score": [0.9, 0.8, 0.7], "rank": [1, 2, 3]})
    out = make_shortlist(
        r,
        pd.DataFrame({"rel": [1, 0, 1]}, index=[1, 2, 3]),
        2,
        filters=[{"column": "rel", "op": "==", "value": 1, "reason": "r"}],
    )
    assert out.set_index("alternative")["status"].to_dict() == {"1": "shortlisted", "2": "excluded", "3": "shortlisted"}


def test_top_k_larger_than_the_eligible_set_shortlists_all_eligible():
    out = make_shortlist(RANKING, DATA, 10, exclusions=[{"id": "MEX", "reason": "r"}])
    sl = out[out["status"] == "shortlisted"]
    assert list(sl["alternative"]) == ["BRA", "ARG"] and sl["priority"].sum() == pytest.approx(1.0)


# --- AHP ----------------------------------------------------------------------------------------
import mcda.ahp as ahp  # noqa: E402


def test_extended_scale_with_extreme_ratios_is_an_input_error_not_linalg():
    m = pd.DataFrame(
        [[1, 1e200, 1e-200], [1e-200, 1, 1e200], [1e200, 1e-200, 1]], index=list("abc"), columns=list("abc")
    )
    with pytest.raises(InputError, match="priorities cannot be computed"):
        ahp.analyse(m, allow_extended_scale=True)


@pytest.mark.parametrize(
    "spec,msg",
    [
        (5, "must be a judgement matrix or a criterion id, not int"),
        (None, "not NoneType"),
        (pd.DataFrame([["abc"]], index=["x"], columns=["y"]), "row and column item names differ"),
    ],
)
def test_hierarchy_group_spec_of_the_wrong_kind(spec, msg):
    g = ahp.from_judgements([("econ", "pol", 3)])
    e = ahp.from_judgements([("gdp", "pop", 2)])
    with pytest.raises(InputError, match=msg):
        ahp.hierarchy_weights(g, {"econ": e, "pol": spec})


@pytest.mark.parametrize(
    "weights,msg",
    [
        (["a", 1], "must be numbers"),
        ({"x": "a", "y": 1}, "must be numbers"),
        (1, "must be a list or a mapping"),
    ],
)
def test_expert_weights_not_numbers(weights, msg):
    e = ahp.from_judgements([("gdp", "pop", 2)])
    mats = {"x": e, "y": e} if isinstance(weights, dict) else [e, e]
    with pytest.raises(InputError, match=msg):
        ahp.aggregate_judgements(mats, weights)


def test_judgement_with_an_unnamed_item():
    with pytest.raises(InputError, match="item without a name"):
        ahp.from_judgements([("", "b", 3)])
