"""MCDM ranking methods: small pymcdm-style classes behind one interface, plus a registry.

Every method is a class with

* ``scores(problem, weights) -> ndarray`` — the fast path: numpy only, no pandas, no pymcdm
  validation (the DecisionProblem was validated once when it was built);
* ``rank(problem, weights) -> DataFrame`` — columns ``alternative, score, rank, method`` and then
  ``contrib_<criterion_id>`` per criterion, sorted by rank (rank 1 = best; ties share the
  smallest rank);
* ``explain(problem, weights) -> dict[str, DataFrame]`` — the intermediate tables;
* ``higher_is_better`` — False for VIKOR (score = Q) and SPOTIS (score = distance);
* ``contribution_meaning`` — what the ``contrib_`` columns are, and ``contribution_baseline`` /
  ``contributions_sum_to`` — the identity they satisfy (e.g. TOPSIS: 0.5 + sum = score).

Weights may be a ``pd.Series`` indexed by criterion id (any order), a mapping, or an ndarray
aligned to ``problem.criterion_ids``. They are validated (finite, >= 0, not all zero) and
divided by their sum, so weights scaled by a constant give identical scores.

Which maths comes from where
----------------------------
pymcdm (1.4.0) is imported lazily (it costs ~0.6 s because it pulls in matplotlib) and always
called with ``validation=False`` after the project's own validation. It is used for WPM, EDAS
and SPOTIS. Plain numpy is used, deliberately, for:

* TOPSIS — the fast path; pymcdm normalises column by column in a Python loop and its import
  alone would dominate the command-line ``rank`` time. Checked against pymcdm in the tests.
* WSM — the per-criterion contributions w_j * r_ij *are* the computation; the score is their sum.
* VIKOR — pymcdm 1.4.0 returns NaN Q when all S (or all R) are equal (e.g. two alternatives
  that each win one equally weighted criterion) and does not return the per-criterion regret
  terms; here a zero range makes that term 0. Checked against pymcdm in the tests.
* PROMETHEE II — pymcdm 1.4.0 keeps the per-criterion preference functions in a generator, so
  an object built with p/q fails on its second call; it also gives no per-criterion flows.
* COPRAS — pymcdm 1.4.0 computes Q = S+ + (min S- * S-) / (S- * min S- / S-), which reduces to
  S+ + S-: cost criteria end up counted as benefits. Here Q follows Zavadskas & Kaklauskas
  (1996) and reproduces Goswami & Mitra (2020)'s published utility degrees.
* MABAC — pymcdm 1.4.0 computes the border approximation area as prod(V)**(1/n), which
  underflows on larger tables (every score shifted by 0.015 at n=200, 0.29 at n=800); here it is
  the log-mean exp(mean(log V)).

Registry
--------
``get_method(name, **options)`` builds a method by its command-line name; ``METHODS`` maps
name -> one-line description. ``register_method(name, factory, description)`` adds one later
(mcda/ahp.py registers ``ahp``; ``get_method("ahp")`` imports mcda.ahp on first use).

Writing a new method: subclass ``RankingMethod`` and implement ``_compute(X, types, w, cids)``
returning a dict with ``score`` (n,), ``contrib`` (n x m) and any extra arrays, and (optionally)
``_tables(res, alts, cids)`` for ``explain``. ``X`` is the validated float matrix, ``types``
+1/-1, ``w`` the normalised weights.
"""
from __future__ import annotations

import importlib
from typing import Any, Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from mcda.errors import InputError
from mcda.normalization import KINDS as NORMALIZATIONS
from mcda.normalization import normalize

__all__ = [
    "RankingMethod", "TOPSIS", "VIKOR", "PROMETHEE2", "WSM", "WPM", "COPRAS", "EDAS", "MABAC", "SPOTIS",
    "METHODS", "get_method", "register_method", "rank_scores", "prepare_weights",
]


# ---------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------
def prepare_weights(weights: Any, problem: Any) -> np.ndarray:
    """Weights as a float array aligned to ``problem.criterion_ids``, validated and summing to 1.

    Fast for the usual cases (ndarray, or a Series already in criterion order).
    """
    if isinstance(weights, pd.Series):
        cols = getattr(getattr(problem, "matrix", None), "columns", None)
        if cols is not None and weights.index.equals(cols):  # fast path: already aligned
            return _check_weights(_as_float_weights(weights.to_numpy(), problem), problem)
        cids = problem.criterion_ids
        idx = weights.index.tolist()
        if idx != cids:
            idx = [str(i) for i in idx]
        if idx != cids:
            extra = [c for c in idx if c not in cids]
            missing = [c for c in cids if c not in idx]
            if extra:
                raise InputError(f"weight given for unknown criterion: {', '.join(extra)}", where="weights",
                                 hint="Weights must name the problem's criteria: " + ", ".join(cids) + ".")
            if missing:
                raise InputError(f"no weight for criterion: {', '.join(missing)}", where="weights",
                                 hint="Give every criterion a weight (0 is allowed).")
            if len(set(idx)) != len(idx):
                raise InputError("a criterion has two weights", where="weights")
            weights = pd.Series(weights.to_numpy(), index=idx).reindex(cids)
        w = _as_float_weights(weights.to_numpy(), problem)
    elif isinstance(weights, Mapping):
        from mcda.weights import direct  # validates names and values with messages per criterion

        return direct(weights, problem.criterion_ids).to_numpy()
    else:
        w = _as_float_weights(weights, problem)
    return _check_weights(w, problem)


