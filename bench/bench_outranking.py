"""Issue 10 benchmarks (ratios against baselines measured in the same run; no asserts).

(1) ELECTRE III scores for many weight vectors (SMAA, sweeps) on 33 x 12: the batched form (one
    concordance product, then each veto criterion's factor on its discordant pairs) against the
    generic per-row fallback (the pure scoring function once per vector), with and without vetoes.
(2) Filter threshold sensitivity on the example scenario (scenarios/examples/paper_rejections.json):
    the exact computation against a brute-force scan of 200 thresholds per filter with make_shortlist.

Usage: .venv/bin/python bench/bench_outranking.py [--samples 2000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fulcrum.filters import outcome_filter_sensitivity  # noqa: E402
from fulcrum.pipeline import rank_scenario  # noqa: E402
from fulcrum.scenario import load_scenario  # noqa: E402
from mcda.methods import get_method  # noqa: E402
from mcda.methods.base import loop_batch_scores  # noqa: E402
from mcda.problem import DecisionProblem  # noqa: E402
from mcda.shortlist import make_shortlist  # noqa: E402
from mcda.weight_check import weight_matrix  # noqa: E402


def median_time(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--samples", type=int, default=2000)
    ap.add_argument("--repeats", type=int, default=3)
    a = ap.parse_args()
    rng = np.random.default_rng(0)
    X = rng.uniform(1, 100, (33, 12))
    p = DecisionProblem.from_arrays(X, np.where(rng.random(12) < 0.4, -1, 1))
    W = weight_matrix(rng.dirichlet(np.ones(12), a.samples), 12)
    for label, th in (("no veto", {"*": {"q": 5, "p": 20}}), ("veto on all 12", {"*": {"q": 5, "p": 20, "v": 60}})):
        m = get_method("electre3", thresholds=th)
        prep = m.prepare(p)
        tb = median_time(lambda m=m, prep=prep: m.batch_scores(prep, W), a.repeats)
        tl = median_time(lambda m=m, prep=prep: loop_batch_scores(m, prep, W), a.repeats)
        print(
            f"ELECTRE III 33x12, {a.samples} weight vectors, {label}: batched {tb * 1e3:.0f} ms, "
            f"per-row fallback {tl * 1e3:.0f} ms, fallback/batched = {tl / tb:.1f}x"
        )
    o = rank_scenario(load_scenario(ROOT / "scenarios" / "examples" / "paper_rejections.json"))
    sl = o.scenario.shortlist
    filters = [f.model_dump() for f in sl.filters]
    excl = [e.model_dump() for e in sl.exclusions]

    def brute() -> None:
        for i, f in enumerate(filters):
            if f["op"] not in (">", ">=", "<", "<="):
                continue
            col = o.countries[f["column"]].dropna()
            for t in np.linspace(col.min() - 1, col.max() + 1, 200):
                fs = [dict(g) for g in filters]
                fs[i]["value"] = float(t)
                make_shortlist(o.ranking, o.countries, sl.top_k, fs, excl)

    te = median_time(lambda: outcome_filter_sensitivity(o), a.repeats)
    tg = median_time(brute, 1)
    print(
        f"filter sensitivity, paper_rejections.json (3 filters, 2 numeric): exact {te * 1e3:.0f} ms, "
        f"200-point grid scan {tg * 1e3:.0f} ms (and only approximate), grid/exact = {tg / te:.1f}x"
    )


if __name__ == "__main__":
    main()
