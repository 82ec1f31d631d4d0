"""AHP priorities and consistency: exact results for consistent matrices, n <= 2, large n,
and the inconsistency warning that names the planted bad judgement."""

import json
import warnings

import numpy as np
import pandas as pd
import pytest

from mcda.ahp import analyse, consistent_matrix, nearest_scale_value, random_index
from mcda.errors import InconsistentJudgementsWarning, InputError

W4 = pd.Series({"a": 8.0, "b": 4.0, "c": 2.0, "d": 1.0})  # a_ij = w_i / w_j: 2, 4, 8, 2, 4, 2


@pytest.mark.parametrize("method", ["eigen", "geometric"])
def test_consistent_matrix_gives_w_exactly_and_cr_zero(method):
    # A consistent matrix a_ij = w_i/w_j has priorities w/sum(w) = (8, 4, 2, 1)/15 exactly,
    # lambda_max = n and CI = CR = 0 (Saaty 1980, theorem on consistent matrices).
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = analyse(consistent_matrix(W4), method)
    np.testing.assert_allclose(r.priorities.to_numpy(), np.array([8, 4, 2, 1]) / 15, rtol=0, atol=1e-12)
    assert r.lambda_max == pytest.approx(4.0, abs=1e-9)
    assert r.ci == pytest.approx(0.0, abs=1e-9) and r.cr == pytest.approx(0.0, abs=1e-9)
    assert r.consistent and r.inconsistent_pairs["log_error"].max() < 1e-9


def test_eigen_and_geometric_agree_for_any_consistent_matrix():
    rng = np.random.default_rng(7)
    for n in (3, 5, 9, 12):
        w = pd.Series(rng.uniform(0.5, 4.0, n), index=[f"c{i}" for i in range(n)])
        m = consistent_matrix(w)
        e = analyse(m, "eigen", allow_extended_scale=True).priorities
        g = analyse(m, "geometric", allow_extended_scale=True).priorities
        np.testing.assert_allclose(e.to_numpy(), g.to_numpy(), rtol=0, atol=1e-12)
        np.testing.assert_allclose(e.to_numpy(), (w / w.sum()).to_numpy(), rtol=0, atol=1e-12)


def test_n_le_2_cr_is_zero_by_definition():
    r1 = analyse(pd.DataFrame([[1]], index=["x"], columns=["x"]))
    assert r1.priorities.tolist() == [1.0] and r1.cr == 0.0 and r1.ci == 0.0
    r2 = analyse(pd.DataFrame([[1, 9], [1 / 9, 1]], index=["x", "y"], columns=["x", "y"]))
    assert r2.priorities.tolist() == pytest.approx([0.9, 0.1])
    assert r2.cr == 0.0 and r2.lambda_max == 2.0 and r2.consistent
    assert "by definition" in r2.ri_note


def test_beyond_the_table_no_index_error_and_note():
    # pymcdm 1.4's get_cr raises IndexError above n = 15; here RI is held at RI(15) and stated.
    n = 20
    w = pd.Series(np.linspace(1, 3, n), index=[f"k{i}" for i in range(n)])
    m = consistent_matrix(w).to_numpy().copy()
    m[0, 1], m[1, 0] = 3.0, 1 / 3  # a little inconsistency
    r = analyse(pd.DataFrame(m, index=w.index, columns=w.index), warn=False)
    assert r.ri == 1.59 and "held at RI(15) = 1.59" in r.ri_note
    assert r.cr == pytest.approx(r.ci / 1.59)
    ri, note = random_index(22, "donegan_dodd1991")  # between the listed 20 (1.5371) and 25 (1.5619)
    assert ri == pytest.approx(1.5371 + (1.5619 - 1.5371) * 2 / 5) and "interpolated" in note


def test_unknown_ri_table_and_method():
    with pytest.raises(InputError, match="unknown random-index table 'foo'"):
        analyse(consistent_matrix(W4), ri_table="foo")
    with pytest.raises(InputError, match="unknown priority method 'mean'"):
        analyse(consistent_matrix(W4), "mean")


def planted():
    """Consistent (8, 4, 2, 1) judgements with one reversed: (a, d) = 1/8 instead of 8."""
    m = consistent_matrix(W4)
    m.loc["a", "d"], m.loc["d", "a"] = 1 / 8, 8.0
    return m


@pytest.mark.parametrize("method", ["eigen", "geometric"])
def test_warning_names_the_planted_bad_judgement(method):
    with pytest.warns(InconsistentJudgementsWarning, match=r"\(a, d\) = 1/8") as rec:
        r = analyse(planted(), method)
    assert len(rec) == 1
    assert r.cr > 0.10 and not r.consistent
    top = r.inconsistent_pairs.iloc[0]
    assert (top.item_a, top.item_b) == ("a", "d")
    assert top.judgement == pytest.approx(1 / 8)
    # the other judgements imply a/d = 8 exactly: a/b * b/d = 2 * 4 and a/c * c/d = 4 * 2
    assert top.implied_value == pytest.approx(8.0) and top.suggested_label == "8"
    # w_a/w_d is pulled towards the bad judgement (the reason the suggestion uses implied_value)
    assert top.consistent_value < 8
    # changing that single judgement to the suggestion restores perfect consistency
    assert top.cr_if_changed == pytest.approx(0.0, abs=1e-9)
    d = r.to_dict()
    json.dumps(d)
    assert d["inconsistent_pairs"][0]["item_a"] == "a" and d["inconsistent_pairs"][0]["item_b"] == "d"
    assert "(a, d)" in d["message"]


def test_threshold_is_configurable_and_warning_can_be_silenced():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = analyse(planted(), threshold=10.0)
        assert r.consistent
        r2 = analyse(planted(), warn=False)
        assert not r2.consistent


def test_error_matrix_ranks_pairs_by_log_error():
    r = analyse(planted(), warn=False)
    le = r.inconsistent_pairs["log_error"].to_numpy()
    assert (np.diff(le) <= 1e-15).all()
    assert len(r.inconsistent_pairs) == 6  # n(n-1)/2 pairs for n = 4


def test_nearest_scale_value():
    assert nearest_scale_value(2.9) == (3.0, "3")
    assert nearest_scale_value(0.3)[1] == "1/3"
    assert nearest_scale_value(20.0)[1] == "9"
    assert nearest_scale_value(1.05)[1] == "1"


def test_gci_zero_when_consistent_positive_otherwise():
    assert analyse(consistent_matrix(W4)).gci == pytest.approx(0.0, abs=1e-20)
    assert analyse(planted(), "geometric", warn=False).gci > 0.37  # above Aguarón & Moreno-Jiménez's n>4 limit
