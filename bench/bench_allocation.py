"""Allocation benchmarks; figures are printed with ratios against baselines measured in this run.

(1) Default scenario (scenarios/paper_2022_single_track.json: its allocation section if it has one, else a
    stand-in allocation written below) on its shortlist: model build + CBC solve, median of
    repeats. Target: < 0.5 s. Baseline: the CBC solve alone of the same already-built model.
(2) 200 countries x 20 project types x 4 segments (16,000 segment variables): model build time
    and solve time reported separately. Target: build <= solve. Baseline for the build: the same
    budget rows built the naive way (repeated ``+=`` on a growing expression).
(3) Efficient frontier, 20 budget points on the default scenario, one model re-used (only the
    budget RHS changes). Target: < 3 s. Baseline: 20 fresh build + solve.
(4) For robustness studies: re-solves with only the priorities changed (set_priorities + solve),
    CBC vs HiGHS in-process, per solve.

Usage: .venv/bin/python bench/bench_allocation.py [--repeats 7] [--countries 200] [--types 20]
No asserts: the figures go into the closing note.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pulp  # noqa: E402

from optimisation.model import AllocationModel, efficient_frontier  # noqa: E402

STAND_IN = {  # used only when the example scenario has no allocation section yet
    "budget_aid_musd": 300,
    "budget_investment_musd": 700,
    "type_floors": {"rural_poverty": {"share": 0.15}, "production_capacity": {"share": 0.15}},
    "linking": [{"lhs_type": "health", "ratio": 0.25, "rhs_type": "production_capacity"}],
    "equity_floor": 0.5,
}


def default_inputs():
    from fulcrum.pipeline import rank_scenario
    from fulcrum.scenario import load_scenario
    from optimisation.priorities import priorities_from_shortlist

    path = ROOT / "scenarios" / "paper_2022_single_track.json"
    sc = load_scenario(path)
    spec = sc.allocation.model_dump() if sc.allocation is not None else STAND_IN
    where = "scenario's own allocation" if sc.allocation is not None else "stand-in allocation (bench)"
    out = rank_scenario(sc)
    pri = priorities_from_shortlist(out.shortlist, spec.get("priority_transform", "pipeline"))
    return pri, out.countries, spec, where


def synthetic(n_c: int, n_t: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    C = [f"C{i:03d}" for i in range(n_c)]
    P = [f"type{j:02d}" for j in range(n_t)]
    K = rng.uniform(20, 200, n_t)
    types = pd.DataFrame(
        {
            "aid_share": rng.uniform(0, 1, n_t).round(3),
            "impact_per_musd": rng.uniform(0.5, 2, n_t),
            "segment_breaks_musd": [";".join(f"{k * s / 4:.3f}" for s in range(1, 5)) for k in K],
            "segment_marginals": ["0.875;0.625;0.375;0.125"] * n_t,
            "min_size_musd": rng.uniform(1, 10, n_t),
            "need_indicator": ["poverty_rate" if j % 2 else "none" for j in range(n_t)],
            "need_transform": ["ratio_to_mean" if j % 2 else "none" for j in range(n_t)],
        },
        index=P,
    )
    countries = pd.DataFrame(
        {"country": C, "gdp": rng.uniform(1e9, 2e12, n_c), "poverty_rate": rng.uniform(0.5, 40, n_c)}, index=C
    )
    pri = pd.Series(rng.dirichlet(np.ones(n_c)), index=C)
    B = float(K.sum()) * n_c * 0.4
    spec = {
        "budget_aid_musd": B * 0.3,
        "budget_investment_musd": B * 0.7,
        "country_caps": {c: {"share": 0.02} for c in C[:20]},
        "type_floors": {P[0]: {"share": 0.05}},
        "linking": [{"lhs_type": P[1], "ratio": 0.25, "rhs_type": P[2]}],
        "equity_floor": 0.2,
    }
    return pri, countries, types, spec


def median_time(fn, repeats: int) -> float:
    ts = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    return statistics.median(ts)


def naive_budget_rows(model: AllocationModel) -> float:
    """Baseline: the two budget rows built with repeated += (what the builder avoids)."""
    prep, b = model.prep, model.built
    t0 = time.perf_counter()
    aid = pulp.LpAffineExpression()
    inv = pulp.LpAffineExpression()
    for c, p in b.pairs:
        for v in b.seg[c, p]:
            aid += prep.aid_share[p] * v
            inv += (1 - prep.aid_share[p]) * v
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--countries", type=int, default=200)
    ap.add_argument("--types", type=int, default=20)
    args = ap.parse_args()
    figures = {}

    # (1) default scenario
    pri, countries, spec, where = default_inputs()

    def build_solve():
        m = AllocationModel(pri, countries, None, spec)
        r = m.solve()
        assert r.ok, r.message

    med = median_time(build_solve, args.repeats)
    m = AllocationModel(pri, countries, None, spec)
    solve_only = median_time(lambda: m.solve(), args.repeats)
    nvars = len(m.built.xvars)
    print(f"(1) default scenario ({where}; {len(pri)} countries x {len(m.prep.types)} types, {nvars} segment vars)")
    print(
        f"    build+solve median {med * 1e3:.1f} ms (target < 500 ms); solve alone {solve_only * 1e3:.1f} ms; "
        f"ratio {med / solve_only:.2f}x"
    )
    plain = median_time(lambda: m.solve(marginals=False), args.repeats)
    print(
        f"    of which the one-sided budget values (4 re-solves at B +- US$1M): solve without them "
        f"{plain * 1e3:.1f} ms ({solve_only / plain:.2f}x)"
    )
    figures["default_build_solve_ms"] = med * 1e3

    # (2) 200 x 20 x 4
    spri, sc, st, sspec = synthetic(args.countries, args.types)
    builds, solves = [], []
    for _ in range(max(3, args.repeats // 2)):
        t0 = time.perf_counter()
        big = AllocationModel(spri, sc, st, sspec)
        builds.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        status = big.solve_quick()[0]
        solves.append(time.perf_counter() - t0)
    build, solve = statistics.median(builds), statistics.median(solves)
    t0 = time.perf_counter()
    big.solve(marginals=False)
    tables = time.perf_counter() - t0
    t0 = time.perf_counter()
    res = big.solve()
    full = time.perf_counter() - t0
    naive = naive_budget_rows(big)
    print(
        f"(2) {args.countries} countries x {args.types} types x 4 segments = {len(big.built.xvars)} segment vars, "
        f"{len(big.built.cons)} rows: status {status}"
    )
    print(
        f"    medians of {len(builds)}: build {build:.3f} s | CBC solve {solve:.3f} s | "
        f"solve + result tables {tables:.3f} s | "
        f"build/solve = {build / solve:.2f} (target <= 1)"
    )
    print(
        f"    solve + result tables + one-sided budget values (4 re-solves at B +- US$1M) {full:.3f} s "
        f"(the values cost {full / tables:.2f}x the solve with tables)"
    )
    print(
        f"    baseline: the 2 budget rows alone built with repeated += take {naive:.3f} s "
        f"({naive / build:.2f}x the whole vectorised build)"
    )
    figures.update(
        big_build_s=build, big_solve_s=solve, big_ratio=build / solve, big_status=res.status, big_full_s=full
    )

    # (3) frontier
    m = AllocationModel(pri, countries, None, spec)
    t0 = time.perf_counter()
    fr = efficient_frontier(m, np.linspace(0.25, 2.0, 20))
    ft = time.perf_counter() - t0

    def fresh():
        for f in np.linspace(0.25, 2.0, 20):
            s2 = {
                **spec,
                "budget_aid_musd": spec["budget_aid_musd"] * f,
                "budget_investment_musd": spec["budget_investment_musd"] * f,
            }
            AllocationModel(pri, countries, None, s2).solve(diagnose=False)

    t0 = time.perf_counter()
    fresh()
    fb = time.perf_counter() - t0
    print(
        f"(3) efficient frontier, 20 points: {ft:.3f} s (target < 3 s); 20 fresh build+solve {fb:.3f} s "
        f"(ratio {ft / fb:.2f}); statuses {fr['status'].value_counts().to_dict()}"
    )
    figures["frontier_s"] = ft

    # (4) priority-only re-solves
    rng = np.random.default_rng(1)
    out = {}
    for solver in ("cbc", "highs"):
        try:
            mm = AllocationModel(pri, countries, None, {**spec, "solver": solver})
        except Exception as e:  # noqa: BLE001 - any solver that cannot start (highspy missing) is reported, not fatal
            print(f"(4) {solver}: unavailable ({e})")
            continue
        samples = [pd.Series(rng.dirichlet(np.ones(len(pri))), index=pri.index) for _ in range(30)]
        t0 = time.perf_counter()
        for s in samples:
            mm.set_priorities(s)
            mm.solve_quick()
        out[solver] = (time.perf_counter() - t0) / len(samples)
    if out:
        txt = ", ".join(f"{k} {v * 1e3:.1f} ms/solve (500 solves ~ {v * 500:.1f} s)" for k, v in out.items())
        ratio = f"; highs/cbc = {out['highs'] / out['cbc']:.2f}" if len(out) == 2 else ""
        print(f"(4) priority-only re-solve (set_priorities + solve_quick): {txt}{ratio}")
    print(json.dumps({k: (round(v, 4) if isinstance(v, float) else v) for k, v in figures.items()}))


if __name__ == "__main__":
    main()
