"""SMAA-2 (Lahdelma & Salminen 2001, Operations Research 49(3):444-454) with exact criterion values.

For weight vectors w drawn from a distribution f(w) on the simplex (see
:mod:`mcda.robustness_sampling`), with rank_i(w) the rank of alternative i:

* **rank acceptability index** ``b_i^r`` — the share of samples in which i takes rank r
  (Monte Carlo estimate; standard error sqrt(b(1-b)/N)). Each row sums to 1.
* **central weight vector** ``w_i^c`` — the mean of the sampled weight vectors for which i is
  ranked first (undefined, NaN, if i never is).
* **confidence factor** ``p_i^c`` — in SMAA-2 the probability that i is ranked first when the
  weights are its central weight vector, over the distribution of the *criterion values*.
  Here the criterion values are exact, so it is 1 if i is ranked first (ties share rank 1) at
  ``w_i^c`` and 0 otherwise (NaN when ``w_i^c`` is undefined). It is computed directly, not sampled.
* **holistic acceptability index** ``a_i^h = sum_r alpha_r b_i^r`` with meta-weights alpha
  (default SMAA-2's linear ones, ``alpha_r = (n - r) / (n - 1)``: 1 for rank 1, 0 for last).
* also: **top-k acceptability** (the share of samples in which i is among the first k — the
  natural "is it shortlisted" figure) and the **expected rank**.

With data uncertainty (``values=``, :mod:`mcda.robustness_values`) each sample also draws the
criterion values from their stated distributions, and the confidence factor becomes SMAA-2's
own: the share of ``n_samples`` value samples (drawn after the main run from the same generator)
in which i is ranked first at its central weight vector; ``confidence_top_k`` the share in which it
is among the first k. Without it every result is byte-identical to the weights-only run.

Samples are drawn and scored in blocks of ``BLOCK`` vectors, so memory stays flat whatever the
number of samples (1,000,000 samples on 33 x 15 peak well under 1 GB) and the numbers depend
only on (seed, number of samples, sampler, method), not on memory settings. One block is one call
of :func:`smaa_chunk` (generator, k) -> :class:`SMAAChunk` (rank counts, first-place counts,
central-weight sums), the unit an executor can run; totals add up chunk by chunk in order. Within a
chunk the scores come from the method's batched form (TOPSIS: one product of the squared weights
with the squared gaps, ``||w o (x - a)||^2 = (w^2) . (x - a)^2``) and the ranks are counted straight
into the counts: by the compiled kernels of :mod:`mcda.rank_kernels` one sample at a time (TOPSIS's
closeness finished in the kernel from the squared distances), or, without them, per alternative on the
whole slice (:func:`mcda.robustness_batch.counted_ranks_t`) — the same counts, first places and sums.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from mcda.errors import InputError
from mcda.limits import check_smaa_size
from mcda.rank_kernels import kernels, loaded
from mcda.robustness_batch import (
    COUNTING_MAX_N,
    BatchScorer,
    Progress,
    _notify,
    counted_ranks_t,
    ranks_from_scores,
)
from mcda.robustness_sampling import UniformSimplex, WeightSampler
from mcda.robustness_values import ValueUncertainty, sample_scores, sample_scores_many

#: weight vectors drawn and scored together (part of the seeded stream definition)
BLOCK = 20_000
#: samples scored, ranked and counted together inside a block, one task for a thread (changes no number).
#: Measured on 33 x 15 (bench/bench_robustness.py [1]): 5,000 beat 2,048 on one thread (100k samples 82 vs 94 ms)
#: and on two (10k samples: two equal tasks, 7.1-7.3 vs 7.9-9.0 ms); with the compiled kernels, 10k samples
#: on 1 / 2 threads: 2,500 7.2 / 6.0 ms, 3,334 7.0 / 5.6-6.2, 5,000 6.8-7.6 / 5.2-5.8, 10,000 7.7-8.2 / 7.8-8.3
SUB_BLOCK = 5_000
#: with data uncertainty, samples scored between two progress reports (changes no number)
VALUE_STEP = 1_000
MAX_SAMPLES = 50_000_000


def linear_meta_weights(n: int) -> np.ndarray:
    """SMAA-2's linear meta-weights alpha_r = (n - r)/(n - 1), r = 1..n (1 for first, 0 for last)."""
    if n == 1:
        return np.ones(1)
    return (n - np.arange(1, n + 1)) / (n - 1)


