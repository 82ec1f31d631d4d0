"""Weight samplers for SMAA: every draw is seeded through a ``numpy.random.Generator``.

Each sampler is a small object with ``draw(n, rng) -> (n x m) ndarray`` (rows >= 0, summing to
1, columns aligned to the problem's criterion ids) and ``describe() -> str`` (a sentence for
reports). Build them directly or with :func:`make_sampler`.

* :class:`UniformSimplex` — no preference information: uniform on the weight simplex
  (Dirichlet(1, ..., 1), drawn as normalised standard exponentials).
* :class:`AroundWeights` — the planner's weights with a stated spread ``P`` percent: each weight
  is multiplied by an independent factor uniform on ``[1 - P/100, 1 + P/100]``, then the vector
  is divided by its sum. So before rescaling every weight is within +-P% of the planner's; after
  it every ratio w_j / w_k stays within a factor (1+p)/(1-p) of the planner's (p = P/100).
  ``P = 0`` reproduces the planner's weights exactly; ``0 <= P <= 100``. A criterion the planner
  weighted 0 stays at 0 (it is switched off, not uncertain).
* :class:`IntervalWeights` — a [lower, upper] interval per weight: uniform on the part of the
  simplex inside the box (exact rejection sampling; the faster of two uniform proposals is
  picked by a pilot run — see the class doc).
* :class:`OrdinalWeights` — only an importance order of the criteria: uniform on
  ``{w : w_(1) >= w_(2) >= ... >= w_(m)}`` (uniform simplex samples sorted in decreasing order
  and assigned by the order).
* :class:`FixedWeights` — one vector, repeated (zero spread).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import numpy as np

from mcda.errors import InputError
from mcda.weight_check import per_criterion_values, weight_vector


def _vector(values: Any, cids: Sequence[str], what: str) -> np.ndarray:
    """A float vector aligned to ``cids`` (e.g. interval bounds) from a Mapping/Series keyed by
    criterion id or a sequence; finite values only."""
    if isinstance(values, Mapping) or (hasattr(values, "index") and hasattr(values, "to_dict")):
        values = per_criterion_values(values, cids, what.rstrip("s"))
    try:
        v = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise InputError(f"{what} must be numbers", where=what) from None
    if v.shape != (len(cids),):
        raise InputError(f"expected {len(cids)} {what} (one per criterion), got shape {v.shape}", where=what)
    if not np.isfinite(v).all():
        j = int(np.flatnonzero(~np.isfinite(v))[0])
        raise InputError(f"{what} is missing or not finite", where=f"{what}, criterion {cids[j]}")
    return v


def _ids(criteria: Any) -> list[str]:
    """Criterion ids from a DecisionProblem, a list of ids, or a count m (ids C1..Cm)."""
    if hasattr(criteria, "criterion_ids"):
        return list(criteria.criterion_ids)
    if isinstance(criteria, (int, np.integer)):
        if criteria < 1:
            raise InputError(f"need at least one criterion, got {criteria}")
        return [f"C{j + 1}" for j in range(int(criteria))]
    return [str(c) for c in criteria]


def uniform_simplex(n: int, m: int, rng: np.random.Generator) -> np.ndarray:
    """n points uniform on the (m-1)-simplex (normalised standard exponentials = Dirichlet(1))."""
    E = rng.standard_exponential((n, m))
    E /= E.sum(axis=1, keepdims=True)
    return E


class WeightSampler:
    """Base class: ``criterion_ids``, ``m``, ``draw(n, rng)``, ``describe()``, ``kind``."""

    kind = ""

    def __init__(self, criteria: Any):
        self.criterion_ids = _ids(criteria)
        self.m = len(self.criterion_ids)

    def draw(self, n: int, rng: np.random.Generator) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def draw_parts(self, n: int, rng: np.random.Generator, size: int) -> Iterator[np.ndarray]:
        """``draw(n, rng)`` in consecutive parts of ``size`` rows: the same rows and the same generator
        state after, so a caller can score one part while the next is drawn. Here: one draw, sliced."""
        W = self.draw(n, rng)
        for a in range(0, n, size):
            yield W[a : a + size]

    def describe(self) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.describe()}>"


class UniformSimplex(WeightSampler):
    """Uniform on the simplex: every weight vector (>= 0, sum 1) equally likely."""

    kind = "uniform"

    def draw(self, n: int, rng: np.random.Generator) -> np.ndarray:
        return uniform_simplex(n, self.m, rng)

    def draw_parts(self, n: int, rng: np.random.Generator, size: int) -> Iterator[np.ndarray]:
        """Each part drawn on its own: numpy's exponentials come one after another from the stream, so the
        parts are ``draw(n)``'s rows, bit for bit, and the generator ends in the same state."""
        for a in range(0, n, size):
            yield uniform_simplex(min(size, n - a), self.m, rng)

    def describe(self) -> str:
        return f"weights uniform on the simplex ({self.m} criteria; the planner's weights are not used)"


