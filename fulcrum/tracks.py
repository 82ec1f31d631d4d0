"""Tracks with quotas: several rankings of one scenario, each picking its quota, joined into one shortlist.

A scenario with ``tracks`` ranks each track through the one ranking path (:func:`fulcrum.pipeline.rank_scenario`
on :meth:`fulcrum.scenario.Scenario.track_scenario`), then joins the tracks' picks with the overlap rule of
:func:`mcda.shortlist.track_picks`: the final shortlist is the tracks' picks in track order; a country already
picked by an earlier track is skipped and the later track takes its next eligible country.

Allocation priorities (the rule stated in every output, :data:`PRIORITY_RULE`): each track's picks share the
total in proportion to how many countries the track picked, and within a track its own ``shortlist.priority``
rule, on its own scores, divides that share.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd

from mcda.errors import InputError
from mcda.shortlist import id_order, priorities, track_picks
from mcda.text import safe_repr

if TYPE_CHECKING:
    from fulcrum.pipeline import RankingOutcome
    from fulcrum.scenario import Scenario

OVERLAP_RULE: Final = (
    "Tracks: the final shortlist is each track's picks in track order (a track's quota is its shortlist.top_k); "
    "a country already picked by an earlier track is skipped and the later track takes its next eligible country."
)
PRIORITY_RULE: Final = (
    "Allocation priorities over tracks: each track's picks share the total in proportion to the number of "
    "countries the track picked; within a track, its own priority rule on its own scores divides that share."
)
_SECTIONS = ("criteria", "weights", "method", "shortlist")


def _in_track(e: InputError, i: int, name: str) -> InputError:
    """An error of track ``i``'s ranking, its field path rooted at ``tracks[i]``."""
    where = e.where or ""
    if where.split(".")[0].split("[")[0] in _SECTIONS:
        where = f"tracks[{i}].{where}"
    else:
        where = f"track '{name}'" + (f", {where}" if where else "")
    return InputError(e.message, where=where, hint=e.hint)


def track_input(scenario: Scenario, i: int) -> Scenario:
    """Track ``i`` as the scenario its ranking runs on: :meth:`Scenario.track_scenario` with the per-criterion
    ``data.missing`` policies cut to the track's own criteria (and ``default``), so a policy for a criterion
    that only another track uses does not break this one."""
    sc = scenario.track_scenario(i)
    miss = sc.data.missing
    if not isinstance(miss, dict):
        return sc
    own = {c.id for c in sc.criteria}
    kept = {k: v for k, v in miss.items() if k == "default" or k in own}
    if kept == miss:
        return sc
    return sc.model_copy(update={"data": sc.data.model_copy(update={"missing": kept})})


def check_missing_names(scenario: Scenario) -> None:
    """Every criterion a per-criterion ``data.missing`` policy names must be used by some track."""
    miss = scenario.data.missing
    if not isinstance(miss, dict) or scenario.tracks is None:
        return
    used = {c.id for t in scenario.tracks for c in t.criteria}
    unknown = [k for k in miss if k != "default" and k not in used]
    if unknown:
        raise InputError(
            "missing-data policy given for a criterion no track uses: " + ", ".join(safe_repr(k, 60) for k in unknown),
            where="data.missing",
            hint="Name criteria that a track ranks on, or 'default'.",
        )


def rank_tracks(scenario: Scenario) -> RankingOutcome:
    """Rank every track (the one ranking path), then join their picks into the final shortlist.

    The outcome's ``shortlist_table`` is the final one (with ``track``); ``tracks`` holds each track's own
    outcome; ``problem``, ``weights``, ``criteria``, ``ranking`` are the first track's, for views that show
    one ranking. Raises InputError naming ``tracks[i]...`` for a track's bad input, and
    ``tracks[i].shortlist.top_k`` when a quota is larger than the track's eligible countries.
    """
    from fulcrum.pipeline import rank_scenario

    assert scenario.tracks is not None
    check_missing_names(scenario)
    outs = []
    for i, t in enumerate(scenario.tracks):
        try:
            o = rank_scenario(track_input(scenario, i))
        except InputError as e:
            raise _in_track(e, i, t.name) from None
        eligible = int((o.shortlist_table["status"] != "excluded").sum())
        if eligible < t.shortlist.top_k:
            raise InputError(
                f"track '{t.name}' has a quota of {t.shortlist.top_k} but only {eligible} eligible "
                "countr" + ("y" if eligible == 1 else "ies"),
                where=f"tracks[{i}].shortlist.top_k",
                hint="Lower the quota, or loosen the track's filters and exclusions.",
            )
        o.track = t.name
        outs.append(o)
    table, notes = combine_tracks(outs)
    for o in outs:  # each track's own table now says what the track picked, and why the others not
        o.shortlist_table = track_view(o, table)
    lead = outs[0]
    # the data date and its flags once for the whole run (fulcrum.asof), each track's other notes by track
    data_notes = list(dict.fromkeys(n for o in outs for n in o.data_notes))
    track_notes = [f"Track '{o.track}': {n}" for o in outs for n in o.notes if n not in o.data_notes]
    return dataclasses.replace(
        lead,
        scenario=scenario,
        shortlist_table=table,
        data_notes=data_notes,
        notes=[*data_notes, OVERLAP_RULE, PRIORITY_RULE, *notes, *track_notes],
        tracks=outs,
        track="",
    )


