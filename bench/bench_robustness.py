"""Benchmark the robustness analysis (issue 5). Run: .venv/bin/python bench/bench_robustness.py

Prints, on a seeded random 33 x 15 TOPSIS problem (vector normalisation, 5 cost criteria):
  1. 10,000 weight samples: batched scoring + ranking time (median of repeats) and SMAA end to
     end, against a loop of pymcdm TOPSIS calls (validation=False, the fastest pymcdm path)
     measured in the same run -> ratio (targets: < 100 ms, >= 30x faster; issue 12: smaa() >= 300x);
     smaa() on this machine's threads, on one thread, and on the numpy path (FULCRUM_JIT=0, without
     the compiled kernels of mcda/rank_kernels.py) in the same run.
  2. 1,000,000 samples (SMAA, chunked): time and peak memory, measured in a fresh subprocess
     (VmHWM; also tracemalloc's peak of Python/numpy allocations) -> target < 1 GB; the compiled
     kernels are loaded first and timed on their own (a one-off per process).
  3. Funding acceptability with 500 samples on scenarios/default.json (the shipped dataset):
     time -> target < 30 s. The scenario's allocation section is used; if it has none, the
     benchmark spec below is (budgets in US$ millions, stated in the output).
  4. `python -m mcda smaa` with 2,000,000 samples against bench/smaa_numpy_baseline.py (a tight
     batched-numpy script: same CSVs, same weight draws, one matrix product per block, same table),
     whole processes alternated; wall time and CPU time (user+sys of the child: steadier on a shared
     machine), outputs byte-identical -> target <= 1.1x.
  5. Every registered method: batched scores + ranks of 2,000 samples against a loop of the plain
     single call (method.scores + rank per sample), same run; results equal to 1e-12, ranks identical.
Options: --quick (smaller sizes, for a smoke run), --skip-funding, --skip-million, --skip-cli, --skip-methods.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

BENCH_SPEC = {"budget_aid_musd": 400, "budget_investment_musd": 1200}


def make_problem(n=33, m=15, seed=2024):
    from mcda.problem import DecisionProblem

    rng = np.random.default_rng(seed)
    X = rng.uniform(1.0, 100.0, (n, m))
    types = np.ones(m, dtype=int)
    types[rng.choice(m, 5, replace=False)] = -1
    return DecisionProblem.from_arrays(X, types)


def timed(fn, repeat=7):
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return statistics.median(out)


def thread_scaling(threads: int) -> float:
    """Speed-up of a trivially parallel numpy loop (sqrt over 2M floats, 2 tasks per thread) on ``threads``
    threads against one: what this machine's cores give numpy at best, to read smaa()'s own gain against."""
    from concurrent.futures import ThreadPoolExecutor

    a = np.random.default_rng(0).random(2_000_000)

    def work(_: int) -> float:
        x = a
        for _ in range(10):
            x = np.sqrt(x + 1.0)
        return float(x[0])

    tasks = range(2 * max(1, threads))
    one = timed(lambda: [work(i) for i in tasks], repeat=3)
    with ThreadPoolExecutor(max(1, threads)) as pool:
        many = timed(lambda: list(pool.map(work, tasks)), repeat=3)
    return one / many


def bench_10k(n_samples: int) -> None:
    from mcda.robustness import BatchScorer, smaa, uniform_simplex

    problem = make_problem()
    W = uniform_simplex(n_samples, problem.shape[1], np.random.default_rng(1))
    scorer = BatchScorer(problem, "topsis", "vector")
    t_batch = timed(lambda: scorer.ranks(W))
    import mcda.robustness_smaa as rs

    smaa(problem, n_samples=n_samples, seed=1)  # the thread pool is made on first use, once per process
    t_smaa = timed(lambda: smaa(problem, n_samples=n_samples, seed=1), repeat=21)
    threads, rs.THREADS = rs.threads(), 1
    t_smaa1 = timed(lambda: smaa(problem, n_samples=n_samples, seed=1), repeat=21)  # the same on one thread
    rs.THREADS = None
    from mcda.rank_kernels import status

    kernels_status = status()
    os.environ["FULCRUM_JIT"] = "0"  # the numpy path (what smaa() ran before the compiled kernels), same run
    t_numpy = timed(lambda: smaa(problem, n_samples=n_samples, seed=1), repeat=21)
    del os.environ["FULCRUM_JIT"]

    from pymcdm import normalizations as pn
    from pymcdm.methods import TOPSIS as PTOPSIS

    X, types = problem.values, problem.types
    pt = PTOPSIS(pn.vector_normalization)
    # check the baseline computes the same thing on a few vectors (pymcdm's vector normalisation
    # of cost criteria is 1 - x/||x||, as ours)
    ours = scorer.scores(W[:5])
    theirs = np.array([pt(X, w, types, validation=False) for w in W[:5]])
    assert np.allclose(ours, theirs, atol=1e-12), "pymcdm baseline disagrees"
    from mcda.methods import rank_scores

    t0 = time.perf_counter()
    for w in W:
        rank_scores(pt(X, w, types, validation=False))
    t_loop = time.perf_counter() - t0
    # on a shared machine the load changes within seconds: also pair each smaa() run with a slice of
    # the loop run right after it (1/10 of the samples, times 10) and take the median of the pair ratios
    pairs, cpu_pairs = [], []
    part = W[: max(1, n_samples // 10)]
    for _ in range(7):
        t0, c0 = time.perf_counter(), time.process_time()
        smaa(problem, n_samples=n_samples, seed=1)
        t_s, c_s = time.perf_counter() - t0, time.process_time() - c0
        t0, c0 = time.perf_counter(), time.process_time()
        for w in part:
            rank_scores(pt(X, w, types, validation=False))
        scale = n_samples / len(part)
        pairs.append((time.perf_counter() - t0) * scale / t_s)
        cpu_pairs.append((time.process_time() - c0) * scale / c_s)
    print(f"[1] {n_samples:,} samples on 33 x 15, TOPSIS (vector); load {os.getloadavg()[0]:.1f}:")
    print(f"    batched scores + ranks     {t_batch * 1e3:8.1f} ms  (median of 7)")
    print(
        f"    smaa() end to end          {t_smaa * 1e3:8.1f} ms  "
        "(median of 21: sampling, scoring, ranks, acceptability, central weights)"
    )
    print(f"    loop of pymcdm TOPSIS      {t_loop * 1e3:8.1f} ms  (validation=False, + rank per call)")
    print(f"    ratio loop / batched       {t_loop / t_batch:8.1f} x   (target >= 30x, batched < 100 ms)")
    print(
        f"    ratio loop / smaa()        {t_loop / t_smaa:8.1f} x   (target >= 300x; {threads} threads: "
        "this machine's cores, FULCRUM_THREADS)"
    )
    print(f"    same, smaa() on 1 thread   {t_loop / t_smaa1:8.1f} x   ({t_smaa1 * 1e3:.1f} ms)")
    print(
        f"    same, numpy path           {t_loop / t_numpy:8.1f} x   ({t_numpy * 1e3:.1f} ms, {threads} threads, "
        f"FULCRUM_JIT=0; smaa() above counted with: {kernels_status})"
    )
    print(
        f"    this machine's threads     {thread_scaling(threads):8.2f} x   (a plain numpy loop on {threads} threads "
        "vs one: the most threads can give here)"
    )
    print(
        f"    paired ratio loop / smaa() {statistics.median(pairs):8.1f} x   (median of 7 back-to-back pairs; "
        f"range {min(pairs):.0f}-{max(pairs):.0f}x)"
    )
    print(
        f"    same pairs, cpu time       {statistics.median(cpu_pairs):8.1f} x   (process time: steadier when the "
        f"machine is shared; range {min(cpu_pairs):.0f}-{max(cpu_pairs):.0f}x)"
    )


CHILD = r"""
import json, resource, sys, time, tracemalloc
sys.path.insert(0, {root!r})
sys.path.insert(0, {bench!r})
from bench_robustness import make_problem
from mcda.robustness import smaa
problem = make_problem()
def hwm_kb():
    # this process's own peak RSS (VmHWM): ru_maxrss would also count the parent's RSS at the fork
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
base = hwm_kb()
from mcda.rank_kernels import kernels, status
t0 = time.perf_counter()
kernels()  # numba's start-up and the cached kernels, once per process: timed on its own
load = time.perf_counter() - t0
loaded_kb = hwm_kb()
trace = {trace}
if trace:
    tracemalloc.start()