def _as_float_weights(weights: Any, problem: Any) -> np.ndarray:
    """Float array of weights; a text or other non-number entry is an InputError naming its criterion."""
    try:
        return np.asarray(weights, dtype=float)
    except (TypeError, ValueError):
        pass
    vals = list(weights) if np.ndim(np.asarray(weights, dtype=object)) == 1 else [weights]
    cids = list(getattr(problem, "criterion_ids", []))
    for j, v in enumerate(vals):
        try:
            float(v)
        except (TypeError, ValueError):
            where = f"weights, criterion {cids[j]}" if j < len(cids) else "weights"
            raise InputError(f"weight {v!r} is not a number", where=where, hint="Enter a number >= 0.") from None
    raise InputError(f"weights must be numbers, got {weights!r}", where="weights")


def _check_weights(w: np.ndarray, problem: Any) -> np.ndarray:
    m = problem.values.shape[1]
    if w.shape != (m,):
        raise InputError(f"expected {m} weights (one per criterion), got shape {w.shape}", where="weights")
    if not np.isfinite(w).all():
        j = int(np.flatnonzero(~np.isfinite(w))[0])
        raise InputError("weight is missing or not finite", where=f"weights, criterion {problem.criterion_ids[j]}")
    if (w < 0).any():
        j = int(np.flatnonzero(w < 0)[0])
        raise InputError(f"weight {w[j]:g} is negative", where=f"weights, criterion {problem.criterion_ids[j]}",
                         hint="Weights must be >= 0.")
    top = w.max()
    if top <= 0:
        raise InputError("all weights are zero", where="weights", hint="Give at least one criterion a positive weight.")
    w = w / top  # scale first: a sum of huge weights (1e308) would overflow to inf and give all-zero weights
    return w / w.sum()


def rank_scores(scores: np.ndarray, higher_is_better: bool = True, ties: str = "min", decimals: int = 12) -> np.ndarray:
    """Ranks (1 = best). Scores equal to ``decimals`` places tie; ``ties`` is ``min`` or ``average``."""
    key = np.round(np.asarray(scores, dtype=float), decimals)
    if higher_is_better:
        key = -key
    s = np.sort(key)
    lo = np.searchsorted(s, key, side="left") + 1
    if ties == "min":
        return lo
    hi = np.searchsorted(s, key, side="right")
    return (lo + hi) / 2.0


def _frame(a: np.ndarray, rows: Sequence[str], cols: Sequence[str] | str) -> pd.DataFrame:
    if isinstance(cols, str):
        return pd.DataFrame({cols: a}, index=pd.Index(rows))
    return pd.DataFrame(a, index=pd.Index(rows), columns=list(cols))


def _per_criterion(option: Any, cids: list[str], name: str, default: Any = None) -> list:
    """Expand a scalar / list / {criterion id: value} option to one value per criterion."""
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
# base class
# ---------------------------------------------------------------------------------------------
class RankingMethod:
    """Base class; see the module docstring for the interface and how to add a method."""

    name: str = ""
    description: str = ""
    higher_is_better: bool = True
    contribution_meaning: str = ""
    #: the contributions satisfy  baseline + sum_j contrib_j == <contributions_sum_to>
    contribution_baseline: float = 0.0
    contributions_sum_to: str = "score"

    # -- interface -----------------------------------------------------------------------------
    def scores(self, problem: Any, weights: Any) -> np.ndarray:
        w = prepare_weights(weights, problem)
        return self._score(problem.values, problem.types, w, problem)

    def rank(self, problem: Any, weights: Any) -> pd.DataFrame:
        w = prepare_weights(weights, problem)
        res = self._compute(problem.values, problem.types, w, problem.criterion_ids)
        return self._rank_frame(res, problem.alternatives, problem.criterion_ids)

    def explain(self, problem: Any, weights: Any) -> dict[str, pd.DataFrame]:
        w = prepare_weights(weights, problem)
        alts, cids = problem.alternatives, problem.criterion_ids
        res = self._compute(problem.values, problem.types, w, cids)
        out: dict[str, pd.DataFrame] = {
            "about": pd.DataFrame(
                {"value": [self.label, self.description, "yes" if self.higher_is_better else "no (lower is better)",
                           self.contribution_meaning,
                           f"{self.contribution_baseline:g} + sum of contributions = {self.contributions_sum_to}"]},
                index=pd.Index(["method", "description", "higher score is better", "contributions", "identity"],
                               name="item"),
            ),
            "weights": _frame(w, cids, "weight"),
        }
        out.update(self._tables(res, alts, cids))
        out["result"] = self._rank_frame(res, alts, cids)
        return out

    @property
    def label(self) -> str:
        """Name plus the options in force, e.g. ``topsis(normalization=vector)``."""
        opts = ", ".join(f"{k}={v}" for k, v in self.options().items())
        return f"{self.name}({opts})" if opts else self.name

    def options(self) -> dict[str, Any]:
        return {}

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.label}>"

    # -- to implement --------------------------------------------------------------------------
    def _compute(self, X: np.ndarray, types: np.ndarray, w: np.ndarray, cids: list[str]) -> dict[str, np.ndarray]:
        raise NotImplementedError

    def _score(self, X: np.ndarray, types: np.ndarray, w: np.ndarray, problem: Any) -> np.ndarray:
        return self._compute(X, types, w, problem.criterion_ids)["score"]

    def _tables(self, res: dict, alts: list[str], cids: list[str]) -> dict[str, pd.DataFrame]:
        return {}

    # -- shared --------------------------------------------------------------------------------
    def _rank_frame(self, res: dict, alts: list[str], cids: list[str]) -> pd.DataFrame:
        score = np.asarray(res["score"], dtype=float)
        ranks = rank_scores(score, self.higher_is_better)
        df = pd.DataFrame({"alternative": list(alts), "score": score, "rank": ranks, "method": self.name})
        contrib = pd.DataFrame(res["contrib"], columns=[f"contrib_{c}" for c in cids])
        df = pd.concat([df, contrib], axis=1)
        order = np.argsort(ranks, kind="stable")
        return df.iloc[order].reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# TOPSIS