@dataclass
class SMAAResult:
    """Result of :func:`smaa`; DataFrames indexed by alternative id (the problem's order)."""

    acceptability: pd.DataFrame  # columns rank_1..rank_n, rows sum to 1
    central_weights: pd.DataFrame  # columns = criterion ids (NaN row if never first)
    confidence: pd.Series  # 1/0 (exact criterion values), NaN if never first
    holistic: pd.Series  # sum_r alpha_r b_i^r
    expected_rank: pd.Series
    n_samples: int
    seed: Any
    sampler: str  # describe() of the weight distribution
    method: str  # method label, e.g. topsis(normalization=vector)
    ties: str
    meta_weights: np.ndarray | None = field(repr=False, default=None)
    values: str = ""  # describe() of the data uncertainty; "" = criterion values exact
    confidence_top_k: pd.Series | None = None  # with data uncertainty and k: share of value samples in the top k
    measured_criteria: tuple[str, ...] = ()  # criteria whose values were sampled

    def top_k(self, k: int) -> pd.Series:
        """Share of samples in which each alternative is among the first k ranks."""
        if not 1 <= k <= self.acceptability.shape[1]:
            raise InputError(f"k must be between 1 and {self.acceptability.shape[1]}, got {k}", where="k")
        return self.acceptability.iloc[:, :k].sum(axis=1).rename(f"top_{k}")

    def standard_errors(self) -> pd.DataFrame:
        """Monte Carlo standard error of each acceptability index, sqrt(b (1 - b) / N)."""
        b = self.acceptability
        return pd.DataFrame(np.sqrt((b * (1 - b) / self.n_samples).to_numpy()), index=b.index, columns=b.columns)

    def to_csv_frame(self) -> pd.DataFrame:
        """``alternative, rank_1, ..., rank_n`` — the command line's output format."""
        return self.acceptability.reset_index()

    def summary(self, k: int | None = None) -> pd.DataFrame:
        """One row per alternative: rank_1 acceptability, [top_k], holistic, expected rank,
        confidence, then central weights prefixed ``cw_``; sorted by holistic acceptability."""
        cols = {"rank_1": self.acceptability["rank_1"]}
        if k is not None:
            cols[f"top_{k}"] = self.top_k(k)
        cols.update({"holistic": self.holistic, "expected_rank": self.expected_rank, "confidence": self.confidence})
        if self.confidence_top_k is not None:
            cols[str(self.confidence_top_k.name)] = self.confidence_top_k
        out = pd.DataFrame(cols)
        cw = self.central_weights.add_prefix("cw_")
        out = pd.concat([out, cw], axis=1)
        out = out.sort_values(["holistic", "rank_1"], ascending=False, kind="stable")
        return out.reset_index()

    def long(self) -> pd.DataFrame:
        """Long format for heatmaps: alternative, rank (int), acceptability."""
        df = self.acceptability.copy()
        df.columns = np.arange(1, df.shape[1] + 1)
        # pandas-stubs types stack() as Series | DataFrame; with one column level it is a Series
        out = df.stack().rename("acceptability").reset_index()  # type: ignore[call-overload]
        out.columns = ["alternative", "rank", "acceptability"]
        return out


def check_samples(n_samples: Any) -> int:
    """The number of weight samples as an int (a whole number in 1..MAX_SAMPLES), else InputError."""
    try:
        n = int(n_samples)
    except (TypeError, ValueError):
        raise InputError(f"number of samples must be a whole number, not {n_samples!r}", where="samples") from None
    if n != n_samples or n < 1:
        raise InputError(f"number of samples must be a whole number >= 1, got {n_samples}", where="samples")
    if n > MAX_SAMPLES:
        raise InputError(f"number of samples {n} is above the limit {MAX_SAMPLES}", where="samples")
    return n