def universe(outs: list[RankingOutcome]) -> list[str]:
    """Every alternative ranked by any track, in the order of the first track's data table."""
    seen: dict[str, None] = {}
    for o in outs:
        for a in o.countries.index.map(str):
            if a in set(o.shortlist_table["alternative"]):
                seen.setdefault(a, None)
    return list(seen)


def track_arrays(outs: list[RankingOutcome], alts: list[str]) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Per track: ranks over ``alts`` (an alternative the track did not rank gets n + 1) and eligibility."""
    n = len(alts)
    ranks, els = [], []
    for o in outs:
        tab = o.shortlist_table.set_index("alternative")
        r = tab["rank"].reindex(alts)
        ranks.append(r.fillna(n + 1).to_numpy(dtype=np.int64))
        els.append(((tab["status"] != "excluded").reindex(alts, fill_value=False)).to_numpy(dtype=bool))
    return ranks, els


def track_priorities(
    picked: np.ndarray, scores: list[pd.Series], outs: list[RankingOutcome], alts: list[str]
) -> pd.Series:
    """Priorities of the final shortlist (``picked``: track index per alternative, -1 none) by :data:`PRIORITY_RULE`."""
    total = int((picked >= 0).sum())
    out = pd.Series(np.nan, index=pd.Index(alts))
    for t, o in enumerate(outs):
        ids = [a for a, p in zip(alts, picked, strict=True) if p == t]
        if not ids:
            continue
        pr = priorities(scores[t].loc[ids], scores[t], o.higher_is_better, o.scenario.shortlist.priority)
        out.loc[ids] = pr.to_numpy() * len(ids) / total
    return out


def combine_tracks(outs: list[RankingOutcome]) -> tuple[pd.DataFrame, list[str]]:
    """The final shortlist table (one row per candidate: alternative, rank, score, status, reason, position,
    priority, track) and notes, from the tracks' own outcomes."""
    alts = universe(outs)
    ranks, els = track_arrays(outs, alts)
    quotas = [o.scenario.shortlist.top_k for o in outs]
    ids = id_order(alts)
    picked, position = track_picks(ranks, els, quotas, ids)
    tabs = [o.shortlist_table.set_index("alternative") for o in outs]
    scores = [o.ranking.set_index("alternative")["score"].astype(float) for o in outs]
    names = [str(o.track) for o in outs]
    pos = {a: i for i, a in enumerate(alts)}
    label = _labeller(outs[0].countries)
    rank_of: list[dict[Any, Any]] = [tab["rank"].to_dict() for tab in tabs]
    score_of: list[dict[Any, Any]] = [tab["score"].to_dict() for tab in tabs]
    status_of: list[dict[Any, Any]] = [tab["status"].to_dict() for tab in tabs]
    reason_of: list[dict[Any, Any]] = [tab["reason"].to_dict() for tab in tabs]
    rows: list[tuple[Any, ...]] = []
    notes = []
    for t in range(len(outs)):
        order = [alts[j] for j in np.argsort(ranks[t] * len(alts) + ids, kind="stable") if els[t][j]]
        skipped: list[str] = []
        got = 0
        for a in order:
            p = picked[pos[a]]
            if p == t:
                reason = f"picked by track '{names[t]}' (rank {int(rank_of[t][a])} there)"
                if skipped:
                    reason += "; in place of " + ", ".join(skipped)
                rows.append((a, int(rank_of[t][a]), float(score_of[t][a]), "shortlisted", reason, t))
                skipped = []
                got += 1
                if got == quotas[t]:
                    break
            elif p >= 0 and p < t:
                skipped.append(f"{label(a)}, already picked by track '{names[p]}'")
        if got < quotas[t]:
            notes.append(
                f"Track '{names[t]}' picked {got} of its quota of {quotas[t]}: its other eligible countries were "
                "already picked by earlier tracks."
            )
    for a in alts:
        if picked[pos[a]] >= 0:
            continue
        why = []
        for t in range(len(tabs)):
            if a not in rank_of[t]:
                why.append(f"track '{names[t]}': not ranked (dropped for missing data)")
            elif status_of[t][a] == "excluded":
                why.append(f"track '{names[t]}': {reason_of[t][a]}")
            else:
                why.append(f"track '{names[t]}': rank {int(rank_of[t][a])}, not among its {quotas[t]} pick(s)")
        status = "below cut" if any(e[pos[a]] for e in els) else "excluded"
        rows.append((a, pd.NA, np.nan, status, "; ".join(why), -1))
    table = pd.DataFrame(rows, columns=["alternative", "rank", "score", "status", "reason", "_t"])
    table["rank"] = table["rank"].astype("Int64")
    table["position"] = pd.array([int(position[pos[a]]) or pd.NA for a in table["alternative"]], dtype="Int64")
    pr = track_priorities(picked, scores, outs, alts)
    table["priority"] = table["alternative"].map(pr).where(table["status"] == "shortlisted")
    table["track"] = [names[t] if t >= 0 else "" for t in table["_t"]]
    status_order = {"shortlisted": 0, "below cut": 1, "excluded": 2}
    table["_s"] = table["status"].map(status_order)
    table["_p"] = table["position"].fillna(0)
    table = table.sort_values(["_s", "_p", "alternative"], kind="stable").drop(columns=["_t", "_s", "_p"])
    return table.reset_index(drop=True), notes


