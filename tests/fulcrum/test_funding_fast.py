"""Funding acceptability on one shared HiGHS model (fulcrum.funding_fast) against the plain path
(one PuLP model per distinct shortlist, solved by the spec's solver: HiGHS by default): same
shortlists, same priorities, same shares; money to the solvers' tolerance. And the shared model,
restricted to a shortlist, row by row against the model the plain path builds for that shortlist."""

import numpy as np
import pandas as pd
import pytest

from fulcrum.allocate import build_model
from fulcrum.funding import funding_acceptability
from fulcrum.funding_fast import shared_model, unsupported
from mcda.robustness import AroundWeights
from optimisation.constraints import EQ, GE, LE
from optimisation.spec import parse_spec

pytest.importorskip("highspy")

#: both paths solve with HiGHS (the default solver since issue 11) and agree to ~1e-13 here; the plain
#: path through CBC (~8 significant digits on amounts up to ~US$300M) needed 1e-5
MONEY_TOL = 1e-8


def _same(a, b):
    assert a.n_samples == b.n_samples and a.n_solved == b.n_solved and a.n_shortlists == b.n_shortlists
    sa, sb = a.summary.set_index("country"), b.summary.set_index("country")
    sb = sb.loc[sa.index]
    for col in ("share_shortlisted", "share_funded", "eligible", "base_shortlisted"):
        assert (sa[col].to_numpy() == sb[col].to_numpy()).all(), col
    for col in ("median_musd", "p25_musd", "p75_musd", "mean_musd", "median_if_funded_musd", "base_musd"):
        np.testing.assert_allclose(
            sa[col].to_numpy(float), sb[col].to_numpy(float), atol=MONEY_TOL, rtol=0, err_msg=col
        )
    assert a.shortlist_counts.equals(b.shortlist_counts)
    assert a.notes == b.notes
    xa, xb = a.samples, b.samples
    assert (xa[["sample", "country", "solved"]].to_numpy() == xb[["sample", "country", "solved"]].to_numpy()).all()
    np.testing.assert_allclose(xa["priority"], xb["priority"], rtol=1e-12, atol=0)
    np.testing.assert_allclose(xa["total_musd"], xb["total_musd"], atol=MONEY_TOL, rtol=0)
    np.testing.assert_allclose(xa["aid_musd"], xb["aid_musd"], atol=MONEY_TOL, rtol=0)


def test_default_scenario_same_as_the_plain_path(default_outcome):
    kw = {"n_samples": 300, "seed": 11, "keep_samples": True}
    plain = funding_acceptability(default_outcome, fast=False, **kw)
    fast = funding_acceptability(default_outcome, **kw)
    assert plain.n_shortlists > 50  # uniform weights: many distinct shortlists, the case that was slow
    _same(plain, fast)


@pytest.mark.parametrize("transform", ["pipeline", "rank_reciprocal"])
def test_other_families_and_transforms_same_as_the_plain_path(default_outcome, transform):
    spec = {
        "budget_aid_musd": 300,
        "budget_investment_musd": 900,
        "equity_floor": 0.6,
        "type_floors": {"health": {"share": 0.1}},
        "type_caps": {"infrastructure": {"musd": 200}},
        "linking": [{"lhs_type": "rural_poverty", "ratio": 0.5, "rhs_type": "production_capacity"}],
        "priority_transform": transform,
        "need_exponent": 0.5,
    }
    sampler = AroundWeights(default_outcome.problem, default_outcome.weights, spread=30)
    kw = {"n_samples": 120, "seed": 5, "keep_samples": True, "spec": spec}
    _same(
        funding_acceptability(default_outcome, sampler, fast=False, **kw),
        funding_acceptability(default_outcome, sampler, **kw),
    )


