"""ELECTRE III (Roy 1978): outranking with pseudo-criteria and vetoes, ranked by net credibility flow.

Each criterion j is a pseudo-criterion with an indifference threshold q_j, a preference
threshold p_j and, optionally, a veto threshold v_j (0 <= q_j <= p_j <= v_j), all absolute, in
the criterion's own units. With g oriented so that larger is better (cost criteria turned round)
and the shortfall ``d = g_j(b) - g_j(a)`` of a against b:

* partial concordance ``c_j(a, b)``: 1 if d <= q_j, 0 if d >= p_j, linear in between;
* discordance ``D_j(a, b)``: 0 if d <= p_j, 1 if d >= v_j, linear in between (0 without v_j);
* concordance ``C(a, b) = sum_j w_j c_j(a, b)`` (weights summing to 1);
* credibility ``sigma(a, b) = C(a, b) * prod_{j: D_j > C} (1 - D_j) / (1 - C)`` — a full veto
  (D_j = 1) sets it to 0 whatever the concordance.

**The score is the net credibility flow** ``phi(a) = 1/(n-1) sum_b [sigma(a, b) - sigma(b, a)]``
in [-1, 1], higher is better: a complete ranking in which every alternative is compared with
every other one. Roy's distillation (descending and ascending, s(lambda) = 0.3 - 0.15 lambda)
and the final partial pre-order with its incomparabilities are computed beside it and shown in
the ``explain`` / ``verbose`` tables (``distillation``), as are the vetoes that fired (``vetoes``);
they do not change the score.

Roy, B. (1978). ELECTRE III : un algorithme de classements fondé sur une représentation floue
des préférences en présence de critères multiples. Cahiers du CERO 20(1), 3-24. Formulas as in
Figueira, J., Mousseau, V. & Roy, B. (2005). ELECTRE methods. In Figueira, Greco & Ehrgott (eds.),
Multiple Criteria Decision Analysis: State of the Art Surveys, Springer, 133-162 (section 4.3).

Plain numpy: the concordance is linear in the weights (``C = W @ c`` with the weight-free partial
concordances c, m x n^2) and the discordances do not depend on them, so the batched form is one
matrix product followed by the veto factors, element-wise over a block of weight vectors.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from mcda.errors import InputError
from mcda.methods.base import Prepared, RankingMethod, frame, matmul

#: distillation thresholds s(lambda) = ALPHA + BETA * lambda (Roy's usual values)
ALPHA = 0.3
BETA = -0.15
THRESHOLD_KEYS = ("q", "p", "v")
#: the thresholds key for every criterion not named
ALL = "*"
_HINT = 'Give thresholds per criterion in its own units, e.g. {"gdp_usd": {"q": 1e10, "p": 5e10, "v": 2e11}}.'


def _number(val: Any, where: str, label: str) -> float:
    """A threshold as a finite float >= 0, or an InputError naming it."""
    try:
        if isinstance(val, (bool, np.bool_, str, bytes)):
            raise TypeError
        f = float(val)
    except (TypeError, ValueError):
        raise InputError(f"{label} must be a number, got {val!r}", where=where, hint=_HINT) from None
    if not (np.isfinite(f) and f >= 0):
        raise InputError(f"{label} must be a finite number >= 0, got {val!r}", where=where, hint=_HINT)
    return f


def check_thresholds(thresholds: Any) -> dict[str, dict[str, float | None]]:
    """Validated thresholds ``{criterion: {"q", "p", "v"}}`` (q defaults to 0, p to q, v to no veto).

    Raises
    ------
    InputError
        Not a mapping, an unknown key, a value that is not a number >= 0, or not q <= p <= v.
    """
    if thresholds is None:
        return {}
    if not isinstance(thresholds, Mapping):
        raise InputError(
            f"thresholds must map criterion -> {{q, p, v}}, got {type(thresholds).__name__}",
            where="electre3 thresholds",
            hint=_HINT,
        )
    out: dict[str, dict[str, float | None]] = {}
    for crit, spec in thresholds.items():
        where = f"electre3 thresholds, criterion {crit}"
        if not isinstance(spec, Mapping):
            raise InputError(
                f"thresholds of {crit} must be an object with q, p, v, got {spec!r}", where=where, hint=_HINT
            )
        unknown = [str(k) for k in spec if k not in THRESHOLD_KEYS]
        if unknown:
            raise InputError(
                f"unknown threshold '{unknown[0]}' for {crit}",
                where=where,
                hint="Use q (indifference), p (preference) and v (veto).",
            )
        q = 0.0 if spec.get("q") is None else _number(spec["q"], where, "indifference threshold q")
        p = q if spec.get("p") is None else _number(spec["p"], where, "preference threshold p")
        v = None if spec.get("v") is None else _number(spec["v"], where, "veto threshold v")
        if q > p:
            raise InputError(f"indifference threshold q ({q:g}) must not exceed p ({p:g})", where=where, hint=_HINT)
        if v is not None and v < p:
            raise InputError(f"veto threshold v ({v:g}) must not be below p ({p:g})", where=where, hint=_HINT)
        out[str(crit)] = {"q": q, "p": p, "v": v}
    return out


def read_thresholds(path: Any) -> dict[str, dict[str, float | None]]:
    """Thresholds from a CSV/XLSX ``criterion,q,p,v`` (one row per criterion, ``*`` = every other one; a blank
    cell = the default: q 0, p = q, no veto), validated by :func:`check_thresholds`; a bad cell names the
    file and line (``--thresholds FILE`` of ``rank --method electre3``)."""
    from mcda.io import _read_table

    df = _read_table(path, "thresholds table")
    cols = [str(c).strip().lower() for c in df.columns]
    if not cols or cols[0] != "criterion" or any(c not in ("criterion", *THRESHOLD_KEYS) for c in cols):
        raise InputError(
            f"columns must be criterion,q,p,v (got {','.join(cols)})",
            where=str(path),
            hint="First column criterion (a criterion id, or * for every other one), then q, p and/or v.",
        )
    df.columns = cols
    if len(df) == 0:
        raise InputError("has a header but no data rows", where=str(path))
    out: dict[str, dict[str, Any]] = {}
    for i, row in enumerate(df.itertuples(index=False), start=2):
        rec = dict(zip(cols, row, strict=True))
        crit = str(rec["criterion"]).strip()
        if crit in out:
            raise InputError(f"criterion {crit} is given twice", where=f"{path}, line {i}")
        spec: dict[str, Any] = {}
        for k in THRESHOLD_KEYS:
            v = rec.get(k)
            if v is None or (isinstance(v, float) and np.isnan(v)) or (isinstance(v, str) and not v.strip()):
                continue
            try:
                spec[k] = float(v)
            except (TypeError, ValueError):
                raise InputError(f"{k} must be a number, got {v!r}", where=f"{path}, line {i}, column {k}") from None
        out[crit] = spec
        try:
            check_thresholds({crit: spec})
        except InputError as e:
            raise InputError(e.message, where=f"{path}, line {i}", hint=e.hint) from None
    return check_thresholds(out)


def partial_indices(
    X: np.ndarray, types: np.ndarray, q: np.ndarray, p: np.ndarray, v: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Partial concordance c_j(a, b) and discordance D_j(a, b), each ``(m x n x n)``.

    ``v`` holds inf where a criterion has no veto (its discordance is 0).
    """
    G = X * types  # larger is better
    short = G.T[:, None, :] - G.T[:, :, None]  # short[j, a, b] = g_j(b) - g_j(a): a's shortfall against b
    qq, pp, vv = q[:, None, None], p[:, None, None], v[:, None, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        c = np.where(short <= qq, 1.0, np.where(short >= pp, 0.0, (pp - short) / (pp - qq)))
        D = np.where(short <= pp, 0.0, np.where(short >= vv, 1.0, (short - pp) / (vv - pp)))
    D = np.where(np.isfinite(vv), D, 0.0)
    return c, D


def credibility_batch(cflat: np.ndarray, Dflat: np.ndarray, W: np.ndarray) -> np.ndarray:
    """Credibility sigma for a block of weight vectors: ``(s x n^2)`` from ``c`` (m x n^2), ``D``
    (k x n^2, the criteria with a veto) and ``W`` (s x m, rows summing to 1).

    Only the pairs where criterion j has some discordance (D_j > 0) can be lowered by it; each
    criterion's factor is applied to those columns only.
    """
    # rounded to 12 decimals: a full concordance summed as 0.999...9 must stay 1 (Roy's formula has a
    # jump there: D_j = 1 > C vetoes, C = 1 never does), and batched and single calls must agree
    C = np.round(np.clip(matmul(W, cflat), 0.0, 1.0), 12)
    S = C
    for Dj in Dflat:
        idx = np.flatnonzero(Dj > 0)
        if idx.size == 0:
            continue
        if S is C:
            S = C.copy()
        d = Dj[idx]
        Cs = C[:, idx]
        hit = d > Cs
        if hit.any():
            S[:, idx] *= np.where(hit, (1.0 - d) / np.where(hit, 1.0 - Cs, 1.0), 1.0)
    return S


def net_flows(S: np.ndarray, n: int) -> np.ndarray:
    """Net credibility flows ``(s x n)`` from credibilities ``(s x n^2)`` (the diagonal cancels)."""
    M = S.reshape(-1, n, n)
    return (M.sum(axis=2) - M.sum(axis=1)) / max(n - 1, 1)


def electre3_scores(cflat: np.ndarray, Dflat: np.ndarray, w: np.ndarray, n: int) -> np.ndarray:
    """Net credibility flow of each alternative for one weight vector (``(n,)``)."""
    return net_flows(credibility_batch(cflat, Dflat, w[None, :]), n)[0]


# ---------------------------------------------------------------------------------------------
# distillation (shown in the explain tables; the score is the net flow)
# ---------------------------------------------------------------------------------------------
def _qualification(S: np.ndarray, D: list[int], lam: float) -> np.ndarray:
    """Strength minus weakness in D of the lambda-outranking: sigma > lam and sigma - sigma' > s(sigma)."""
    sub = S[np.ix_(D, D)]
    out = (sub > lam) & (sub - sub.T > ALPHA + BETA * sub)
    np.fill_diagonal(out, False)
    return out.sum(axis=1) - out.sum(axis=0)


def distillation(S: np.ndarray, ascending: bool = False) -> list[list[int]]:
    """Roy's descending (best first) or ascending (worst first) distillation: classes of indices."""
    remaining = list(range(S.shape[0]))
    classes: list[list[int]] = []
    while remaining:
        D = list(remaining)
        off = S[np.ix_(D, D)][~np.eye(len(D), dtype=bool)]
        lam_max = float(off.max()) if off.size else 0.0
        while len(D) > 1 and lam_max > 0:
            below = off[off < lam_max - (ALPHA + BETA * lam_max)]
            lam = float(below.max()) if below.size else 0.0
            qual = _qualification(S, D, lam)
            best = qual.min() if ascending else qual.max()
            D = [a for a, qa in zip(D, qual, strict=True) if qa == best]
            off = S[np.ix_(D, D)][~np.eye(len(D), dtype=bool)]
            lam_max = lam
        classes.append(sorted(D))
        remaining = [a for a in remaining if a not in D]
    return classes[::-1] if ascending else classes


def final_preorder(desc: list[list[int]], asc: list[list[int]], n: int) -> tuple[np.ndarray, np.ndarray]:
    """Positions in the two pre-orders and the final partial pre-order's ranks.

    a precedes b when it is at least as good in both distillations and better in one; the final
    rank of a is 1 + the number of alternatives that precede it. Returns ``(pos, rank)`` with
    ``pos`` (n x 2) the class numbers (1 = best) in the descending and ascending pre-orders.
    """
    pos = np.zeros((n, 2), dtype=int)
    for k, cls in enumerate(desc):
        pos[cls, 0] = k + 1
    for k, cls in enumerate(asc):
        pos[cls, 1] = k + 1
    better = (pos[:, None, :] <= pos[None, :, :]).all(axis=2) & (pos[:, None, :] < pos[None, :, :]).any(axis=2)
    return pos, 1 + better.sum(axis=0)


class ELECTRE3(RankingMethod):
    """ELECTRE III (Roy 1978): net credibility flow of the valued outranking relation, higher is better.

    Parameters
    ----------
    thresholds : dict, optional
        ``{criterion id: {"q": .., "p": .., "v": ..}}`` in the criterion's own units (absolute
        differences; for a cost criterion, how much *lower* is better). q defaults to 0, p to q,
        v to no veto; 0 <= q <= p <= v. The key ``"*"`` gives the thresholds of every criterion not
        named; without it those get q = p = 0 and no veto (a true criterion: any advantage is a
        strict preference).

    Notes
    -----
    Contributions: ``w_j * (1/(n-1)) sum_b [c_j(a, b) - c_j(b, a)]``, the criterion's share of the
    net *concordance* flow (explain table ``flows``); discordance (vetoes) is not split by
    criterion, so they sum to the net concordance flow, not to the score. A veto acts whatever the
    criterion's weight, so a zero-weighted criterion with a veto still counts. Memory is m x n x n.
    """

    name = "electre3"
    description = (
        "ELECTRE III (Roy 1978): outranking with indifference, preference and veto thresholds; net credibility flow"
    )
    aliases = ("electre_iii",)  # not "electre": ELECTRE is a family (I, II, III, IV, TRI)
    reference = (
        "Roy, B. (1978). ELECTRE III. Cahiers du CERO 20(1), 3-24; Figueira, Mousseau & Roy (2005), "
        "ELECTRE methods, in Multiple Criteria Decision Analysis: State of the Art Surveys, 133-162."
    )
    contribution_meaning = (
        "w_j * single-criterion net concordance flow; they sum to the net concordance flow "
        "(explain['flows']), not to the score, which also counts discordance (vetoes)"
    )
    contributions_sum_to = "net concordance (explain['flows'])"
    captions: ClassVar[dict[str, str]] = {
        "thresholds": "Pseudo-criteria: indifference q, preference p, veto v (criterion units)",
        "concordance": "Concordance C(a, b) (row a, column b)",
        "credibility": "Credibility sigma(a, b) that a outranks b (row a, column b)",
        "vetoes": "Discordance that lowered a credibility (D_j(a, b) > C(a, b)); veto = 1 sets it to 0",
        "flows": "Flows: net credibility flow (the score) and net concordance flow",
        "distillation": "Distillation (s = 0.3 - 0.15 lambda): descending, ascending, final partial pre-order",
    }
    MAX_ALTERNATIVES = 1500

    def __init__(self, thresholds: Mapping[str, Mapping[str, float]] | None = None) -> None:
        self.thresholds = check_thresholds(thresholds)

    def options(self) -> dict[str, Any]:
        return {"thresholds": "given"} if self.thresholds else {}

    @property
    def scale_invariant(self) -> bool:
        """True only without thresholds (they are in the criterion's own units)."""
        return not self.thresholds

    @property
    def zero_weight_ignored(self) -> bool:  # type: ignore[override]
        """A veto acts whatever the weight: only without veto thresholds is a zero weight ignored."""
        return not any(t["v"] is not None for t in self.thresholds.values())

    def _arrays(self, cids: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        unknown = [c for c in self.thresholds if c not in cids and c != ALL]
        if unknown:
            raise InputError(
                f"thresholds given for unknown criterion {unknown[0]}",
                where="electre3 thresholds",
                hint="Use the criteria in force: " + ", ".join(cids) + ".",
            )
        rest = self.thresholds.get(ALL, {"q": 0.0, "p": 0.0, "v": None})
        t = [self.thresholds.get(c, rest) for c in cids]
        q = np.array([float(x["q"] or 0.0) for x in t])
        p = np.array([float(x["p"] or 0.0) for x in t])
        v = np.array([np.inf if x["v"] is None else float(x["v"]) for x in t])
        return q, p, v

    def _indices(self, X: np.ndarray, types: np.ndarray, cids: list[str]) -> tuple[np.ndarray, np.ndarray]:
        n = X.shape[0]
        if n > self.MAX_ALTERNATIVES:
            raise InputError(
                f"ELECTRE III compares every pair of alternatives; {n} alternatives is too many "
                f"(limit {self.MAX_ALTERNATIVES})",
                hint="Use TOPSIS, VIKOR or WSM for large tables.",
            )
        q, p, v = self._arrays(cids)
        return partial_indices(X, types, q, p, v)

    def prepare(self, problem: Any) -> Prepared:
        c, D = self._indices(problem.values, problem.types, problem.criterion_ids)
        n = problem.values.shape[0]
        veto = [j for j in range(D.shape[0]) if D[j].any()]
        return {"c": c.reshape(c.shape[0], n * n), "D": D[veto].reshape(len(veto), n * n), "n": n}

    def score_prepared(self, prepared: Prepared, w: np.ndarray) -> np.ndarray:
        return electre3_scores(prepared["c"], prepared["D"], w, prepared["n"])

    def batch_scores(self, prepared: Prepared, W: np.ndarray) -> np.ndarray:
        return net_flows(credibility_batch(prepared["c"], prepared["D"], W), prepared["n"])

    def _compute(self, X: np.ndarray, types: np.ndarray, w: np.ndarray, cids: list[str]) -> dict[str, Any]:
        c, D = self._indices(X, types, cids)
        n, m = X.shape
        cflat, Dflat = c.reshape(m, n * n), D.reshape(m, n * n)
        C = np.round(np.clip(matmul(w[None, :], cflat), 0.0, 1.0), 12).reshape(n, n)
        S = credibility_batch(cflat, Dflat[[j for j in range(m) if Dflat[j].any()]], w[None, :]).reshape(n, n)
        np.fill_diagonal(C, 1.0)
        np.fill_diagonal(S, 1.0)
        phi = net_flows(S.reshape(1, -1), n)[0]
        contrib = ((c.sum(axis=2) - c.sum(axis=1)).T / max(n - 1, 1)) * w  # (n x m)
        desc = distillation(S)
        asc = distillation(S, ascending=True)
        q, p, v = self._arrays(cids)
        return {
            "score": phi,
            "contrib": contrib,
            "C": C,
            "S": S,
            "D": D,
            "q": q,
            "p": p,
            "v": v,
            "desc": desc,
            "asc": asc,
            "G": X * types,
        }

    def _tables(self, res: dict[str, Any], alts: list[str], cids: list[str]) -> dict[str, pd.DataFrame]:
        n = len(alts)
        S, C, D = res["S"], res["C"], res["D"]
        pos, final = final_preorder(res["desc"], res["asc"], n)
        incomparable = []
        for a in range(n):
            others = [
                alts[b]
                for b in range(n)
                if b != a and (pos[a, 0] - pos[b, 0]) * (pos[a, 1] - pos[b, 1]) < 0  # the two pre-orders disagree
            ]
            incomparable.append(", ".join(others))
        rows = []
        for a in range(n):
            for b in range(n):
                if a == b:
                    continue
                for j in range(len(cids)):
                    if D[j, a, b] > C[a, b]:
                        gap = res["G"][b, j] - res["G"][a, j]
                        full = D[j, a, b] >= 1.0
                        rows.append(
                            {
                                "a": alts[a],
                                "b": alts[b],
                                "criterion": cids[j],
                                "shortfall": abs(float(gap)),
                                "veto_threshold": float(res["v"][j]),
                                "discordance": float(D[j, a, b]),
                                "concordance": float(C[a, b]),
                                "credibility": float(S[a, b]),
                                "effect": (
                                    f"veto: {alts[b]} beats {alts[a]} on {cids[j]} by {abs(float(gap)):g} >= "
                                    f"v = {float(res['v'][j]):g}, so {alts[a]} cannot outrank {alts[b]}"
                                    if full
                                    else f"partial veto: {alts[b]} beats {alts[a]} on {cids[j]} by {abs(float(gap)):g} "
                                    f"(p = {float(res['p'][j]):g} < shortfall < v = {float(res['v'][j]):g}); "
                                    f"credibility {float(C[a, b]):.3g} -> {float(S[a, b]):.3g}"
                                ),
                            }
                        )
        vetoes = pd.DataFrame(
            rows,
            columns=[
                "a",
                "b",
                "criterion",
                "shortfall",
                "veto_threshold",
                "discordance",
                "concordance",
                "credibility",
                "effect",
            ],
        )
        conc = (C.sum(axis=1) - C.sum(axis=0)) / max(n - 1, 1)
        return {
            "thresholds": pd.DataFrame(
                {"q": res["q"], "p": res["p"], "v": np.where(np.isfinite(res["v"]), res["v"], np.nan)},
                index=pd.Index(cids),
            ),
            "concordance": frame(C, alts, alts),
            "credibility": frame(S, alts, alts),
            "vetoes": vetoes,
            "flows": pd.DataFrame(
                {
                    "credibility_plus": (S.sum(axis=1) - 1.0) / max(n - 1, 1),
                    "credibility_minus": (S.sum(axis=0) - 1.0) / max(n - 1, 1),
                    "net_credibility_flow": res["score"],
                    "net_concordance_flow": conc,
                },
                index=pd.Index(alts),
            ),
            "distillation": pd.DataFrame(
                {
                    "descending_class": pos[:, 0],
                    "ascending_class": pos[:, 1],
                    "final_rank": final,
                    "incomparable_with": incomparable,
                },
                index=pd.Index(alts),
            ),
        }


METHOD_CLASSES = (ELECTRE3,)
