"""Sub-national allocation benchmark (issue 12 item 5): regions x 10 project types x 4 benefit bands x
5 years, built as numpy arrays (optimisation.subnational.build_matrix on optimisation.fastbuild.MatrixLP)
and solved by HiGHS. Target at 2,000 regions (400,000 variables): build <= 0.5 x solve, peak memory
(RSS of this fresh process) < 4 GB.

Default size (``make bench``): 500 regions (100,000 variables; a few seconds to solve, well under a
minute with the baseline on a loaded machine). The target's size: ``--regions 2000`` (about 30 s of
HiGHS CPU; a minute or two of wall clock on the shared 2-core machine).

Prints variables, rows, nonzeros, build and solve seconds (wall and CPU) and their ratio, peak RSS,
HiGHS's status and objective, then checks the allocation against every rule from the data alone and
A x against the row bounds from the arrays (no solver involved), and, as the baseline in the same run,
builds the model written plainly in PuLP (``--pulp-regions``, default 20) and compares its optimum
with the array model's at that size (same model: same optimum; the PuLP build time per variable
shows what PuLP objects would cost at full size).

Usage: .venv/bin/python bench/bench_subnational.py [--regions 500] [--pulp-regions 20]
       [--solver simplex|ipm|choose] [--time-limit 1800] [--log]
No asserts: the figures go into the closing note.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _positive_int(text: str) -> int:
    """An argparse type: a whole number >= 1."""
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 1, got {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 1, got {text!r}")
    return n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--regions", type=_positive_int, default=500, help="regions (2000 = the target's 400k variables)")
    ap.add_argument("--pulp-regions", type=int, default=20, help="regions of the PuLP baseline (0 = skip)")
    ap.add_argument("--solver", choices=["simplex", "ipm", "choose"], default="simplex", help="HiGHS LP solver")
    ap.add_argument("--time-limit", type=float, default=1800.0, help="HiGHS time limit, seconds")
    ap.add_argument("--log", action="store_true", help="show HiGHS's log")
    args = ap.parse_args()
    import highspy  # noqa: F401 - imports out of the timings
    import scipy.sparse  # noqa: F401

    from optimisation.subnational import build_matrix, objective, synthetic_regions, violations

    R = args.regions
    d = synthetic_regions(R)
    t0, c0 = time.perf_counter(), time.process_time()
    sub = build_matrix(d)
    h = sub.lp.highs()
    build, build_cpu = time.perf_counter() - t0, time.process_time() - c0
    nnz = h.getNumNz()
    print(
        f"(1) {R:,} regions x 10 types x 4 bands x 5 years: {sub.x.size:,} allocation variables "
        f"({sub.lp.n_cols:,} columns), {sub.lp.n_rows:,} constraints, {nnz:,} nonzeros; built in {build:.2f} s "
        f"({build_cpu:.2f} s CPU); solving with HiGHS {args.solver} ...",
        flush=True,
    )
    options: dict[str, object] = {"solver": args.solver, "parallel": "off"}  # 2 shared cores
    if args.log:
        options.update(output_flag=True, log_to_console=True)
    c0 = time.process_time()
    res = sub.lp.solve(h, time_limit_s=args.time_limit, options=options)
    solve_cpu = time.process_time() - c0
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    info = h.getInfo()
    obj = "-" if res.objective is None else f"{res.objective / sub.scale:.10g}"
    print(
        f"    HiGHS status {res.highs_status!r}, objective {obj} "
        f"({info.simplex_iteration_count:,} simplex, {info.ipm_iteration_count} ipm, "
        f"{info.crossover_iteration_count:,} crossover iterations)"
    )
    print(
        f"    build {build:.2f} s | solve {res.solve_seconds:.2f} s | build/solve = {build / res.solve_seconds:.3f} "
        f"(CPU: {build_cpu:.2f} s / {solve_cpu:.2f} s = {build_cpu / max(solve_cpu, 1e-9):.3f}; target <= 0.5) | "
        f"peak RSS {rss_mb:,.0f} MB (target < 4,096 MB) | load {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    if res.x is not None:
        x = res.x[sub.x]
        worst = max(violations(d, x).values())
        print(
            f"    allocation checked from the data: largest rule violation {worst:.2e} US$M; from the arrays: "
            f"A x within bounds to {sub.lp.violation(res.x):.2e}; objective recomputed "
            f"{objective(d, x):.10g}; total {x.sum():,.1f} US$M"
        )
    Rp = args.pulp_regions
    if Rp > 0:
        import pulp

        from optimisation.subnational import build_pulp

        dp = synthetic_regions(Rp)
        t0 = time.perf_counter()
        prob = build_pulp(dp)
        tpulp = time.perf_counter() - t0
        t0 = time.perf_counter()
        sp = build_matrix(dp)
        hp = sp.lp.highs()
        tarr = time.perf_counter() - t0
        rp = sp.lp.solve(hp, options={"solver": args.solver})
        prob.solve(pulp.HiGHS(msg=False))
        plain = pulp.value(prob.objective)
        fast = None if rp.objective is None else rp.objective / sp.scale
        same = fast is not None and abs(plain - fast) <= 1e-9 * max(1.0, abs(plain))
        print(
            f"(2) baseline at {Rp} regions ({sp.x.size:,} variables): the plain PuLP model builds in {tpulp:.2f} s vs "
            f"arrays {tarr:.3f} s ({tpulp / tarr:.0f}x); at {R:,} regions it would take at least "
            f"~{tpulp * R / Rp:.0f} s ({tpulp * R / Rp / res.solve_seconds:.1f}x the solve; more, as each equity row "
            f"holds every variable); optimum PuLP {plain:.10g} vs "
            f"arrays {fast if fast is None else f'{fast:.10g}'}: same {same}"
        )


if __name__ == "__main__":
    main()
