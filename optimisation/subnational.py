"""The sub-national allocation model (issue 12 item 5): regions x project types x benefit bands x
years, built as numpy arrays for HiGHS (:class:`optimisation.fastbuild.MatrixLP`), with the same model
written plainly in PuLP as the reference it is checked against, and a check of any allocation
against the model's rules computed from the data alone.

The model is the planner's allocation model (DESIGN.md, "Allocation model") per year:
x[r,p,s,t] in [0, band width] (US$M), maximise sum priority_r * impact_p * need[r,p] * marginal_s *
discount_t * x (concave in each region and type: falling marginal benefit per band), subject to

- yearly budgets: aid use sum a_p x <= B_aid,t and investment use sum (1 - a_p) x <= B_inv,t;
- absorptive cap per region and year: sum over types and bands <= cap_r;
- capacity per region and type over the plan: sum over bands and years <= 2 x the type's capacity;
- equity floor per region over the plan: at least f / R of everything spent;
- a floor per type and year: at least share_p of the year's spending.

The array form adds exact auxiliaries so that no row carries every variable: y[p,t] (spending by
type and year, the one place the sums over regions are taken), A_t and I_t (pool use, from y) and G
(everything spent, from A and I). Each x column then has 4 terms (its type-year sum, absorptive cap,
capacity, equity) instead of 6, and the equity and type floors refer to G, A and I rather than to
every x: 1.6 M terms at 2,000 regions instead of 2.4 M, and about half the simplex CPU time (29 s
against 55 s at 2,000 regions). The objective is multiplied by the number of regions: priorities are
shares summing to 1, so at 2,000 regions the smallest costs (~1e-7) sit at HiGHS's dual feasibility
tolerance, and unscaled the dual simplex did not finish in 20 minutes (40,000 iterations, primal
infeasibilities not falling); scaled, it solves in about 25,000. Reported objectives are divided back.
:func:`build_pulp` writes the model as listed above, with none of this, and gives the same optimum.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from mcda.errors import InputError
from optimisation.fastbuild import MatrixLP

MARGINALS = np.array([0.875, 0.625, 0.375, 0.125])  # benefit per US$ in each band, falling
N_TYPES, N_BANDS, N_YEARS = 10, 4, 5
EQUITY = 0.3  # each region gets at least EQUITY / R of everything spent
DISCOUNT = 0.97  # benefit of a later year's dollar


@dataclass(frozen=True)
class Regions:
    """A sub-national instance: R regions, P project types, S bands, T years (arrays in US$M)."""

    K: np.ndarray  # (P,) capacity per region and type, per year
    width: np.ndarray  # (R, P, S) band widths
    aid: np.ndarray  # (P,) aid share of each type's spending
    impact: np.ndarray  # (P,)
    need: np.ndarray  # (R, P)
    priority: np.ndarray  # (R,) shares summing to 1 (from a ranking)
    cap: np.ndarray  # (R,) absorptive cap per region and year
    budget_aid: np.ndarray  # (T,)
    budget_inv: np.ndarray  # (T,)
    type_share: np.ndarray  # (P,) floor of each type's share of a year's spending
    disc: np.ndarray  # (T,) discount per year
    marginal: np.ndarray  # (S,) benefit per US$ per band
    equity: float

    @property
    def shape(self) -> tuple[int, int, int, int]:
        """(R, P, S, T): the shape of x."""
        R, P, S = self.width.shape
        return R, P, S, len(self.disc)


def synthetic_regions(n_regions: int, seed: int = 0) -> Regions:
    """A synthetic instance of ``n_regions`` regions (a benchmark, not data): the size of a sub-national plan."""
    if isinstance(n_regions, bool) or not isinstance(n_regions, int) or n_regions < 1:
        raise InputError(f"regions must be a whole number >= 1, got {n_regions!r}", where="regions")
    R, P, S, T = n_regions, N_TYPES, N_BANDS, N_YEARS
    rng = np.random.default_rng(seed)
    K = rng.uniform(5, 40, P)
    return Regions(
        K=K,
        width=np.broadcast_to((K / S)[None, :, None], (R, P, S)).copy(),
        aid=rng.uniform(0, 1, P).round(3),
        impact=rng.uniform(0.5, 2.0, P),
        need=rng.uniform(0.3, 3.0, (R, P)),
        priority=rng.dirichlet(np.ones(R)),
        cap=rng.uniform(20, 120, R),
        budget_aid=np.full(T, K.sum() * R * 0.08),
        budget_inv=np.full(T, K.sum() * R * 0.12),
        type_share=np.full(P, 0.02),
        disc=DISCOUNT ** np.arange(T),
        marginal=MARGINALS.copy(),
        equity=EQUITY,
    )


def benefit(d: Regions) -> np.ndarray:
    """Objective coefficient of each x[r,p,s,t] (the model's own scale: priorities sum to 1)."""
    return (
        d.priority[:, None, None, None]
        * (d.impact[None, :] * d.need)[:, :, None, None]
        * d.marginal[None, None, :, None]
        * d.disc[None, None, None, :]
    )


@dataclass(frozen=True)
class SubnationalLP:
    """The array-built model and where its blocks sit: column ids of x (R,P,S,T), y (P,T), A, I (T,), G."""

    lp: MatrixLP
    x: np.ndarray
    y: np.ndarray
    A: np.ndarray
    I: np.ndarray  # noqa: E741 - the model's notation
    G: np.ndarray
    scale: float  # objective multiplier; divide HiGHS's objective by it


def build_matrix(d: Regions) -> SubnationalLP:
    """The model as numpy blocks (no per-variable Python object): see the module doc for its form."""
    R, P, S, T = d.shape
    m = MatrixLP("max")
    scale = float(R)
    x = m.add_vars((R, P, S, T), 0.0, d.width[:, :, :, None], scale * benefit(d))
    y = m.add_vars((P, T))
    A = m.add_vars(T, 0.0, d.budget_aid)  # the yearly budgets are the pools' bounds
    I = m.add_vars(T, 0.0, d.budget_inv)  # noqa: E741
    G = m.add_vars(1)
    xs = x.ravel()
    nx, npt = x.size, P * T
    # y[p,t] - sum_{r,s} x[r,p,s,t] = 0
    pt = np.broadcast_to(np.arange(npt).reshape(1, P, 1, T), x.shape).ravel()
    m.add_rows(np.concatenate([np.arange(npt), pt]), np.concatenate([y.ravel(), xs]),
               np.concatenate([np.ones(npt), np.full(nx, -1.0)]), 0.0, 0.0)  # fmt: skip
    # A_t - sum_p a_p y[p,t] = 0 and I_t - sum_p (1 - a_p) y[p,t] = 0
    t_of = np.tile(np.arange(T), P)
    for pool, share in ((A, d.aid), (I, 1.0 - d.aid)):
        m.add_rows(np.concatenate([np.arange(T), t_of]), np.concatenate([pool, y.ravel()]),
                   np.concatenate([np.ones(T), -np.repeat(share, T)]), 0.0, 0.0)  # fmt: skip
    # G - sum_t (A_t + I_t) = 0
    m.add_rows(np.zeros(2 * T + 1, np.int64), np.concatenate([G, A, I]),
               np.concatenate([[1.0], np.full(2 * T, -1.0)]), 0.0, 0.0)  # fmt: skip
    # absorptive cap per region and year
    rt = np.broadcast_to(np.arange(R)[:, None, None, None] * T + np.arange(T), x.shape).ravel()
    m.add_rows(rt, xs, 1.0, upper=np.repeat(d.cap, T))
    # capacity per region and type over the plan
    rp = np.broadcast_to(np.arange(R * P).reshape(R, P, 1, 1), x.shape).ravel()
    m.add_rows(rp, xs, 1.0, upper=np.tile(2.0 * d.K, R))
    # equity floor per region: sum x[r] - f/R G >= 0
    reg = np.broadcast_to(np.arange(R)[:, None, None, None], x.shape).ravel()
    m.add_rows(np.concatenate([reg, np.arange(R)]), np.concatenate([xs, np.repeat(G, R)]),
               np.concatenate([np.ones(nx), np.full(R, -d.equity / R)]), lower=0.0)  # fmt: skip
    # floor per type and year: y[p,t] - share_p (A_t + I_t) >= 0
    rows = np.arange(npt)
    m.add_rows(np.concatenate([rows, rows, rows]), np.concatenate([y.ravel(), np.tile(A, P), np.tile(I, P)]),
               np.concatenate([np.ones(npt), -np.repeat(d.type_share, T), -np.repeat(d.type_share, T)]),
               lower=0.0)  # fmt: skip
    return SubnationalLP(m, x, y, A, I, G, scale)


def build_pulp(d: Regions) -> Any:
    """The same model written plainly with PuLP, row by row as the module doc lists it (no auxiliary
    sums, no scaling): the reference the array form is checked against."""
    import pulp

    R, P, S, T = d.shape
    c = benefit(d)
    prob = pulp.LpProblem("subnational", pulp.LpMaximize)
    x = {
        (r, p, s, t): prob.add_variable(f"x_{r}_{p}_{s}_{t}", 0, float(d.width[r, p, s]))
        for r in range(R)
        for p in range(P)
        for s in range(S)
        for t in range(T)
    }
    prob += pulp.lpSum(float(c[k]) * v for k, v in x.items())
    everything = pulp.lpSum(x.values())
    for t in range(T):
        year = [(r, p, s) for r in range(R) for p in range(P) for s in range(S)]
        prob += pulp.lpSum(float(d.aid[p]) * x[r, p, s, t] for r, p, s in year) <= float(d.budget_aid[t]), f"aid_{t}"
        prob += (
            pulp.lpSum(float(1.0 - d.aid[p]) * x[r, p, s, t] for r, p, s in year) <= float(d.budget_inv[t]),
            f"inv_{t}",
        )
        spent = pulp.lpSum(x[r, p, s, t] for r, p, s in year)
        for p in range(P):
            of_type = pulp.lpSum(x[r, p, s, t] for r in range(R) for s in range(S))
            prob += of_type >= float(d.type_share[p]) * spent, f"type_{p}_{t}"
    for r in range(R):
        for t in range(T):
            prob += pulp.lpSum(x[r, p, s, t] for p in range(P) for s in range(S)) <= float(d.cap[r]), f"abs_{r}_{t}"
        for p in range(P):
            prob += pulp.lpSum(x[r, p, s, t] for s in range(S) for t in range(T)) <= float(2.0 * d.K[p]), f"cap_{r}_{p}"
        mine = pulp.lpSum(x[r, p, s, t] for p in range(P) for s in range(S) for t in range(T))
        prob += mine >= d.equity / R * everything, f"equity_{r}"
    return prob


def violations(d: Regions, x: np.ndarray) -> dict[str, float]:
    """Largest violation of each rule by an allocation x (R,P,S,T), computed from the data alone
    (not from any built matrix); 0 where a rule holds."""
    R, P, S, T = d.shape
    x = np.asarray(x, dtype=float).reshape(R, P, S, T)
    by_year = x.sum(axis=(0, 2))  # (P, T)
    spent_t = by_year.sum(axis=0)
    mine = x.sum(axis=(1, 2, 3))

    def worst(a: np.ndarray) -> float:
        return float(max(0.0, np.max(a)))

    return {
        "lower bound": worst(-x),
        "band width": worst(x - d.width[:, :, :, None]),
        "aid budget": worst(d.aid @ by_year - d.budget_aid),
        "investment budget": worst((1.0 - d.aid) @ by_year - d.budget_inv),
        "absorptive cap": worst(x.sum(axis=(1, 2)) - d.cap[:, None]),
        "capacity": worst(x.sum(axis=(2, 3)) - 2.0 * d.K[None, :]),
        "equity floor": worst(d.equity / R * mine.sum() - mine),
        "type floor": worst(d.type_share[:, None] * spent_t[None, :] - by_year),
    }


def objective(d: Regions, x: np.ndarray) -> float:
    """The model's objective (priorities summing to 1) of an allocation x (R,P,S,T)."""
    return float(np.sum(benefit(d) * np.asarray(x, dtype=float).reshape(d.shape)))


__all__ = [
    "Regions",
    "SubnationalLP",
    "benefit",
    "build_matrix",
    "build_pulp",
    "objective",
    "synthetic_regions",
    "violations",
]
