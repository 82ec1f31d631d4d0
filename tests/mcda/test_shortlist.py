"""Shortlist: top-k after hard filters and manual exclusions, every exclusion with its reason."""

import numpy as np
import pandas as pd
import pytest

from mcda.errors import InputError
from mcda.shortlist import make_shortlist, priorities

RANKING = pd.DataFrame(
    {
        "alternative": ["BRA", "MEX", "ARG", "PRY", "BOL"],
        "score": [0.9, 0.8, 0.7, 0.6, 0.5],
        "rank": [1, 2, 3, 4, 5],
    }
)
DATA = pd.DataFrame(
    {"prc_relations": [1, 1, 1, 0, 1], "bri_mou": [0, 0, 1, 0, np.nan]}, index=["BRA", "MEX", "ARG", "PRY", "BOL"]
)


def test_top_k_after_filter_and_exclusion_with_reasons():
    out = make_shortlist(
        RANKING,
        DATA,
        top_k=2,
        filters=[{"column": "prc_relations", "op": "==", "value": 1, "reason": "needs diplomatic relations"}],
        exclusions=[{"id": "MEX", "reason": "trade dependence on the US"}],
    ).set_index("alternative")
    assert list(out.index[out["status"] == "shortlisted"]) == ["BRA", "ARG"]
    assert out.loc["PRY", "status"] == "excluded" and "needs diplomatic relations" in out.loc["PRY", "reason"]
    assert (
        out.loc["MEX", "status"] == "excluded"
        and out.loc["MEX", "reason"] == "manual exclusion — trade dependence on the US"
    )
    assert out.loc["BOL", "status"] == "below cut" and "top 2" in out.loc["BOL", "reason"]
    assert out.loc["BRA", "position"] == 1 and out.loc["ARG", "position"] == 2
    assert out["priority"].sum() == pytest.approx(1.0)


def test_unknown_filter_value_excludes_with_unknown_reason():
    out = make_shortlist(
        RANKING, DATA, top_k=5, filters=[{"column": "bri_mou", "op": "==", "value": 1, "reason": "BRI member"}]
    ).set_index("alternative")
    assert "value unknown" in out.loc["BOL", "reason"]
    assert list(out.index[out["status"] == "shortlisted"]) == ["ARG"]


def test_unknown_value_can_be_kept():
    out = make_shortlist(
        RANKING,
        DATA,
        top_k=5,
        filters=[{"column": "bri_mou", "op": "!=", "value": 0, "reason": "BRI member", "if_unknown": "keep"}],
    ).set_index("alternative")
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


def test_the_vectorised_cut_is_the_shortlist_rule():
    """cut_order / top_k_mask (used by SMAA shortlist acceptability, stability intervals and funding
    acceptability) pick exactly what make_shortlist picks: eligible alternatives by rank, ties by id,
    on rankings with many ties and exclusions."""
    from mcda.shortlist import cut_order, id_order, top_k_mask

    rng = np.random.default_rng(5)
    ids = ["b", "a", "d", "c", "f", "e", "h", "g"]
    for _ in range(200):
        ranks = rng.integers(1, 4, size=len(ids))  # ties everywhere
        excluded = rng.random(len(ids)) < 0.3
        n_el = int((~excluded).sum())
        if n_el == 0:
            continue
        k = int(rng.integers(1, n_el + 1))
        ranking = pd.DataFrame({"alternative": ids, "score": -ranks.astype(float), "rank": ranks})
        excl = [{"id": a, "reason": "test"} for a, x in zip(ids, excluded, strict=False) if x]
        table = make_shortlist(ranking, pd.DataFrame(index=ids), k, exclusions=excl)
        expected = list(table.loc[table["status"] == "shortlisted"].sort_values("position")["alternative"])
        order = cut_order(ranks, ~excluded, id_order(ids))
        assert [ids[i] for i in order[:k]] == expected
        mask = top_k_mask(ranks[None, :], ~excluded, k, id_order(ids))[0]
        assert sorted(np.asarray(ids)[mask]) == sorted(expected)