# ---------------------------------------------------------------------------------------------
class TOPSIS(RankingMethod):
    """TOPSIS (Hwang & Yoon 1981): closeness to the ideal, C = D- / (D+ + D-), higher is better.

    ``normalization``: ``vector`` (default, as Hwang & Yoon) or ``minmax`` (pymcdm's default).

    Contributions (exact): with d+_ij, d-_ij the weighted distances of alternative i to the ideal
    and the anti-ideal on criterion j,
    ``contrib_ij = (d-_ij^2 - d+_ij^2) / (2 (D+_i + D-_i)^2)`` and ``0.5 + sum_j contrib_ij = C_i``
    (because D-^2 - D+^2 = (D- - D+)(D- + D+)). Positive: on this criterion the alternative is
    nearer the ideal than the anti-ideal and pulls the score above the neutral 0.5.
    """

    name = "topsis"
    description = "TOPSIS (Hwang & Yoon 1981): relative closeness to the ideal solution"
    contribution_meaning = ("signed share of the closeness: (d-^2 - d+^2) / (2 (D+ + D-)^2) per criterion; "
                            "positive when nearer the ideal than the anti-ideal on that criterion")
    contribution_baseline = 0.5

    def __init__(self, normalization: str = "vector"):
        if normalization not in ("vector", "minmax"):
            raise InputError(f"TOPSIS normalisation must be vector or minmax, not '{normalization}'",
                             where="normalization")
        self.normalization = normalization

    def options(self) -> dict[str, Any]:
        return {"normalization": self.normalization}

    # Plain numpy on purpose (see module doc): this is the fast path used by scores() and by
    # the command line; no per-column Python loop, no pandas.
    def _score(self, X, types, w, problem):
        V = normalize(X, types, self.normalization) * w
        dp = V - V.max(axis=0)
        dm = V - V.min(axis=0)
        dp = np.sqrt(np.einsum("ij,ij->i", dp, dp))
        dm = np.sqrt(np.einsum("ij,ij->i", dm, dm))
        return dm / (dp + dm)

    def _compute(self, X, types, w, cids):
        if self.normalization == "vector":
            # Hwang & Yoon's own tables: r = x/||x|| for every criterion; the ideal takes the
            # column minimum on cost criteria. Distances equal those of the fast path exactly.
            normalize(X, types, "vector", cids)  # same validation (zero column) as the fast path
            R = X / np.sqrt(np.einsum("ij,ij->j", X, X))
            cost = types < 0
        else:
            R = normalize(X, types, self.normalization, cids)  # already higher-is-better
            cost = np.zeros(len(types), dtype=bool)
        V = R * w
        vmax, vmin = V.max(axis=0), V.min(axis=0)
        pis, nis = np.where(cost, vmin, vmax), np.where(cost, vmax, vmin)
        dp2, dm2 = (V - pis) ** 2, (V - nis) ** 2
        Dp, Dm = np.sqrt(dp2.sum(axis=1)), np.sqrt(dm2.sum(axis=1))
        score = Dm / (Dp + Dm)
        contrib = (dm2 - dp2) / (2.0 * (Dp + Dm) ** 2)[:, None]
        return {"score": score, "contrib": contrib, "R": R, "V": V, "pis": pis, "nis": nis, "Dp": Dp, "Dm": Dm}

    def _tables(self, res, alts, cids):
        return {
            "normalized": _frame(res["R"], alts, cids),
            "weighted": _frame(res["V"], alts, cids),
            "ideal": pd.DataFrame({"ideal": res["pis"], "anti_ideal": res["nis"]}, index=pd.Index(cids)),
            "separation": pd.DataFrame({"d_ideal": res["Dp"], "d_anti_ideal": res["Dm"], "closeness": res["score"]},
                                       index=pd.Index(alts)),
        }


