"""Funding acceptability without rebuilding: ONE allocation model over every eligible country,
handed to HiGHS once (highspy, in process); each weight sample only switches countries on and off
and changes the objective, and HiGHS re-solves from the previous basis (warm start).

Why not one PuLP model per distinct shortlist (the plain path in :mod:`fulcrum.funding`): under
uniform weights the default scenario meets a new shortlist every other sample, and each costs a
``prepare`` + build (~50 ms) plus a CBC process (~15 ms); 10,000 samples took minutes.

The equivalence this rests on (checked in tests/fulcrum/test_funding_fast.py, row by row against
the plain path's per-shortlist model): the model built for a shortlist S is the model built for
all eligible countries with

- the segment variables of countries outside S fixed at 0,
- the rows that concern one country outside S alone left out (that is what ``restrict_spec``
  and the families' per-country rows do),
- the equity floor's share coefficient ``-f / n`` with n = |S|,

because every model input of a country (need factors over the whole countries table, capacities,
GDP) does not depend on which other countries are shortlisted. That holds for the families of an
allocation spec without country-named entries and without discrete projects; :func:`unsupported`
says when it does not, and the plain path runs instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from mcda.errors import InputError

#: values below this are 0 (as :func:`optimisation.solving.segment_values`)
ZERO = 1e-9


def unsupported(spec: Any, tracks: bool) -> str | None:
    """Why the shared-model path cannot run this study (None: it can)."""
    if tracks:
        return "tracks (each sample's shortlist comes from several rankings)"
    if spec.discrete:
        return "discrete projects (a MILP)"
    try:
        import highspy  # noqa: F401
    except ImportError:
        return "HiGHS (highspy) is not installed"
    from optimisation import restrict_spec

    if restrict_spec(spec, [])[1]:
        return "the allocation names countries (floors, caps, pairs, linking lists or capacity scales)"
    return None


class SharedModel:
    """The allocation model of every eligible country, in HiGHS, re-solved per sample.

    Parameters
    ----------
    model : optimisation.model.AllocationModel
        Built for every eligible country (any positive priorities: they are replaced per sample).
    """

    def __init__(self, model: Any) -> None:
        import highspy
        from scipy import sparse

        from optimisation.constraints import EQ, GE, LE

        b, prep = model.built, model.prep
        vars_, rows, cols, coefs = model.check_structure()
        nx, nv, nr = len(b.xvars), len(vars_), len(b.cons)
        self.countries: list[str] = list(prep.countries)
        self.cidx = {c: i for i, c in enumerate(self.countries)}
        self.types: list[str] = list(prep.types)
        self.xcountry = np.asarray(b.xcountry, dtype=np.int64)
        self.xpair = np.asarray(b.xpair, dtype=np.int64)
        self.xbase = np.asarray(b.xbase, dtype=float)
        self.nx = nx
        self.aid_share = np.array([prep.aid_share[p] for p in self.types], dtype=float)
        lo = np.array([v.lowBound if v.lowBound is not None else -np.inf for v in vars_], dtype=float)
        up = np.array([v.upBound if v.upBound is not None else np.inf for v in vars_], dtype=float)
        self.x_up = up[:nx].copy()
        rlo = np.full(nr, -np.inf)
        rup = np.full(nr, np.inf)
        for i, con in enumerate(b.cons):
            if con.sense in (GE, EQ):
                rlo[i] = con.rhs
            if con.sense in (LE, EQ):
                rup[i] = con.rhs
            assert con.sense in (LE, GE, EQ)
        self.rlo, self.rup = rlo, rup
        self.row_names = [con.name for con in b.cons]
        self.var_names = [v.name for v in vars_]
        # the country a row concerns alone (-1: several or none)
        seg = cols < nx
        owner = np.full(nr, -1, dtype=np.int64)
        rc = self.xcountry[cols[seg]]
        rr = rows[seg]
        first = np.full(nr, -1, dtype=np.int64)
        first[rr[::-1]] = rc[::-1]
        mixed = np.zeros(nr, dtype=bool)
        mixed[rr[rc != first[rr]]] = True
        owner[(first >= 0) & ~mixed] = first[(first >= 0) & ~mixed]
        self.owner = owner
        starts = np.searchsorted(self.xcountry, np.arange(len(self.countries) + 1))
        self.x_of = [np.arange(starts[i], starts[i + 1], dtype=np.int32) for i in range(len(self.countries))]
        self.rows_of = [np.flatnonzero(owner == i).astype(np.int32) for i in range(len(self.countries))]
        # the equity floor's -f/n coefficients on the pool totals
        pos = {id(v): j for j, v in enumerate(vars_)}
        pools = {pos[id(b.A)], pos[id(b.I)]}
        self.f = float(prep.spec.equity_floor or 0.0)
        eq_rows = {i for i, con in enumerate(b.cons) if con.group == "equity_floor"}
        self.equity_entries = [(int(r), int(c)) for r, c in zip(rows, cols, strict=True) if r in eq_rows and c in pools]
        self.n_now = len(self.countries)

        A = sparse.csc_matrix((coefs, (rows, cols)), shape=(nr, nv))
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = nv, nr
        lp.col_cost_ = np.zeros(nv)
        lp.col_lower_, lp.col_upper_ = lo, up
        lp.row_lower_, lp.row_upper_ = rlo, rup
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = A.indptr.astype(np.int32)
        lp.a_matrix_.index_ = A.indices.astype(np.int32)
        lp.a_matrix_.value_ = A.data.astype(float)
        lp.sense_ = highspy.ObjSense.kMaximize
        from optimisation.fastbuild import quiet_highs

        h = quiet_highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("presolve", "off")  # re-solves start from the previous basis
        h.setOptionValue("time_limit", float(prep.spec.time_limit_s))
        h.passModel(lp)
        self.h = h
        self._ok = highspy.HighsModelStatus.kOptimal
        self._infeasible = highspy.HighsModelStatus.kInfeasible
        self.active = np.ones(len(self.countries), dtype=bool)

    def solve(self, ids: list[str], priority: np.ndarray) -> tuple[str, np.ndarray | None, np.ndarray | None]:
        """Solve for the shortlist ``ids`` with their ``priority`` (same order): (status, aid, investment
        per country of ``ids``) — None arrays when there is no allocation."""
        nC = len(self.countries)
        ci = np.fromiter((self.cidx[c] for c in ids), dtype=np.int64, count=len(ids))
        act = np.zeros(nC, dtype=bool)
        act[ci] = True
        h = self.h
        flip = np.flatnonzero(act != self.active)
        if flip.size:
            xs = np.concatenate([self.x_of[i] for i in flip])
            up = np.where(act[self.xcountry[xs]], self.x_up[xs], 0.0)
            h.changeColsBounds(xs.size, xs, np.zeros(xs.size), up)
            rs = np.concatenate([self.rows_of[i] for i in flip])
            if rs.size:
                on = act[self.owner[rs]]
                h.changeRowsBounds(rs.size, rs, np.where(on, self.rlo[rs], -np.inf), np.where(on, self.rup[rs], np.inf))
            self.active = act
        n = len(ids)
        if n != self.n_now and self.f:
            for r, c in self.equity_entries:
                h.changeCoeff(r, c, -self.f / n)
            self.n_now = n
        # only the shortlist's costs: the other countries' variables are fixed at 0
        xs = np.concatenate([self.x_of[i] for i in ci])
        h.changeColsCost(xs.size, xs, self.xbase[xs] * np.repeat(priority, [self.x_of[i].size for i in ci]))
        h.run()
        st = h.getModelStatus()
        if st != self._ok:
            return ("infeasible" if st == self._infeasible else "not_solved"), None, None
        x = np.asarray(h.getSolution().col_value[: self.nx], dtype=float)
        x[np.abs(x) < ZERO] = 0.0
        tot = np.bincount(self.xpair, weights=x, minlength=nC * len(self.types)).reshape(nC, len(self.types))
        aid = self.aid_share[None, :] * tot
        return "optimal", aid.sum(axis=1)[ci], (tot - aid).sum(axis=1)[ci]


def shared_model(build_model: Any, countries: pd.DataFrame, eligible_ids: list[str], spec: Any, types: Any) -> Any:
    """The :class:`SharedModel` of the eligible countries, or None when their inputs do not build
    (the plain path then counts each sampled shortlist the inputs do not fit, as before)."""
    pr = pd.Series(1.0 / len(eligible_ids), index=pd.Index(eligible_ids, name="country"))
    try:
        return SharedModel(build_model(pr, countries, spec, types))
    except InputError:
        return None


@dataclass
class FundingJob:
    """What a chunk of funding acceptability needs (picklable: it goes to other processes or a cluster)."""

    scorer: Any
    sampler: Any
    alts: np.ndarray
    eligible: np.ndarray
    k: int
    rule: str
    transform: str
    alpha_pos: np.ndarray
    countries: pd.DataFrame
    spec: Any
    project_types: pd.DataFrame | None


@dataclass
class Block:
    """The samples of one block: weights, shortlists (indices into ``alts``, shortlist order) and
    their priorities, whether each solved, money per shortlisted country, each sample's shortlist key."""

    W: np.ndarray
    order: np.ndarray
    P: np.ndarray
    solved: np.ndarray
    aid: np.ndarray
    inv: np.ndarray
    keys: list[tuple]
    infeasible: dict[tuple, str] = field(default_factory=dict)


