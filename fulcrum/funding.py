"""Funding acceptability: how often each country is *funded*, and how much, when weights are uncertain.

For each sampled weight vector (see :mod:`mcda.robustness_sampling`): re-score every candidate
(batched, :class:`mcda.robustness_batch.BatchScorer`), re-rank, re-shortlist with the scenario's
rule (the same filters and exclusions — they do not depend on the weights — and the same top-k,
ties at the cut broken by alternative id as in :func:`mcda.shortlist.make_shortlist`), recompute
the shortlist priorities (the scenario's ``shortlist.priority`` rule, then the allocation's
``priority_transform``) and re-solve the allocation.

Re-solving: one :class:`optimisation.model.AllocationModel` (:func:`fulcrum.allocate.build_model`)
is built per *distinct* shortlist and cached; a later sample with the same shortlist only
changes the objective coefficients (``AllocationModel.set_priorities``) and re-solves. The
allocation spec names countries (floors, caps, must-fund / must-not pairs, linking lists, capacity
scales); when a sampled shortlist leaves such a country out, those entries are dropped for that
shortlist (a floor on a country that is not shortlisted does not apply) and the notes count how
often that happened.

Statistics (US$ millions), over the samples whose allocation solved (optimal or feasible):
``share_shortlisted``, ``share_funded`` (allocation > ``FUNDED_MUSD``), ``median_musd``,
``p25_musd``, ``p75_musd``, ``mean_musd`` (a country not shortlisted in a sample counts as 0 in
that sample), and ``median_if_funded_musd`` (median over the samples that fund it). Samples whose
allocation is infeasible, or whose shortlist the allocation inputs do not fit (an InputError when
building its model, e.g. a blank need value with ``missing_need = "error"``), are counted in
``n_infeasible`` and left out of the statistics; the notes say which. Inputs that do not fit the
planner's own shortlist still raise.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from fulcrum.funding_fast import FundingJob, funding_chunk, shared_model, solve_block, unsupported
from mcda.errors import InputError

#: a country counts as funded when its total allocation exceeds this (US$ millions)
FUNDED_MUSD = 1e-6

Progress = Callable[[float, str], None]


@dataclass
class FundingResult:
    """Result of :func:`funding_acceptability` (money in US$ millions)."""

    summary: pd.DataFrame  # one row per candidate (see module doc), sorted by share_funded
    samples: pd.DataFrame | None  # long table: sample, country, shortlisted, priority, aid/investment/total_musd
    n_samples: int
    n_solved: int
    n_infeasible: int
    n_shortlists: int  # distinct shortlists met (= models built)
    seed: Any
    sampler: str
    method: str
    seconds: float
    notes: list[str] = field(default_factory=list)
    shortlist_counts: pd.DataFrame | None = None  # shortlist (sorted ids joined by ', '), samples, share


def _spec_for(spec: Any, shortlist: list[str], dropped: dict[str, int]) -> Any:
    """A copy of the allocation spec without entries naming countries outside ``shortlist``
    (each constraint family restricts its own fields); ``dropped`` counts each entry left out."""
    from optimisation import restrict_spec

    restricted, gone = restrict_spec(spec, shortlist)
    for key in gone:
        dropped[key] = dropped.get(key, 0) + 1
    return restricted


def _sampler_for(problem: Any, sampler: Any) -> Any:
    from mcda.robustness_sampling import UniformSimplex

    if sampler is None:
        return UniformSimplex(problem)
    if list(sampler.criterion_ids) != list(problem.criterion_ids):
        raise InputError(
            "the weight sampler's criteria do not match the scenario's",
            where="sampler",
            hint="Build the sampler from outcome.problem.",
        )
    return sampler


class Allocator:
    """The allocation of a sampled shortlist: one model built per distinct shortlist (then only its priorities
    change), solved; what could not be built or solved is remembered per shortlist. In the study's own process
    and in every chunk an executor runs (:func:`tracks_funding_chunk`)."""

    def __init__(
        self, spec: Any, countries: pd.DataFrame, project_types: Any, pipeline: Any, transform: Any, base_key: tuple
    ) -> None:
        self.spec, self.countries, self.project_types = spec, countries, project_types
        self.pipeline, self.transform, self.base_key = pipeline, transform, base_key
        self.models: dict[tuple, Any] = {}
        self.dropped: dict[str, set[tuple]] = {}  # spec entry -> the distinct shortlists it was dropped for
        self.infeasible: dict[tuple, str] = {}
        self.bad: dict[tuple, str] = {}  # shortlist -> why the spec cannot be built for it

    def __call__(self, sl: pd.DataFrame) -> tuple[str, pd.Series, pd.DataFrame | None]:
        from fulcrum.allocate import build_model
        from optimisation.priorities import priorities_from_shortlist

        pr = priorities_from_shortlist(sl, self.transform)
        key = tuple(sorted(sl.index))
        if key in self.bad:
            return "bad_input", pr, None
        model = self.models.get(key)
        if model is None:
            gone: dict[str, int] = {}
            try:
                model = build_model(
                    pr,
                    self.countries,
                    _spec_for(self.spec, list(sl.index), gone),
                    self.project_types,
                    pipeline=self.pipeline,
                )
            except InputError as e:
                # the planner's own shortlist must build (the error is theirs to fix); a sampled
                # shortlist the inputs do not fit (e.g. a blank need value with missing_need =
                # error) is counted like an infeasible one instead of ending the whole study
                if key == self.base_key:
                    raise
                self.bad[key] = str(e)
                return "bad_input", pr, None
            for entry in gone:
                self.dropped.setdefault(entry, set()).add(key)
            self.models[key] = model
        else:
            model.set_priorities(pr)
        res = model.solve(diagnose=False, marginals=False)
        if res.status not in ("optimal", "feasible"):
            self.infeasible.setdefault(key, res.status)
            return res.status, pr, None
        return res.status, pr, res.by_country


@dataclass
class TrackBlock:
    """What a chunk of funding acceptability over tracks gives back, sample rows in order."""

    shortlisted: np.ndarray  # (k x n) bool
    prio: np.ndarray  # (k x n)
    solved: np.ndarray  # (k,) bool
    aid: np.ndarray  # (k x n)
    inv: np.ndarray  # (k x n)
    keys: list[tuple]  # each sample's shortlist (sorted ids)
    weights: list[np.ndarray]  # per track: (k x m_t)
    infeasible: dict[tuple, str]
    bad: dict[tuple, str]
    dropped: dict[str, set[tuple]]


@dataclass
class TracksJob:
    """The inputs every chunk of funding acceptability over tracks needs (sent once to each worker)."""

    outcome: Any
    samplers: list[Any]
    alternatives: list[str]
    spec: Any
    project_types: Any
    pipeline: Any
    transform: Any
    base_key: tuple


def solve_track_samples(
    outcome: Any, ts: Any, allocate: Allocator, alts: list[str], progress: Progress | None = None, total: int = 0
) -> TrackBlock:
    """Each sample of ``ts`` (:func:`fulcrum.tracks.sample_tracks`): its final shortlist by the overlap rule,
    its priorities by track, its allocation (``allocate``). ``progress`` after each sample (of ``total``)."""
    from fulcrum.tracks import sample_shortlist

    k, n = ts.picked.shape[0], len(alts)
    pos = {a: i for i, a in enumerate(alts)}
    out = TrackBlock(
        np.zeros((k, n), dtype=bool),
        np.zeros((k, n)),
        np.zeros(k, dtype=bool),
        np.zeros((k, n)),
        np.zeros((k, n)),
        [],
        ts.weights,
        allocate.infeasible,
        allocate.bad,
        allocate.dropped,
    )
    of = max(total, k)
    for s in range(k):
        sl = sample_shortlist(outcome, ts, s)
        idx = [pos[a] for a in sl.index]
        out.shortlisted[s, idx] = True
        out.keys.append(tuple(sorted(sl.index)))
        _status, pr, by_country = allocate(sl)
        out.prio[s, [pos[a] for a in pr.index]] = pr.to_numpy()
        if by_country is not None:
            out.solved[s] = True
            bc = by_country.reindex(sl.index)
            out.aid[s, idx] = bc["aid_musd"].to_numpy(dtype=float)
            out.inv[s, idx] = bc["investment_musd"].to_numpy(dtype=float)
        if progress is not None:
            progress(
                (s + 1) / of,
                f"funding acceptability: {s + 1} of {of} samples ({len(allocate.models)} distinct shortlists)",
            )
    return out


def tracks_funding_chunk(chunk: Any, job: TracksJob) -> TrackBlock:
    """One chunk (:class:`mcda.executor.Chunk`) of funding acceptability over tracks: its own weights per track
    (drawn from the chunk's generator), shortlists and allocations, on models of its own. A function of the
    chunk and the job only, so the same numbers on every executor."""
    from fulcrum.tracks import sample_tracks

    ts = sample_tracks(job.outcome, job.samplers, chunk.size, chunk.rng())
    allocate = Allocator(job.spec, job.outcome.countries, job.project_types, job.pipeline, job.transform, job.base_key)
    return solve_track_samples(job.outcome, ts, allocate, job.alternatives)


def funding_acceptability(
    outcome: Any,
    sampler: Any = None,
    n_samples: int = 500,
    seed: Any = 0,
    spec: Any = None,
    project_types: pd.DataFrame | None = None,
    keep_samples: bool = False,
    include_base: bool = True,
    progress: Progress | None = None,
    fast: bool = True,
    executor: Any = None,
    chunk_size: int | None = None,
) -> FundingResult:
    """Re-rank, re-shortlist and re-allocate for each sampled weight vector.

    Parameters
    ----------
    outcome : :class:`fulcrum.pipeline.RankingOutcome` of the scenario (``rank_scenario(scenario)``).
    sampler : a weight sampler built on ``outcome.problem`` (e.g.
        ``AroundWeights(outcome.problem, outcome.weights, spread=20)``); default uniform on the simplex.
        Over tracks: None or one sampler per track (:func:`fulcrum.tracks.samplers_around`); each sample's
        shortlist is the tracks' picks by the overlap rule, its priorities by track
        (:data:`fulcrum.tracks.PRIORITY_RULE`).
    n_samples : number of weight samples (>= 1). seed : same seed -> identical numbers.
    spec : allocation inputs (AllocationSpec or dict); default ``outcome.scenario.allocation``.
    project_types : project-type table; default the shipped ``datasets/project_types.csv``.
    keep_samples : also return the per-sample long table.
    include_base : add ``base_shortlisted`` / ``base_musd`` — the allocation at the planner's weights.
    progress : callable(fraction, message), called after each sample.
    fast : re-solve one shared HiGHS model per sample (:mod:`fulcrum.funding_fast`) when the spec
        allows it; False, or a spec it cannot take, builds one PuLP model per distinct shortlist
        (the plain path; same numbers to the solvers' tolerance).
    executor, chunk_size : an :mod:`mcda.executor` executor: the samples go in chunks of ``chunk_size``
        with their own seeds, each chunk on its own shared model wherever the executor runs it; the
        same numbers on every executor (with the plain path, the chunks' weights are drawn and solved
        here); over tracks each chunk draws every track's weights and solves its samples on models of its own
        (:func:`tracks_funding_chunk`). None (default): one generator, in this process.

    Returns
    -------
    FundingResult
        ``summary``: one row per candidate (share shortlisted, share funded, median and quartiles
        of US$ millions, ...); the counts of samples solved and infeasible; notes.

    Raises
    ------
    InputError
        ``n_samples`` out of range, a sampler built for other criteria, a scenario without an
        allocation section (when ``spec`` is None), or allocation inputs that do not fit the
        planner's own shortlist (a sampled shortlist they do not fit is counted, not raised).
    """
    from fulcrum.allocate import build_model
    from fulcrum.pipeline import method_of
    from mcda.robustness_batch import BatchScorer, ranks_from_scores
    from mcda.robustness_smaa import check_samples, make_rng
    from mcda.shortlist import cut_order, id_order
    from mcda.shortlist import priorities as shortlist_priorities
    from optimisation.spec import parse_spec

    t_start = time.perf_counter()
    n_samples = check_samples(n_samples)
    scenario = outcome.scenario
    if spec is None:
        spec = getattr(scenario, "allocation", None)
        if spec is None:
            raise InputError(
                "the scenario has no allocation section, so there is nothing to fund",
                where="allocation",
                hint="Add an allocation section (budgets in US$ millions) or pass spec=... .",
            )
    spec = parse_spec(spec if not hasattr(spec, "model_dump") else spec.model_dump())
    from fulcrum.programme import read_pipeline  # a programme's pipeline, read once (None without one)

    pipeline = read_pipeline(scenario, spec)
    problem = outcome.problem
    tracks = None
    by_track = bool(outcome.tracks)
    track_samplers: list[Any] = []
    if by_track:  # weights sampled per track, the final shortlist per sample by the overlap rule
        from fulcrum.tracks import sample_tracks, samplers_around, universe

        track_samplers = samplers_around(outcome, None) if sampler is None else list(sampler)
        if executor is None:
            tracks = sample_tracks(outcome, track_samplers, n_samples, seed)
        else:  # drawn chunk by chunk where the executor runs them; one sample here checks the samplers first
            sample_tracks(outcome, track_samplers, 1, 0)
    else:
        sampler = _sampler_for(problem, sampler)

    method = method_of(outcome.tracks[0].scenario if by_track else scenario)
    scorer = BatchScorer(problem, method, allow_loop=True)
    higher = scorer.higher_is_better

    alts = np.asarray(universe(outcome.tracks) if by_track else problem.alternatives, dtype=object)
    n = len(alts)
    table = outcome.shortlist_table.set_index("alternative")
    eligible = np.array([table.at[a, "status"] != "excluded" for a in alts])
    k = int(scenario.shortlist.top_k)
    rule = scenario.shortlist.priority
    transform = spec.priority_transform
    alpha_pos = id_order(alts)
    countries = outcome.countries

    chunks = None
    if executor is not None:  # chunks with their own seeds (mcda.executor)
        from mcda.executor import plan

        chunks = plan(n_samples, seed, chunk_size)
    W = S = R = None

    def chunk_report(done: int, total: int) -> None:  # the executor's progress: samples in the chunks finished
        if progress is not None and chunks is not None and executor is not None:
            s_done = sum(c.size for c in chunks[:done])
            progress(s_done / n_samples, f"funding acceptability on {executor.name}: {done} of {total} chunks")

    def draw_all() -> None:  # every sample's weights, scores and ranks, in this process
        nonlocal W, S, R
        if chunks is None:
            W = sampler.draw(n_samples, make_rng(seed))
        else:
            W = np.concatenate([sampler.draw(c.size, c.rng()) for c in chunks])
        S = scorer.scores(W, normalised=True)
        R = ranks_from_scores(S, higher, "min")

    def shortlist_of(scores: np.ndarray, ranks: np.ndarray) -> pd.DataFrame:
        chosen = cut_order(ranks, eligible, alpha_pos)[: min(k, int(eligible.sum()))]
        ids = list(alts[chosen])
        all_scores = pd.Series(scores, index=pd.Index(alts))
        pr = shortlist_priorities(all_scores.loc[ids], all_scores, higher, rule)
        return pd.DataFrame(
            {
                "rank": ranks[chosen],
                "score": scores[chosen],
                "priority": pr.to_numpy(),
                "position": np.arange(1, len(ids) + 1),
            },
            index=pd.Index(ids, name="alternative"),
        )

    base_sl = outcome.shortlist_table[outcome.shortlist_table["status"] == "shortlisted"].set_index("alternative")
    base_sl = base_sl[["rank", "score", "priority", "position"]]
    base_key = tuple(sorted(base_sl.index))
    allocate = Allocator(spec, countries, project_types, pipeline, transform, base_key)
    models, infeasible_sets, bad_sets = allocate.models, allocate.infeasible, allocate.bad

    aid = np.zeros((n_samples, n))
    inv = np.zeros((n_samples, n))
    shortlisted = np.zeros((n_samples, n), dtype=bool)
    prio = np.zeros((n_samples, n))
    solved = np.zeros(n_samples, dtype=bool)
    pos = {a: i for i, a in enumerate(alts)}
    set_counts: dict[tuple, int] = {}
    base = allocate(base_sl)  # first, so that inputs wrong for the planner's own shortlist fail early
    if progress is not None:
        progress(0.0, f"funding acceptability: 0 of {n_samples} samples")
    shared = None
    if fast and eligible.any() and unsupported(spec, by_track) is None:
        shared = shared_model(build_model, countries, [str(a) for a in alts[eligible]], spec, project_types)
    if shared is not None:  # one model, warm-started re-solves (fulcrum.funding_fast)
        job = FundingJob(scorer, sampler, alts, eligible, k, rule, transform, alpha_pos, countries, spec, project_types)
        if chunks is None:
            draw_all()
            assert W is not None
            blocks = [solve_block(job, shared, W, progress)]
        else:
            assert executor is not None
            blocks = executor.map(funding_chunk, chunks, (job,), progress=chunk_report)
            W = np.concatenate([b.W for b in blocks])
        start = 0
        for b in blocks:
            rows = np.arange(start, start + b.W.shape[0])[:, None]
            shortlisted[rows, b.order] = True
            prio[rows, b.order] = b.P
            solved[start : start + b.W.shape[0]] = b.solved
            aid[rows, b.order], inv[rows, b.order] = b.aid, b.inv
            for key in b.keys:
                set_counts[key] = set_counts.get(key, 0) + 1
            for key, st in b.infeasible.items():
                infeasible_sets.setdefault(key, st)
            start += b.W.shape[0]
    elif by_track:  # sample by sample: the overlap rule, priorities by track, one model per distinct shortlist
        if chunks is None:
            assert tracks is not None
            tblocks = [solve_track_samples(outcome, tracks, allocate, list(alts), progress, n_samples)]
        else:
            assert executor is not None
            job_t = TracksJob(outcome, track_samplers, list(alts), spec, project_types, pipeline, transform, base_key)
            tblocks = executor.map(tracks_funding_chunk, chunks, (job_t,), progress=chunk_report)
        start = 0
        for tb in tblocks:
            rows_t = slice(start, start + len(tb.keys))
            shortlisted[rows_t], prio[rows_t], solved[rows_t] = tb.shortlisted, tb.prio, tb.solved
            aid[rows_t], inv[rows_t] = tb.aid, tb.inv
            for key in tb.keys:
                set_counts[key] = set_counts.get(key, 0) + 1
            for key, st in tb.infeasible.items():
                infeasible_sets.setdefault(key, st)
            for key, why in tb.bad.items():
                bad_sets.setdefault(key, why)
            for entry, keys in tb.dropped.items():
                allocate.dropped.setdefault(entry, set()).update(keys)
            start += len(tb.keys)
        track_weights = [np.concatenate([tb.weights[t] for tb in tblocks]) for t in range(len(outcome.tracks))]
    else:
        draw_all()
    for s in range(n_samples if shared is None and not by_track else 0):
        assert S is not None and R is not None
        sl = shortlist_of(S[s], R[s])
        idx = [pos[a] for a in sl.index]
        shortlisted[s, idx] = True
        key = tuple(sorted(sl.index))
        set_counts[key] = set_counts.get(key, 0) + 1
        _status, pr, by_country = allocate(sl)
        prio[s, [pos[a] for a in pr.index]] = pr.to_numpy()
        if by_country is not None:
            solved[s] = True
            bc = by_country.reindex(sl.index)
            aid[s, idx] = bc["aid_musd"].to_numpy(dtype=float)
            inv[s, idx] = bc["investment_musd"].to_numpy(dtype=float)
        if progress is not None:
            progress(
                (s + 1) / n_samples,
                f"funding acceptability: {s + 1} of {n_samples} samples ({len(models)} distinct shortlists)",
            )
    total = aid + inv
    ok = solved
    n_solved = int(ok.sum())
    T = total[ok]
    funded = T > FUNDED_MUSD
    with np.errstate(invalid="ignore"):
        if n_solved:
            q25, med, q75 = np.percentile(T, [25, 50, 75], axis=0)
            mean = T.mean(axis=0)
            share_f = funded.mean(axis=0)
            share_s = shortlisted[ok].mean(axis=0)
            med_if = np.array([np.median(T[funded[:, i], i]) if funded[:, i].any() else np.nan for i in range(n)])
        else:
            q25 = med = q75 = mean = share_f = share_s = med_if = np.full(n, np.nan)
    summary = pd.DataFrame(
        {
            "country": alts,
            "eligible": eligible,
            "share_shortlisted": share_s,
            "share_funded": share_f,
            "median_musd": med,
            "p25_musd": q25,
            "p75_musd": q75,
            "mean_musd": mean,
            "median_if_funded_musd": med_if,
        }
    )
    name_col = next((c for c in ("name", "country_name", "label") if c in countries.columns), None)
    if name_col is not None:
        summary.insert(1, "name", [countries[name_col].get(a, "") for a in alts])
    notes: list[str] = []
    if include_base:
        base_status, _, base_bc = base
        summary["base_shortlisted"] = [a in base_sl.index for a in alts]
        summary["base_musd"] = [
            float(base_bc["total_musd"].get(a, 0.0)) if base_bc is not None and a in base_bc.index else 0.0
            for a in alts
        ]
        if base_bc is None:
            notes.append(f"The allocation at the planner's weights is {base_status}.")
    summary = summary.sort_values(
        ["share_funded", "median_musd", "country"], ascending=[False, False, True], kind="stable", na_position="last"
    ).reset_index(drop=True)
    n_inf = n_samples - n_solved
    n_bad = int(sum(set_counts.get(key, 0) for key in bad_sets))
    if n_inf - n_bad:
        notes.append(
            f"{n_inf - n_bad} of {n_samples} samples gave an infeasible allocation and are left out of "
            f"the statistics ({len(infeasible_sets)} distinct shortlists)."
        )
    if n_bad:
        first = next(iter(bad_sets.values()))
        notes.append(
            f"{n_bad} of {n_samples} samples shortlisted countries the allocation inputs do not fit "
            f"and are left out of the statistics ({len(bad_sets)} distinct shortlists), e.g.: {first}"
        )
    for entry, cnt in sorted((e, len(keys)) for e, keys in allocate.dropped.items()):
        notes.append(f"Allocation entry {entry} dropped for {cnt} distinct shortlist(s) that leave the country out.")
    samples = None
    if keep_samples:
        rows_s, rows_c = np.nonzero(shortlisted)
        samples = pd.DataFrame(
            {
                "sample": rows_s,
                "country": alts[rows_c],
                "solved": ok[rows_s],
                "priority": prio[rows_s, rows_c],
                "aid_musd": np.where(ok[rows_s], aid[rows_s, rows_c], np.nan),
                "investment_musd": np.where(ok[rows_s], inv[rows_s, rows_c], np.nan),
                "total_musd": np.where(ok[rows_s], total[rows_s, rows_c], np.nan),
            }
        )
        if by_track:  # each track's sampled weights, columns w_<track>:<criterion>
            wdf = pd.concat(
                [
                    pd.DataFrame(w, columns=[f"w_{o.track}:{c}" for c in o.problem.criterion_ids])
                    for o, w in zip(outcome.tracks, track_weights, strict=True)
                ],
                axis=1,
            )
        else:
            wdf = pd.DataFrame(W, columns=[f"w_{c}" for c in problem.criterion_ids])
        wdf.insert(0, "sample", np.arange(n_samples))
        samples = samples.merge(wdf, on="sample", how="left")
    counts = pd.DataFrame({"shortlist": [", ".join(kk) for kk in set_counts], "samples": list(set_counts.values())})
    counts["share"] = counts["samples"] / n_samples
    counts = counts.sort_values(["samples", "shortlist"], ascending=[False, True]).reset_index(drop=True)
    return FundingResult(
        summary=summary,
        samples=samples,
        n_samples=n_samples,
        n_solved=n_solved,
        n_infeasible=n_inf,
        n_shortlists=len(set_counts),
        seed=seed,
        sampler=sampler.describe() if not by_track else "; ".join(sm.describe() for sm in track_samplers),
        method=scorer.label
        if not by_track
        else "; ".join(f"{o.track}: {o.scenario.method.name}" for o in outcome.tracks),
        seconds=time.perf_counter() - t_start,
        notes=notes,
        shortlist_counts=counts,
    )