@lru_cache(maxsize=16)
def rank_columns(n: int) -> pd.Index:
    """``rank_1 .. rank_n``: the acceptability table's columns (built once per size; an Index is immutable)."""
    return pd.Index([f"rank_{r}" for r in range(1, n + 1)])


def make_rng(seed: Any) -> np.random.Generator:
    """numpy's generator for ``seed``; a seed numpy refuses (negative, text, float) is bad input."""
    if isinstance(seed, (bool, float, str)):
        raise InputError(f"seed must be a whole number >= 0 (or none), got {seed!r}", where="seed")
    try:
        return np.random.default_rng(seed)
    except (TypeError, ValueError) as e:
        raise InputError(f"seed must be a whole number >= 0 (or none), got {seed!r} ({e})", where="seed") from None


@dataclass
class SMAAChunk:
    """What a chunk of SMAA samples adds up; chunks combine by :meth:`add` (integer counts, float sums)."""

    counts: np.ndarray  # (n * n,) int64: counts[i * n + r - 1] = samples in which alternative i takes rank r
    first_count: np.ndarray  # (n,) int64: samples in which i is ranked first (ties share rank 1)
    cw_sum: np.ndarray  # (n x m): sum of the weight vectors of those samples

    @classmethod
    def zeros(cls, n: int, m: int) -> SMAAChunk:
        """The empty total for n alternatives and m criteria."""
        return cls(np.zeros(n * n, dtype=np.int64), np.zeros(n, dtype=np.int64), np.zeros((n, m)))

    def add(self, other: SMAAChunk) -> None:
        """Add another chunk's counts and sums in place (add chunks in order for bit-identical sums)."""
        self.counts += other.counts
        self.first_count += other.first_count
        self.cw_sum += other.cw_sum


def smaa_chunk(
    scorer: BatchScorer,
    sampler: WeightSampler,
    rng: np.random.Generator,
    k: int,
    ties: str = "min",
    values: ValueUncertainty | None = None,
    progress: Progress | None = None,
    done: int = 0,
    n_samples: int = 0,
) -> SMAAChunk:
    """One chunk of SMAA: draw ``k`` weight vectors from ``rng``, score, rank and count them.

    The unit an executor runs: (generator, k) -> arrays. :func:`smaa` draws its chunks of ``BLOCK``
    samples one after another from one generator; an executor may give each chunk its own
    ``numpy.random.default_rng(seed)``. ``values``/``progress``/``done``/``n_samples``: the
    data-uncertainty pass and its progress reports (see :func:`smaa`).
    """
    n, m = scorer.n, sampler.m
    kernels(n_samples or k)  # load the compiled kernels for a study this size (mcda.rank_kernels)
    if values is None and n <= COUNTING_MAX_N:  # score, rank and count cache-sized slices, on every core
        counts, firsts = _count_slices(scorer, sampler.draw_parts(k, rng, SUB_BLOCK), ties)
    else:
        W = sampler.draw(k, rng)
        if values is None:
            S = scorer.scores(W, normalised=True)
        else:
            S = _value_block(scorer, values, W, values.normals(k, rng), progress, done, n_samples)
        if n <= COUNTING_MAX_N and loaded() is not None:
            counts, alt, rows = _kernel_counts(loaded(), iter([(0, S)]), False, n, k, scorer.higher_is_better, ties)
        elif n <= COUNTING_MAX_N:
            counts, alt, rows = _count_ranks(iter([(0, S)]), n, scorer.higher_is_better, ties)
        else:
            R = ranks_from_scores(S, scorer.higher_is_better, ties)  # k x n, 1-based
            counts = np.bincount(((np.arange(n) * n)[None, :] + (R - 1)).ravel(), minlength=n * n)
            rows, alt = np.nonzero(R == 1)  # several alternatives can share rank 1 under ties="min"
        firsts = [(alt, rows, W)]
    first_count, cw_sum = _first_place_sums(firsts, n, m)
    return SMAAChunk(counts.astype(np.int64, copy=False), first_count.astype(np.int64, copy=False), cw_sum)


