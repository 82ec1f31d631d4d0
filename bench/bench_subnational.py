"""Sub-national allocation benchmark (issue 12 item 5): 2,000 regions x 10 project types x 4
benefit bands x 5 years = 400,000 variables, built as arrays (optimisation.fastbuild.MatrixLP) and
solved by HiGHS. Target: build <= 0.5 x solve, peak memory (RSS of this fresh process) < 4 GB.

The model is the planner's allocation model per year (DESIGN.md, "Allocation model"), on
synthetic regions (a benchmark, not data): x[r,p,s,t] in [0, band width], maximise
sum priority_r * impact_p * need[r,p] * marginal_s * 0.97^t * x, subject to
- pool definitions per year (aid used A_t, investment used I_t) and the yearly budgets,
- absorptive cap per region and year (sum over types and bands <= cap_r),
- capacity per region and type over the plan (sum over bands and years <= 2 x the type's capacity),
- equity floor per region over the plan (>= f / R of everything spent),
- a floor per type and year (>= its share of the year's spending).

Baselines in the same run: the same formulation built with PuLP for a slice of the regions
(``--pulp-regions``, scaled per variable), and its objective against this builder's at that size
(same model: same optimum).

Usage: .venv/bin/python bench/bench_subnational.py [--regions 2000] [--pulp-regions 100]
No asserts: the figures go into the closing note.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

P, S, T = 10, 4, 5
MARGINALS = np.array([0.875, 0.625, 0.375, 0.125])
EQUITY = 0.3


def data(R: int, seed: int = 0) -> dict[str, np.ndarray]:
    """Synthetic regions and project types (a benchmark, not data)."""
    rng = np.random.default_rng(seed)
    K = rng.uniform(5, 40, P)  # capacity per region and type, US$M per year
    return {
        "K": K,
        "width": np.broadcast_to((K / S)[None, :, None], (R, P, S)).copy(),
        "aid": rng.uniform(0, 1, P).round(3),
        "impact": rng.uniform(0.5, 2.0, P),
        "need": rng.uniform(0.3, 3.0, (R, P)),
        "priority": rng.dirichlet(np.ones(R)),
        "cap": rng.uniform(20, 120, R),  # absorptive cap per region and year
        "budget_aid": np.full(T, K.sum() * R * 0.08),
        "budget_inv": np.full(T, K.sum() * R * 0.12),
        "type_share": np.full(P, 0.02),
        "disc": 0.97 ** np.arange(T),
    }


def build_arrays(R: int, d: dict[str, np.ndarray]):
    """The model as numpy blocks (optimisation.fastbuild)."""
    from optimisation.fastbuild import MatrixLP

    m = MatrixLP("max")
    cost = (
        d["priority"][:, None, None, None]
        * (d["impact"][None, :] * d["need"])[:, :, None, None]
        * MARGINALS[None, None, :, None]
        * d["disc"][None, None, None, :]
    )
    x = m.add_vars((R, P, S, T), 0.0, d["width"][:, :, :, None], cost)
    A = m.add_vars(T)
    I = m.add_vars(T)  # noqa: E741 - the model's notation
    t_of = np.broadcast_to(np.arange(T), (R, P, S, T))
    a = np.broadcast_to(d["aid"][None, :, None, None], (R, P, S, T))
    # pool definitions: A_t - sum a_p x = 0, I_t - sum (1 - a_p) x = 0
    m.add_rows(np.concatenate([np.arange(T), t_of.ravel()]), np.concatenate([A, x.ravel()]),
               np.concatenate([np.ones(T), -a.ravel()]), 0.0, 0.0)  # fmt: skip
    m.add_rows(np.concatenate([np.arange(T), t_of.ravel()]), np.concatenate([I, x.ravel()]),
               np.concatenate([np.ones(T), a.ravel() - 1.0]), 0.0, 0.0)  # fmt: skip
    m.add_rows(np.arange(T), A, 1.0, upper=d["budget_aid"])
    m.add_rows(np.arange(T), I, 1.0, upper=d["budget_inv"])
    # absorptive cap per region and year
    rt = np.arange(R)[:, None, None, None] * T + np.arange(T)[None, None, None, :]
    m.add_rows(np.broadcast_to(rt, x.shape).ravel(), x.ravel(), 1.0, upper=np.repeat(d["cap"], T))
    # capacity per region and type over the plan
    rp = np.arange(R * P).reshape(R, P)[:, :, None, None]
    m.add_rows(np.broadcast_to(rp, x.shape).ravel(), x.ravel(), 1.0, upper=np.tile(2.0 * d["K"], R))
    # equity floor per region over the plan: sum x[r] - f/R * sum_t (A_t + I_t) >= 0
    reg = np.broadcast_to(np.arange(R)[:, None, None, None], x.shape).ravel()
    pools = np.concatenate([A, I])
    m.add_rows(
        np.concatenate([reg, np.repeat(np.arange(R), 2 * T)]),
        np.concatenate([x.ravel(), np.tile(pools, R)]),
        np.concatenate([np.ones(x.size), np.full(R * 2 * T, -EQUITY / R)]),
        lower=0.0,
    )
    # floor per type and year: sum_{r,s} x[r,p,s,t] - share_p (A_t + I_t) >= 0
    pt = np.arange(P)[None, :, None, None] * T + np.arange(T)[None, None, None, :]
    pt_rows = np.repeat(np.arange(P) * T, T) + np.tile(np.arange(T), P)
    m.add_rows(
        np.concatenate([np.broadcast_to(pt, x.shape).ravel(), pt_rows, pt_rows]),
        np.concatenate([x.ravel(), np.tile(A, P), np.tile(I, P)]),
        np.concatenate([np.ones(x.size), -np.repeat(d["type_share"], T), -np.repeat(d["type_share"], T)]),
        lower=0.0,
    )
    return m, x


def build_pulp(R: int, d: dict[str, np.ndarray]):
    """The same model with PuLP (one object per variable and per row): the baseline."""
    import pulp

    prob = pulp.LpProblem("subnational", pulp.LpMaximize)
    x = {}
    for r in range(R):
        for p in range(P):
            for s in range(S):
                for t in range(T):
                    x[r, p, s, t] = prob.add_variable(f"x_{r}_{p}_{s}_{t}", 0, float(d["width"][r, p, s]))
    A = [prob.add_variable(f"A_{t}", 0) for t in range(T)]
    I = [prob.add_variable(f"I_{t}", 0) for t in range(T)]  # noqa: E741
    obj = []
    for (r, p, s, t), v in x.items():
        obj.append((v, float(d["priority"][r] * d["impact"][p] * d["need"][r, p] * MARGINALS[s] * d["disc"][t])))
    prob.setObjective(pulp.LpAffineExpression(obj))
    for t in range(T):
        terms_a = [(A[t], 1.0)] + [
            (x[r, p, s, t], -float(d["aid"][p])) for r in range(R) for p in range(P) for s in range(S)
        ]
        terms_i = [(I[t], 1.0)] + [
            (x[r, p, s, t], float(d["aid"][p]) - 1.0) for r in range(R) for p in range(P) for s in range(S)
        ]
        prob += pulp.LpConstraint(pulp.LpAffineExpression(terms_a), pulp.LpConstraintEQ, f"defA_{t}", 0.0)
        prob += pulp.LpConstraint(pulp.LpAffineExpression(terms_i), pulp.LpConstraintEQ, f"defI_{t}", 0.0)
        prob += pulp.LpConstraint(
            pulp.LpAffineExpression([(A[t], 1.0)]), pulp.LpConstraintLE, f"bA_{t}", float(d["budget_aid"][t])
        )
        prob += pulp.LpConstraint(
            pulp.LpAffineExpression([(I[t], 1.0)]), pulp.LpConstraintLE, f"bI_{t}", float(d["budget_inv"][t])
        )
    for r in range(R):
        for t in range(T):
            e = pulp.LpAffineExpression([(x[r, p, s, t], 1.0) for p in range(P) for s in range(S)])
            prob += pulp.LpConstraint(e, pulp.LpConstraintLE, f"abs_{r}_{t}", float(d["cap"][r]))
        for p in range(P):
            e = pulp.LpAffineExpression([(x[r, p, s, t], 1.0) for s in range(S) for t in range(T)])
            prob += pulp.LpConstraint(e, pulp.LpConstraintLE, f"cap_{r}_{p}", float(2.0 * d["K"][p]))
        e = pulp.LpAffineExpression(
            [(x[r, p, s, t], 1.0) for p in range(P) for s in range(S) for t in range(T)]
            + [(v, -EQUITY / R) for v in A + I]
        )
        prob += pulp.LpConstraint(e, pulp.LpConstraintGE, f"eq_{r}", 0.0)
    for p in range(P):
        for t in range(T):
            sh = -float(d["type_share"][p])
            e = pulp.LpAffineExpression(
                [(x[r, p, s, t], 1.0) for r in range(R) for s in range(S)] + [(A[t], sh), (I[t], sh)]
            )
            prob += pulp.LpConstraint(e, pulp.LpConstraintGE, f"tf_{p}_{t}", 0.0)
    return prob


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--regions", type=int, default=2000)
    ap.add_argument("--pulp-regions", type=int, default=100)
    args = ap.parse_args()
    R = args.regions
    import highspy  # noqa: F401 - imports out of the timings
    import scipy.sparse  # noqa: F401

    from optimisation.fastbuild import MatrixLP  # noqa: F401

    d = data(R)
    t0 = time.perf_counter()
    m, x = build_arrays(R, d)
    h = m.highs()
    build = time.perf_counter() - t0
    print(f"    built {x.size:,} variables in {build:.2f} s; solving with HiGHS ...", flush=True)
    res = m.solve(h)
    rss_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # KiB on Linux
    print(
        f"(1) {R} regions x {P} types x {S} bands x {T} years = {x.size:,} variables, {m.n_rows:,} rows, "
        f"{m.n_terms:,} terms: status {res.status}"
    )
    print(
        f"    build (arrays + HiGHS model) {build:.2f} s | HiGHS solve {res.solve_seconds:.2f} s | "
        f"build/solve = {build / res.solve_seconds:.2f} (target <= 0.5) | peak RSS {rss_gb:.2f} GB (target < 4 GB)"
    )
    # baseline: PuLP on a slice, per variable, and the same optimum at that size
    Rp = args.pulp_regions
    dp = data(Rp)
    t0 = time.perf_counter()
    prob = build_pulp(Rp, dp)
    tpulp = time.perf_counter() - t0
    t0 = time.perf_counter()
    mp, xp = build_arrays(Rp, dp)
    hp = mp.highs()
    tarr = time.perf_counter() - t0
    rp = mp.solve(hp)
    import pulp

    prob.solve(pulp.HiGHS(msg=False))
    same = rp.objective is not None and abs(pulp.value(prob.objective) - rp.objective) <= 1e-7 * max(
        1.0, abs(rp.objective)
    )
    print(
        f"(2) baseline at {Rp} regions ({xp.size:,} variables): PuLP build {tpulp:.2f} s vs arrays {tarr:.3f} s "
        f"({tpulp / tarr:.0f}x); PuLP at {R} regions would take ~{tpulp * R / Rp:.0f} s to build "
        f"({tpulp * R / Rp / res.solve_seconds:.1f}x the solve); same optimum: {same}"
    )


if __name__ == "__main__":
    main()
