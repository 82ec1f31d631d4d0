"""DecisionProblem validation: every bad input gets an InputError naming row and column, or a stated policy."""

import numpy as np
import pandas as pd
import pytest

from mcda.errors import InputError
from mcda.problem import DecisionProblem

CRIT = {"a": "benefit", "b": "cost"}


def frame(a, b, index=("X", "Y", "Z")):
    return pd.DataFrame({"a": a, "b": b}, index=list(index))


def test_valid_problem_exposes_arrays():
    p = DecisionProblem(frame([1, 2, 3], [3, 2, 1]), CRIT)
    assert p.values.dtype == np.float64 and p.values.shape == (3, 2)
    assert list(p.types) == [1, -1]
    assert p.alternatives == ["X", "Y", "Z"] and p.criterion_ids == ["a", "b"]
    assert p.missing_report.n_missing == 0


@pytest.mark.parametrize("bad", ["abc", "1,5", "n/a"])
def test_text_in_numeric_column_names_row_and_column(bad):
    with pytest.raises(InputError, match=r"row Y, column b.*not a number"):
        DecisionProblem(frame([1, 2, 3], [1, bad, 3]), CRIT)


def test_nan_default_policy_is_an_error_naming_the_cell():
    with pytest.raises(InputError, match=r"row Z, column a: value is missing"):
        DecisionProblem(frame([1, 2, np.nan], [1, 2, 3]), CRIT)


def test_blank_string_counts_as_missing():
    with pytest.raises(InputError, match="row X, column a: value is missing"):
        DecisionProblem(frame(["", 2, 3], [1, 2, 3]), CRIT)


def test_infinite_value_rejected():
    with pytest.raises(InputError, match=r"row X, column b: value is infinite"):
        DecisionProblem(frame([1, 2, 3], [np.inf, 2, 3]), CRIT)


def test_all_zero_column_rejected_by_name():
    with pytest.raises(InputError, match=r"criterion a is zero for every alternative"):
        DecisionProblem(frame([0, 0, 0], [1, 2, 3]), CRIT)


def test_constant_column_rejected_by_name():
    with pytest.raises(InputError, match=r"criterion b has the same value \(7\)"):
        DecisionProblem(frame([1, 2, 3], [7, 7, 7]), CRIT)


def test_duplicate_alternatives_rejected():
    with pytest.raises(InputError, match=r"duplicate alternative id.*Y"):
        DecisionProblem(frame([1, 2, 3], [1, 2, 3], index=("X", "Y", "Y")), CRIT)


def test_unknown_criterion_rejected():
    with pytest.raises(InputError, match="unknown criterion: b"):
        DecisionProblem(frame([1, 2, 3], [1, 2, 3]), {"a": "benefit"})


def test_bad_direction_rejected():
    with pytest.raises(InputError, match="direction 'up' is not benefit or cost"):
        DecisionProblem(frame([1, 2, 3], [1, 2, 3]), {"a": "benefit", "b": "up"})


def test_unknown_missing_policy_rejected():
    with pytest.raises(InputError, match="unknown missing-data policy"):
        DecisionProblem(frame([1, 2, 3], [1, 2, 3]), CRIT, missing="guess")


def test_drop_criterion_policy_reports_what_it_did():
    p = DecisionProblem(frame([1, np.nan, 3], [1, 2, 3]), CRIT, missing="drop_criterion")
    assert p.criterion_ids == ["b"]
    assert p.missing_report.dropped_criteria == ("a",)
    assert any("Dropped criteria" in line and "a" in line for line in p.missing_report.lines())


def test_drop_alternative_policy_reports_what_it_did():
    p = DecisionProblem(frame([1, np.nan, 3], [1, 2, 3]), CRIT, missing="drop_alternative")
    assert p.alternatives == ["X", "Z"]
    assert p.missing_report.dropped_alternatives == ("Y",)


@pytest.mark.parametrize("rule,expected", [("median", 2.0), ("mean", 2.0), ("min", 1.0), ("max", 3.0)])
def test_impute_rules(rule, expected):
    p = DecisionProblem(frame([1, 3, np.nan], [1, 2, 3]), CRIT, missing=f"impute:{rule}")
    assert p.matrix.loc["Z", "a"] == expected
    assert list(p.missing_report.imputed["alternative"]) == ["Z"]


def test_impute_worst_respects_direction():
    # benefit column: worst = min; cost column: worst = max
    p = DecisionProblem(frame([1, 3, np.nan], [np.nan, 2, 5]), CRIT, missing="impute:worst")
    assert p.matrix.loc["Z", "a"] == 1 and p.matrix.loc["X", "b"] == 5


def test_policy_that_leaves_one_alternative_is_an_error():
    with pytest.raises(InputError, match="only 1 alternative"):
        DecisionProblem(frame([1, np.nan, np.nan], [1, 2, 3]), CRIT, missing="drop_alternative")


def test_impute_on_all_missing_column_is_an_error():
    with pytest.raises(InputError, match="criterion a has no values at all"):
        DecisionProblem(frame([np.nan] * 3, [1, 2, 3]), CRIT, missing="impute:median")


