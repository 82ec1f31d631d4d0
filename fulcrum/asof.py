"""A scenario's ``data.as_of``: replay the shipped data on a date and say so in every output.

``load_dataset`` calls :func:`replay` (the shipped table as it stood on the date: mcda.data.countries_as_of);
``rank_scenario`` calls :func:`as_of_notes` (the lines every report, workbook and summary carries: the
date or "latest data", the columns in use that cannot be replayed, statuses whose event date is known
only by month or year); the commands print :func:`stdout_lines` and write :func:`summary_fields`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import pandas as pd

from mcda.errors import InputError

if TYPE_CHECKING:
    from fulcrum.scenario import Scenario
    from mcda.data import AsOfReport

LATEST = "latest data"
UNGA_NOTE = (
    "UN General Assembly agreement is measured on recorded votes through 2019 (session 74; Voeten's data "
    "as redistributed by unvotes): later votes are not in the data."
)


def as_of_date(scenario: Scenario) -> dt.date | None:
    """The scenario's as-of date (None = latest data)."""
    text = scenario.data.as_of
    return None if text is None else dt.date.fromisoformat(text)


def replay(scenario: Scenario, countries: pd.DataFrame, shipped: bool) -> tuple[pd.DataFrame, AsOfReport | None]:
    """The dataset as it stood on the scenario's as-of date (unchanged, None without one)."""
    on = as_of_date(scenario)
    if on is None:
        return countries, None
    from mcda import data as mdata

    if not shipped:
        raise InputError(
            "an as-of date replays the shipped country data only; this scenario reads its own data file",
            where="data.as_of",
            hint='Remove data.as_of, or use "dataset": "default".',
        )
    start = mdata.data_start()
    if on < start:
        raise InputError(
            f"{on.isoformat()} is before the data starts ({start.isoformat()})",
            where="data.as_of",
            hint=f"Give a date on or after {start.isoformat()}, or leave data.as_of out for the latest data.",
        )
    replayed, report = mdata.countries_as_of(on)
    return replayed.loc[countries.index], report


def as_of_label(report: AsOfReport | None) -> str:
    """'as of YYYY-MM-DD' or 'latest data'."""
    return LATEST if report is None else f"as of {report.on.isoformat()}"


def flags(report: AsOfReport | None, used: list[str], candidates: list[str]) -> list[str]:
    """The warnings of a replay for the columns in use: not dated (snapshot / static) and uncertain statuses."""
    if report is None:
        return []
    on = report.on.isoformat()
    out = []
    snap = [c for c in used if report.not_dated.get(c, ("",))[0] == "snapshot"]
    if snap:
        whats = sorted({report.not_dated[c][1] for c in snap})
        out.append(
            f"NOT REPLAYABLE to {on}: {', '.join(snap)} — used as shipped today, not as known on that date ("
            + "; ".join(whats)
            + ")."
        )
    static = [c for c in used if report.not_dated.get(c, ("",))[0] == "static"]
    if static:
        out.append(f"Static (the same on every date, not replayed): {', '.join(static)}.")
    if any(c in report.events for c in used):
        doubtful = [f"{c}: {'; '.join(v)}" for c, v in report.uncertain.items() if c in candidates]
        if doubtful:
            out.append(
                f"UNCERTAIN on {on} (event dates known only by month or year count from the end of that month "
                "or year): " + " | ".join(doubtful) + "."
            )
    return out


def as_of_notes(report: AsOfReport | None, used: list[str], candidates: list[str]) -> list[str]:
    """The lines every output carries: the data date, then the replay's flags."""
    if report is None:
        head = "Data: latest data (no as-of date set); China-relations statuses as of the latest dated event."
    else:
        on = report.on.isoformat()
        head = (
            f"Data as of {on}: each yearly indicator at its latest value published by {on} (publication-lag "
            f"rules in datasets/SOURCES.md); China-relations statuses from the dated events up to {on}."
        )
    out = [head] + flags(report, used, candidates)
    if any(c.startswith("unga_agree") for c in used):
        out.append(UNGA_NOTE)
    return out


def used_columns(scenario: Scenario) -> list[str]:
    """Criteria and filter columns a scenario reads, in order, once each."""
    cols = [c.id for c in scenario.criteria] + [f.column for f in scenario.shortlist.filters]
    return list(dict.fromkeys(cols))


def summary_fields(report: AsOfReport | None, data_notes: list[str]) -> dict[str, Any]:
    """summary.json fields: the data date (null = latest data) and the data notes with the replay's flags."""
    return {"data_as_of": None if report is None else report.on.isoformat(), "data_notes": list(data_notes)}


def stdout_lines(report: AsOfReport | None, data_notes: list[str]) -> list[str]:
    """What ``run`` / ``solve`` print after their file list when a date is set (nothing for latest data)."""
    return [] if report is None else [f"note: {n}" for n in data_notes]