# ---------------------------------------------------------------------------------------------
# VIKOR
# ---------------------------------------------------------------------------------------------
class VIKOR(RankingMethod):
    """VIKOR (Opricovic 1998; Opricovic & Tzeng 2004): compromise ranking, score = Q, LOWER is better.

    t_ij = w_j (f*_j - f_ij) / (f*_j - f-_j) (regret of alternative i on criterion j),
    S_i = sum_j t_ij (group utility), R_i = max_j t_ij (individual regret),
    Q_i = v (S_i - S*) / (S- - S*) + (1 - v) (R_i - R*) / (R- - R*); a term whose range is zero
    is taken as 0. ``v`` (default 0.5) weighs the majority rule against the individual regret.

    Contributions: the regret terms t_ij; they sum exactly to S_i (given in ``explain``), not Q.
    ``explain`` also checks Opricovic & Tzeng's conditions: C1 acceptable advantage
    Q(A2) - Q(A1) >= DQ = 1/(n-1), and C2 acceptable stability (A1 also best by S or R), and
    gives the compromise set.
    """

    name = "vikor"
    description = "VIKOR (Opricovic & Tzeng 2004): compromise ranking by Q; lower Q is better"
    higher_is_better = False
    contribution_meaning = "per-criterion regret w_j (f*_j - f_ij)/(f*_j - f-_j); they sum to S (group regret)"
    contributions_sum_to = "S (explain['indices'])"

    def __init__(self, v: float = 0.5):
        try:
            v = float(v)
        except (TypeError, ValueError):
            raise InputError(f"VIKOR v must be a number in [0, 1], not {v!r}", where="v") from None
        if not 0.0 <= v <= 1.0:
            raise InputError(f"VIKOR v must be in [0, 1], got {v:g}", where="v")
        self.v = v

    def options(self):
        return {"v": self.v}

    def _compute(self, X, types, w, cids):
        # numpy on purpose: see module doc (pymcdm gives NaN on ties of S or R, no regret table)
        F = X * types  # benefit orientation: higher better
        fstar, fminus = F.max(axis=0), F.min(axis=0)
        span = fstar - fminus
        if (span == 0).any():
            j = int(np.flatnonzero(span == 0)[0])
            raise InputError(f"criterion {cids[j]} has the same value for every alternative; VIKOR cannot use it",
                             where=f"column {cids[j]}", hint="Switch this criterion off.")
        T = w * (fstar - F) / span
        # S and R lie in [0, 1] (weights sum to 1); round off the last bits so that ties in S or R
        # computed along different paths are exact ties (else Q divides round-off noise).
        S, R = np.round(T.sum(axis=1), 12), np.round(T.max(axis=1), 12)
        v = self.v
        s_rng, r_rng = S.max() - S.min(), R.max() - R.min()
        qs = (S - S.min()) / s_rng if s_rng > 0 else np.zeros_like(S)
        qr = (R - R.min()) / r_rng if r_rng > 0 else np.zeros_like(R)
        Q = v * qs + (1 - v) * qr
        return {"score": Q, "contrib": T, "S": S, "R": R, "fstar": fstar * types, "fminus": fminus * types}

    def _tables(self, res, alts, cids):
        Q, S, R = res["score"], res["S"], res["R"]
        n = len(Q)
        order = np.argsort(np.round(Q, 12), kind="stable")
        dq = 1.0 / (n - 1)
        a1, a2 = order[0], order[1]
        c1 = bool(Q[a2] - Q[a1] >= dq - 1e-12)
        c2 = bool(rank_scores(S, False)[a1] == 1 or rank_scores(R, False)[a1] == 1)
        if c1 and c2:
            comp = [alts[a1]]
        elif not c1:
            comp = [alts[i] for i in order if Q[i] - Q[a1] < dq - 1e-12]
        else:
            comp = [alts[a1], alts[a2]]
        conditions = pd.DataFrame(
            {
                "holds": [c1, c2],
                "detail": [
                    f"Q({alts[a2]}) - Q({alts[a1]}) = {Q[a2] - Q[a1]:.4f} vs DQ = 1/(n-1) = {dq:.4f}",
                    f"{alts[a1]} ranks {int(rank_scores(S, False)[a1])} by S and {int(rank_scores(R, False)[a1])} by R",
                ],
            },
            index=pd.Index(["C1 acceptable advantage", "C2 acceptable stability"], name="condition"),
        )
        return {
            "best_worst": pd.DataFrame({"best": res["fstar"], "worst": res["fminus"]}, index=pd.Index(cids)),
            "regret": _frame(res["contrib"], alts, cids),
            "indices": pd.DataFrame(
                {"S": S, "R": R, "Q": Q, "rank_S": rank_scores(S, False), "rank_R": rank_scores(R, False),
                 "rank_Q": rank_scores(Q, False)}, index=pd.Index(alts)),
            "conditions": conditions,
            "compromise": pd.DataFrame({"alternative": comp}),
        }


# ---------------------------------------------------------------------------------------------
# PROMETHEE II
# ---------------------------------------------------------------------------------------------
PREFERENCE_FUNCTIONS = {
    "usual": "type I: P = 1 if d > 0",
    "ushape": "type II (quasi-criterion): P = 1 if d > q",
    "vshape": "type III: P = d/p for 0 < d <= p, 1 beyond",
    "level": "type IV: 0 up to q, 1/2 up to p, 1 beyond",
    "linear": "type V (V-shape with indifference): 0 up to q, (d-q)/(p-q) up to p, 1 beyond",
    "gaussian": "type VI: 1 - exp(-d^2 / (2 s^2)) for d > 0 (s given as p)",
}
_PF_ALIASES = {"vshape_2": "linear", "v-shape": "vshape", "u-shape": "ushape", "i": "usual"}


