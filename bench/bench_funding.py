"""Funding acceptability benchmark (issue 12 item 3): the default scenario, uniform weights.

Prints, in one run: the plain path (one PuLP model per distinct shortlist, CBC; ``fast=False``)
and the shared-model path (one HiGHS model, warm re-solves; the default) on the same samples and
seed, their ratio per sample, and the shared path on 10,000 samples (target: under 30 s); the same in
chunks in-process and on 2 local processes; and funding over tracks (the two_tracks example) plain, in
chunks here and on 2 local processes.

Usage: .venv/bin/python bench/bench_funding.py [--plain 500] [--samples 10000] [--tracks-samples 1000]
No asserts: the figures go into the closing note.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--plain", type=int, default=500, help="samples for the plain-path comparison")
    ap.add_argument("--samples", type=int, default=10_000, help="samples for the shared-model run")
    ap.add_argument("--tracks-samples", type=int, default=1_000, help="samples over tracks (0: skip)")
    args = ap.parse_args()
    from fulcrum.funding import funding_acceptability
    from fulcrum.pipeline import rank_scenario
    from fulcrum.scenario import load_scenario

    out = rank_scenario(load_scenario(ROOT / "scenarios" / "default.json"))
    funding_acceptability(out, n_samples=5, seed=0)  # imports and solver start-up out of the timings

    t0 = time.perf_counter()
    plain = funding_acceptability(out, n_samples=args.plain, seed=0, fast=False)
    tp = time.perf_counter() - t0
    t0 = time.perf_counter()
    fast = funding_acceptability(out, n_samples=args.plain, seed=0)
    tf = time.perf_counter() - t0
    same = bool(
        (plain.summary["share_funded"].to_numpy() == fast.summary["share_funded"].to_numpy()).all()
        and np.allclose(plain.summary["median_musd"], fast.summary["median_musd"], atol=1e-5, rtol=0)
    )
    print(
        f"(1) {args.plain} samples, default scenario: plain path {tp:.2f} s ({plain.n_shortlists} models built), "
        f"shared HiGHS model {tf:.2f} s; ratio {tp / tf:.1f}x; same shares and medians: {same}"
    )
    t0 = time.perf_counter()
    big = funding_acceptability(out, n_samples=args.samples, seed=0)
    tb = time.perf_counter() - t0
    print(
        f"(2) {args.samples} samples on the shared model: {tb:.2f} s (target < 30 s), "
        f"{big.n_shortlists} distinct shortlists, {big.n_solved} solved; plain path at its per-sample rate "
        f"~{tp / args.plain * args.samples:.0f} s"
    )
    from mcda.executor import InProcess, LocalProcesses

    t0 = time.perf_counter()
    here = funding_acceptability(out, n_samples=args.samples, seed=0, executor=InProcess(), chunk_size=2500)
    th = time.perf_counter() - t0
    t0 = time.perf_counter()
    there = funding_acceptability(out, n_samples=args.samples, seed=0, executor=LocalProcesses(2), chunk_size=2500)
    tt = time.perf_counter() - t0
    same = here.summary.to_csv() == there.summary.to_csv()
    print(
        f"(3) {args.samples} samples in chunks of 2,500 (mcda.executor): in-process {th:.2f} s, "
        f"2 local processes {tt:.2f} s ({th / tt:.2f}x); identical summaries: {same}"
    )
    if args.tracks_samples:
        tracks_runs(args.tracks_samples)


def tracks_runs(n: int) -> None:
    """(4) Over tracks (scenarios/examples/two_tracks.json, weights ± 20% per track): one model per distinct
    shortlist, sample by sample; plain, in chunks here, and in chunks on 2 local processes."""
    from fulcrum.funding import funding_acceptability
    from fulcrum.pipeline import rank_scenario
    from fulcrum.scenario import load_scenario
    from fulcrum.tracks import samplers_around
    from mcda.executor import InProcess, LocalProcesses

    out = rank_scenario(load_scenario(ROOT / "scenarios" / "examples" / "two_tracks.json"))
    samplers = samplers_around(out, 20)
    times, res = [], []
    for ex in (None, InProcess(), LocalProcesses(2)):
        t0 = time.perf_counter()
        kw = {} if ex is None else {"executor": ex, "chunk_size": max(1, n // 4)}
        res.append(funding_acceptability(out, samplers, n_samples=n, seed=1, **kw))
        times.append(time.perf_counter() - t0)
    same = res[1].summary.to_csv() == res[2].summary.to_csv()
    print(
        f"(4) over tracks, {n} samples (two_tracks example, ± 20% per track): plain {times[0]:.2f} s "
        f"({res[0].n_shortlists} distinct shortlists), 4 chunks here {times[1]:.2f} s, on 2 local processes "
        f"{times[2]:.2f} s ({times[1] / times[2]:.2f}x); identical summaries: {same}"
    )


if __name__ == "__main__":
    main()
