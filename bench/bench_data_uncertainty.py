"""Benchmark SMAA with data uncertainty (issue 10 item 5). Run: .venv/bin/python bench/bench_data_uncertainty.py

Prints, on scenarios/default.json (33 countries x 12 criteria, 99 WGI values carrying a stated sd),
weights +-20% around the scenario's, 10,000 samples (median of 3 runs each):
  1. weights-only SMAA (the unchanged path) against SMAA with the values sampled too (main pass +
     the SMAA-2 confidence pass over value samples) -> ratio;
  2. for TOPSIS, the stacked form (sampled_scores) against the generic per-sample preparation -> ratio;
  3. the other methods (generic per-sample form) against their weights-only runs -> ratio.
Options: --samples N.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def median_time(fn, repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--samples", type=int, default=10_000)
    n = ap.parse_args().samples

    from fulcrum.pipeline import method_of, rank_scenario
    from fulcrum.scenario import load_scenario
    from fulcrum.uncertainty import values_for
    from mcda import robustness_values as rv
    from mcda.robustness_sampling import AroundWeights
    from mcda.robustness_smaa import smaa

    out = rank_scenario(load_scenario(ROOT / "scenarios" / "default.json"))
    values = values_for(out, "shipped")
    sampler = AroundWeights(out.problem, out.weights, 20)
    m = method_of(out.scenario)
    print(f"scenarios/default.json: {out.problem.values.shape[0]} x {out.problem.values.shape[1]}, {values.describe()}")
    print(f"{n} samples, median of 3 runs")
    base = median_time(lambda: smaa(out.problem, sampler, n_samples=n, seed=1, method=m))
    withv = median_time(lambda: smaa(out.problem, sampler, n_samples=n, seed=1, method=m, values=values))
    print(
        f"1. {m.label}: weights only {base * 1e3:.0f} ms; values sampled too {withv * 1e3:.0f} ms; "
        f"ratio {withv / base:.0f}x"
    )
    stacked = rv.sample_scores
    try:  # the generic per-sample form, for comparison
        rv.sample_scores = lambda s, v, W, Z, allow_stacked=True: stacked(s, v, W, Z, allow_stacked=False)  # type: ignore[assignment]
        import mcda.robustness_smaa as rs

        rs.sample_scores = rv.sample_scores
        loop = median_time(lambda: smaa(out.problem, sampler, n_samples=n, seed=1, method=m, values=values), 1)
    finally:
        rv.sample_scores = stacked
        rs.sample_scores = stacked
    print(
        f"2. {m.label}: generic per-sample form {loop * 1e3:.0f} ms; stacked form {withv * 1e3:.0f} ms; "
        f"ratio {loop / withv:.1f}x"
    )
    for name in ("wsm", "vikor", "promethee2"):
        b = median_time(lambda name=name: smaa(out.problem, sampler, n_samples=n, seed=1, method=name), 1)
        v = median_time(
            lambda name=name: smaa(out.problem, sampler, n_samples=n, seed=1, method=name, values=values), 1
        )
        print(f"3. {name}: weights only {b * 1e3:.0f} ms; values sampled too {v * 1e3:.0f} ms; ratio {v / b:.0f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