def _first_place_sums(
    firsts: list[tuple[np.ndarray, np.ndarray, np.ndarray]], n: int, m: int
) -> tuple[np.ndarray, np.ndarray]:
    """First-place counts (n,) and central-weight sums (n x m) from (alternatives, their rows of W, W) parts
    in sample order. Each (alternative, criterion) sum adds its samples one after another in sample order
    (``bincount``, or the compiled ``add_rows``: the same bits), so the sums are the same on every executor
    and for every block size."""
    first_count = np.bincount(np.concatenate([f[0] for f in firsts]), minlength=n)
    k = loaded()
    if k is not None:
        cw_sum = np.zeros((n, m))
        for alt, rows, W in firsts:
            k.add_rows(cw_sum, alt, rows, np.ascontiguousarray(W, dtype=float))
        return first_count, cw_sum
    alt = np.concatenate([f[0] for f in firsts])
    Wr = np.concatenate([W[rows] for _, rows, W in firsts])
    bins = ((alt * m)[:, None] + np.arange(m)).ravel()
    return first_count, np.bincount(bins, weights=Wr.ravel(), minlength=n * m).reshape(n, m)


def _count_slice(scorer: BatchScorer, W: np.ndarray, ties: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Score, rank and count the samples ``W``: one task of :func:`_count_slices`.
    Returns the counts (with the rank-0 column) and the (alternative, row of ``W``) pairs at rank 1."""
    k = loaded()
    if k is None:
        S = scorer.scores(W, normalised=True)
        return _count_ranks(iter([(0, S)]), scorer.n, scorer.higher_is_better, ties, trim=False)
    pieces, closeness = scorer.kernel_input(W)
    return _kernel_counts(k, pieces, closeness, scorer.n, W.shape[0], scorer.higher_is_better, ties, trim=False)


def _kernel_counts(
    k: Any,
    pieces: Iterator[tuple[int, np.ndarray]],
    closeness: bool,
    n: int,
    s: int,
    higher_is_better: bool,
    ties: str,
    trim: bool = True,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_count_ranks` of ``s`` samples, given as (first row, block) pieces, by
    the compiled kernel (:mod:`mcda.rank_kernels`): the same counts and first places. Its pairs come sample
    by sample, not alternative by alternative; each alternative's samples are still ascending, so the
    central-weight sums add up in the same order."""
    counts = np.zeros(n * n, dtype=np.int64)
    alt, rows = np.empty(s * n, dtype=np.int64), np.empty(s * n, dtype=np.int64)  # at most: every pair ties
    first = ties == "first"
    m = 0
    for r0, X in pieces:
        X = np.ascontiguousarray(X, dtype=float)
        if closeness:
            m += k.count_closeness(X, first, counts, alt[m:], rows[m:], r0)
        else:
            m += k.count_scores(X, higher_is_better, first, counts, alt[m:], rows[m:], r0)
    if not trim:  # the numpy path's layout: a rank-0 column per alternative (callers adding parts trim)
        counts = np.hstack([np.zeros((n, 1), dtype=np.int64), counts.reshape(n, n)]).ravel()
    return counts, alt[:m].copy(), rows[:m].copy()


def _count_slices(
    scorer: BatchScorer, parts: Iterator[np.ndarray], ties: str
) -> tuple[np.ndarray, list[tuple[np.ndarray, np.ndarray, np.ndarray]]]:
    """:func:`_count_ranks` of consecutive weight parts, side by side on :func:`threads` threads: the rank
    counts and, per part in order, (alternatives at rank 1, their rows, the part) for :func:`_first_place_sums`.

    Each part goes to the pool as soon as the next is drawn, and this thread scores the last one itself
    (one thread fewer to wake for a short run); numpy and the compiled kernels let go of the GIL. The
    counts are whole numbers and the first places are put back in part order, so the result is the same,
    bit for bit, on one thread or many.
    """
    pool = _pool()
    done: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    pending = []
    kept: list[np.ndarray] = []
    held: np.ndarray | None = None  # the last part drawn: this thread scores it itself
    for W in parts:
        kept.append(W)
        if pool is None:
            done.append(_count_slice(scorer, W, ties))
        else:
            if held is not None:
                pending.append(pool.submit(_count_slice, scorer, held, ties))
            held = W
    if held is not None:
        last = _count_slice(scorer, held, ties)
        done += [f.result() for f in pending] + [last]  # in part order, whichever finished first
    n = scorer.n
    counts = np.sum([d[0] for d in done], axis=0).reshape(n, n + 1)[:, 1:].ravel()
    return counts, [(d[1], d[2], W) for d, W in zip(done, kept, strict=True)]


#: threads that score SMAA slices side by side: None = the environment's FULCRUM_THREADS, else this
#: process's cores, at most 4 (1 = no thread pool). Local worker processes set FULCRUM_THREADS=1.
THREADS: int | None = None
_POOL: Any = None


def threads() -> int:
    """How many threads score SMAA slices (:data:`THREADS`, FULCRUM_THREADS, else the cores this process may
    use, at most 4)."""
    if THREADS is not None:
        return max(1, int(THREADS))
    env = os.environ.get("FULCRUM_THREADS", "").strip()
    if env.isdigit():
        return max(1, min(64, int(env)))
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(4, cores))


