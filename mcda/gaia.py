"""GAIA plane (Mareschal & Brans 1988): the principal-component view of PROMETHEE's unicriterion net flows.

Mareschal, B. & Brans, J.-P. (1988). Geometrical representations for MCDA. European Journal of
Operational Research 34(1), 69-77.

Each alternative ``a`` is the point ``Phi[a] = (phi_1(a), ..., phi_m(a))`` of its single-criterion
net flows in R^m. Every column of ``Phi`` sums to zero, so the cloud is centred at the origin and its
covariance is ``C = Phi^T Phi / n``. The GAIA plane is spanned by the eigenvectors ``u, v`` of ``C``
with the two largest eigenvalues: alternatives are the projections ``(Phi[a].u, Phi[a].v)``, criterion
``j`` is the projected unit vector ``e_j -> (u_j, v_j)`` (an axis), and the decision stick ``pi`` is the
projected weight vector ``(w.u, w.v)``; PROMETHEE II's net flow is ``Phi[a].w``, so the alternatives
furthest along the stick rank best when the plane keeps most of the information. ``delta`` =
(l1 + l2) / sum of eigenvalues is the share of the cloud's variance kept by the plane.

Signs of principal components are arbitrary; here each is turned so that the decision stick points
to non-negative coordinates (the stick then points up and to the right), or, if the stick is
orthogonal to it, so that its largest criterion loading is positive. Pure numpy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from mcda.errors import InputError


@dataclass(frozen=True)
class Gaia:
    """The GAIA plane: alternatives as points, criteria as axes, the decision stick, information kept."""

    points: pd.DataFrame  #: index = alternatives, columns x, y
    axes: pd.DataFrame  #: index = criteria, columns x, y (projected unit vectors, length <= 1)
    stick: tuple[float, float]  #: projected weight vector (weights summing to 1)
    delta: float  #: share of the variance of the unicriterion net flows kept by the plane, in [0, 1]
    eigenvalues: np.ndarray  #: all eigenvalues of Phi^T Phi / n, largest first


def _orient(vec: np.ndarray, w: np.ndarray) -> np.ndarray:
    """The component's sign: the stick's coordinate non-negative, else its largest loading positive."""
    s = float(w @ vec)
    if abs(s) > 1e-12:
        return vec if s > 0 else -vec
    k = int(np.argmax(np.abs(vec)))
    return vec if vec[k] >= 0 else -vec


def gaia_plane(phi_j: pd.DataFrame, weights: pd.Series) -> Gaia:
    """GAIA plane of the unicriterion net flows ``phi_j`` (n alternatives x m criteria) for ``weights``."""
    if phi_j.shape[1] < 2:
        raise InputError(
            "the GAIA plane needs at least two criteria", hint="Switch on another criterion with a weight."
        )
    if phi_j.shape[0] < 2:
        raise InputError("the GAIA plane needs at least two alternatives")
    cids = [str(c) for c in phi_j.columns]
    w = pd.Series(weights, dtype=float).reindex(cids)
    if w.isna().any() or not np.isfinite(w.to_numpy()).all() or (w < 0).any() or float(w.sum()) <= 0:
        raise InputError("the GAIA plane needs a finite non-negative weight for every criterion", where="weights")
    wv = w.to_numpy(float) / float(w.sum())
    Phi = phi_j.to_numpy(float)
    if not np.isfinite(Phi).all():
        raise InputError("the unicriterion net flows must be finite numbers")
    n = Phi.shape[0]
    # centred already (each column sums to 0); centring again only removes rounding
    Phi = Phi - Phi.mean(axis=0)
    C = (Phi.T @ Phi) / n
    lam, vecs = np.linalg.eigh(C)  # ascending
    order = np.argsort(lam)[::-1]
    lam, vecs = np.clip(lam[order], 0.0, None), vecs[:, order]
    total = float(lam.sum())
    if total <= 0:
        raise InputError(
            "the GAIA plane is empty: every alternative has the same value on every criterion",
            hint="There is nothing to tell the alternatives apart.",
        )
    u, v = _orient(vecs[:, 0], wv), _orient(vecs[:, 1], wv)
    P = np.column_stack([Phi @ u, Phi @ v])
    alts = [str(a) for a in phi_j.index]
    return Gaia(
        points=pd.DataFrame(P, index=pd.Index(alts, name="alternative"), columns=["x", "y"]),
        axes=pd.DataFrame(np.column_stack([u, v]), index=pd.Index(cids, name="criterion"), columns=["x", "y"]),
        stick=(float(wv @ u), float(wv @ v)),
        delta=float(min(1.0, (lam[0] + lam[1]) / total)),
        eigenvalues=lam,
    )


def unicriterion_flows(problem: Any, method: Any = None) -> pd.DataFrame:
    """PROMETHEE's single-criterion net flows of a problem (n x m): with ``method``'s preference functions
    when it is PROMETHEE II, else with the usual criterion (type I), as Visual PROMETHEE starts."""
    from mcda.methods.promethee import PROMETHEE2

    m = method if isinstance(method, PROMETHEE2) else PROMETHEE2()
    phi = m.prepare(problem)["phi_j"]
    return pd.DataFrame(phi, index=pd.Index(problem.alternatives), columns=pd.Index(problem.criterion_ids))


def gaia_of(problem: Any, weights: pd.Series, method: Any = None) -> Gaia:
    """The GAIA plane of a ranking problem at its weights (PROMETHEE flows as :func:`unicriterion_flows`)."""
    return gaia_plane(unicriterion_flows(problem, method), weights)