t0 = time.perf_counter()
res = smaa(problem, n_samples={n}, seed=1)
dt = time.perf_counter() - t0
peak_tm = tracemalloc.get_traced_memory()[1] if trace else None
peak = hwm_kb()
rows_ok = bool(abs(res.acceptability.sum(axis=1) - 1).max() < 1e-12)
out = {{"seconds": dt, "maxrss_kb": peak, "baseline_kb": base, "tracemalloc_peak": peak_tm, "rows_ok": rows_ok,
        "load_seconds": load, "loaded_kb": loaded_kb, "status": status()}}
print(json.dumps(out))
"""


def bench_million(n_samples: int) -> None:
    out = {}
    for trace in (False, True):
        code = CHILD.format(root=str(ROOT), bench=str(ROOT / "bench"), n=n_samples, trace=trace)
        r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
        if r.returncode != 0:
            print(r.stderr)
            raise SystemExit(1)
        out[trace] = json.loads(r.stdout.strip().splitlines()[-1])
    a, b = out[False], out[True]
    print(f"[2] {n_samples:,} samples on 33 x 15, TOPSIS (vector), smaa() in a fresh process:")
    print(f"    time                       {a['seconds']:8.2f} s  (counted with: {a['status']})")
    print(f"    loading the kernels first  {a['load_seconds']:8.2f} s  (once per process: numba, the cached code)")
    print(
        f"    peak RSS (VmHWM)           {a['maxrss_kb'] / 1024:8.1f} MB  (after imports, before smaa: "
        f"{a['baseline_kb'] / 1024:.1f} MB, with the kernels loaded {a['loaded_kb'] / 1024:.1f} MB; target < 1024 MB)"
    )
    print(
        f"    tracemalloc peak           {b['tracemalloc_peak'] / 2**20:8.1f} MB  (allocations during smaa; "
        f"time with tracing {b['seconds']:.2f} s)"
    )
    print(f"    rows sum to 1              {a['rows_ok']}")


def bench_funding(n_samples: int) -> None:
    from fulcrum.funding import funding_acceptability
    from fulcrum.pipeline import rank_scenario
    from fulcrum.scenario import load_scenario
    from mcda.robustness import AroundWeights, UniformSimplex

    path = ROOT / "scenarios" / "default.json"
    t0 = time.perf_counter()
    outcome = rank_scenario(load_scenario(path))
    t_rank = time.perf_counter() - t0
    spec = outcome.scenario.allocation
    spec_note = "the scenario's allocation section"
    if spec is None:
        spec = BENCH_SPEC
        spec_note = f"benchmark spec {BENCH_SPEC} (the scenario has no allocation section)"
    print(
        f"[3] funding acceptability, {n_samples} samples, {path.relative_to(ROOT)} "
        f"({outcome.problem.shape[0]} x {outcome.problem.shape[1]}, {outcome.scenario.method.name}, "
        f"top {outcome.scenario.shortlist.top_k}); allocation: {spec_note}; ranking {t_rank * 1e3:.0f} ms"
    )
    for label, sampler in (
        ("spread 20% around the planner's weights", AroundWeights(outcome.problem, outcome.weights, 20)),
        ("uniform on the simplex", UniformSimplex(outcome.problem)),
    ):
        res = funding_acceptability(outcome, sampler, n_samples=n_samples, seed=1, spec=spec)
        print(
            f"    {label:40s} {res.seconds:6.2f} s  ({res.n_shortlists} distinct shortlists = models built, "
            f"{res.n_solved} solved, {res.n_infeasible} infeasible; target < 30 s)"
        )


def write_smaa_inputs(folder: Path) -> tuple[Path, Path]:
    """The 33 x 15 benchmark problem as the command line's two CSVs."""
    import pandas as pd

    problem = make_problem()
    cids = [f"C{j + 1}" for j in range(problem.shape[1])]
    alts = pd.Index([f"A{i:02d}" for i in range(problem.shape[0])], name="alternative")
    matrix, criteria = folder / "matrix.csv", folder / "criteria.csv"
    pd.DataFrame(problem.values, index=alts, columns=cids).to_csv(matrix)
    directions = np.where(problem.types > 0, "benefit", "cost")
    pd.DataFrame({"criterion": cids, "direction": directions, "weight": 1.0}).to_csv(criteria, index=False)
    return matrix, criteria