def _preference(d: np.ndarray, kind: str, q: float, p: float) -> np.ndarray:
    if kind == "usual":
        return (d > 0).astype(float)
    if kind == "ushape":
        return (d > q).astype(float)
    if kind == "vshape":
        return np.clip(d / p, 0.0, 1.0)
    if kind == "level":
        return np.where(d > p, 1.0, np.where(d > q, 0.5, 0.0))
    if kind == "linear":
        return np.clip((d - q) / (p - q), 0.0, 1.0)
    if kind == "gaussian":
        return np.where(d > 0, 1.0 - np.exp(-(d * d) / (2.0 * p * p)), 0.0)
    raise AssertionError(kind)


class PROMETHEE2(RankingMethod):
    """PROMETHEE II (Brans & Vincke 1985): net outranking flow phi in [-1, 1], higher is better.

    ``preference``: one of usual, ushape, vshape, level, linear, gaussian — a single name, a list
    (one per criterion) or a {criterion id: name} mapping. ``p`` (preference threshold) and ``q``
    (indifference threshold) likewise, in the criterion's own units (d = difference of raw
    values, turned round for cost criteria).

    Contributions (exact): ``w_j * phi_j(a)`` with the single-criterion net flow
    ``phi_j(a) = 1/(n-1) sum_b [P_j(a,b) - P_j(b,a)]``; they sum to phi(a).

    Plain numpy on purpose (see module doc: pymcdm's object fails on its second call with p/q,
    and gives no per-criterion flows). Memory is n x n per criterion; n is capped at 5000.
    """

    name = "promethee2"
    description = "PROMETHEE II (Brans & Vincke 1985): net outranking flow from pairwise preferences"
    contribution_meaning = "w_j * single-criterion net flow phi_j; they sum to the net flow phi"
    MAX_ALTERNATIVES = 5000

    def __init__(self, preference: Any = "usual", p: Any = None, q: Any = None):
        self.preference = preference
        self.p = p
        self.q = q

    def options(self):
        opts: dict[str, Any] = {"preference": self.preference}
        if self.p is not None:
            opts["p"] = self.p
        if self.q is not None:
            opts["q"] = self.q
        return opts

    def _settings(self, cids: list[str]) -> tuple[list[str], list[float], list[float]]:
        kinds = [str(k).strip().lower() for k in _per_criterion(self.preference, cids, "preference", "usual")]
        kinds = [_PF_ALIASES.get(k, k) for k in kinds]
        ps = _per_criterion(self.p, cids, "p")
        qs = _per_criterion(self.q, cids, "q")
        for c, k, p, q in zip(cids, kinds, ps, qs):
            where = f"promethee2 options, criterion {c}"
            for label, val in (("preference threshold p", p), ("indifference threshold q", q)):
                if val is None:
                    continue
                try:
                    if isinstance(val, (bool, np.bool_)):
                        raise TypeError
                    float(val)
                except (TypeError, ValueError):
                    raise InputError(f"{label} must be a number, got {val!r}", where=where,
                                     hint="Give thresholds in the criterion's own units, e.g. p=10, q=2.") from None
            if k not in PREFERENCE_FUNCTIONS:
                raise InputError(f"unknown preference function '{k}'", where=where,
                                 hint="Use one of: " + ", ".join(PREFERENCE_FUNCTIONS) + ".")
            if q is not None and not (np.isfinite(float(q)) and float(q) >= 0):
                raise InputError(f"indifference threshold q must be a number >= 0, got {q!r}", where=where)
            if k in ("vshape", "level", "linear", "gaussian"):
                if p is None or not (np.isfinite(float(p)) and float(p) > 0):
                    raise InputError(f"preference function '{k}' needs a preference threshold p > 0", where=where)
                if k in ("level", "linear") and q is not None and float(q) >= float(p):
                    raise InputError(f"indifference threshold q ({float(q):g}) must be below p ({float(p):g})",
                                     where=where)
        qf = [0.0 if q is None else float(q) for q in qs]
        pf = [np.nan if p is None else float(p) for p in ps]
        return kinds, pf, qf

    def _flows(self, X, types, cids):
        n, m = X.shape
        if n > self.MAX_ALTERNATIVES:
            raise InputError(f"PROMETHEE II compares every pair of alternatives; {n} alternatives is too many "
                             f"(limit {self.MAX_ALTERNATIVES})", hint="Use TOPSIS, VIKOR or WSM for large tables.")
        kinds, ps, qs = self._settings(cids)
        phi_j = np.empty((n, m))
        plus_j = np.empty((n, m))
        for j in range(m):
            x = X[:, j] * types[j]
            d = x[:, None] - x[None, :]  # d[a, b] = g(a) - g(b), oriented so that larger is better
            P = _preference(d, kinds[j], qs[j], ps[j])
            plus = P.sum(axis=1)
            minus = P.sum(axis=0)
            plus_j[:, j] = plus / (n - 1)
            phi_j[:, j] = (plus - minus) / (n - 1)
        return phi_j, plus_j, kinds, ps, qs

    def _compute(self, X, types, w, cids):
        phi_j, plus_j, kinds, ps, qs = self._flows(X, types, cids)
        contrib = phi_j * w
        phi = contrib.sum(axis=1)
        phi_plus = plus_j @ w
        return {"score": phi, "contrib": contrib, "phi_plus": phi_plus, "phi_minus": phi_plus - phi,
                "phi_j": phi_j, "kinds": kinds, "p": ps, "q": qs}

    def _tables(self, res, alts, cids):
        return {
            "preference_functions": pd.DataFrame({"function": res["kinds"], "p": res["p"], "q": res["q"]},
                                                 index=pd.Index(cids)),
            "criterion_net_flows": _frame(res["phi_j"], alts, cids),
            "flows": pd.DataFrame({"phi_plus": res["phi_plus"], "phi_minus": res["phi_minus"], "phi": res["score"]},
                                  index=pd.Index(alts)),
        }


