"""Threshold sensitivity of a scenario's shortlist filters (issue 10, item 4): the glue between a
ranking run and :mod:`mcda.filter_sensitivity` (which holds the computation)."""

from __future__ import annotations

import pandas as pd

from fulcrum.pipeline import RankingOutcome
from mcda.filter_sensitivity import FilterSensitivity, filter_sensitivity, sensitivity_table


def outcome_filter_sensitivity(outcome: RankingOutcome) -> list[FilterSensitivity]:
    """How far each filter of the scenario can move before its shortlist changes (one per filter)."""
    sl = outcome.scenario.shortlist
    if not sl.filters:
        return []
    has = "country" in outcome.countries.columns
    names = {str(k): str(v) for k, v in outcome.countries["country"].items()} if has else None
    return filter_sensitivity(outcome.ranking, outcome.countries, sl.top_k, sl.filters, sl.exclusions, names=names)


def filter_sensitivity_frame(outcome: RankingOutcome) -> pd.DataFrame:
    """The same as the table written to filter_sensitivity.csv (columns documented in the README)."""
    return sensitivity_table(outcome_filter_sensitivity(outcome))