def track_view(o: RankingOutcome, final: pd.DataFrame) -> pd.DataFrame:
    """Track ``o``'s shortlist table after joining: shortlisted = picked by this track (final position and
    priority); a country picked by another track is below this track's cut with that reason."""
    tab = o.shortlist_table.copy()
    fin = final.set_index("alternative")
    k = o.scenario.shortlist.top_k
    by = tab["alternative"].map(fin["track"]).fillna("")
    here = by == o.track
    other = (by != "") & ~here
    kept = tab["status"] != "excluded"
    tab.loc[here, "status"] = "shortlisted"
    tab.loc[here, "reason"] = tab.loc[here, "alternative"].map(fin["reason"])
    tab.loc[kept & other, "status"] = "below cut"
    tab.loc[kept & other, "reason"] = [f"picked by track '{t}'" for t in by[kept & other]]
    rest = kept & (by == "")
    tab.loc[rest, "status"] = "below cut"
    tab.loc[rest, "reason"] = f"not among the track's {k} pick(s)"
    tab["position"] = tab["alternative"].map(fin["position"]).where(here).astype("Int64")
    tab["priority"] = tab["alternative"].map(fin["priority"]).where(here)
    return tab


def _labeller(countries: pd.DataFrame) -> Any:
    """'Brazil (BRA)' when the data has country names, else the id."""
    names = countries["country"] if "country" in countries.columns else None

    def label(a: str) -> str:
        if names is None:
            return str(a)
        n = names.get(a)
        return f"{n} ({a})" if isinstance(n, str) and n else str(a)

    return label


def tracks_ranking_table(outcome: RankingOutcome, one: Any) -> pd.DataFrame:
    """ranking.csv over tracks: each track's ranking (``one`` = the single-ranking table builder) under a
    ``track`` column, in track order; status and reason are the track's own (:func:`track_view`)."""
    parts = []
    for o in outcome.tracks:
        t = one(o)
        t.insert(0, "track", o.track)
        parts.append(t)
    out = pd.concat(parts, ignore_index=True)
    last = [c for c in ("status", "reason") if c in out.columns]
    return out[[c for c in out.columns if c not in last] + last]


@dataclasses.dataclass
class TrackSamples:
    """Weight samples drawn per track, ranked in batch and joined by the overlap rule (all samples at once)."""

    alternatives: list[str]  # the universe of the tracks (:func:`universe`)
    eligible: list[np.ndarray]  # per track: (n,) bool
    weights: list[np.ndarray]  # per track: (s x m_t) sampled weights
    scores: list[np.ndarray]  # per track: (s x n) scores (NaN where the track did not rank the alternative)
    ranks: list[np.ndarray]  # per track: (s x n) ranks (n + 1 where not ranked)
    picked: np.ndarray  # (s x n) index of the picking track, -1 none
    position: np.ndarray  # (s x n) place in the final shortlist, 0 none
    samplers: list[str]