def test_no_nan_ever_reaches_values():
    p = DecisionProblem(frame([1, np.nan, 3], [np.nan, 2, 3]), CRIT, missing="impute:mean")
    assert np.isfinite(p.values).all()


def test_from_arrays_and_subset():
    p = DecisionProblem.from_arrays(np.arange(12.0).reshape(4, 3) ** 1.5, [1, -1, 1])
    assert p.alternatives == ["A1", "A2", "A3", "A4"]
    q = p.subset(alternatives=["A2", "A4"], criteria=["C3", "C1"])
    assert q.criterion_ids == ["C3", "C1"] and list(q.types) == [1, 1]
    with pytest.raises(InputError, match="unknown alternative"):
        p.subset(alternatives=["ZZZ"])


def test_per_criterion_policies():
    df = pd.DataFrame({"a": [1, np.nan, 3, 4], "b": [np.nan, 2, 3, 9], "c": [1, 2, np.nan, 4]}, index=list("WXYZ"))
    p = DecisionProblem(
        df,
        {"a": "benefit", "b": "cost", "c": "benefit"},
        missing={"a": "drop_alternative", "b": "impute:min", "default": "drop_criterion"},
    )
    assert p.alternatives == ["W", "Y", "Z"] and p.criterion_ids == ["a", "b"]
    # b is imputed over the rows left after dropping X: min(3, 9) = 3
    assert p.matrix.loc["W", "b"] == 3
    lines = " ".join(p.missing_report.lines())
    assert "Dropped alternatives" in lines and "Dropped criteria" in lines and "Imputed b by column min" in lines


def test_per_criterion_policy_errors():
    df = pd.DataFrame({"a": [1, np.nan, 3], "b": [1, 2, 3]}, index=list("XYZ"))
    with pytest.raises(InputError, match="row Y, column a: value is missing"):
        DecisionProblem(df, CRIT, missing={"b": "impute:min"})  # default stays error
    with pytest.raises(InputError, match="unknown criterion: q"):
        DecisionProblem(df, CRIT, missing={"q": "impute:min"})
    with pytest.raises(InputError, match="unknown missing-data policy 'guess' for a"):
        DecisionProblem(df, CRIT, missing={"a": "guess"})


# --- imputation on skewed columns (issue 8, item 21) ----------------------------------------------
# The rule test above uses [1, 3]: median = mean there, so "median replaced by the mean" passed.
# Here every rule gives a different value, and the reference is Python's statistics module (not
# pandas, which the code uses). Benefit column a: observed [1, 2, 3, 100] -> median 2.5 (even
# count: the midpoint), mean 26.5, min 1, max 100, worst (benefit) = min 1. Cost column b:
# observed [10, 20, 40, 1000] -> median 30, mean 267.5, min 10, max 1000, worst (cost) = max 1000.
SKEWED_A = [1.0, 2.0, 3.0, 100.0, np.nan, np.nan]
SKEWED_B = [10.0, np.nan, 20.0, 40.0, 1000.0, np.nan]
SKEWED_IDX = ("P", "Q", "R", "S", "T", "U")


def _reference(values, rule, direction):
    import statistics

    obs = [v for v in values if not np.isnan(v)]
    return {
        "median": statistics.median(obs),
        "mean": statistics.fmean(obs),
        "min": min(obs),
        "max": max(obs),
        "worst": min(obs) if direction == "benefit" else max(obs),
    }[rule]


@pytest.mark.parametrize("rule", ["median", "mean", "min", "max", "worst"])
def test_impute_rules_on_skewed_columns(rule):
    p = DecisionProblem(frame(SKEWED_A, SKEWED_B, index=SKEWED_IDX), CRIT, missing=f"impute:{rule}")
    want_a, want_b = _reference(SKEWED_A, rule, "benefit"), _reference(SKEWED_B, rule, "cost")
    assert p.matrix.loc[["T", "U"], "a"].tolist() == [want_a, want_a]
    assert p.matrix.loc[["Q", "U"], "b"].tolist() == [want_b, want_b]
    # observed cells untouched; the report names every filled cell with the value used
    assert p.matrix.loc[["P", "Q", "R", "S"], "a"].tolist() == [1.0, 2.0, 3.0, 100.0]
    rep = p.missing_report.imputed.set_index(["alternative", "criterion"])
    assert sorted(rep.index) == [("Q", "b"), ("T", "a"), ("U", "a"), ("U", "b")]
    assert (rep["rule"] == rule).all()
    assert rep.loc[("T", "a"), "value"] == want_a and rep.loc[("Q", "b"), "value"] == want_b


def test_skewed_columns_tell_every_rule_apart():
    """The fixture itself: the five rules give five different fills over the two columns (worst
    equals min on the benefit column and max on the cost column, by definition)."""
    fills = {
        r: (_reference(SKEWED_A, r, "benefit"), _reference(SKEWED_B, r, "cost"))
        for r in ("median", "mean", "min", "max", "worst")
    }
    assert len(set(fills.values())) == 5
    assert fills["median"] == (2.5, 30.0) and fills["mean"] == (26.5, 267.5)
    assert fills["worst"] == (1.0, 1000.0)
