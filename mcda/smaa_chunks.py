"""SMAA as chunks for an executor (:mod:`mcda.executor`): ONE chunk function, (chunk seed, sample
count) -> the chunk's counts, so a run of millions of samples can go to local processes or a Dask
cluster and give the same numbers as in this process.

The chunk does what one pass of :func:`mcda.robustness_smaa.smaa` does (draw, score with the
batched scorer, rank, count), in blocks of ``BLOCK`` samples so memory stays flat; the counts of
the chunks are added up in chunk order. Seeds come from :func:`mcda.executor.plan`, so a chunked
run's numbers are fixed by (seed, samples, chunk size) whatever executor runs it. A weights-only
run that fits one chunk gives the plain run's numbers (its chunk draws from the plain run's
generator, in the same blocks); a longer one differs from the plain run from the second chunk on.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from mcda.executor import Chunk, Executor, plan
from mcda.robustness_batch import Progress, _notify

Counts = tuple[
    np.ndarray, np.ndarray, np.ndarray
]  # rank counts (n*n), first-rank counts (n), central-weight sums (n x m)


def smaa_chunk(chunk: Chunk, scorer: Any, sampler: Any, ties: str, values: Any = None) -> Counts:
    """Rank counts, first-rank counts and central-weight sums of one chunk's samples: blocks of ``BLOCK``
    drawn from the chunk's own generator, each counted by :func:`mcda.robustness_smaa.smaa_chunk` (the one
    place that scores, ranks and counts), added up in order."""
    from mcda.robustness_smaa import BLOCK, SMAAChunk
    from mcda.robustness_smaa import smaa_chunk as count_block

    rng = chunk.rng()
    total: SMAAChunk | None = None
    done = 0
    while done < chunk.size:
        k = min(BLOCK, chunk.size - done)
        part = count_block(scorer, sampler, rng, k, ties, values)
        if total is None:
            total = part
        else:
            total.add(part)
        done += k
    assert total is not None
    return total.counts, total.first_count, total.cw_sum


def run_chunks(
    executor: Executor,
    scorer: Any,
    sampler: Any,
    n_samples: int,
    seed: Any,
    ties: str,
    values: Any = None,
    chunk_size: int | None = None,
    progress: Progress | None = None,
) -> Counts:
    """Every chunk of a SMAA run on ``executor``, the counts added up in chunk order."""
    chunks = plan(n_samples, seed, chunk_size)
    half = 2 if values is not None else 1

    def report(done: int, total: int) -> None:
        s = sum(c.size for c in chunks[:done])
        _notify(progress, s / n_samples / half, f"SMAA on {executor.name}: {done} of {total} chunks")

    parts = executor.map(smaa_chunk, chunks, (scorer, sampler, ties, values), progress=report)
    counts, first, cw = (np.array(x, copy=True) for x in parts[0])
    for c, f, w in parts[1:]:
        counts += c
        first += f
        cw += w
    return counts, first, cw