class FixedWeights(WeightSampler):
    """The same weight vector every time (zero spread)."""

    kind = "fixed"

    def __init__(self, criteria: Any, weights: Any):
        super().__init__(criteria)
        self.weights = weight_vector(weights, self.criterion_ids)

    def draw(self, n: int, rng: np.random.Generator) -> np.ndarray:
        return np.tile(self.weights, (n, 1))

    def describe(self) -> str:
        return "the planner's weights, fixed (no spread)"


class AroundWeights(WeightSampler):
    """The planner's weights, each multiplied by a factor uniform on [1 - P/100, 1 + P/100], renormalised."""

    kind = "spread"

    def __init__(self, criteria: Any, weights: Any, spread: float):
        super().__init__(criteria)
        self.weights = weight_vector(weights, self.criterion_ids)
        try:
            spread = float(spread)
        except (TypeError, ValueError):
            raise InputError(f"spread must be a number of percent, not {spread!r}", where="spread") from None
        if not np.isfinite(spread) or spread < 0 or spread > 100:
            raise InputError(
                f"spread must be between 0 and 100 percent, got {spread:g}",
                where="spread",
                hint="E.g. 20 lets each weight move up to 20% up or down before rescaling.",
            )
        self.spread = spread

    def draw(self, n: int, rng: np.random.Generator) -> np.ndarray:
        p = self.spread / 100.0
        F = rng.uniform(1.0 - p, 1.0 + p, (n, self.m))
        W = F * self.weights
        total = W.sum(axis=1, keepdims=True)
        # only possible at spread 100 with a single positive weight whose factor is exactly 0
        zero = total[:, 0] <= 0
        if zero.any():
            W[zero] = self.weights
            total[zero] = 1.0
        return W / total

    def describe(self) -> str:
        return (
            f"the planner's weights, each multiplied by a factor uniform on "
            f"[{1 - self.spread / 100:g}, {1 + self.spread / 100:g}] (spread {self.spread:g}%), then rescaled to sum 1"
        )


class OrdinalWeights(WeightSampler):
    """Only the importance order is known: w_(1) >= w_(2) >= ... (uniform on that part of the simplex)."""

    kind = "ordinal"

    def __init__(self, criteria: Any, order: Sequence[str]):
        super().__init__(criteria)
        order = [str(c) for c in order]
        unknown = [c for c in order if c not in self.criterion_ids]
        if unknown:
            raise InputError(f"unknown criterion in the importance order: {', '.join(unknown)}", where="order")
        dup = sorted({c for c in order if order.count(c) > 1})
        if dup:
            raise InputError(f"criterion listed twice in the importance order: {', '.join(dup)}", where="order")
        missing = [c for c in self.criterion_ids if c not in order]
        if missing:
            raise InputError(
                f"the importance order leaves out: {', '.join(missing)}",
                where="order",
                hint="List every criterion, most important first.",
            )
        self.order = order
        self._pos = np.array([self.criterion_ids.index(c) for c in order])

    def draw(self, n: int, rng: np.random.Generator) -> np.ndarray:
        U = uniform_simplex(n, self.m, rng)
        U = -np.sort(-U, axis=1)
        W = np.empty_like(U)
        W[:, self._pos] = U
        return W

    def describe(self) -> str:
        return "weights uniform subject to the importance order " + " >= ".join(self.order)