def _pool() -> Any:
    """The shared thread pool (None with one thread), made on first use and resized when THREADS changes."""
    global _POOL
    t = threads()
    if t <= 1:
        return None
    if _POOL is None or _POOL._max_workers != t:
        from concurrent.futures import ThreadPoolExecutor

        _POOL = ThreadPoolExecutor(max_workers=t, thread_name_prefix="smaa")
    return _POOL


def _count_ranks(
    blocks: Iterator[tuple[int, np.ndarray]], n: int, higher_is_better: bool, ties: str, trim: bool = True
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rank counts (n*n: alternative-major), and the (alternative, sample) pairs at rank 1, of
    score blocks ``(first sample, (s x n) scores)`` given in sample order.

    The pairs come alternative by alternative, samples ascending within each block; blocks follow
    in order, so each alternative's samples stay ascending and the central-weight sums add up in
    the same order whatever the block size.
    """
    counts = np.zeros(n * (n + 1), dtype=np.int64)
    offsets = (np.arange(n, dtype=np.uint16) * (n + 1))[:, None]  # n <= COUNTING_MAX_N: fits 16 bits
    alts, rows = [], []
    for a, S in blocks:
        RT = counted_ranks_t(S, higher_is_better, ties)  # n x s, 1-based, one row per alternative
        counts += np.bincount(np.add(RT, offsets, dtype=np.uint16).ravel(), minlength=n * (n + 1))
        at = np.flatnonzero(RT == 1)
        alt = at // RT.shape[1]
        alts.append(alt)
        rows.append(at - alt * RT.shape[1] + a)
    if trim:  # drop the rank-0 column the uint16 offsets leave (callers adding parts trim their sum)
        counts = counts.reshape(n, n + 1)[:, 1:].ravel()
    return counts, np.concatenate(alts), np.concatenate(rows)


def smaa(
    problem: Any,
    sampler: WeightSampler | None = None,
    n_samples: int = 10_000,
    seed: Any = 0,
    method: Any = "topsis",
    normalization: str | None = None,
    ties: str = "min",
    meta_weights: Sequence[float] | None = None,
    progress: Progress | None = None,
    allow_loop: bool = False,
    values: ValueUncertainty | None = None,
    confidence_k: int | None = None,
    executor: Any = None,
    chunk_size: int | None = None,
    **method_options: Any,
) -> SMAAResult:
    """SMAA-2 rank acceptability, central weights, confidence and holistic acceptability.

    Parameters
    ----------
    problem : DecisionProblem.
    sampler : weight distribution (default :class:`UniformSimplex`: no preference information).
    n_samples : number of weight vectors (>= 1).
    seed : for ``numpy.random.default_rng`` (same seed -> identical numbers); None = fresh entropy.
    method, normalization, method_options : as :class:`mcda.robustness_batch.BatchScorer`
        (any registered method name, or a method object; all are batched).
    ties : ``min`` (tied alternatives share the smaller rank, as in the ranking table) or ``first``.
    meta_weights : alpha_1..alpha_n for the holistic index (default linear, see module doc).
    progress : callable(fraction, message), called after each block.
    allow_loop : bool
        Accept a method without a batched form (scored sample by sample, slow).
    values : ValueUncertainty, optional
        Sample the criterion values too (:func:`mcda.robustness_values.value_uncertainty`); None =
        exact values (the weights-only run, unchanged).
    confidence_k : int, optional
        With ``values``: also the share of value samples in which each alternative is in the top k
        at its central weights (``confidence_top_k``).
    executor, chunk_size : an :mod:`mcda.executor` executor: the samples go in chunks of ``chunk_size``
        with their own seeds (:mod:`mcda.smaa_chunks`), the same numbers on every executor. None
        (default): one generator in this process, as before.

    Returns
    -------
    SMAAResult
        Rank acceptability (rows sum to 1), central weights, confidence, holistic acceptability and
        expected rank, each indexed by alternative id in the problem's order.

    Raises
    ------
    InputError
        ``n_samples`` < 1 or above the limit, more alternatives than SMAA's limit, a sampler built
        for other criteria, ``meta_weights`` of the wrong length, or a method the batch scorer refuses.
    """
    n_samples = check_samples(n_samples)
    check_smaa_size(problem.values.shape[0])  # before the n x n counts and (BLOCK x n) blocks exist
    scorer = BatchScorer(problem, method, normalization, allow_loop=allow_loop, **method_options)
    if sampler is None:
        sampler = UniformSimplex(problem)
    if list(sampler.criterion_ids) != list(problem.criterion_ids):
        raise InputError(
            "the weight sampler's criteria do not match the problem's",
            where="sampler",
            hint="Build the sampler from the same problem.",
        )
    n, m = problem.values.shape
    if meta_weights is None:
        alpha = linear_meta_weights(n)
    else:
        alpha = np.asarray(meta_weights, dtype=float)
        if alpha.shape != (n,) or not np.isfinite(alpha).all():
            raise InputError(f"meta_weights needs {n} finite numbers (one per rank)", where="meta_weights")
    if values is not None:
        _check_values(values, problem)
    if confidence_k is not None and not (isinstance(confidence_k, (int, np.integer)) and 1 <= confidence_k <= n):
        raise InputError(f"confidence_k must be a whole number between 1 and {n}", where="confidence_k")
    rng = make_rng(seed)
    total = SMAAChunk.zeros(n, m)
    done = 0
    _notify(progress, 0.0, f"SMAA: 0 of {n_samples} samples")
    if executor is not None:  # chunked with per-chunk seeds: identical on every executor
        from mcda.smaa_chunks import run_chunks

        total = SMAAChunk(*run_chunks(executor, scorer, sampler, n_samples, seed, ties, values, chunk_size, progress))
        done = n_samples
    while done < n_samples:
        k = min(BLOCK, n_samples - done)
        total.add(smaa_chunk(scorer, sampler, rng, k, ties, values, progress, done, n_samples))
        done += k
        _notify(progress, done / n_samples / (2 if values is not None else 1), f"SMAA: {done} of {n_samples} samples")
    counts, first_count, cw_sum = total.counts, total.first_count, total.cw_sum
    alts = problem.matrix.index.rename("alternative")  # the problem's own index: no new string index to build
    B = counts.reshape(n, n) / n_samples
    acc = pd.DataFrame(B, index=alts, columns=rank_columns(n))
    with np.errstate(invalid="ignore", divide="ignore"):
        cw = cw_sum / first_count[:, None]
    cw[first_count == 0] = np.nan
    central = pd.DataFrame(cw, index=alts, columns=problem.matrix.columns.rename(None))  # an Index: no string inference
    conf = np.full(n, np.nan)
    conf_k = np.full(n, np.nan) if values is not None and confidence_k is not None else None
    have = np.flatnonzero(first_count > 0)
    if have.size and values is None:
        Wc = cw[have] / cw[have].sum(axis=1, keepdims=True)
        Rc = ranks_from_scores(scorer.scores(Wc, normalised=True), scorer.higher_is_better, "min")
        conf[have] = (Rc[np.arange(have.size), have] == 1).astype(float)
    elif have.size and values is not None:
        Wc = cw[have] / cw[have].sum(axis=1, keepdims=True)
        conf[have], top = _value_confidence(scorer, values, Wc, have, n_samples, rng, confidence_k, progress)
        if conf_k is not None:
            conf_k[have] = top
    return SMAAResult(
        acceptability=acc,
        central_weights=central,
        confidence=pd.Series(conf, index=alts, name="confidence"),
        holistic=pd.Series(B @ alpha, index=alts, name="holistic"),
        expected_rank=pd.Series(B @ np.arange(1, n + 1), index=alts, name="expected_rank"),
        n_samples=n_samples,
        seed=seed,
        sampler=sampler.describe(),
        method=scorer.label,
        ties=ties,
        meta_weights=alpha,
        values=values.describe() if values is not None else "",
        confidence_top_k=(
            pd.Series(conf_k, index=alts, name=f"confidence_top_{confidence_k}") if conf_k is not None else None
        ),
        measured_criteria=tuple(values.measured_criteria) if values is not None else (),
    )


def _value_block(
    scorer: BatchScorer,
    values: ValueUncertainty,
    W: np.ndarray,
    Z: np.ndarray,
    progress: Progress | None,
    done: int,
    n_samples: int,
) -> np.ndarray:
    """Scores of a block with the values sampled, in steps of ``VALUE_STEP`` samples so the progress
    bar moves (the draws are the block's; stepping changes no number). The main pass is the first half."""
    k = W.shape[0]
    S = np.empty((k, values.base.shape[0]))
    for a in range(0, k, VALUE_STEP):
        b = min(k, a + VALUE_STEP)
        S[a:b] = sample_scores(scorer, values, W[a:b], Z[a:b])
        _notify(progress, (done + b) / n_samples / 2, f"SMAA with sampled data: {done + b} of {n_samples} samples")
    return S


def _check_values(values: ValueUncertainty, problem: Any) -> None:
    """The value uncertainty must be built for this very problem (same ids, criteria and values)."""
    same = (
        list(values.alternatives) == [str(a) for a in problem.alternatives]
        and list(values.criterion_ids) == [str(c) for c in problem.criterion_ids]
        and values.base.shape == problem.values.shape
        and np.array_equal(values.base, problem.values)
    )
    if not same:
        raise InputError(
            "the data uncertainty was built for another problem",
            where="values",
            hint="Build it with mcda.robustness_values.value_uncertainty(problem, table) from the same problem.",
        )


def _value_confidence(
    scorer: BatchScorer,
    values: ValueUncertainty,
    Wc: np.ndarray,
    have: np.ndarray,
    n_samples: int,
    rng: np.random.Generator,
    k: int | None,
    progress: Progress | None,
) -> tuple[np.ndarray, np.ndarray | None]:
    """SMAA-2 confidence factors: over ``n_samples`` value samples, the share in which each alternative
    of ``have`` ranks first (and, with ``k``, in the top k) at its central weights ``Wc``."""
    first = np.zeros(have.size, dtype=np.int64)
    topk = np.zeros(have.size, dtype=np.int64)
    pick = np.arange(have.size)
    done = 0
    while done < n_samples:
        b = min(VALUE_STEP, n_samples - done)  # the normals in steps: the same numbers as one block
        S = sample_scores_many(scorer, values, Wc, values.normals(b, rng))  # b x h x n
        h, n = S.shape[1], S.shape[2]
        R = ranks_from_scores(S.reshape(b * h, n), scorer.higher_is_better, "min").reshape(b, h, n)
        mine = R[:, pick, have]  # b x h: rank of each alternative at its own central weights
        first += (mine == 1).sum(axis=0)
        if k is not None:
            topk += (mine <= k).sum(axis=0)
        done += b
        _notify(progress, 0.5 + done / n_samples / 2, f"SMAA confidence factors: {done} of {n_samples} value samples")
    return first / n_samples, (topk / n_samples if k is not None else None)


def shortlist_acceptability(
    problem: Any,
    k: int,
    eligible: Sequence[str] | None = None,
    sampler: WeightSampler | None = None,
    n_samples: int = 10_000,
    seed: Any = 0,
    method: Any = "topsis",
    normalization: str | None = None,
    progress: Progress | None = None,
    allow_loop: bool = False,
    values: ValueUncertainty | None = None,
    **method_options: Any,
) -> pd.DataFrame:
    """How often each alternative is in the top-k *shortlist* of the eligible alternatives.

    Like ``SMAAResult.top_k`` but with a shortlist's rules: only ``eligible`` alternatives (default
    all; e.g. :func:`mcda.robustness.eligible_alternatives` of a scenario run) can take a place,
    and ties at the cut are broken by alternative id as in :func:`mcda.shortlist.make_shortlist`.
    The same (sampler, seed, n_samples) draws the same weights as :func:`smaa`; with ``values`` (as for
    :func:`smaa`) the criterion values are sampled too, drawn as in :func:`smaa`'s main pass.

    Returns columns ``alternative, eligible, share_shortlisted, se, mean_position`` (position 1..k
    among the shortlisted, averaged over the samples that shortlist it; NaN if never).
    """
    from mcda.robustness_sweep import _check_k, _eligible_mask
    from mcda.shortlist import cut_order, id_order, top_k_mask

    n_samples = check_samples(n_samples)
    check_smaa_size(problem.values.shape[0])  # before the n x n counts and (BLOCK x n) blocks exist
    scorer = BatchScorer(problem, method, normalization, allow_loop=allow_loop, **method_options)
    if sampler is None:
        sampler = UniformSimplex(problem)
    if list(sampler.criterion_ids) != list(problem.criterion_ids):
        raise InputError("the weight sampler's criteria do not match the problem's", where="sampler")
    if values is not None:
        _check_values(values, problem)
    el = _eligible_mask(problem, eligible)
    k = _check_k(k, el)
    alts = np.asarray(problem.alternatives, dtype=object)
    n = len(alts)
    alpha_pos = id_order(alts)
    rng = make_rng(seed)
    in_count = np.zeros(n, dtype=np.int64)
    pos_sum = np.zeros(n)
    done = 0
    _notify(progress, 0.0, f"shortlist acceptability: 0 of {n_samples} samples")
    while done < n_samples:
        b = min(BLOCK, n_samples - done)
        W = sampler.draw(b, rng)
        S = (
            scorer.scores(W, normalised=True)
            if values is None
            else sample_scores(scorer, values, W, values.normals(b, rng))
        )
        R = ranks_from_scores(S, scorer.higher_is_better, "min")
        mask = top_k_mask(R, el, k, alpha_pos)
        position = np.argsort(cut_order(R, el, alpha_pos), axis=1, kind="stable") + 1
        in_count += mask.sum(axis=0)
        pos_sum += np.where(mask, position, 0).sum(axis=0)
        done += b
        _notify(progress, done / n_samples, f"shortlist acceptability: {done} of {n_samples} samples")
    share = in_count / n_samples
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_pos = np.where(in_count > 0, pos_sum / np.maximum(in_count, 1), np.nan)
    return pd.DataFrame(
        {
            "alternative": alts,
            "eligible": el,
            "share_shortlisted": share,
            "se": np.sqrt(share * (1 - share) / n_samples),
            "mean_position": mean_pos,
        }
    )
