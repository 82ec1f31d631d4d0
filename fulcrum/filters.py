"""Threshold sensitivity of a scenario's shortlist filters (issue 10, item 4): the glue between a
ranking run and :mod:`mcda.filter_sensitivity` (which holds the computation).

With tracks every track's filters are tested, each against the FINAL shortlist: the track's
eligibility moves with the threshold, the other tracks stay as they are, and the overlap rule
(:func:`mcda.shortlist.track_picks`) joins the picks again.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from fulcrum.pipeline import RankingOutcome
from mcda.filter_sensitivity import FilterSensitivity, filter_sensitivity, sensitivity_table
from mcda.shortlist import id_order, track_picks


def _names(outcome: RankingOutcome) -> dict[str, str] | None:
    """Alternative id -> country name, when the data has names."""
    if "country" not in outcome.countries.columns:
        return None
    return {str(k): str(v) for k, v in outcome.countries["country"].items()}


def has_filters(outcome: RankingOutcome) -> bool:
    """Whether the scenario (or any of its tracks) has a shortlist filter."""
    if outcome.tracks:
        return any(o.scenario.shortlist.filters for o in outcome.tracks)
    return bool(outcome.scenario.shortlist.filters)


def final_cut(outcome: RankingOutcome, t: int) -> Callable[[list[str], np.ndarray], tuple[str, ...]]:
    """The final shortlist (members in final order) as a function of track ``t``'s eligibility."""
    from fulcrum.tracks import track_arrays, universe

    outs = outcome.tracks
    alts = universe(outs)
    pos = {a: j for j, a in enumerate(alts)}
    ranks, els = track_arrays(outs, alts)
    ids = id_order(alts)
    quotas = [o.scenario.shortlist.top_k for o in outs]

    def final(track_alts: list[str], eligible: np.ndarray) -> tuple[str, ...]:
        el = np.zeros(len(alts), dtype=bool)
        for a, e in zip(track_alts, eligible, strict=True):
            el[pos[a]] = bool(e)
        picked, position = track_picks(ranks, [el if u == t else e for u, e in enumerate(els)], quotas, ids)
        chosen = np.flatnonzero(picked >= 0)
        return tuple(alts[j] for j in chosen[np.argsort(position[chosen], kind="stable")])

    return final


def outcome_filter_sensitivity(outcome: RankingOutcome) -> list[FilterSensitivity]:
    """How far each filter of the scenario can move before its shortlist changes (one per filter); with
    tracks, every track's filters in track order, each against the final shortlist (``track`` set)."""
    names = _names(outcome)
    if outcome.tracks:
        out = []
        for t, o in enumerate(outcome.tracks):
            sl = o.scenario.shortlist
            if not sl.filters:
                continue
            items = filter_sensitivity(
                o.ranking, o.countries, sl.top_k, sl.filters, sl.exclusions, names=names, final=final_cut(outcome, t)
            )
            for s in items:
                s.track = str(o.track)
                s.summary = f"Track '{o.track}': {s.summary}"
            out += items
        return out
    sl = outcome.scenario.shortlist
    if not sl.filters:
        return []
    return filter_sensitivity(outcome.ranking, outcome.countries, sl.top_k, sl.filters, sl.exclusions, names=names)


def filter_sensitivity_frame(outcome: RankingOutcome) -> pd.DataFrame:
    """The same as the table written to filter_sensitivity.csv (columns documented in the README; with
    tracks a first column ``track``)."""
    return sensitivity_table(outcome_filter_sensitivity(outcome))