def solve_block(
    job: FundingJob, shared: SharedModel, W: np.ndarray, progress: Any = None, total: int | None = None
) -> Block:
    """Score, rank, shortlist and allocate every weight vector of ``W`` on the shared model."""
    from mcda.robustness_batch import ranks_from_scores
    from mcda.shortlist import cut_order

    n_s = W.shape[0]
    total = total or n_s
    S = job.scorer.scores(W, normalised=True)
    R = ranks_from_scores(S, job.scorer.higher_is_better, "min")
    order = cut_order(R, job.eligible, job.alpha_pos)[:, : min(job.k, int(job.eligible.sum()))]
    P = batch_priorities(S, order, R, job.scorer.higher_is_better, job.rule, job.transform)
    keys = [tuple(sorted(str(a) for a in job.alts[row])) for row in order]
    solved = np.zeros(n_s, dtype=bool)
    aid = np.zeros(order.shape)
    inv = np.zeros(order.shape)
    infeasible: dict[tuple, str] = {}
    # samples with the same shortlist one after another: the warm start then only sees new costs
    # (each sample's numbers do not depend on the order they are solved in)
    for done, s in enumerate(sorted(range(n_s), key=keys.__getitem__)):
        status, a_s, i_s = shared.solve([str(a) for a in job.alts[order[s]]], P[s])
        if a_s is None:
            infeasible.setdefault(keys[s], status)
        else:
            solved[s] = True
            aid[s], inv[s] = a_s, i_s
        if progress is not None:
            progress((done + 1) / total, f"funding acceptability: {done + 1} of {total} samples")
    return Block(W, order, P, solved, aid, inv, keys, infeasible)