def test_equal_priorities_tie_so_only_the_totals_agree(default_outcome):
    """With equal priorities, project types without a need indicator (production capacity,
    infrastructure) are worth the same in every country: the LP has many optima, and the
    shared model (another row and column order, warm-started) may pick another one. Shortlists,
    priorities and each sample's money spent agree."""
    spec = {"budget_aid_musd": 300, "budget_investment_musd": 900, "priority_transform": "equal"}
    kw = {"n_samples": 60, "seed": 5, "keep_samples": True, "spec": spec}
    a = funding_acceptability(default_outcome, fast=False, **kw)
    b = funding_acceptability(default_outcome, **kw)
    assert (a.summary["share_shortlisted"].to_numpy() == b.summary["share_shortlisted"].to_numpy()).all()
    assert (a.samples["priority"].to_numpy() == b.samples["priority"].to_numpy()).all()
    ta = a.samples.groupby("sample")["total_musd"].sum().to_numpy()
    tb = b.samples.groupby("sample")["total_musd"].sum().to_numpy()
    np.testing.assert_allclose(ta, tb, atol=MONEY_TOL, rtol=0)


def test_infeasible_samples_counted_alike(default_outcome):
    # a type floor larger than five countries' health capacity (5 x US$50M): every sample infeasible
    spec = {"budget_aid_musd": 600, "budget_investment_musd": 600, "type_floors": {"health": {"musd": 260}}}
    kw = {"n_samples": 40, "seed": 2, "spec": spec, "include_base": False}
    plain = funding_acceptability(default_outcome, fast=False, **kw)
    fast = funding_acceptability(default_outcome, **kw)
    assert plain.n_solved == fast.n_solved == 0
    assert plain.notes == fast.notes


def test_shared_model_restricted_to_a_shortlist_is_the_shortlists_model(default_outcome):
    out = default_outcome
    spec = parse_spec(
        {
            "budget_aid_musd": 362,
            "budget_investment_musd": 638,
            "equity_floor": 0.5,
            "type_floors": {"health": {"share": 0.1}},
            "linking": [{"lhs_type": "rural_poverty", "ratio": 0.5, "rhs_type": "production_capacity"}],
        }
    )
    table = out.shortlist_table
    elig = [str(a) for a in table.loc[table["status"] != "excluded", "alternative"]]
    shared = shared_model(build_model, out.countries, elig, spec, None)
    assert shared is not None
    rng = np.random.default_rng(0)
    for size in (5, 5, 3, 5):
        ids = sorted(rng.choice(elig, size=size, replace=False).tolist())
        pr = rng.dirichlet(np.ones(size))
        shared.solve(ids, pr)
        lp = shared.h.getLp()
        a = lp.a_matrix_
        start, index, value = np.asarray(a.start_), np.asarray(a.index_), np.asarray(a.value_)
        cup = np.asarray(lp.col_upper_)
        rlo, rup = np.asarray(lp.row_lower_), np.asarray(lp.row_upper_)
        on_rows = {i for i in range(lp.num_row_) if np.isfinite(rlo[i]) or np.isfinite(rup[i])}
        on_cols = {j for j in range(lp.num_col_) if j >= shared.nx or cup[j] > 0}
        got = {}
        for j in on_cols:
            for p in range(start[j], start[j + 1]):
                if index[p] in on_rows:
                    got[shared.row_names[index[p]], shared.var_names[j]] = float(value[p])
        bounds = {shared.row_names[i]: (rlo[i], rup[i]) for i in on_rows}
        cost = {shared.var_names[j]: np.asarray(lp.col_cost_)[j] for j in on_cols}

        # the plain path's own model for this shortlist
        m = build_model(pd.Series(pr, index=pd.Index(ids, name="country")), out.countries, spec)
        vars_, rows, cols, coefs = m.check_structure()
        want = {(m.built.cons[r].name, vars_[c].name): float(k) for r, c, k in zip(rows, cols, coefs, strict=True)}
        assert set(got) == set(want)
        for key, k in want.items():
            assert got[key] == pytest.approx(k, rel=1e-15, abs=0), key
        for con in m.built.cons:
            want_lo = con.rhs if con.sense in (GE, EQ) else -np.inf
            want_up = con.rhs if con.sense in (LE, EQ) else np.inf
            assert bounds[con.name] == (want_lo, want_up), con.name
        assert set(bounds) == {c.name for c in m.built.cons}
        obj = {v.name: k for v, k in m.built.prob.objective.items()}
        for v in m.built.xvars:
            assert cost[v.name] == pytest.approx(obj.get(v.name, 0.0), rel=1e-15, abs=0)
        # and the same allocation money up to solver tolerance
        st, aid, inv = shared.solve(ids, pr)
        res = m.solve(diagnose=False, marginals=False)
        assert st == res.status == "optimal"
        np.testing.assert_allclose(aid + inv, res.by_country.loc[ids, "total_musd"], atol=MONEY_TOL)