# ---------------------------------------------------------------------------------------------
# WSM / WPM
# ---------------------------------------------------------------------------------------------
class WSM(RankingMethod):
    """Weighted sum on normalised values: score_i = sum_j w_j r_ij, higher is better.

    ``normalization``: minmax (default), vector, max or sum (see mcda.normalization).
    Contributions: w_j r_ij exactly; they sum to the score. Plain numpy: the contributions are
    the whole computation (pymcdm's WSM would only add them up again).
    """

    name = "wsm"
    description = "weighted sum of normalised values (simple additive weighting)"
    contribution_meaning = "w_j * r_ij (weighted normalised value); they sum to the score"

    def __init__(self, normalization: str = "minmax"):
        if normalization not in NORMALIZATIONS:
            raise InputError(f"unknown normalisation '{normalization}' for WSM",
                             where="normalization", hint="Use one of: " + ", ".join(NORMALIZATIONS) + ".")
        self.normalization = normalization

    def options(self):
        return {"normalization": self.normalization}

    def _score(self, X, types, w, problem):
        return normalize(X, types, self.normalization, problem.criterion_ids) @ w

    def _compute(self, X, types, w, cids):
        R = normalize(X, types, self.normalization, cids)
        contrib = R * w
        return {"score": contrib.sum(axis=1), "contrib": contrib, "R": R}

    def _tables(self, res, alts, cids):
        return {"normalized": _frame(res["R"], alts, cids), "weighted": _frame(res["contrib"], alts, cids)}


_PYMCDM_NORM = {"max": "linear_normalization", "sum": "sum_normalization"}


class WPM(RankingMethod):
    """Weighted product: score_i = prod_j r_ij ** w_j on ratio-normalised values (needs values > 0).

    ``normalization``: max (default; r = x/max, cost min/x) or sum. Both give the same ranking.
    Computed by pymcdm's WPM (validation=False). Contributions: w_j ln r_ij, which sum to
    ln(score) (the product is additive on the log scale); all are <= 0 with max normalisation.
    """

    name = "wpm"
    description = "weighted product of ratio-normalised values (values must be > 0)"
    contribution_meaning = "w_j * ln(r_ij); they sum to ln(score)"
    contributions_sum_to = "ln(score)"

    def __init__(self, normalization: str = "max"):
        if normalization not in _PYMCDM_NORM:
            raise InputError(f"WPM normalisation must be max or sum, not '{normalization}'", where="normalization")
        self.normalization = normalization

    def options(self):
        return {"normalization": self.normalization}

    def _compute(self, X, types, w, cids):
        R = normalize(X, types, self.normalization, cids)  # also rejects values <= 0 with a clear message
        from pymcdm import normalizations as pn
        from pymcdm.methods import WPM as _WPM

        score = _WPM(getattr(pn, _PYMCDM_NORM[self.normalization]))(X, w, types, validation=False)
        return {"score": np.asarray(score, dtype=float), "contrib": w * np.log(R), "R": R}

    def _tables(self, res, alts, cids):
        return {"normalized": _frame(res["R"], alts, cids)}


# ---------------------------------------------------------------------------------------------
# COPRAS, EDAS, MABAC, SPOTIS
# ---------------------------------------------------------------------------------------------
class COPRAS(RankingMethod):
    """COPRAS (Zavadskas & Kaklauskas 1996): score = utility degree Q_i / max Q, higher is better.

    r_ij = x_ij / sum_i x_ij; S+_i, S-_i = weighted sums over benefit / cost criteria;
    Q_i = S+_i + sum(S-) / (S-_i * sum_k 1/S-_k) (Q = S+ when there is no cost criterion).
    Needs values >= 0 on benefit and > 0 on cost criteria.

    Contributions (exact): benefit criterion j: w_j r_ij / Qmax; cost criterion j: its share of
    S-_i times the cost term, (w_j r_ij / S-_i) * sum(S-) / (S-_i sum 1/S-) / Qmax; they sum to
    the score. Plain numpy on purpose: pymcdm 1.4.0's COPRAS formula is wrong (module doc).
    """

    name = "copras"
    description = "COPRAS (Zavadskas & Kaklauskas 1996): complex proportional assessment, utility degree"
    contribution_meaning = "benefit: w_j r_ij / Qmax; cost: share of S- times the cost term / Qmax; sum = score"

    def _compute(self, X, types, w, cids):
        cost = types < 0
        bad = np.flatnonzero(((X <= 0) & cost) | ((X < 0) & ~cost)).tolist()
        if bad:
            i, j = divmod(bad[0], X.shape[1])
            raise InputError("COPRAS needs values >= 0 (and > 0 on cost criteria)",
                             where=f"alternative #{i + 1}, column {cids[j]}",
                             hint="Use TOPSIS, VIKOR, PROMETHEE II or WSM (minmax) for data with zero or negative values.")
        Rn = X / X.sum(axis=0)
        W = Rn * w
        Sp = W[:, ~cost].sum(axis=1)
        contrib = np.where(cost, 0.0, W)
        if cost.any():
            Sm = W[:, cost].sum(axis=1)
            if (Sm == 0).any():  # only when every cost weight is 0
                Q = Sp
            else:
                term = Sm.sum() / (Sm * (1.0 / Sm).sum())
                Q = Sp + term
                contrib = np.where(cost, W / Sm[:, None] * term[:, None], W)
        else:
            Sm = np.zeros(len(X))
            Q = Sp
        qmax = Q.max()
        return {"score": Q / qmax, "contrib": contrib / qmax, "R": Rn, "Sp": Sp, "Sm": Sm, "Q": Q}

    def _tables(self, res, alts, cids):
        return {"normalized": _frame(res["R"], alts, cids),
                "sums": pd.DataFrame({"S_plus": res["Sp"], "S_minus": res["Sm"], "Q": res["Q"],
                                      "utility_degree": res["score"]}, index=pd.Index(alts))}


