"""Shortlist: top-k after hard filters and manual exclusions, every exclusion with its reason."""
import numpy as np
import pandas as pd
import pytest

from mcda.errors import InputError
from mcda.shortlist import make_shortlist, priorities

RANKING = pd.DataFrame({
    "alternative": ["BRA", "MEX", "ARG", "PRY", "BOL"],
    "score": [0.9, 0.8, 0.7, 0.6, 0.5],
    "rank": [1, 2, 3, 4, 5],
})
DATA = pd.DataFrame({"prc_relations": [1, 1, 1, 0, 1], "bri_mou": [0, 0, 1, 0, np.nan]},
                    index=["BRA", "MEX", "ARG", "PRY", "BOL"])


def test_top_k_after_filter_and_exclusion_with_reasons():
    out = make_shortlist(
        RANKING, DATA, top_k=2,
        filters=[{"column": "prc_relations", "op": "==", "value": 1, "reason": "needs diplomatic relations"}],
        exclusions=[{"id": "MEX", "reason": "trade dependence on the US"}],
    ).set_index("alternative")
    assert list(out.index[out["status"] == "shortlisted"]) == ["BRA", "ARG"]
    assert out.loc["PRY", "status"] == "excluded" and "needs diplomatic relations" in out.loc["PRY", "reason"]
    assert out.loc["MEX", "status"] == "excluded" and "manual exclusion — trade dependence on the US" == out.loc["MEX", "reason"]
    assert out.loc["BOL", "status"] == "below cut" and "top 2" in out.loc["BOL", "reason"]
    assert out.loc["BRA", "position"] == 1 and out.loc["ARG", "position"] == 2
    assert out["priority"].sum() == pytest.approx(1.0)


def test_unknown_filter_value_excludes_with_unknown_reason():
    out = make_shortlist(RANKING, DATA, top_k=5,
                         filters=[{"column": "bri_mou", "op": "==", "value": 1, "reason": "BRI member"}]).set_index("alternative")
    assert "value unknown" in out.loc["BOL", "reason"]
    assert list(out.index[out["status"] == "shortlisted"]) == ["ARG"]


def test_unknown_value_can_be_kept():
    out = make_shortlist(RANKING, DATA, top_k=5, filters=[
        {"column": "bri_mou", "op": "!=", "value": 0, "reason": "BRI member", "if_unknown": "keep"}]).set_index("alternative")
    assert list(out.index[out["status"] == "shortlisted"]) == ["ARG", "BOL"]


def test_bad_filter_and_exclusion_are_input_errors():
    with pytest.raises(InputError, match="filter column 'nope'"):
        make_shortlist(RANKING, DATA, 2, filters=[{"column": "nope", "op": "==", "value": 1, "reason": "r"}])
    with pytest.raises(InputError, match="'XXX' is not among the ranked"):
        make_shortlist(RANKING, DATA, 2, exclusions=[{"id": "XXX", "reason": "r"}])
    with pytest.raises(InputError, match="top_k must be at least 1"):
        make_shortlist(RANKING, DATA, 0)


def test_priority_rules():
    allsc = pd.Series([0.9, 0.7, 0.5, 0.1])
    sel = allsc.iloc[:2]
    # score_share: min-max over all (0.1..0.9): 0.9 -> 1, 0.7 -> 0.75; shares 1/1.75, 0.75/1.75
    assert priorities(sel, allsc, True).tolist() == pytest.approx([1 / 1.75, 0.75 / 1.75])
    # lower-is-better scores (VIKOR Q): 0.1 is best -> 1
    assert priorities(allsc.iloc[[3, 2]], allsc, False).tolist() == pytest.approx([1 / 1.5, 0.5 / 1.5])
    assert priorities(sel, allsc, True, "rank_sum").tolist() == pytest.approx([2 / 3, 1 / 3])
    assert priorities(sel, allsc, True, "equal").tolist() == [0.5, 0.5]
