"""Budget frontier on the one executor (issue 12 target 4): plain (one model, in this process) against its
points in chunks in this process, in local processes and on a Dask LocalCluster, for a frontier whose points
cost seconds (bench_programme.py's large envelope programme, 100 countries: ~14,000 variables; 12 points in
chunks of 3) and for the shipped ones that cost milliseconds (the example programme, a MILP, and the default
scenario, an LP; N points in chunks of --chunk-size). Prints seconds (wall, and CPU of this process plus its
finished children) and ratios to the plain run, and whether every table is byte-identical to the plain one;
never asserts on time.

    python bench/bench_frontier.py [--points 40] [--workers 2] [--chunk-size 5] [--envelope-points 12]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fulcrum.frontier import FRONTIER_CHUNK, inputs_frontier
from fulcrum.pipeline import rank_scenario
from fulcrum.scenario import load_scenario
from mcda.executor import InProcess, LocalProcesses, make_executor

ROOT = Path(__file__).resolve().parents[1]


def _cpu() -> float:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _bytes(df) -> bytes:
    num = [c for c in df.columns if c != "status"]
    return df.to_csv(index=False).encode() + b"".join(df[c].to_numpy(float).tobytes() for c in num)


def one(name: str, path: Path, points: int, workers: int, chunk: int) -> None:
    """A shipped scenario's frontier."""
    from fulcrum.allocate import model_inputs

    _compare(name, model_inputs(rank_scenario(load_scenario(path))), points, workers, chunk)


def _compare(name: str, inputs: dict, points: int, workers: int, chunk: int) -> None:
    """Plain against chunks in this process, local processes and (if installed) a warm Dask LocalCluster."""
    factors = list(np.linspace(0.25, 2.0, points))
    runs = []

    def timed(label, fn):
        w0, c0 = time.perf_counter(), _cpu()
        df = fn()
        runs.append((label, time.perf_counter() - w0, _cpu() - c0, _bytes(df)))

    def on(ex):
        return lambda: inputs_frontier(inputs, factors=factors, executor=ex, chunk_size=chunk)

    timed("plain (one model)", lambda: inputs_frontier(inputs, factors=factors))
    timed(f"in-process, chunks of {chunk}", on(InProcess()))
    timed(f"{workers} local processes (incl. start-up)", on(LocalProcesses(workers)))
    try:
        import distributed
    except ImportError:
        distributed = None
    if distributed is not None:
        with distributed.LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cl:
            ex = make_executor(cl.scheduler_address)
            inputs_frontier(inputs, factors=factors[:1], executor=ex)  # the workers' first imports: start-up
            timed(f"Dask LocalCluster, {workers} workers (warm)*", on(ex))
            ex.close()
    base_w, want = runs[0][1], runs[0][3]
    print(f"\n{name}: {points} budget points", flush=True)
    for label, w, c, b in runs:
        print(
            f"  {label:<44} wall {w:7.2f} s ({w / base_w:5.2f}x)  CPU {c:7.2f} s  "
            f"identical to plain: {'yes' if b == want else 'NO'}"
        )
    if distributed is not None:
        print("  * CPU: this process only (the cluster's workers are still running when it is read)")


def envelope(points: int, workers: int, chunk: int, size: tuple[int, int, int] = (100, 20, 5)) -> None:
    """The large envelope programme of bench_programme.py (an LP of ~14,000 variables at the default size)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_programme import envelope_inputs

    pri, countries, types, spec = envelope_inputs(*size)
    inputs = {"priorities": pri, "countries": countries, "spec": spec, "project_types": types, "pipeline": None}
    _compare(
        f"envelope programme {size[0]} x {size[1]} x 4 bands x {size[2]} years (LP)", inputs, points, workers, chunk
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--points", type=int, default=40)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--chunk-size", type=int, default=FRONTIER_CHUNK)
    ap.add_argument("--envelope-points", type=int, default=12, help="points of the large envelope programme's frontier")
    a = ap.parse_args()
    envelope(a.envelope_points, a.workers, 3)
    one(
        "example programme (MILP)",
        ROOT / "scenarios" / "examples" / "programme.json",
        a.points,
        a.workers,
        a.chunk_size,
    )
    one("default scenario (LP)", ROOT / "scenarios" / "default.json", a.points, a.workers, a.chunk_size)
    return 0


if __name__ == "__main__":
    sys.exit(main())