def test_unsupported_specs_take_the_plain_path(default_outcome, monkeypatch):
    base = {"budget_aid_musd": 300, "budget_investment_musd": 700}
    assert unsupported(parse_spec(base), tracks=False) is None
    assert "tracks" in unsupported(parse_spec(base), tracks=True)
    assert "discrete" in unsupported(parse_spec({**base, "discrete": True}), tracks=False)
    assert "names countries" in unsupported(parse_spec({**base, "country_caps": {"BRA": {"share": 0.3}}}), tracks=False)
    import sys

    monkeypatch.setitem(sys.modules, "highspy", None)
    assert "HiGHS" in unsupported(parse_spec(base), tracks=False)
    res = funding_acceptability(default_outcome, n_samples=5, seed=0, spec=base)  # the plain path, no HiGHS
    assert res.n_solved == 5


def test_priority_transform_rows_sum_to_one(default_outcome):
    res = funding_acceptability(default_outcome, n_samples=50, seed=1, keep_samples=True)
    sums = res.samples.groupby("sample")["priority"].sum().to_numpy()
    np.testing.assert_allclose(sums, 1.0, rtol=0, atol=1e-12)


def _frames_bytes(res):
    return res.summary.to_csv().encode() + res.samples.to_csv().encode() + res.shortlist_counts.to_csv().encode()


def test_executors_give_the_same_bytes(default_outcome):
    from mcda.executor import InProcess, LocalProcesses

    kw = {"n_samples": 90, "seed": 4, "keep_samples": True, "chunk_size": 40}
    here = funding_acceptability(default_outcome, executor=InProcess(), **kw)
    there = funding_acceptability(default_outcome, executor=LocalProcesses(2), **kw)
    assert _frames_bytes(here) == _frames_bytes(there)
    # one chunk: the run without an executor
    one = funding_acceptability(default_outcome, executor=InProcess(), **{**kw, "chunk_size": 1000})
    plain = funding_acceptability(default_outcome, n_samples=90, seed=4, keep_samples=True)
    assert _frames_bytes(one) == _frames_bytes(plain)
    # a spec the shared model cannot take: the chunks' weights, solved here, the same on any executor
    spec = {"budget_aid_musd": 362, "budget_investment_musd": 638, "country_caps": {"BRA": {"share": 0.4}}}
    a = funding_acceptability(default_outcome, executor=InProcess(), spec=spec, **{**kw, "n_samples": 30})
    b = funding_acceptability(default_outcome, executor=LocalProcesses(2), spec=spec, **{**kw, "n_samples": 30})
    assert _frames_bytes(a) == _frames_bytes(b)


def test_dask_local_cluster_same_bytes(default_outcome):
    distributed = pytest.importorskip("distributed")
    from mcda.executor import InProcess, make_executor

    kw = {"n_samples": 60, "seed": 9, "keep_samples": True, "chunk_size": 25}
    here = funding_acceptability(default_outcome, executor=InProcess(), **kw)
    seen = []
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cl:
        ex = make_executor(cl.scheduler_address)
        try:
            res = funding_acceptability(default_outcome, executor=ex, progress=lambda f, m: seen.append(f), **kw)
        finally:
            ex.close()
    assert _frames_bytes(here) == _frames_bytes(res)
    assert seen[-1] == 1.0
