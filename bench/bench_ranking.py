"""Ranking benchmarks; every figure is a ratio against a baseline measured in the same run.

(1) Library TOPSIS ``.scores()`` on 33 x 15 from an already validated DecisionProblem vs plain
    vectorised numpy TOPSIS (same maths, no checks), median of many repeats. Also pymcdm's
    TOPSIS called with its own validation, for reference. Target: library <= 1.5x numpy.
(2) ``python -m mcda rank`` on a generated 100,000 x 20 CSV vs a baseline script (pandas
    read_csv, plain numpy TOPSIS, write alternative,score,rank CSV): whole-process wall time,
    median of several runs, alternating the two; wall and CPU time of each child. Target: <= 1.1x.
    Both children read compiled bytecode (as an installed command does); a last line repeats the
    CPU comparison with the toolkit compiled from source on every run (PYTHONDONTWRITEBYTECODE).

Usage: .venv/bin/python bench/bench_ranking.py [--repeats 5] [--rows 100000] [--cols 20] [--skip-cli]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mcda.methods import TOPSIS  # noqa: E402
from mcda.problem import DecisionProblem  # noqa: E402


def numpy_topsis(X: np.ndarray, w: np.ndarray, types: np.ndarray) -> np.ndarray:
    """Plain vectorised TOPSIS, vector normalisation (Hwang & Yoon), no validation."""
    V = X / np.sqrt((X * X).sum(axis=0)) * w
    vmax, vmin = V.max(axis=0), V.min(axis=0)
    benefit = types > 0
    pis = np.where(benefit, vmax, vmin)
    nis = np.where(benefit, vmin, vmax)
    dp = np.sqrt(((V - pis) ** 2).sum(axis=1))
    dm = np.sqrt(((V - nis) ** 2).sum(axis=1))
    return dm / (dp + dm)


def median_time(fn, number: int, repeat: int) -> float:
    return statistics.median(timeit.repeat(fn, number=number, repeat=repeat)) / number


def bench_small(n: int = 33, m: int = 15, repeat: int = 31) -> None:
    rng = np.random.default_rng(2022)
    X = rng.uniform(1.0, 100.0, (n, m))
    types = np.where(rng.random(m) < 0.3, -1, 1)
    w = rng.random(m)
    w /= w.sum()
    problem = DecisionProblem.from_arrays(X, types)  # validated once, outside the timing
    w_series = pd.Series(w, index=problem.criterion_ids)
    method = TOPSIS()  # vector normalisation
    assert np.allclose(method.scores(problem, w), numpy_topsis(X, w, types))

    from pymcdm import normalizations as pn
    from pymcdm.methods import TOPSIS as PymcdmTOPSIS

    pym = PymcdmTOPSIS(pn.vector_normalization)
    assert np.allclose(pym(X, w, types), numpy_topsis(X, w, types))

    number = 500
    t_np = median_time(lambda: numpy_topsis(X, w, types), number, repeat)
    t_lib = median_time(lambda: method.scores(problem, w), number, repeat)
    t_lib_s = median_time(lambda: method.scores(problem, w_series), number, repeat)

    def cold() -> np.ndarray:
        getattr(problem, "_derived", {}).clear()  # the weight-free cache emptied: normalisation paid every call
        return method.scores(problem, w)

    t_cold = median_time(cold, number, repeat)
    t_pym = median_time(lambda: pym(X, w, types), number // 10, repeat)
    t_pym_nv = median_time(lambda: pym(X, w, types, validation=False), number // 10, repeat)
    ratios = []
    for _ in range(repeat):  # back-to-back pairs in process (cpu) time: steadier when the machine is shared
        c0 = time.process_time()
        for _ in range(number):
            numpy_topsis(X, w, types)
        c1 = time.process_time()
        for _ in range(number):
            method.scores(problem, w)
        ratios.append((time.process_time() - c1) / (c1 - c0))
    print(f"(1) TOPSIS on {n} x {m}, median of {repeat} x {number} calls (the library keeps a validated problem's")
    print("    normalised matrix after the first call; the 'cache emptied' line pays for it every call)")
    print(f"    plain numpy TOPSIS (baseline)            {t_np * 1e6:8.1f} us")
    print(
        f"    library TOPSIS.scores, weights ndarray   {t_lib * 1e6:8.1f} us   "
        f"ratio {t_lib / t_np:5.2f}x (target <= 1.5x)"
    )
    print(
        f"    library TOPSIS.scores, weights ndarray   paired cpu-time ratio {statistics.median(ratios):5.2f}x "
        f"(median of {repeat} back-to-back pairs; range {min(ratios):.2f}-{max(ratios):.2f}x)"
    )
    print(f"    library TOPSIS.scores, weights Series    {t_lib_s * 1e6:8.1f} us   ratio {t_lib_s / t_np:5.2f}x")
    print(
        f"    library TOPSIS.scores, cache emptied     {t_cold * 1e6:8.1f} us   ratio {t_cold / t_np:5.2f}x "
        "(every call normalises again, as the numpy baseline does)"
    )
    print(
        f"    pymcdm TOPSIS, validation=True           {t_pym * 1e6:8.1f} us   ratio {t_pym / t_np:5.2f}x (reference)"
    )
    print(
        f"    pymcdm TOPSIS, validation=False          {t_pym_nv * 1e6:8.1f} us   "
        f"ratio {t_pym_nv / t_np:5.2f}x (reference)"
    )


BASELINE = r"""
import sys
import numpy as np
import pandas as pd
matrix_csv, criteria_csv, out_csv = sys.argv[1:4]
df = pd.read_csv(matrix_csv, index_col=0)
crit = pd.read_csv(criteria_csv, index_col="criterion")
X = df[crit.index].to_numpy(dtype=float)
w = crit["weight"].to_numpy(dtype=float); w = w / w.sum()
benefit = (crit["direction"] == "benefit").to_numpy()
V = X / np.sqrt((X * X).sum(axis=0)) * w
vmax, vmin = V.max(axis=0), V.min(axis=0)
pis = np.where(benefit, vmax, vmin); nis = np.where(benefit, vmin, vmax)
dp = np.sqrt(((V - pis) ** 2).sum(axis=1)); dm = np.sqrt(((V - nis) ** 2).sum(axis=1))
score = dm / (dp + dm)
rank = pd.Series(score).rank(method="min", ascending=False).astype(np.int64).to_numpy()
pd.DataFrame({"alternative": df.index, "score": score, "rank": rank}).to_csv(out_csv, index=False)
"""


def bench_cli(rows: int, cols: int, repeats: int) -> None:
    rng = np.random.default_rng(7)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        cids = [f"c{j + 1:02d}" for j in range(cols)]
        X = rng.uniform(1.0, 1000.0, (rows, cols)).round(4)
        matrix = tmp / "matrix.csv"
        pd.DataFrame(X, columns=cids, index=pd.Index([f"ALT{i:06d}" for i in range(rows)], name="alternative")).to_csv(
            matrix
        )
        criteria = tmp / "criteria.csv"
        pd.DataFrame(
            {
                "criterion": cids,
                "direction": ["cost" if j % 4 == 3 else "benefit" for j in range(cols)],
                "weight": rng.uniform(0.5, 2.0, cols).round(3),
            }
        ).to_csv(criteria, index=False)
        baseline = tmp / "baseline.py"
        baseline.write_text(BASELINE)
        out_cli, out_base = tmp / "cli.csv", tmp / "base.csv"
        cmd_cli = [
            sys.executable,
            "-m",
            "mcda",
            "rank",
            str(matrix),
            "--criteria",
            str(criteria),
            "--method",
            "topsis",
            "--out",
            str(out_cli),
        ]
        cmd_base = [sys.executable, str(baseline), str(matrix), str(criteria), str(out_base)]

        # Both children read compiled bytecode, as an installed command does: with PYTHONDONTWRITEBYTECODE set
        # (as in this project's shells) a source checkout would otherwise compile every module it imports on
        # every run, a cost of the checkout and not of the command. The warm-up runs write it to a private
        # folder (PYTHONPYCACHEPREFIX); the last line repeats the comparison without it.
        cached = {**os.environ, "PYTHONPYCACHEPREFIX": str(tmp / "pycache")}
        warm = {k: v for k, v in cached.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env = cached

        def run(cmd, run_env=None):
            import resource

            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            subprocess.run(cmd, check=True, cwd=ROOT, stdout=subprocess.DEVNULL, env=run_env or env)
            wall = time.perf_counter() - t0
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu_times.setdefault(id(cmd), []).append(
                (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            )
            return wall

        cpu_times: dict[int, list[float]] = {}
        run(cmd_cli, warm), run(cmd_base, warm)  # warm the file cache and write the bytecode
        cpu_times.clear()
        t_cli, t_base = [], []
        for _ in range(repeats):
            t_base.append(run(cmd_base))
            t_cli.append(run(cmd_cli))
        a = pd.read_csv(out_cli)
        b = pd.read_csv(out_base)
        assert np.allclose(a["score"], b["score"]) and (a["rank"] == b["rank"]).all(), "outputs differ"
        mc, mb = statistics.median(t_cli), statistics.median(t_base)
        cc, cb = statistics.median(cpu_times[id(cmd_cli)]), statistics.median(cpu_times[id(cmd_base)])
        print(f"(2) python -m mcda rank, TOPSIS on a {rows:,} x {cols} CSV, whole process, median of {repeats}")
        print(
            f"    baseline (pandas read_csv + numpy TOPSIS + to_csv)  {mb:6.3f} s  "
            f"(runs: {', '.join(f'{t:.2f}' for t in t_base)})"
        )
        print(
            f"    python -m mcda rank                                 {mc:6.3f} s  "
            f"(runs: {', '.join(f'{t:.2f}' for t in t_cli)})"
        )
        print(
            f"    ratio {mc / mb:5.2f}x wall, {cc / cb:5.2f}x cpu (target <= 1.1x; cpu = user+sys of the child, "
            f"steadier on a shared machine: {cc:.2f} s vs {cb:.2f} s); outputs identical"
        )
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}  # again, every module compiled from source each run
        cpu_times.clear()
        for _ in range(repeats):
            run(cmd_base), run(cmd_cli)
        cc, cb = statistics.median(cpu_times[id(cmd_cli)]), statistics.median(cpu_times[id(cmd_base)])
        print(
            f"    without compiled bytecode (a source checkout under PYTHONDONTWRITEBYTECODE): {cc / cb:5.2f}x cpu "
            f"({cc:.2f} s vs {cb:.2f} s; pandas and numpy keep their installed bytecode, the toolkit compiles)"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--cols", type=int, default=20)
    ap.add_argument("--skip-cli", action="store_true")
    args = ap.parse_args()
    bench_small()
    if not args.skip_cli:
        bench_cli(args.rows, args.cols, args.repeats)


if __name__ == "__main__":
    main()
