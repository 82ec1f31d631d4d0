"""A batch of scenario files run through the one executor (:mod:`mcda.executor`): ``fulcrum run A.json B.json
--out DIR [--scheduler WHERE] [--chunk-size N]`` writes each scenario's outputs to ``DIR/<file name without
.json>/``, the same bytes as ``fulcrum run A.json --out DIR/A`` would write.

The scenarios are cut into chunks of ``chunk_size`` files (default 1) in the order given; a chunk runs its
scenarios one after another wherever the executor puts it (this process, a local process, a Dask worker),
each into a private temporary folder, and sends back every file's bytes. This process then writes them, each
scenario's folder replaced as a whole (:func:`fulcrum.atomic.atomic_output_dir`), in the order given. So the
outputs do not depend on what ran them, and a cluster's workers need read access to the scenario files (and
the data they name) at the same paths, but no write access to DIR.

A scenario that fails (bad input, an infeasible or unsolved allocation, a bug) does not stop the others:
its line on stderr names it, and the batch's exit status is the first non-zero status in the order given.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mcda.errors import InputError

EXIT_OK, EXIT_INTERNAL, EXIT_BAD_INPUT, EXIT_INFEASIBLE, EXIT_SOLVER_FAILED = 0, 1, 2, 3, 4


@dataclass
class ScenarioRun:
    """What one scenario of a batch produced: its files' bytes (by name, in the order written), the lines
    ``fulcrum run`` prints for it after the file paths, its exit status and the error line if it failed."""

    scenario: str
    files: dict[str, bytes] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)
    code: int = EXIT_OK
    message: str = ""


def out_names(paths: Sequence[str]) -> list[str]:
    """The output folder name of each scenario (its file name without ``.json``); InputError if two share one."""
    names = [Path(p).name.removesuffix(".json") or Path(p).name for p in paths]
    seen: dict[str, str] = {}
    for p, n in zip(paths, names, strict=True):
        if n in seen:
            raise InputError(
                f"scenarios '{seen[n]}' and '{p}' would write to the same folder '{n}'",
                where="scenario",
                hint="Give the scenario files different names.",
            )
        seen[n] = p
    return names


def run_one(scenario: str, with_allocation: bool) -> ScenarioRun:
    """Run one scenario into a private temporary folder and return its outputs (never raises)."""
    from fulcrum.cli import one_line

    res = ScenarioRun(scenario)
    try:
        from fulcrum.asof import stdout_lines
        from fulcrum.run import run_scenario_to_dir
        from fulcrum.tracks import track_picks_lines

        with tempfile.TemporaryDirectory(prefix="fulcrum-batch-") as tmp:
            out = Path(tmp) / "out"
            result = run_scenario_to_dir(scenario, out, with_allocation=with_allocation)
            res.files = {p.name: p.read_bytes() for p in result.files}
        res.lines = [*stdout_lines(result.outcome.as_of, result.outcome.data_notes), *track_picks_lines(result.outcome)]
        if result.infeasible:
            res.code, res.message = EXIT_INFEASIBLE, f"allocation infeasible: {result.message}"
        elif result.solver_failed:
            res.code, res.message = EXIT_SOLVER_FAILED, f"allocation not solved: {result.message}"
    except (InputError, OSError, json.JSONDecodeError) as e:  # bad input, as fulcrum.cli.run_guarded has it
        res.code, res.message = EXIT_BAD_INPUT, f"error: {one_line(e)}"
    except Exception as e:  # noqa: BLE001 - a bug in one scenario must not lose the others' outputs
        res.code, res.message = EXIT_INTERNAL, f"internal error: {type(e).__name__}: {one_line(e)}"
    return res


def run_chunk(chunk: Sequence[str], with_allocation: bool) -> list[ScenarioRun]:
    """One chunk of a batch: its scenarios in order (module level, so any executor can run it)."""
    return [run_one(s, with_allocation) for s in chunk]


def run_batch(
    scenarios: Sequence[str],
    out_dir: str | Path,
    executor: Any = None,
    chunk_size: int | None = None,
    with_allocation: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> list[tuple[Path, ScenarioRun]]:
    """Run every scenario on ``executor`` (default: this process) and write each to ``out_dir/<name>/``.

    Returns each scenario's folder and run, in the order given. A folder is written only for a scenario
    that produced files (a refused scenario leaves its folder as it was).
    """
    from fulcrum.atomic import atomic_output_dir, resolve_out
    from mcda.executor import InProcess
    from mcda.export import write_atomic

    size = 1 if chunk_size is None else chunk_size
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise InputError(f"chunk size must be a whole number >= 1, got {chunk_size!r}", where="chunk_size")
    names = out_names(scenarios)
    out = Path(out_dir)
    for name in names:  # refuse an unusable output folder before the work
        resolve_out(out / name)
    chunks = [list(scenarios[i : i + size]) for i in range(0, len(scenarios), size)]
    ex = executor if executor is not None else InProcess()
    parts = ex.map(run_chunk, chunks, (with_allocation,), progress=progress)
    runs = [r for part in parts for r in part]
    done: list[tuple[Path, ScenarioRun]] = []
    for name, run in zip(names, runs, strict=True):
        folder = out / name
        if run.files:
            with atomic_output_dir(folder) as tmp:
                for fname, data in run.files.items():
                    write_atomic(tmp / fname, data)
        done.append((folder, run))
    return done


__all__ = ["ScenarioRun", "out_names", "run_batch", "run_chunk", "run_one"]
