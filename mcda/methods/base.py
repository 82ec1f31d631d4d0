"""The contract every ranking method implements, and the helpers they share.

A method lives in one module of :mod:`mcda.methods` and has two parts:

1. **A pure scoring function** (module level, numpy in, numpy out, no validation, no pandas):
   the weight-free arrays of the problem (e.g. the normalised matrix) and one normalised weight
   vector ``w`` -> the ``(n,)`` scores. Optionally a **batched form** of it: a ``(s x m)`` block
   of weight vectors -> ``(s x n)`` scores in a few matrix products.
2. **A class** (subclass of :class:`RankingMethod`) that validates and explains:

   ``prepare(problem) -> Prepared``
       checks the data against what the method needs (values > 0, thresholds, bounds, ...) and
       computes everything that does not depend on the weights, once. Raises InputError.
   ``score_prepared(prepared, w) -> ndarray``
       calls the pure scoring function (``w`` already validated and normalised).
   ``batch_scores(prepared, W) -> ndarray``  (optional)
       the vectorised form for S weight vectors. Not overridden: the generic fallback
       :func:`loop_batch_scores` calls ``score_prepared`` once per row — correct for every
       method, merely slower. Either way the result equals single calls to 1e-12 (tested for
       every registered method in ``tests/mcda/test_methods_batch.py``).
   ``_compute(X, types, w, cids) -> dict``
       score, ``contrib`` (n x m, the per-criterion contributions) and the intermediate arrays
       that ``_tables`` turns into the ``explain`` tables.

The public interface built on these (do not override): ``scores(problem, weights)`` (fast path:
validate weights, prepare, score), ``rank(problem, weights)`` (DataFrame ``alternative, score,
rank, method, contrib_<criterion>...`` sorted by rank; ties share the smallest rank),
``explain(problem, weights)`` (dict of DataFrames: ``about``, ``weights``, every intermediate
table, ``result``) and ``verbose(problem, weights)`` (the same as text, like pymcdm's
``verbose=True``).

Declarations each class makes (read by the app, the reports and the property tests):

* ``name`` (command-line name), ``description`` (one line), ``aliases``, ``reference``;
* ``higher_is_better`` (False for VIKOR's Q and SPOTIS's distance);
* ``contribution_meaning``, ``contribution_baseline``, ``contributions_sum_to`` — the identity
  the contributions satisfy: ``baseline + sum_j contrib_j == <contributions_sum_to>``;
* the properties it promises, each tested on random problems for every registered method:
  ``dominance`` (an alternative at least as good on every criterion never scores worse),
  ``permutation_invariant`` (reordering alternatives or criteria reorders the scores only),
  ``zero_weight_ignored`` (a criterion weighted 0 can take any values) and ``scale_invariant``
  (multiplying one criterion's column by c > 0 changes nothing; may depend on the options,
  e.g. PROMETHEE thresholds or SPOTIS bounds are in the data's units).

Weights may be a pandas Series indexed by criterion id (any order), a Mapping, or a sequence /
ndarray aligned to ``problem.criterion_ids``; :func:`prepare_weights` validates them with the
project's one weight validator (:mod:`mcda.weight_check`) and normalises them to sum 1.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from mcda.errors import InputError
from mcda.weight_check import weight_vector

__all__ = ["Prepared", "RankingMethod", "loop_batch_scores", "matmul", "prepare_weights", "rank_scores"]

#: weight-free arrays a method prepares once per problem (name -> array or option value)
Prepared = dict[str, Any]

#: up to this many criteria, weight-matrix products go to BLAS in one-thread row slices (see matmul)
EINSUM_MAX_M = 48
#: OpenBLAS runs a product of at most this many multiply-adds on the calling thread
BLAS_ONE_THREAD_MNK = 4 * 65_536


# ---------------------------------------------------------------------------------------------
# helpers shared by the methods
# ---------------------------------------------------------------------------------------------
def prepare_weights(weights: Any, problem: Any) -> np.ndarray:
    """Weights as a float array aligned to ``problem.criterion_ids``, validated, summing to 1.

    Parameters
    ----------
    weights : pandas.Series, Mapping, sequence or numpy.ndarray
        By criterion id (Series / Mapping, any order) or in criterion order.
    problem : DecisionProblem
        The validated problem the weights are for.

    Returns
    -------
    numpy.ndarray
        float64 ``(m,)`` summing to 1.

    Raises
    ------
    InputError
        From :func:`mcda.weight_check.weight_vector` (the one weight validator).
    """
    cols = problem.matrix.columns
    if isinstance(weights, pd.Series) and weights.index.equals(cols):  # fast path: already aligned
        weights = weights.to_numpy()
    return weight_vector(weights, cols)


def rank_scores(scores: np.ndarray, higher_is_better: bool = True, ties: str = "min", decimals: int = 12) -> np.ndarray:
    """Ranks (1 = best) of a score vector.

    Parameters
    ----------
    scores : numpy.ndarray
        ``(n,)`` scores.
    higher_is_better : bool
        False for methods whose score is a distance or a regret (VIKOR, SPOTIS).
    ties : {"min", "average"}
        Tied alternatives share the smallest rank (``min``) or the mean of their ranks.
    decimals : int
        Scores equal to this many decimals tie (round-off must not split a tie).

    Returns
    -------
    numpy.ndarray
        int ranks (``min``) or float ranks (``average``).
    """
    key = np.round(np.asarray(scores, dtype=float), decimals)
    if higher_is_better:
        key = -key
    if ties == "min" and key.ndim == 1 and key.size:
        # one sort, then each run of equal keys takes its first position (= searchsorted left, +1)
        order = np.argsort(key, kind="stable")
        sk = key[order]
        start = np.ones(sk.size, dtype=bool)
        np.not_equal(sk[1:], sk[:-1], out=start[1:])
        start[1:] &= ~(np.isnan(sk[1:]) & np.isnan(sk[:-1]))  # NaNs sort last and tie, as searchsorted has them
        first = np.where(start, np.arange(1, sk.size + 1), 0)
        np.maximum.accumulate(first, out=first)
        ranks = np.empty(sk.size, dtype=first.dtype)
        ranks[order] = first
        return ranks
    s = np.sort(key)
    lo = np.searchsorted(s, key, side="left") + 1
    if ties == "min":
        return lo
    hi = np.searchsorted(s, key, side="right")
    return (lo + hi) / 2.0


def matmul(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """``A @ B`` for the batched forms: BLAS on row slices small enough to run on one thread.

    OpenBLAS hands a product to its thread pool when m*n*k exceeds 4 x 65,536 (GEMM_MULTITHREAD_
    THRESHOLD x SMP_THRESHOLD_MIN, interface/gemm.c); its idle threads then spin after the call and
    slow the element-wise work that follows on a busy 2-core machine (measured: ~2x, and 15x the
    CPU time). Slices under that size stay on the calling thread: 3x faster than numpy's einsum
    loop for (10,000 x 15) @ (15 x 66). With many criteria the whole product goes to BLAS.
    """
    rows = _piece_rows(A, B)
    if A.shape[0] <= rows:
        return A @ B
    out = np.empty((A.shape[0], B.shape[1]), dtype=np.result_type(A, B))
    for a in range(0, A.shape[0], rows):
        np.matmul(A[a : a + rows], B, out=out[a : a + rows])
    return out


def _piece_rows(A: np.ndarray, B: np.ndarray) -> int:
    """Rows of ``A`` per BLAS call in :func:`matmul` (all of them with many criteria)."""
    k, n = A.shape[1], B.shape[1]
    if k > EINSUM_MAX_M:
        return max(1, A.shape[0])
    return max(1, BLAS_ONE_THREAD_MNK // max(1, k * n))


def matmul_pieces(A: np.ndarray, B: np.ndarray) -> Iterator[tuple[int, np.ndarray]]:
    """``A @ B`` as (first row, rows) pieces — :func:`matmul`'s own pieces, so the same bits — written one
    after another into one reused cache-sized buffer: for a consumer that finishes each piece before the
    next (SMAA's compiled rank counter), instead of an ``(s x n)`` block in memory."""
    rows = min(_piece_rows(A, B), max(1, A.shape[0]))
    buf = np.empty((rows, B.shape[1]), dtype=np.result_type(A, B))
    for a in range(0, A.shape[0], rows):
        b = min(A.shape[0], a + rows)
        if b - a == A.shape[0]:  # one piece: matmul's own single call
            yield a, np.matmul(A, B, out=buf)
        else:
            yield a, np.matmul(A[a:b], B, out=buf[: b - a])


def loop_batch_scores(method: RankingMethod, prepared: Prepared, W: np.ndarray) -> np.ndarray:
    """The generic batched fallback: the pure scoring function once per weight row.

    Parameters
    ----------
    method : RankingMethod
        Any method (its ``score_prepared`` is called).
    prepared : Prepared
        ``method.prepare(problem)``.
    W : numpy.ndarray
        ``(s x m)`` validated, normalised weight vectors.

    Returns
    -------
    numpy.ndarray
        ``(s x n)`` scores, row k equal to ``method.score_prepared(prepared, W[k])``.
    """
    rows = [np.asarray(method.score_prepared(prepared, w), dtype=float) for w in W]
    if not rows:
        return np.empty((0, 0))
    return np.vstack(rows)


def derived(problem: Any, key: Any, compute: Callable[[], np.ndarray]) -> np.ndarray:
    """``problem.derived(key, compute)``: a weight-free array computed once per validated problem (a
    problem-like object without that cache computes it every time)."""
    if hasattr(problem, "derived"):
        return np.asarray(problem.derived(key, compute))
    return compute()


def frame(a: np.ndarray, rows: Sequence[str], cols: Sequence[str] | str) -> pd.DataFrame:
    """A 2-D array as a DataFrame (or a 1-D one as a single named column) for ``explain``."""
    if isinstance(cols, str):
        return pd.DataFrame({cols: a}, index=pd.Index(rows))
    return pd.DataFrame(a, index=pd.Index(rows), columns=list(cols))


def per_criterion_option(option: Any, cids: list[str], name: str, default: Any = None) -> list[Any]:
    """Expand a scalar / list / {criterion id: value} method option to one value per criterion."""
    if option is None:
        return [default] * len(cids)
    if isinstance(option, Mapping):
        unknown = [k for k in option if str(k) not in cids]
        if unknown:
            raise InputError(f"{name} given for unknown criterion: {', '.join(map(str, unknown))}", where=name)
        opt = {str(k): v for k, v in option.items()}
        return [opt.get(c, default) for c in cids]
    if isinstance(option, (str, int, float, np.integer, np.floating)):
        return [option] * len(cids)
    vals = list(option)
    if len(vals) != len(cids):
        raise InputError(f"{name} needs one value per criterion ({len(cids)}), got {len(vals)}", where=name)
    return vals


# ---------------------------------------------------------------------------------------------
# the contract
# ---------------------------------------------------------------------------------------------
class RankingMethod:
    """Base class of every ranking method; see the module docstring for the contract.

    A subclass that only implements ``_compute`` (score and contributions from the raw matrix)
    works everywhere — single calls, ranking tables, SMAA and sweeps (by the generic fallback).
    """

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    aliases: ClassVar[tuple[str, ...]] = ()
    reference: ClassVar[str] = ""
    higher_is_better: ClassVar[bool] = True
    contribution_meaning: ClassVar[str] = ""
    #: the contributions satisfy  baseline + sum_j contrib_j == <contributions_sum_to>
    contribution_baseline: ClassVar[float] = 0.0
    contributions_sum_to: ClassVar[str] = "score"
    #: captions of the explain tables (name -> caption) for ``verbose``
    captions: ClassVar[dict[str, str]] = {}
    # properties the method promises (tested for every registered method)
    dominance: ClassVar[bool] = True
    permutation_invariant: ClassVar[bool] = True
    zero_weight_ignored: ClassVar[bool] = True

    # -- declarations that may depend on the options ----------------------------------------
    @property
    def scale_invariant(self) -> bool:
        """Whether multiplying one criterion's column by c > 0 leaves every score unchanged."""
        return True

    @property
    def has_batch_form(self) -> bool:
        """Whether the class has its own vectorised ``batch_scores`` (else the generic loop)."""
        return type(self).batch_scores is not RankingMethod.batch_scores

    # -- public interface --------------------------------------------------------------------
    def scores(self, problem: Any, weights: Any) -> np.ndarray:
        """Scores of every alternative (fast path: numpy only, no pandas tables).

        Parameters
        ----------
        problem : DecisionProblem
            Validated decision problem.
        weights : pandas.Series, Mapping, sequence or numpy.ndarray
            Criterion weights (normalised here; see :func:`prepare_weights`).

        Returns
        -------
        numpy.ndarray
            ``(n,)`` scores in the problem's alternative order.
        """
        w = prepare_weights(weights, problem)
        return self.score_prepared(self.prepare(problem), w)

    def rank(self, problem: Any, weights: Any) -> pd.DataFrame:
        """The ranking table: ``alternative, score, rank, method, contrib_<criterion>...``.

        Parameters
        ----------
        problem : DecisionProblem
            Validated decision problem.
        weights : pandas.Series, Mapping, sequence or numpy.ndarray
            Criterion weights.

        Returns
        -------
        pandas.DataFrame
            Sorted by rank (1 = best; ties share the smallest rank).
        """
        w = prepare_weights(weights, problem)
        res = self._compute(problem.values, problem.types, w, problem.criterion_ids)
        return self._rank_frame(res, problem.alternatives, problem.criterion_ids)

    def explain(self, problem: Any, weights: Any) -> dict[str, pd.DataFrame]:
        """Every intermediate table of the computation.

        Parameters
        ----------
        problem : DecisionProblem
            Validated decision problem.
        weights : pandas.Series, Mapping, sequence or numpy.ndarray
            Criterion weights.

        Returns
        -------
        dict of str to pandas.DataFrame
            ``about`` (method, options, reading of the score and the contributions),
            ``weights`` (normalised), the method's own tables, and ``result`` (as ``rank``).
        """
        w = prepare_weights(weights, problem)
        alts, cids = problem.alternatives, problem.criterion_ids
        res = self._compute(problem.values, problem.types, w, cids)
        out: dict[str, pd.DataFrame] = {
            "about": pd.DataFrame(
                {
                    "value": [
                        self.label,
                        self.description,
                        "yes" if self.higher_is_better else "no (lower is better)",
                        self.contribution_meaning,
                        f"{self.contribution_baseline:g} + sum of contributions = {self.contributions_sum_to}",
                    ]
                },
                index=pd.Index(
                    ["method", "description", "higher score is better", "contributions", "identity"], name="item"
                ),
            ),
            "weights": frame(w, cids, "weight"),
        }
        out.update(self._tables(res, alts, cids))
        out["result"] = self._rank_frame(res, alts, cids)
        return out

    def verbose(self, problem: Any, weights: Any) -> str:
        """The ``explain`` tables as text, each under its caption (pymcdm's ``verbose=True`` view).

        Parameters
        ----------
        problem : DecisionProblem
            Validated decision problem.
        weights : pandas.Series, Mapping, sequence or numpy.ndarray
            Criterion weights.

        Returns
        -------
        str
            Printable text.
        """
        parts = []
        for key, table in self.explain(problem, weights).items():
            caption = self.captions.get(key, key.replace("_", " "))
            parts.append(f"{caption}\n{'-' * len(caption)}\n{table.to_string()}")
        return "\n\n".join(parts)

    @property
    def label(self) -> str:
        """Name plus the options in force, e.g. ``topsis(normalization=vector)``."""
        opts = ", ".join(f"{k}={v}" for k, v in self.options().items())
        return f"{self.name}({opts})" if opts else self.name

    def options(self) -> dict[str, Any]:
        """The options in force (what the constructor was given, after defaults)."""
        return {}

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.label}>"

    # -- to implement (see the module docstring) ---------------------------------------------
    def prepare(self, problem: Any) -> Prepared:
        """Validate the data for this method and compute its weight-free arrays (once per problem).

        Parameters
        ----------
        problem : DecisionProblem
            Validated decision problem.

        Returns
        -------
        Prepared
            What ``score_prepared`` and ``batch_scores`` need. The default keeps the raw matrix.
        """
        return {"X": problem.values, "types": problem.types, "cids": problem.criterion_ids}

    def score_prepared(self, prepared: Prepared, w: np.ndarray) -> np.ndarray:
        """Scores for one validated, normalised weight vector (no validation here).

        Parameters
        ----------
        prepared : Prepared
            From ``prepare``.
        w : numpy.ndarray
            ``(m,)`` weights summing to 1.

        Returns
        -------
        numpy.ndarray
            ``(n,)`` scores.
        """
        return np.asarray(self._compute(prepared["X"], prepared["types"], w, prepared["cids"])["score"], dtype=float)

    def batch_scores(self, prepared: Prepared, W: np.ndarray) -> np.ndarray:
        """Scores for a block of validated, normalised weight vectors.

        Parameters
        ----------
        prepared : Prepared
            From ``prepare``.
        W : numpy.ndarray
            ``(s x m)`` weights, each row summing to 1.

        Returns
        -------
        numpy.ndarray
            ``(s x n)`` scores. The base class loops over the rows (:func:`loop_batch_scores`);
            a method overrides it with a vectorised form where the maths allows.
        """
        return loop_batch_scores(self, prepared, W)

    def _compute(self, X: np.ndarray, types: np.ndarray, w: np.ndarray, cids: list[str]) -> dict[str, Any]:
        """Score, contributions (``contrib``, n x m) and intermediate arrays for the tables."""
        raise NotImplementedError

    def _tables(self, res: dict[str, Any], alts: list[str], cids: list[str]) -> dict[str, pd.DataFrame]:
        """The method's own ``explain`` tables from the arrays ``_compute`` returned."""
        return {}

    # -- shared --------------------------------------------------------------------------------
    def _rank_frame(self, res: dict[str, Any], alts: list[str], cids: list[str]) -> pd.DataFrame:
        score = np.asarray(res["score"], dtype=float)
        ranks = rank_scores(score, self.higher_is_better)
        df = pd.DataFrame({"alternative": list(alts), "score": score, "rank": ranks, "method": self.name})
        contrib = pd.DataFrame(res["contrib"], columns=[f"contrib_{c}" for c in cids])
        df = pd.concat([df, contrib], axis=1)
        order = np.argsort(ranks, kind="stable")
        return df.iloc[order].reset_index(drop=True)