class IntervalWeights(WeightSampler):
    """Uniform on {w on the simplex : lower_j <= w_j <= upper_j}.

    The bounds are first tightened to what the simplex allows (lower_j >= 1 - sum of the other
    uppers, upper_j <= 1 - sum of the other lowers). Two exact uniform proposals are tried on a
    pilot of 4,000 draws and the one accepting more is kept:

    * ``shifted simplex``: w = lower + (1 - sum lower) * v, v uniform on the simplex; accept if w <= upper;
    * ``box``: every weight but the one with the widest interval uniform in its interval, the
      last = 1 - their sum; accept if it lies in its own interval (uniform because the simplex
      is a linear image of its first m-1 coordinates).

    Both are rejection samplers of the uniform distribution on the same set, so the choice only
    changes speed (the pilot uses its own fixed seed, so draws depend only on the caller's
    generator). If the pilot accepts nothing the intervals are judged too tight -> InputError.
    """

    kind = "intervals"
    PILOT = 4000

    def __init__(self, criteria: Any, lower: Any, upper: Any):
        super().__init__(criteria)
        cids = self.criterion_ids
        lo = _vector(lower, cids, "lower bounds")
        hi = _vector(upper, cids, "upper bounds")
        for j, c in enumerate(cids):
            if lo[j] < 0 or hi[j] > 1 or lo[j] > hi[j]:
                raise InputError(
                    f"interval [{lo[j]:g}, {hi[j]:g}] is not within [0, 1] with lower <= upper",
                    where=f"weight intervals, criterion {c}",
                )
        if lo.sum() > 1 + 1e-12:
            raise InputError(
                f"the lower bounds sum to {lo.sum():g} > 1, so no weight vector fits",
                where="weight intervals",
                hint="Lower some lower bounds.",
            )
        if hi.sum() < 1 - 1e-12:
            raise InputError(
                f"the upper bounds sum to {hi.sum():g} < 1, so no weight vector fits",
                where="weight intervals",
                hint="Raise some upper bounds.",
            )
        self.lower_given, self.upper_given = lo, hi
        self.lower = np.minimum(np.maximum(lo, 1.0 - (hi.sum() - hi)), hi)
        self.upper = np.maximum(np.minimum(hi, 1.0 - (lo.sum() - lo)), self.lower)  # round-off guard
        self._proposal: str | None = None
        self.acceptance: float | None = None
        self._choose()

    def _propose(self, kind: str, k: int, rng: np.random.Generator) -> np.ndarray:
        lo, hi = self.lower, self.upper
        if kind == "shifted":
            slack = 1.0 - lo.sum()
            W = lo + slack * uniform_simplex(k, self.m, rng)
            ok = (hi + 1e-15 >= W).all(axis=1)
            return W[ok]
        j = int(np.argmax(hi - lo))
        others = np.array([i for i in range(self.m) if i != j], dtype=int)
        W = np.empty((k, self.m))
        W[:, others] = rng.uniform(lo[others], hi[others], (k, others.size))
        W[:, j] = 1.0 - W[:, others].sum(axis=1)
        ok = (W[:, j] >= lo[j] - 1e-15) & (W[:, j] <= hi[j] + 1e-15)
        return W[ok]

    def _choose(self) -> None:
        # the pilot has its own fixed seed, so the draws depend only on the caller's generator
        rng = np.random.default_rng(20010301)
        if np.allclose(self.lower, self.upper, atol=0, rtol=0) or self.m == 1:
            self._proposal, self.acceptance = "box", 1.0
            return
        rates = {k: len(self._propose(k, self.PILOT, rng)) / self.PILOT for k in ("shifted", "box")}
        best = max(rates, key=lambda k: rates[k])
        if rates[best] == 0:
            raise InputError(
                "the weight intervals leave almost no room on the simplex (no sample fitted in "
                f"{2 * self.PILOT} tries)",
                where="weight intervals",
                hint="Widen the intervals, or use a spread around the planner's weights.",
            )
        self._proposal, self.acceptance = best, rates[best]

    def draw(self, n: int, rng: np.random.Generator) -> np.ndarray:
        assert self._proposal is not None and self.acceptance is not None  # set by _choose
        out = []
        got = 0
        while got < n:
            need = n - got
            k = int(min(max(need / self.acceptance * 1.2 + 16, 64), 2_000_000 // self.m + 64))
            W = self._propose(self._proposal, k, rng)
            out.append(W[:need])
            got += min(len(W), need)
        W = np.concatenate(out, axis=0)
        W = np.clip(W, 0.0, None)
        return W / W.sum(axis=1, keepdims=True)

    def describe(self) -> str:
        parts = [
            f"{c} in [{a:g}, {b:g}]"
            for c, a, b in zip(self.criterion_ids, self.lower_given, self.upper_given, strict=True)
        ]
        return "weights uniform on the simplex within intervals: " + "; ".join(parts)


SAMPLER_KINDS = {
    "uniform": "uniform on the simplex (no preference information)",
    "spread": "around the planner's weights: each times a factor uniform on [1-P/100, 1+P/100], rescaled",
    "intervals": "uniform within a [lower, upper] interval per weight",
    "ordinal": "uniform subject to an importance order of the criteria",
    "fixed": "the planner's weights only",
}


def make_sampler(
    criteria: Any,
    kind: str = "uniform",
    weights: Any = None,
    spread: float | None = None,
    lower: Any = None,
    upper: Any = None,
    order: Sequence[str] | None = None,
) -> WeightSampler:
    """Build a sampler by kind (see ``SAMPLER_KINDS``); ``criteria`` is a DecisionProblem or the ids."""
    if kind == "uniform":
        return UniformSimplex(criteria)
    if kind == "spread":
        if weights is None or spread is None:
            raise InputError("a spread sampler needs the planner's weights and a spread (percent)", where="sampler")
        return AroundWeights(criteria, weights, spread)
    if kind == "fixed":
        if weights is None:
            raise InputError("a fixed sampler needs the planner's weights", where="sampler")
        return FixedWeights(criteria, weights)
    if kind == "intervals":
        if lower is None or upper is None:
            raise InputError("an intervals sampler needs lower and upper bounds", where="sampler")
        return IntervalWeights(criteria, lower, upper)
    if kind == "ordinal":
        if order is None:
            raise InputError("an ordinal sampler needs the importance order of the criteria", where="sampler")
        return OrdinalWeights(criteria, order)
    raise InputError(
        f"unknown weight sampler '{kind}'", where="sampler", hint="Use one of: " + ", ".join(SAMPLER_KINDS) + "."
    )