class EDAS(RankingMethod):
    """EDAS (Keshavarz Ghorabaee et al. 2015): distance from the average solution, score in [0, 1].

    PDA/NDA = positive/negative distance from the column mean (relative to the mean);
    AS = (SP/max SP + 1 - SN/max SN) / 2. Needs every column mean > 0. Computed by pymcdm's
    EDAS (validation=False). Contributions (exact): 0.5 w_j (PDA_ij / max SP - NDA_ij / max SN);
    0.5 + their sum = score.
    """

    name = "edas"
    description = "EDAS: evaluation based on distance from the average solution"
    contribution_meaning = "0.5 w_j (PDA_ij/max SP - NDA_ij/max SN); 0.5 + sum = score"
    contribution_baseline = 0.5

    def _compute(self, X, types, w, cids):
        mean = X.mean(axis=0)
        if (mean <= 0).any():
            j = int(np.flatnonzero(mean <= 0)[0])
            raise InputError(f"EDAS needs a positive column mean, but criterion {cids[j]} has mean {mean[j]:g}",
                             where=f"column {cids[j]}", hint="Use TOPSIS, VIKOR, PROMETHEE II or WSM for this data.")
        from pymcdm.methods import EDAS as _EDAS

        score = np.asarray(_EDAS()(X, w, types, validation=False), dtype=float)
        D = (X - mean) / mean * types
        pda, nda = np.maximum(D, 0.0), np.maximum(-D, 0.0)
        sp, sn = pda @ w, nda @ w
        contrib = 0.5 * w * (pda / sp.max() - nda / sn.max())
        return {"score": score, "contrib": contrib, "pda": pda, "nda": nda, "sp": sp, "sn": sn}

    def _tables(self, res, alts, cids):
        return {"pda": _frame(res["pda"], alts, cids), "nda": _frame(res["nda"], alts, cids),
                "sums": pd.DataFrame({"SP": res["sp"], "SN": res["sn"], "AS": res["score"]}, index=pd.Index(alts))}


class MABAC(RankingMethod):
    """MABAC (Pamučar & Ćirović 2015): distance from the border approximation area, higher is better.

    r = min-max normalised; V_ij = w_j (r_ij + 1); G_j = (prod_i V_ij)^(1/n); score = sum_j (V_ij - G_j).
    G_j is computed as the log-mean exp(mean_i log V_ij), not as the n-th root of the product: the
    product of n values below 1 underflows (pymcdm's formula shifts every score by 0.015 at n=200
    and by 0.29 at n=800). Contributions: V_ij - G_j exactly; sum = score.
    """

    name = "mabac"
    description = "MABAC: multi-attributive border approximation area comparison"
    contribution_meaning = "V_ij - G_j (distance from the border approximation area); sum = score"

    def _compute(self, X, types, w, cids):
        R = normalize(X, types, "minmax", cids)
        V = w * (R + 1.0)
        with np.errstate(divide="ignore"):
            G = np.exp(np.log(V).mean(axis=0))  # geometric mean as a log-mean (no underflow); 0 where w_j = 0
        contrib = V - G
        return {"score": contrib.sum(axis=1), "contrib": contrib, "G": G}

    def _tables(self, res, alts, cids):
        return {"border": pd.DataFrame({"G": res["G"]}, index=pd.Index(cids)),
                "distance": _frame(res["contrib"], alts, cids)}


