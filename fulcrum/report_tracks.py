"""What the exports say about tracks: the notes lines, a ranking sheet per track, and the markdown memo.

Render only (like :mod:`fulcrum.report`): every function takes an outcome already ranked by
:func:`fulcrum.tracks.rank_tracks` and never ranks or solves.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pandas as pd

from fulcrum.markdown import md_table, md_text
from fulcrum.pipeline import RankingOutcome


def track_summary(o: RankingOutcome) -> str:
    """One line on a track: quota, method, weights mode, filters, exclusions, priority rule."""
    sc = o.scenario
    sl = sc.shortlist
    meth = sc.method.name + (f" ({sc.method.normalization} normalisation)" if sc.method.normalization else "")
    return (
        f"quota {sl.top_k}; method {meth}; weights {sc.weights.mode}; {len(sc.criteria)} criteria; "
        f"{len(sl.filters)} filter(s), {len(sl.exclusions)} exclusion(s); priority rule {sl.priority}"
    )


def track_lines(outcome: RankingOutcome) -> list[tuple[str, str]]:
    """(item, value) lines of the notes sheet: one per track, in track order."""
    return [(f"track {i}: {o.track}", track_summary(o)) for i, o in enumerate(outcome.tracks, start=1)]


def sheet_name(i: int, name: str) -> str:
    """An Excel sheet name for track ``i`` (31 characters at most, none of []:*?/\\)."""
    clean = re.sub(r"[\[\]:*?/\\]", " ", name)
    return f"ranking {i} {clean}"[:31].rstrip()


def track_sheets(outcome: RankingOutcome, one: Callable[[RankingOutcome], pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """A ranking sheet per track (``one`` = the single-ranking table; status and reason the track's own)."""
    return {sheet_name(i, o.track): one(o) for i, o in enumerate(outcome.tracks, start=1)}


def tracks_markdown(
    outcome: RankingOutcome, allocation: Any, allocation_markdown: Callable[[Any], str], memo: list[str] | None = None
) -> str:
    """The memo over tracks: the rules, each track (method, weights, ranking), the final shortlist with its
    track, the excluded, ``memo`` (sources and years, robustness), and the allocation."""
    from fulcrum.report import ranking_table, shortlist_export, weights_export

    sc = outcome.scenario
    parts = [f"# {md_text(sc.name)}", ""]
    if sc.description:
        parts += [md_text(sc.description, inline=False), ""]
    parts += ["## Tracks", ""]
    parts += [f"- {md_text(n)}" for n in outcome.notes]
    for i, o in enumerate(outcome.tracks, start=1):
        w = weights_export(o)
        rt = ranking_table(o)
        cols = ["rank", "alternative"] + (["name"] if "name" in rt.columns else []) + ["score", "status"]
        parts += [
            "",
            f"## Track {i}: {md_text(o.track)}",
            "",
            md_text(track_summary(o))
            + (" (score = Q, lower is better)" if not o.higher_is_better else " (higher score is better)"),
            "",
            "### Weights (normalised)",
            "",
            md_table(w[["criterion", "weight"] + [c for c in ("group", "direction") if c in w.columns]]),
            "",
            "### Ranking",
            "",
            md_table(rt[cols]),
        ]
    st = shortlist_export(outcome)
    sl = st[st["status"] == "shortlisted"]
    ex = st[st["status"] == "excluded"]
    parts += [
        "",
        "## Final shortlist",
        "",
        md_table(
            sl[
                [
                    c
                    for c in ("position", "alternative", "name", "track", "rank", "score", "priority", "reason")
                    if c in sl
                ]
            ]
        ),
    ]
    if len(ex):
        parts += [
            "",
            "### Excluded, with reasons",
            "",
            md_table(ex[[c for c in ("alternative", "name", "reason") if c in ex.columns]]),
        ]
    from fulcrum.report_filters import filters_markdown

    parts += filters_markdown(outcome)
    parts += memo or []
    from fulcrum.report_electre import electre_markdown

    parts += electre_markdown(outcome)
    if allocation is not None:
        parts += ["", allocation_markdown(allocation)]
    return "\n".join(parts) + "\n"