def run_child(cmd: list[str]) -> tuple[float, float]:
    """Wall and CPU (user + sys) seconds of one child process."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def bench_cli_smaa(n_samples: int, repeats: int) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        matrix, criteria = write_smaa_inputs(folder)
        out_cli, out_base = folder / "cli.csv", folder / "base.csv"
        seed = "1"
        cli = [sys.executable, "-m", "mcda", "smaa", str(matrix), "--criteria", str(criteria)]
        cli += ["--samples", str(n_samples), "--seed", seed, "--out", str(out_cli)]
        base = [sys.executable, str(ROOT / "bench" / "smaa_numpy_baseline.py"), str(matrix), str(criteria)]
        base += [str(out_base), str(n_samples), seed]
        run_child(cli), run_child(base)  # warm the file cache
        t_cli, t_base, t_mm = [], [], []
        for _ in range(repeats):
            t_base.append(run_child(base))
            t_mm.append(run_child([*base, "matmul"]))
            t_cli.append(run_child(cli))
        same = out_cli.read_bytes() == out_base.read_bytes()
        assert same, "the command line and the baseline script wrote different tables"
    wc = statistics.median(t[0] for t in t_cli)
    cc = statistics.median(t[1] for t in t_cli)
    we, ce = statistics.median(t[0] for t in t_base), statistics.median(t[1] for t in t_base)
    wm, cm = statistics.median(t[0] for t in t_mm), statistics.median(t[1] for t in t_mm)
    wb, cb = min(we, wm), min(ce, cm)  # the faster of the two baseline forms, per measure
    print(f"[4] python -m mcda smaa, {n_samples:,} samples on 33 x 15 TOPSIS, whole process, median of {repeats}:")
    print(f"    baseline bench/smaa_numpy_baseline.py einsum  wall {we:6.2f} s   cpu {ce:6.2f} s")
    print(f"    baseline bench/smaa_numpy_baseline.py @       wall {wm:6.2f} s   cpu {cm:6.2f} s")
    print(f"    python -m mcda smaa                           wall {wc:6.2f} s   cpu {cc:6.2f} s")
    print(
        f"    ratio to the faster baseline: wall {wc / wb:5.2f}x, cpu {cc / cb:5.2f}x (target <= 1.1x); "
        f"tables byte-identical: {same}"
    )


def bench_methods(n_samples: int) -> None:
    from mcda.methods import METHODS, get_method
    from mcda.robustness import BatchScorer, uniform_simplex
    from mcda.robustness_batch import ranks_from_scores

    problem = make_problem()
    W = uniform_simplex(n_samples, problem.shape[1], np.random.default_rng(3))
    print(f"[5] every registered method, {n_samples:,} samples on 33 x 15: batched scores + ranks vs a loop of")
    print("    the plain single call (method.scores + rank per sample), same run")
    for name in METHODS:
        method = get_method(name)
        scorer = BatchScorer(problem, method)

        def loop(method=method) -> np.ndarray:
            return np.array([method.scores(problem, w) for w in W])

        def batched(scorer=scorer) -> np.ndarray:
            return scorer.scores(W)  # rows validated and normalised as the single call does

        plain, fast = loop(), batched()
        assert np.allclose(plain, fast, rtol=0, atol=1e-12), f"{name}: batched scores differ"
        hib = method.higher_is_better
        assert np.array_equal(ranks_from_scores(plain, hib), ranks_from_scores(fast, hib)), f"{name}: ranks differ"
        t_loop = timed(lambda loop=loop, hib=hib: ranks_from_scores(loop(), hib), repeat=3)
        t_fast = timed(lambda batched=batched, hib=hib: ranks_from_scores(batched(), hib), repeat=7)
        form = "own batched form" if scorer.vectorised else "generic fallback"
        print(
            f"    {name:12s} loop {t_loop * 1e3:9.1f} ms   batched {t_fast * 1e3:8.2f} ms   "
            f"ratio {t_loop / t_fast:7.1f}x  ({form}; equal to 1e-12, same ranks)"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--skip-funding", action="store_true")
    ap.add_argument("--skip-million", action="store_true")
    ap.add_argument("--skip-cli", action="store_true")
    ap.add_argument("--skip-methods", action="store_true")
    ap.add_argument("--repeats", type=int, default=3, help="runs of each process in [4] (default 3)")
    a = ap.parse_args()
    import os

    print(f"python {sys.version.split()[0]}, numpy {np.__version__}, {os.cpu_count()} cpu(s)")
    bench_10k(2_000 if a.quick else 10_000)
    if not a.skip_million:
        bench_million(50_000 if a.quick else 1_000_000)
    if not a.skip_funding:
        bench_funding(30 if a.quick else 500)
    if not a.skip_cli:
        bench_cli_smaa(100_000 if a.quick else 2_000_000, 1 if a.quick else a.repeats)
    if not a.skip_methods:
        bench_methods(300 if a.quick else 2_000)


if __name__ == "__main__":
    main()
