"""The budget frontier (benefit against budget) through the one executor (:mod:`mcda.executor`): its points
in chunks, in this process, in local processes or on a Dask cluster, with the same table byte for byte.

Why what runs the points cannot change the numbers: every frontier point is a cold solve
(:func:`optimisation.model.frontier_points`: only the budgets change, and each solve builds a fresh solver
instance, no basis carried from the point before), so a point's row is a function of the model's inputs and
its budget factor alone. The factors (the spec's ``frontier``: 20 points by default) are cut into consecutive
chunks of ``chunk_size`` points (default :data:`FRONTIER_CHUNK`), fixed by the factor list and the chunk size,
never by the executor; each chunk builds its own model from the same inputs
(:func:`fulcrum.allocate.model_inputs`: plain data, sent to the worker once) and solves its points in order;
the rows come back in chunk order and the slope to the previous point is taken on the whole table. Without an
executor the plain path runs (one model, every point in turn, as before); the tests check that every executor
and chunk size gives its table byte for byte, and that each point equals a cold solve of that point alone.

A point the solver stopped at its time limit (``allocation.time_limit_s``) holds whatever the solver had when
time ran out, which no executor can make repeatable; a point solved to optimality is the same everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mcda.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

    from fulcrum.pipeline import RankingOutcome
    from mcda.executor import ChunkProgress, Executor
    from optimisation.spec import AllocationSpec

#: budget-frontier points per chunk unless the caller says otherwise (20 points: 4 chunks)
FRONTIER_CHUNK = 5


@dataclass(frozen=True)
class FrontierJob:
    """What every chunk needs: the keyword arguments of :func:`fulcrum.allocate.build_model` (one object,
    so a Dask cluster receives it once)."""

    inputs: dict[str, Any]


def frontier_chunk(factors: Sequence[float], job: FrontierJob) -> list[dict[str, Any]]:
    """One chunk of a frontier: its own model built from the job's inputs, its points solved in order
    (module level, so any executor can run it)."""
    from fulcrum.allocate import build_model
    from optimisation.model import frontier_points

    return frontier_points(build_model(**job.inputs), list(factors))


def frontier_chunks(factors: Sequence[float], chunk_size: int | None = None) -> list[list[float]]:
    """``factors`` cut into consecutive chunks of ``chunk_size`` points (default :data:`FRONTIER_CHUNK`).

    Raises
    ------
    InputError
        A chunk size that is not a whole number >= 1.
    """
    size = FRONTIER_CHUNK if chunk_size is None else chunk_size
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise InputError(f"chunk size must be a whole number >= 1, got {chunk_size!r}", where="chunk_size")
    fl = list(factors)
    return [fl[i : i + size] for i in range(0, len(fl), size)]


def outcome_frontier(
    outcome: RankingOutcome,
    spec: AllocationSpec | dict | None = None,
    *,
    factors: Sequence[float] | None = None,
    executor: Executor | None = None,
    chunk_size: int | None = None,
    progress: ChunkProgress | None = None,
) -> pd.DataFrame:
    """The efficient frontier of the allocation model of ``outcome``'s shortlist (``spec``: default the
    scenario's allocation section): :func:`optimisation.model.efficient_frontier`'s table.

    With ``executor`` (:mod:`mcda.executor`) the points go to it in chunks of ``chunk_size`` (default
    :data:`FRONTIER_CHUNK`), ``progress(done, total)`` as each chunk finishes; the table is the plain one.

    Raises
    ------
    InputError
        No allocation section, inputs that do not build, a bad factor or chunk size.
    """
    from fulcrum.allocate import model_inputs

    inputs = model_inputs(outcome, spec)
    return inputs_frontier(inputs, factors=factors, executor=executor, chunk_size=chunk_size, progress=progress)


def inputs_frontier(
    inputs: dict[str, Any],
    *,
    factors: Sequence[float] | None = None,
    executor: Executor | None = None,
    chunk_size: int | None = None,
    progress: ChunkProgress | None = None,
) -> pd.DataFrame:
    """:func:`outcome_frontier` for a model given by the keyword arguments of :func:`fulcrum.allocate.build_model`."""
    from fulcrum.allocate import build_model
    from optimisation.model import efficient_frontier, frontier_factors, frontier_table

    if executor is None:
        return efficient_frontier(build_model(**inputs), factors)
    model = build_model(**inputs)  # bad inputs: one InputError here, before any chunk is sent
    chunks = frontier_chunks(frontier_factors(model.spec, factors), chunk_size)
    parts = executor.map(frontier_chunk, chunks, (FrontierJob(inputs),), progress=progress)
    return frontier_table([row for part in parts for row in part])


__all__ = ["FRONTIER_CHUNK", "FrontierJob", "frontier_chunk", "frontier_chunks", "inputs_frontier", "outcome_frontier"]
