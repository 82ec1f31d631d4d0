"""Generated allocation instances (LP and MILP): every enabled constraint is re-checked on the
returned allocation by code written here (not by trusting the solver status), the objective is
recomputed from the piecewise benefit curves, and the same model is re-solved with HiGHS (the
exported MPS read by highspy, and PuLP's HiGHS interface) to within 1e-6 relative."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import optimisation as opt
from mcda.errors import InputError

highspy = pytest.importorskip("highspy")

REL = 1e-6


def last_break(types, p) -> float:
    return float(str(types.at[p, "segment_breaks_musd"]).split(";")[-1])


def make_instance(seed: int, discrete: bool):
    rng = np.random.default_rng(seed)
    n, k = int(rng.integers(3, 7)), int(rng.integers(2, 6))
    C = [f"C{i:02d}" for i in range(n)]
    P = [f"t{j}" for j in range(k)]
    rows = []
    for j, p in enumerate(P):
        nb = int(rng.integers(1, 5))
        widths = rng.uniform(5, 40, nb)
        marg = np.sort(rng.uniform(0.1, 1.0, nb))[::-1]
        aid = [0.0, 1.0, float(rng.uniform(0.1, 0.9))][j % 3]
        rows.append(
            {
                "project_type": p,
                "aid_share": round(aid, 3),
                "impact_per_musd": float(rng.uniform(0.5, 2)),
                "segment_breaks_musd": ";".join(f"{x:.3f}" for x in np.cumsum(widths)),
                "segment_marginals": ";".join(f"{x:.4f}" for x in marg),
                "min_size_musd": float(rng.uniform(1, 5)),
                "need_indicator": ["need", "none", "hdi"][j % 3],
                "need_transform": ["ratio_to_mean", "none", "shortfall_ratio_to_mean"][j % 3],
            }
        )
    types = pd.DataFrame(rows).set_index("project_type")
    countries = pd.DataFrame(
        {
            "country": [f"Country {c}" for c in C],
            "gdp": rng.uniform(1e9, 6e9, n),
            "need": np.where(rng.random(n) < 0.15, np.nan, rng.uniform(0.5, 30, n)),
            "hdi": rng.uniform(0.55, 0.85, n),
        },
        index=C,
    )
    pri = pd.Series(rng.dirichlet(np.ones(n)), index=C)
    cap_total = sum(float(types.at[p, "segment_breaks_musd"].split(";")[-1]) for p in P) * n
    B = cap_total * float(rng.uniform(0.3, 0.8))
    share_aid = float(rng.uniform(0.2, 0.6))
    spec = {
        "budget_aid_musd": round(B * share_aid, 3),
        "budget_investment_musd": round(B * (1 - share_aid), 3),
        "discrete": discrete,
        "need_exponent": float(rng.choice([0.5, 1.0])),
        "absorptive_cap_pct_gdp": 16.0 if seed % 2 else None,
        "country_caps": {C[0]: {"share": 0.25}, C[1]: {"musd": round(B * share_aid * 0.1, 2), "pool": "aid"}},
        "country_floors": {C[-1]: {"musd": round(B * 0.1, 2)}},
        "type_caps": {P[0]: {"share": 0.2}},
        "type_floors": {P[-1]: {"musd": round(min(B * 0.15, 0.5 * n * last_break(types, P[-1])), 2), "pool": "total"}},
        "must_fund": [{"country": C[1], "project_type": P[0], "min_musd": 6.0}],
        "must_not": [{"country": C[2], "project_type": P[1]}] if k > 2 else [],
        "equity_floor": float(rng.uniform(0.1, 0.4)),
        "country_capacity_scale": {C[0]: 1.5},
    }
    if k > 2:
        spec["linking"] = [{"lhs_type": P[2], "ratio": 0.3, "rhs_type": P[0], "countries": [C[0], C[1]]}]
    if seed % 3 == 0:
        spec["country_caps"][C[-1]] = {"pct_gdp": 8.0}
    return pri, countries, types, spec


def _lists(types, p):
    b = [float(x) for x in str(types.at[p, "segment_breaks_musd"]).split(";")]
    m = [float(x) for x in str(types.at[p, "segment_marginals"]).split(";")]
    return b, m


def check_solution(res, pri, countries, types, spec):
    """Re-check every enabled constraint and the objective from the allocation table alone."""
    B_aid, B_inv = spec["budget_aid_musd"], spec["budget_investment_musd"]
    tol = 1e-6 * max(1.0, B_aid + B_inv)
    al = res.allocation.set_index(["country", "project_type"])
    C, P = list(pri.index), list(types.index)
    assert set(al.index) == {(c, p) for c in C for p in P}
    a = types["aid_share"].astype(float)
    tot = al["total_musd"]
    # non-negativity and pool split
    assert (al[["aid_musd", "investment_musd", "total_musd"]] >= -tol).all().all()
    for (_c, p), r in al.iterrows():
        assert r.aid_musd == pytest.approx(a[p] * r.total_musd, abs=tol)
        assert r.aid_musd + r.investment_musd == pytest.approx(r.total_musd, abs=tol)
    # budget conservation: used <= budget, and the reported pool totals add up
    used_aid, used_inv = al["aid_musd"].sum(), al["investment_musd"].sum()
    assert used_aid <= B_aid + tol and used_inv <= B_inv + tol
    assert res.by_pool["aid"] == pytest.approx(used_aid, abs=tol)
    assert res.by_pool["investment"] == pytest.approx(used_inv, abs=tol)
    T = {"total": tot.sum(), "aid": used_aid, "investment": used_inv}
    col = {"total": "total_musd", "aid": "aid_musd", "investment": "investment_musd"}
    scale = spec.get("country_capacity_scale", {})
    gdp_musd = countries["gdp"] / 1e6

    def country_sum(c, pool):
        return al.loc[c][col[pool]].sum()

    def type_sum(p, pool):
        return al.xs(p, level="project_type")[col[pool]].sum()

    # capacity (last breakpoint x country scale)
    for c in C:
        for p in P:
            b, _ = _lists(types, p)
            assert tot[(c, p)] <= b[-1] * scale.get(c, 1.0) + tol
    for c, bd in spec.get("country_caps", {}).items():
        pool = bd.get("pool", "total")
        v = country_sum(c, pool)
        if "musd" in bd:
            assert v <= bd["musd"] + tol
        if "share" in bd:
            assert v <= bd["share"] * T[pool] + tol
        if "pct_gdp" in bd:
            assert v <= bd["pct_gdp"] / 100 * gdp_musd[c] + tol
    for c, bd in spec.get("country_floors", {}).items():
        pool = bd.get("pool", "total")
        v = country_sum(c, pool)
        if "musd" in bd:
            assert v >= bd["musd"] - tol
        if "share" in bd:
            assert v >= bd["share"] * T[pool] - tol
    if spec.get("absorptive_cap_pct_gdp"):
        for c in C:
            assert country_sum(c, "total") <= spec["absorptive_cap_pct_gdp"] / 100 * gdp_musd[c] + tol
    for p, bd in spec.get("type_caps", {}).items():
        pool = bd.get("pool", "total")
        if "musd" in bd:
            assert type_sum(p, pool) <= bd["musd"] + tol
        if "share" in bd:
            assert type_sum(p, pool) <= bd["share"] * T[pool] + tol
    for p, bd in spec.get("type_floors", {}).items():
        pool = bd.get("pool", "total")
        if "musd" in bd:
            assert type_sum(p, pool) >= bd["musd"] - tol
        if "share" in bd:
            assert type_sum(p, pool) >= bd["share"] * T[pool] - tol
    for mf in spec.get("must_fund", []):
        need = mf.get("min_musd", float(types.at[mf["project_type"], "min_size_musd"]))
        assert tot[(mf["country"], mf["project_type"])] >= need - tol
    for mn in spec.get("must_not", []):
        assert abs(tot[(mn["country"], mn["project_type"])]) <= tol
    for ln in spec.get("linking", []):
        for c in ln.get("countries") or C:
            assert tot[(c, ln["lhs_type"])] >= ln["ratio"] * tot[(c, ln["rhs_type"])] - tol
    if spec.get("equity_floor"):
        for c in C:
            assert country_sum(c, "total") >= spec["equity_floor"] * T["total"] / len(C) - tol
    if spec.get("discrete"):
        for (_c, p), v in tot.items():
            assert v <= tol or v >= float(types.at[p, "min_size_musd"]) - tol
    # objective recomputed from the concave benefit curves
    gamma = spec.get("need_exponent", 1.0)
    obj = 0.0
    for p in P:
        b, m = _lists(types, p)
        ind, tr = types.at[p, "need_indicator"], types.at[p, "need_transform"]
        for c in C:
            k = scale.get(c, 1.0)
            if tr == "none":
                f = 1.0
            else:
                v = countries[ind].astype(float)
                if tr == "shortfall_ratio_to_mean":
                    v = 1 - v
                f = 1.0 if np.isnan(v[c]) else (v[c] / v.mean()) ** gamma
            x, lo, ben = tot[(c, p)], 0.0, 0.0
            for hi, mg in zip(b, m, strict=False):
                ben += mg * min(max(x - lo * k, 0.0), (hi - lo) * k)
                lo = hi
            obj += pri[c] * float(types.at[p, "impact_per_musd"]) * f * ben
    assert res.objective == pytest.approx(obj, rel=REL, abs=1e-7)


def highs_objective(mps_path) -> float:
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_rel_gap", 1e-9)
    assert h.readModel(str(mps_path)) == highspy.HighsStatus.kOk
    h.run()
    assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return h.getInfo().objective_function_value


SEEDS = list(range(10))


@pytest.mark.parametrize("discrete", [False, True], ids=["LP", "MILP"])
@pytest.mark.parametrize("seed", SEEDS)
def test_generated_instance_constraints_hold_and_highs_agrees(seed, discrete, tmp_path):
    pri, countries, types, spec = make_instance(seed, discrete)
    model = opt.AllocationModel(pri, countries, types, spec)
    assert model.is_milp == discrete
    res = model.solve()
    assert res.status == "optimal", res.message
    check_solution(res, pri, countries, types, spec)
    # same model, other solver: the MPS (objective sense included) read by highspy
    mps = model.write_model(tmp_path / "model.mps")
    assert "OBJSENSE" in mps.read_text()[:200]
    assert highs_objective(mps) == pytest.approx(res.objective, rel=REL)
    # and PuLP's HiGHS interface on a freshly built model
    res_h = opt.solve(pri, countries, types, {**spec, "solver": "highs"})
    assert res_h.objective == pytest.approx(res.objective, rel=REL)
    check_solution(res_h, pri, countries, types, spec)
    if discrete:
        assert "binary" in res.duals_note


def test_lp_file_is_written(tmp_path):
    pri, countries, types, spec = make_instance(1, False)
    model = opt.AllocationModel(pri, countries, types, spec)
    p = model.write_model(tmp_path / "m.lp")
    assert "Maximize" in p.read_text()[:200] or "MAXIMIZE" in p.read_text()[:200]
    with pytest.raises(InputError):
        model.write_model(tmp_path / "m.txt")


def test_set_priorities_resolve_equals_fresh_build():
    pri, countries, types, spec = make_instance(3, False)
    model = opt.AllocationModel(pri, countries, types, spec)
    model.solve()
    rng = np.random.default_rng(99)
    for _ in range(3):
        new = pd.Series(rng.dirichlet(np.ones(len(pri))), index=pri.index[::-1]).reindex(pri.index[::-1])
        model.set_priorities(new)
        r1 = model.solve()
        r2 = opt.solve(new, countries, types, spec)
        assert r1.objective == pytest.approx(r2.objective, rel=REL)
        check_solution(r1, new.reindex(pri.index), countries, types, spec)


def test_solve_allocation_fast_path_matches_full_result():
    pri, countries, types, spec = make_instance(4, False)
    model = opt.AllocationModel(pri, countries, types, spec)
    status, obj, tot = model.solve_allocation()
    full = model.solve()
    assert status == "optimal" and obj == pytest.approx(full.objective, rel=REL)
    ref = full.allocation.set_index(["country", "project_type"])["total_musd"]
    assert np.allclose(tot, ref.loc[model.pairs].to_numpy(), atol=1e-6)


def test_frontier_reuses_model_and_is_monotone_concave():
    pri, countries, types, spec = make_instance(2, False)
    spec = {**spec, "country_floors": {}, "type_floors": {}, "must_fund": [], "equity_floor": None}
    model = opt.AllocationModel(pri, countries, types, spec)
    base = model.solve().objective
    fr = opt.efficient_frontier(model)
    assert len(fr) == 20 and (fr["status"] == "optimal").all()
    assert fr["factor"].iloc[0] == pytest.approx(0.25) and fr["factor"].iloc[-1] == pytest.approx(2.0)
    obj = fr["objective"].to_numpy()
    assert np.all(np.diff(obj) >= -1e-6 * obj.max())  # more money never hurts
    slope = fr["slope"].to_numpy()[1:]
    assert np.all(np.diff(slope) <= 1e-6 * max(1.0, slope.max()))  # diminishing returns (LP: concave)
    # the marginal value at each point lies between the neighbouring finite-difference slopes
    mv = fr["marginal_value"].to_numpy()
    for i in range(1, len(fr) - 1):
        assert slope[i] - 1e-6 <= mv[i] <= slope[i - 1] + 1e-6
    # budgets restored afterwards
    assert model.budgets == (spec["budget_aid_musd"], spec["budget_investment_musd"])
    assert model.solve().objective == pytest.approx(base, rel=REL)


def test_milp_respects_minimum_sizes_and_reports_duals_from_fixed_lp():
    pri, countries, types, spec = make_instance(5, True)
    res = opt.solve(pri, countries, types, spec)
    assert res.is_milp and "binary" in res.duals_note
    assert "aid budget" in res.shadow_prices and np.isfinite(res.shadow_prices["aid budget"])
    lp = opt.solve(pri, countries, types, {**spec, "discrete": False})
    assert lp.objective >= res.objective - 1e-6 * abs(lp.objective)  # relaxation bound