class SPOTIS(RankingMethod):
    """SPOTIS (Dezert et al. 2020): weighted normalised distance to the ideal point, LOWER is better.

    ``bounds``: {criterion id: (min, max)} (all criteria, or some; the rest use the data's
    min/max). With fixed bounds the score of an alternative does not depend on the others, so
    adding or removing alternatives cannot reverse ranks. Computed by pymcdm's SPOTIS
    (validation=False). Contributions: w_j |x_ij - x*_j| / (max_j - min_j); sum = score.
    """

    name = "spotis"
    description = "SPOTIS (Dezert et al. 2020): distance to the ideal within fixed bounds; rank-reversal free; lower is better"
    higher_is_better = False
    contribution_meaning = "w_j * normalised distance to the ideal value; they sum to the score"

    def __init__(self, bounds: Mapping[str, Sequence[float]] | None = None):
        if bounds is not None and not isinstance(bounds, Mapping):
            raise InputError("bounds must map criterion id -> (min, max)", where="spotis bounds",
                             hint='e.g. {"gdp": [0, 5000]}')
        self.bounds = dict(bounds) if bounds else None

    def options(self):
        return {"bounds": "given"} if self.bounds else {}

    def _bounds(self, X, cids):
        B = np.column_stack([X.min(axis=0), X.max(axis=0)]).astype(float)
        if self.bounds:
            for c, b in self.bounds.items():
                if str(c) not in cids:
                    raise InputError(f"bounds given for unknown criterion {c}", where="spotis bounds")
                j = cids.index(str(c))
                try:
                    if isinstance(b, (str, bytes)) or len(b) != 2:
                        raise TypeError
                    lo, hi = float(b[0]), float(b[1])
                except (TypeError, ValueError):
                    raise InputError(f"bounds must be a pair of numbers (min, max), got {b!r}",
                                     where=f"spotis bounds, criterion {c}") from None
                if not (np.isfinite(lo) and np.isfinite(hi)):
                    raise InputError(f"bounds ({lo:g}, {hi:g}) must be finite", where=f"spotis bounds, criterion {c}")
                if not lo < hi:
                    raise InputError(f"bounds ({lo:g}, {hi:g}) need min < max", where=f"spotis bounds, criterion {c}")
                if X[:, j].min() < lo or X[:, j].max() > hi:
                    raise InputError(f"values outside the bounds ({lo:g}, {hi:g})", where=f"spotis bounds, criterion {c}",
                                     hint="Widen the bounds to cover every alternative.")
                B[j] = (lo, hi)
        return B

    def _compute(self, X, types, w, cids):
        B = self._bounds(X, cids)
        from pymcdm.methods import SPOTIS as _SPOTIS

        score = np.asarray(_SPOTIS(B)(X, w, types, validation=False), dtype=float)
        ideal = np.where(types > 0, B[:, 1], B[:, 0])
        D = np.abs(X - ideal) / (B[:, 1] - B[:, 0])
        return {"score": score, "contrib": D * w, "B": B, "ideal": ideal}

    def _tables(self, res, alts, cids):
        return {"bounds": pd.DataFrame({"min": res["B"][:, 0], "max": res["B"][:, 1], "ideal": res["ideal"]},
                                       index=pd.Index(cids))}


# ---------------------------------------------------------------------------------------------
# registry
# ---------------------------------------------------------------------------------------------
_FACTORIES: dict[str, Callable[..., RankingMethod]] = {}
METHODS: dict[str, str] = {}
#: methods registered by another module on import (name -> module that calls register_method)
_LAZY: dict[str, str] = {"ahp": "mcda.ahp"}


def register_method(name: str, factory: Callable[..., RankingMethod], description: str) -> None:
    """Add (or replace) a method under its command-line name. Used by mcda/ahp.py for ``ahp``."""
    key = name.strip().lower()
    _FACTORIES[key] = factory
    METHODS[key] = description


for _cls in (TOPSIS, VIKOR, PROMETHEE2, WSM, WPM, COPRAS, EDAS, MABAC, SPOTIS):
    register_method(_cls.name, _cls, _cls.description)
METHODS.setdefault("ahp", "AHP synthesis: alternatives' priorities from the data, weighted down the hierarchy")
_ALIASES = {"promethee": "promethee2", "promethee_ii": "promethee2", "saw": "wsm", "weighted_sum": "wsm"}


def get_method(name: str, **options: Any) -> RankingMethod:
    """Build a ranking method by name (topsis, vikor, promethee2, wsm, wpm, copras, edas, mabac, spotis, ahp).

    Options that are None are ignored (so a command line can pass unset flags through).
    """
    key = _ALIASES.get(str(name).strip().lower(), str(name).strip().lower())
    if key not in _FACTORIES and key in _LAZY:
        try:
            importlib.import_module(_LAZY[key])
        except ModuleNotFoundError as exc:
            if exc.name != _LAZY[key]:
                raise
            raise InputError(f"method {key} is not available in this installation ({_LAZY[key]} is missing)",
                             where="method") from None
    if key not in _FACTORIES:
        raise InputError(f"unknown method '{name}'", where="method", hint="Use one of: " + ", ".join(sorted(METHODS)) + ".")
    opts = {k: v for k, v in options.items() if v is not None}
    factory = _FACTORIES[key]
    try:
        import inspect

        accepted = [p for p in inspect.signature(factory).parameters if p not in ("self", "args", "kwargs")]
    except (TypeError, ValueError):  # pragma: no cover - builtins without a signature
        accepted = None
    if accepted is not None:
        unknown = [k for k in opts if k not in accepted]
        if unknown:
            takes = f"its options are: {', '.join(accepted)}" if accepted else "it has no options"
            raise InputError(f"method {key} does not take option(s) {', '.join(unknown)}", where="method options",
                             hint=f"Remove it; {takes}.")
    try:
        return factory(**opts)
    except TypeError as exc:
        raise InputError(f"method {key} does not take option(s) {', '.join(opts)} ({exc})", where="method options") from None
