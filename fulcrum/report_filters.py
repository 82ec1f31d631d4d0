"""The "Filter sensitivity" section of report.md and report.html (issue 10, item 4): each filter's
sentence, a table of the safe intervals and, in HTML, a chart (each numeric filter a bar of its
safe interval, the current threshold marked). Render only: the numbers come from
:func:`fulcrum.filters.outcome_filter_sensitivity`."""

from __future__ import annotations

import pandas as pd

from fulcrum.filters import outcome_filter_sensitivity
from fulcrum.markdown import md_table, md_text
from fulcrum.pipeline import RankingOutcome
from mcda.filter_sensitivity import FilterSensitivity, interval_text

INTRO = (
    "How far each filter's value can move before the shortlist changes, with the other filters, the "
    "manual exclusions and the top-k cut held fixed (exact: the shortlist can only change where the "
    "threshold crosses a country's value)."
)
TRACKS_INTRO = (
    "With tracks, each track's filters are moved one at a time against the final shortlist: the other "
    "tracks, the quotas and the overlap rule are held fixed, and who enters or leaves is said of the "
    "final shortlist."
)


def intro(outcome: RankingOutcome) -> str:
    """The section's opening words (with the tracks' rule when the scenario has tracks)."""
    return INTRO + (" " + TRACKS_INTRO if outcome.tracks else "")


def _rows(items: list[FilterSensitivity]) -> pd.DataFrame:
    tracked = any(s.track for s in items)
    return pd.DataFrame(
        [
            {
                **({"track": s.track} if tracked else {}),
                "filter": s.rule,
                "kind": s.kind,
                "holds for": interval_text(s) if s.kind == "numeric" else "(values, not a threshold)",
            }
            for s in items
        ]
    )


def filters_markdown(outcome: RankingOutcome) -> list[str]:
    """Lines of the markdown section (none when the scenario has no filter)."""
    items = outcome_filter_sensitivity(outcome)
    if not items:
        return []
    return [
        "",
        "## Filter sensitivity",
        "",
        intro(outcome),
        "",
        *[f"- {md_text(s.summary)}" for s in items],
        "",
        md_table(_rows(items)),
    ]


def filters_html(outcome: RankingOutcome) -> str:
    """The HTML section with its chart ('' when the scenario has no filter)."""
    from fulcrum.report_html import _e, _section, _table

    items = outcome_filter_sensitivity(outcome)
    if not items:
        return ""
    body = [f"<p>{_e(intro(outcome))}</p>", "<ul>" + "".join(f"<li>{_e(s.summary)}</li>" for s in items) + "</ul>"]
    chart = filters_chart(outcome, items)
    if chart:
        body.append(chart)
    body.append(_table(_rows(items), {}))
    return _section("Filter sensitivity", body, sid="filter-sensitivity")


def filters_sheet(outcome: RankingOutcome) -> dict[str, pd.DataFrame]:
    """The XLSX sheet "filter sensitivity" (the rows of filter_sensitivity.csv; none without filters)."""
    from fulcrum.filters import filter_sensitivity_frame, has_filters

    return {"filter sensitivity": filter_sensitivity_frame(outcome)} if has_filters(outcome) else {}


def _track_of(outcome: RankingOutcome, s: FilterSensitivity) -> tuple[int, RankingOutcome]:
    """(1-based number, outcome) of the track whose filter ``s`` is; (0, outcome) without tracks."""
    for i, o in enumerate(outcome.tracks, start=1):
        if s.track and o.track == s.track:
            return i, o
    return 0, outcome


def _label(outcome: RankingOutcome, s: FilterSensitivity) -> str:
    """A chart row's label: the rule, prefixed by its track's number with tracks ('track 2: wgi_pv > -1')."""
    i, _ = _track_of(outcome, s)
    return f"track {i}: {s.rule}" if i else s.rule


def chart_frame(outcome: RankingOutcome, items: list[FilterSensitivity]) -> pd.DataFrame:
    """One row per numeric filter: the drawn interval (unbounded ends at the column's data range)."""
    rows = []
    for s in items:
        if s.kind != "numeric":
            continue
        col = pd.to_numeric(_track_of(outcome, s)[1].countries[s.column], errors="coerce").dropna()
        lo_data = float(min(col.min(), float(s.value))) if len(col) else float(s.value)
        hi_data = float(max(col.max(), float(s.value))) if len(col) else float(s.value)
        rows.append(
            {
                "filter": _label(outcome, s),
                "threshold": float(s.value),
                "lo": s.lower if s.lower is not None else lo_data,
                "hi": s.upper if s.upper is not None else hi_data,
                "open_below": s.lower is None,
                "open_above": s.upper is None,
                "data_min": lo_data,
                "data_max": hi_data,
            }
        )
    return pd.DataFrame(rows)


def filters_chart(outcome: RankingOutcome, items: list[FilterSensitivity]) -> str:
    """Each numeric filter a bar of its safe interval (scaled to the column's range), the threshold marked."""
    from fulcrum.report_html import _figure, _mpl, _new_figure, _style

    cf = chart_frame(outcome, items)
    if cf.empty:
        return ""
    fig = _new_figure(0.8 + 0.45 * len(cf))
    ax = fig.add_subplot()
    for y, r in enumerate(cf.to_dict("records")):
        d0, d1 = float(r["data_min"]), float(r["data_max"])
        span = (d1 - d0) or 1.0
        lo, hi, t = float(r["lo"]), float(r["hi"]), float(r["threshold"])
        x0, x1, xt = (lo - d0) / span, (hi - d0) / span, (t - d0) / span
        ax.barh(y, x1 - x0, left=x0, color="#9ecae1", height=0.5)
        ax.plot([xt], [y], marker="|", markersize=16, color="#08306b", mew=2.5)
        ax.text(x0, y + 0.32, f"{lo:.4g}{' (data min)' if r['open_below'] else ''}", fontsize=7, ha="left")
        ax.text(x1, y + 0.32, f"{hi:.4g}{' (data max)' if r['open_above'] else ''}", fontsize=7, ha="right")
    ax.set_yticks(range(len(cf)), [_mpl(f) for f in cf["filter"]])
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.6, len(cf) - 0.2)
    ax.set_xticks([0, 0.5, 1], ["column min", "", "column max"])
    ax.set_xlabel(
        "safe interval of the threshold (bar) and the threshold in force (|), on each column's range", fontsize=8
    )
    _style(ax)
    return _figure(
        "Safe interval of each filter threshold",
        fig,
        "Each bar: the thresholds that keep the shortlist; the mark: the threshold in force.",
    )