def funding_chunk(chunk: Any, job: FundingJob) -> Block:
    """One chunk (:class:`mcda.executor.Chunk`) of funding acceptability: its own weights, its own
    shared model (built where the chunk runs)."""
    from fulcrum.allocate import build_model

    shared = shared_model(
        build_model, job.countries, [str(a) for a in job.alts[job.eligible]], job.spec, job.project_types
    )
    if shared is None:  # the caller checked that it builds
        raise InputError("the allocation inputs do not build for the eligible countries", where="allocation")
    return solve_block(job, shared, job.sampler.draw(chunk.size, chunk.rng()))


def batch_priorities(
    S: np.ndarray, chosen: np.ndarray, R: np.ndarray, higher: bool, rule: str, transform: str
) -> np.ndarray:
    """Priorities of every sample's shortlist at once (rows of ``chosen``: indices in shortlist
    order): :func:`mcda.shortlist.priorities` with ``rule``, then
    :func:`optimisation.priorities.priorities_from_shortlist` with ``transform``, in numpy."""
    s, k = chosen.shape
    sc = np.take_along_axis(S, chosen, axis=1)
    if rule == "equal":
        pr = np.full((s, k), 1.0 / k)
    elif rule == "rank_sum":
        pos = np.arange(k, 0, -1, dtype=float)
        pr = np.broadcast_to(pos / pos.sum(), (s, k)).copy()
    elif rule == "score_share":
        lo, hi = S.min(axis=1, keepdims=True), S.max(axis=1, keepdims=True)
        span = hi - lo
        with np.errstate(invalid="ignore", divide="ignore"):
            scaled = (sc - lo) / span if higher else (hi - sc) / span
            total = scaled.sum(axis=1, keepdims=True)
            pr = scaled / total
        flat = (span[:, 0] <= 0) | (total[:, 0] <= 0)
        pr[flat] = 1.0 / k
    else:
        raise InputError(f"unknown priority rule '{rule}'", hint="Use score_share, rank_sum or equal.")
    if transform == "pipeline":
        v = pr
    elif transform == "rank_reciprocal":
        v = 1.0 / np.take_along_axis(R, chosen, axis=1).astype(float)
    else:
        v = np.ones((s, k))
    if not np.all(np.isfinite(v)) or (v < 0).any() or (v.sum(axis=1) <= 0).any():
        raise InputError("priorities must be finite and >= 0", where="shortlist.priority")
    return v / v.sum(axis=1, keepdims=True)
