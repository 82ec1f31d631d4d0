"""Funding acceptability (fulcrum.funding): re-rank, re-shortlist, re-solve per weight sample.

Checked against the pipeline's own shortlist (make_shortlist) and fresh allocation solves for the
sampled weights, never against funding_acceptability's own output.
"""

import numpy as np
import pandas as pd
import pytest

from fulcrum.funding import funding_acceptability
from mcda.errors import InputError
from mcda.methods import get_method
from mcda.robustness import AroundWeights, FixedWeights, UniformSimplex
from mcda.shortlist import make_shortlist
from optimisation.model import solve
from optimisation.priorities import priorities_from_shortlist

SPEC = {"budget_aid_musd": 400, "budget_investment_musd": 1200}


@pytest.fixture(scope="module")
def outcome(shipped):
    return shipped.outcome("default")


def _method(outcome):
    sc = outcome.scenario
    opts = dict(sc.method.options)
    if sc.method.normalization:
        opts["normalization"] = sc.method.normalization
    return get_method(sc.method.name, **opts)


def _reference_shortlist(outcome, w):
    sc = outcome.scenario
    m = _method(outcome)
    sl = make_shortlist(
        m.rank(outcome.problem, w),
        outcome.countries,
        sc.shortlist.top_k,
        filters=sc.shortlist.filters,
        exclusions=sc.shortlist.exclusions,
        higher_is_better=m.higher_is_better,
        priority_rule=sc.shortlist.priority,
    )
    return sl[sl["status"] == "shortlisted"].set_index("alternative")


def test_fixed_weights_reproduce_the_planners_allocation(outcome):
    res = funding_acceptability(outcome, FixedWeights(outcome.problem, outcome.weights), n_samples=5, seed=0, spec=SPEC)
    direct = solve(priorities_from_shortlist(outcome.shortlist), outcome.countries, None, SPEC)
    assert direct.status == "optimal"
    s = res.summary.set_index("country")
    base = set(outcome.shortlist.index)
    for c in s.index:
        if c in base:
            assert s.loc[c, "share_shortlisted"] == 1.0
            want = float(direct.by_country.loc[c, "total_musd"])
            assert s.loc[c, "median_musd"] == pytest.approx(want, rel=1e-6, abs=1e-6)
            assert s.loc[c, "p25_musd"] == pytest.approx(want, rel=1e-6, abs=1e-6)
            assert s.loc[c, "base_musd"] == pytest.approx(want, rel=1e-6, abs=1e-6)
            assert s.loc[c, "share_funded"] == (1.0 if want > 1e-6 else 0.0)
        else:
            assert s.loc[c, "share_shortlisted"] == 0.0 and s.loc[c, "median_musd"] == 0.0
    assert res.n_shortlists == 1 and res.n_solved == 5


def test_each_sample_is_reshortlisted_and_resolved_like_the_pipeline(outcome):
    res = funding_acceptability(
        outcome, AroundWeights(outcome.problem, outcome.weights, 60), n_samples=12, seed=7, spec=SPEC, keep_samples=True
    )
    smp = res.samples
    wcols = [f"w_{c}" for c in outcome.problem.criterion_ids]
    assert res.n_shortlists >= 2  # the test exercises changing shortlists
    checked = 0
    for s, g in smp.groupby("sample"):
        w = g[wcols].iloc[0].to_numpy()
        ref = _reference_shortlist(outcome, w)
        assert set(g["country"]) == set(ref.index)
        pr = priorities_from_shortlist(ref)
        np.testing.assert_allclose(g.set_index("country")["priority"].reindex(pr.index), pr, atol=1e-12)
        if s % 4 == 0:  # a fresh model for these priorities (the cached model only had its objective changed)
            fresh = solve(pr, outcome.countries, None, SPEC).by_country["total_musd"]
            got = g.set_index("country")["total_musd"].reindex(fresh.index)
            np.testing.assert_allclose(got, fresh, rtol=1e-6, atol=1e-6)
            checked += 1
    assert checked == 3


def test_statistics_are_consistent_and_seeded(outcome):
    a = funding_acceptability(outcome, UniformSimplex(outcome.problem), n_samples=15, seed=3, spec=SPEC)
    b = funding_acceptability(outcome, UniformSimplex(outcome.problem), n_samples=15, seed=3, spec=SPEC)
    pd.testing.assert_frame_equal(a.summary, b.summary)
    s = a.summary
    for col in ("share_shortlisted", "share_funded"):
        assert s[col].between(0, 1).all()
    assert (s["share_funded"] <= s["share_shortlisted"] + 1e-12).all()
    assert (s["p25_musd"] <= s["median_musd"] + 1e-9).all() and (s["median_musd"] <= s["p75_musd"] + 1e-9).all()
    assert (s.loc[~s["eligible"], "share_shortlisted"] == 0).all()  # filtered countries never shortlisted
    k = outcome.scenario.shortlist.top_k
    assert s["share_shortlisted"].sum() == pytest.approx(k)  # k countries per sample
    assert a.shortlist_counts["samples"].sum() == 15


def test_country_entries_of_the_spec_are_dropped_when_the_country_is_not_shortlisted(outcome):
    first = outcome.shortlist.index[0]
    spec = {**SPEC, "country_floors": {first: {"musd": 30}}}
    res = funding_acceptability(outcome, UniformSimplex(outcome.problem), n_samples=10, seed=1, spec=spec)
    s = res.summary.set_index("country")
    assert res.n_solved == 10
    # wherever it is shortlisted its floor holds: 30 <= every positive allocation when funded
    assert s.loc[first, "share_funded"] == s.loc[first, "share_shortlisted"]
    if s.loc[first, "share_shortlisted"] < 1:
        assert any(f"country_floors[{first}]" in n for n in res.notes)


def test_infeasible_samples_are_counted_and_left_out(outcome):
    spec = {**SPEC, "type_floors": {"health": {"musd": 10_000}}}
    res = funding_acceptability(outcome, FixedWeights(outcome.problem, outcome.weights), n_samples=3, seed=0, spec=spec)
    assert res.n_infeasible == 3 and res.n_solved == 0
    assert any("infeasible" in n for n in res.notes)
    assert res.summary["share_funded"].isna().all()


def test_progress_and_bad_input(outcome):
    seen = []
    funding_acceptability(outcome, n_samples=4, seed=0, spec=SPEC, progress=lambda f, m: seen.append((f, m)))
    assert seen[0][0] == 0.0 and seen[-1][0] == 1.0 and len(seen) == 5
    if outcome.scenario.allocation is None:
        with pytest.raises(InputError, match="allocation"):
            funding_acceptability(outcome, n_samples=2)
    with pytest.raises(InputError):
        funding_acceptability(outcome, n_samples=0, spec=SPEC)
    with pytest.raises(InputError, match="criteria do not match"):
        funding_acceptability(outcome, UniformSimplex(["a", "b"]), n_samples=2, spec=SPEC)
    with pytest.raises(InputError):
        funding_acceptability(outcome, n_samples=2, spec={"budget_aid_musd": -1, "budget_investment_musd": 5})