def samplers_around(outcome: RankingOutcome, spread: float | None) -> list[Any]:
    """One weight sampler per track: uniform on the simplex (``spread`` None), or around the track's weights."""
    from mcda.robustness_sampling import AroundWeights, UniformSimplex

    return [
        UniformSimplex(o.problem) if spread is None else AroundWeights(o.problem, o.weights, spread)
        for o in outcome.tracks
    ]


def sample_tracks(
    outcome: RankingOutcome,
    samplers: list[Any] | None,
    n_samples: int,
    seed: Any,
    values: list[Any] | None = None,
) -> TrackSamples:
    """Draw ``n_samples`` weight vectors per track (the tracks' draws one after the other from one generator
    seeded with ``seed``), rank them in batch per track, apply the overlap rule to every sample at once.

    ``values``: per track a :class:`mcda.robustness_values.ValueUncertainty` built on that track's problem
    (or None: exact values), to sample the criterion values too; a track's ``(n_samples x cells)`` normals
    are drawn right after its weights, and sample ``s`` scores weight row ``s`` on value sample ``s``."""
    from fulcrum.pipeline import method_of
    from mcda.robustness_batch import BatchScorer, ranks_from_scores
    from mcda.robustness_smaa import check_samples, make_rng
    from mcda.robustness_values import sample_scores

    if not outcome.tracks:
        raise InputError("the scenario has no tracks", where="tracks")
    n_samples = check_samples(n_samples)
    outs = outcome.tracks
    samplers = samplers_around(outcome, None) if samplers is None else list(samplers)
    if len(samplers) != len(outs) or any(
        list(sm.criterion_ids) != list(o.problem.criterion_ids) for sm, o in zip(samplers, outs, strict=False)
    ):
        raise InputError(
            "give one weight sampler per track, each built on that track's problem",
            where="sampler",
            hint="Use fulcrum.tracks.samplers_around(outcome, spread).",
        )
    vals = [None] * len(outs) if values is None else list(values)
    _check_track_values(outs, vals)
    alts = universe(outs)
    n = len(alts)
    _, els = track_arrays(outs, alts)
    ids = id_order(alts)
    rng = make_rng(seed)
    ws, ss, rs = [], [], []
    for o, sampler, v in zip(outs, samplers, vals, strict=True):
        W = sampler.draw(n_samples, rng)
        scorer = BatchScorer(o.problem, method_of(o.scenario), allow_loop=True)
        S = scorer.scores(W, normalised=True) if v is None else sample_scores(scorer, v, W, v.normals(n_samples, rng))
        R = ranks_from_scores(S, scorer.higher_is_better, "min")
        cols = [alts.index(str(a)) for a in o.problem.alternatives]
        full_r = np.full((n_samples, n), n + 1, dtype=np.int64)
        full_r[:, cols] = R
        full_s = np.full((n_samples, n), np.nan)
        full_s[:, cols] = S
        ws.append(W)
        ss.append(full_s)
        rs.append(full_r)
    picked, position = track_picks(rs, els, [o.scenario.shortlist.top_k for o in outs], ids)
    return TrackSamples(alts, els, ws, ss, rs, picked, position, [sm.describe() for sm in samplers])


def _check_track_values(outs: list[RankingOutcome], vals: list[Any]) -> None:
    """One value uncertainty (or None) per track, each built on that track's own problem."""
    from mcda.robustness_smaa import _check_values

    if len(vals) != len(outs):
        raise InputError(
            f"give one data uncertainty (or None) per track: {len(outs)} tracks, {len(vals)} given", where="values"
        )
    for o, v in zip(outs, vals, strict=True):
        if v is None:
            continue
        try:
            _check_values(v, o.problem)
        except InputError as e:
            raise InputError(f"track '{o.track}': {e.message}", where=e.where, hint=e.hint) from None


def sample_shortlist(outcome: RankingOutcome, ts: TrackSamples, s: int) -> pd.DataFrame:
    """Sample ``s``'s final shortlist as :attr:`fulcrum.pipeline.RankingOutcome.shortlist` is (rank, score,
    priority, position, indexed by alternative, in final order), priorities by :data:`PRIORITY_RULE`."""
    alts = ts.alternatives
    picked = ts.picked[s]
    order = [j for j in np.argsort(ts.position[s], kind="stable") if picked[j] >= 0]
    scores = [pd.Series(sc[s], index=pd.Index(alts)).dropna() for sc in ts.scores]
    pr = track_priorities(picked, scores, outcome.tracks, alts)
    ids = [alts[j] for j in order]
    return pd.DataFrame(
        {
            "rank": [int(ts.ranks[picked[j]][s, j]) for j in order],
            "score": [float(ts.scores[picked[j]][s, j]) for j in order],
            "priority": pr.loc[ids].to_numpy(),
            "position": ts.position[s, order],
        },
        index=pd.Index(ids, name="alternative"),
    )


@dataclasses.dataclass
class TrackAcceptability:
    """SMAA over tracks: how often each country is in the final shortlist and which track picks it."""

    table: pd.DataFrame  # alternative, [name], final, then per track: picked_by:<track>, top_k:<track>
    n_samples: int
    seed: Any
    samplers: list[str]
    weights: list[np.ndarray] | None = None  # the sampled weights per track (keep_samples)
    values: list[str] = dataclasses.field(default_factory=list)  # per track: how its values were sampled


def track_acceptability(
    outcome: RankingOutcome,
    spread: float | None = None,
    n_samples: int = 1000,
    seed: Any = 0,
    keep_samples: bool = False,
    values: list[Any] | None = None,
) -> TrackAcceptability:
    """Shortlist acceptability per track and of the final shortlist, weights sampled per track.

    Each track's weights are sampled as for one ranking (``spread`` None: uniform on the simplex; else each
    weight times a uniform factor in [1 - spread/100, 1 + spread/100]) by :func:`sample_tracks`. Columns:
    ``final`` (share of samples in the final shortlist), ``picked_by:<track>`` (share picked by that track)
    and ``top_k:<track>`` (share in the track's own top-k, as if it ran alone). ``values`` (one
    :class:`mcda.robustness_values.ValueUncertainty` or None per track) samples the criterion values too.
    """
    from mcda.shortlist import top_k_mask

    if not outcome.tracks:
        raise InputError("the scenario has no tracks", where="tracks")
    ts = sample_tracks(outcome, samplers_around(outcome, spread), n_samples, seed, values)
    alts = ts.alternatives
    ids = id_order(alts)
    picked = ts.picked
    table = pd.DataFrame({"alternative": alts, "final": (picked >= 0).mean(axis=0)})
    countries = outcome.countries
    if "country" in countries.columns:
        table.insert(1, "name", [countries["country"].get(a, "") for a in alts])
    for t, o in enumerate(outcome.tracks):
        table[f"picked_by:{o.track}"] = (picked == t).mean(axis=0)
    for t, o in enumerate(outcome.tracks):
        table[f"top_k:{o.track}"] = top_k_mask(ts.ranks[t], ts.eligible[t], o.scenario.shortlist.top_k, ids).mean(
            axis=0
        )
    table = table.sort_values(["final", "alternative"], ascending=[False, True], kind="stable").reset_index(drop=True)
    said = [v.describe() if v is not None else "criterion values exact" for v in values or [None] * len(ts.eligible)]
    return TrackAcceptability(table, len(picked), seed, ts.samplers, ts.weights if keep_samples else None, said)


def tracks_extra(outcome: RankingOutcome) -> dict[str, Any] | None:
    """What summary.json adds over tracks: each track's quota and picks, and the priority rule (None without)."""
    if not outcome.tracks:
        return None
    sl = outcome.shortlist_table[outcome.shortlist_table["status"] == "shortlisted"]
    return {
        "tracks": [
            {
                "name": o.track,
                "quota": o.scenario.shortlist.top_k,
                "picked": [str(a) for a in sl.loc[sl["track"] == o.track, "alternative"]],
            }
            for o in outcome.tracks
        ],
        "overlap_rule": OVERLAP_RULE,
        "priority_rule": PRIORITY_RULE,
    }


def track_picks_lines(outcome: RankingOutcome) -> list[str]:
    """One line per track for the console: "track 'Large economies' (quota 2) picked: BRA, ARG"."""
    extra = tracks_extra(outcome) or {"tracks": []}
    return [
        f"track '{t['name']}' (quota {t['quota']}) picked: {', '.join(t['picked']) or 'none'}" for t in extra["tracks"]
    ]
