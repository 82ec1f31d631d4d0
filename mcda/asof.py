"""Dated facts: a country's China-relations status on a date, and the indicator values published by it.

Pure functions over two shipped tables (``datasets/curated/china_events.csv`` and
``datasets/indicators_by_year.csv``; loaders in :mod:`mcda.data`):

* **Events -> status.** Each event has a date and its precision. An event known to the day counts
  from that day; one known only by month counts from the last day of that month, one known only by
  year from 31 December of that year (so a replay never uses a fact before it surely happened); a
  ``by`` event ("in force by this date, start unknown") counts from its date, gives no start year,
  and leaves every earlier date uncertain. A status on a date inside an event's month or year is
  **uncertain** and is reported so.
* **Indicators -> values.** Per column, the latest year whose value was published on or before the
  date (``published`` column of the long table; publication-lag rules in ``datasets/SOURCES.md``).

The build (``datasets/build.py``) derives the shipped status columns with the same function
(:func:`statuses_on` with no date = after every event), so today's table is what the events give.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from mcda.errors import InputError

#: event kinds of china_events.csv and the values each takes
EVENT_VALUES = {
    "relations_established": {"Beijing"},
    "recognition_switched": {"Beijing", "Taipei"},
    "bri_mou_signed": {"signed"},
    "bri_mou_left": None,  # free text, e.g. "exit notice"
    "partnership_tier": None,  # China's label, scored by curated/partnership_levels.csv
}
PRECISIONS = ("day", "month", "year", "by")
_DATE_RE = {
    "day": re.compile(r"^\d{4}-\d{2}-\d{2}$"),
    "by": re.compile(r"^\d{4}-\d{2}-\d{2}$"),
    "month": re.compile(r"^\d{4}-\d{2}$"),
    "year": re.compile(r"^\d{4}$"),
}
#: columns of countries.csv derived from the events
STATUS_COLUMNS = (
    "prc_relations",
    "prc_relations_since",
    "bri_mou",
    "bri_mou_signed_in",
    "bri_mou_status",
    "partnership_tier",
    "partnership_tier_since",
    "partnership_level",
)
ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def parse_iso_date(text: str) -> dt.date:
    """A ``YYYY-MM-DD`` calendar date, or ValueError saying what is wrong (e.g. 2022-02-30)."""
    if not isinstance(text, str) or not ISO_DATE.match(text):
        raise ValueError(f"{text!r:.40} is not a date in the form YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text} is not a calendar date") from None


def _window(date: str, precision: str) -> tuple[dt.date, dt.date]:
    """(first day the event may have happened, the day it counts from) for a date and its precision."""
    if precision == "day":
        d = dt.date.fromisoformat(date)
        return d, d
    if precision == "by":  # in force by this date, begun at an unknown earlier one: every earlier date is uncertain
        return dt.date.min, dt.date.fromisoformat(date)
    if precision == "month":
        y, m = (int(p) for p in date.split("-"))
        return dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1])
    y = int(date)
    return dt.date(y, 1, 1), dt.date(y, 12, 31)


def prepare_events(events: pd.DataFrame, where: str = "china_events.csv") -> pd.DataFrame:
    """Validate an event table (all text) and add ``start`` / ``counts_from`` dates, sorted by date."""
    rows = []
    for i, r in enumerate(events.to_dict("records")):
        line = f"{where}, line {i + 2}"
        kind, prec, value = r["event"], r["precision"], r["value"]
        if kind not in EVENT_VALUES:
            raise InputError(f"unknown event '{kind}'", where=f"{line}, column event")
        allowed = EVENT_VALUES[kind]
        if allowed is not None and value not in allowed:
            raise InputError(f"value '{value}' is not one of {sorted(allowed)}", where=f"{line}, column value")
        if prec not in PRECISIONS or not _DATE_RE[prec].match(r["date"]):
            raise InputError(f"date '{r['date']}' does not match precision '{prec}'", where=f"{line}, column date")
        if not str(r.get("source", "")).strip():
            raise InputError("event without a source", where=f"{line}, column source")
        try:
            start, counts = _window(r["date"], prec)
        except ValueError:
            raise InputError(f"'{r['date']}' is not a calendar date", where=f"{line}, column date") from None
        rows.append({**r, "start": start, "counts_from": counts})
    out = pd.DataFrame(rows)
    return out.sort_values(["iso3", "counts_from"], kind="stable").reset_index(drop=True)


@dataclass
class Status:
    """One country's China-relations status on a date (the columns of countries.csv) and its doubts."""

    prc_relations: int = 0
    prc_relations_since: int | None = None
    bri_mou: int = 0
    bri_mou_signed_in: int | None = None
    bri_mou_status: str = "not signed"
    partnership_tier: str | None = None
    partnership_tier_since: int | None = None
    recognition: str | None = None  # "Beijing" / "Taipei" / None (no event says)
    uncertain: list[str] = field(default_factory=list)


def _status(ev: pd.DataFrame, on: dt.date | None) -> Status:
    """Fold one country's events (sorted) up to ``on`` (None: every event)."""
    s = Status()
    records: list[dict[Any, Any]] = ev.to_dict("records")
    relations = [r for r in records if r["event"] in ("relations_established", "recognition_switched")]
    if relations and relations[0]["event"] == "recognition_switched":
        # a switch to Beijing means Taipei was recognised before it (and the reverse)
        s.recognition = "Taipei" if relations[0]["value"] == "Beijing" else "Beijing"
    for r in records:
        kind, value, date = str(r["event"]), str(r["value"]), str(r["date"])
        if on is not None and r["counts_from"] > on:
            if r["start"] <= on:  # inside the event's month or year: it may already have happened
                known = (
                    f"in force by {date}, start not confirmed" if r["precision"] == "by" else f"known only as {date}"
                )
                s.uncertain.append(f"{kind.replace('_', ' ')} ({value}) {known}")
            continue
        year = int(date[:4])
        if kind in ("relations_established", "recognition_switched"):
            s.recognition = value
            s.prc_relations = int(value == "Beijing")
            s.prc_relations_since = year if value == "Beijing" else None
        elif kind == "bri_mou_signed":
            s.bri_mou, s.bri_mou_signed_in, s.bri_mou_status = 1, year, f"signed {year}"
        elif kind == "bri_mou_left":
            when = dt.date.fromisoformat(date).strftime("%b %Y") if r["precision"] in ("day", "by") else date
            s.bri_mou = 0
            s.bri_mou_status = f"signed {s.bri_mou_signed_in}; {value} {when}"
        elif kind == "partnership_tier":
            s.partnership_tier = value
            s.partnership_tier_since = None if r["precision"] == "by" else year
    return s


def statuses_on(
    events: pd.DataFrame, codes: list[str], levels: dict[str, int], on: dt.date | None = None
) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """Status columns (STATUS_COLUMNS, indexed by iso3) of ``codes`` on ``on`` (None: after every event),
    and per country the events that may or may not have happened by then (dates known by month or year).

    ``events`` comes from :func:`prepare_events`; ``levels`` maps a partnership tier ('' = none) to its score.
    """
    rows, doubts = {}, {}
    by_country = dict(tuple(events.groupby("iso3", sort=False)))
    for c in codes:
        ev = by_country.get(c, events.iloc[0:0])
        s = _status(ev, on)
        tier = s.partnership_tier or ""
        if tier not in levels:
            raise InputError(f"partnership tier '{tier}' has no score", where="curated/partnership_levels.csv")
        rows[c] = {
            "prc_relations": s.prc_relations,
            "prc_relations_since": s.prc_relations_since,
            "bri_mou": s.bri_mou,
            "bri_mou_signed_in": s.bri_mou_signed_in,
            "bri_mou_status": s.bri_mou_status,
            "partnership_tier": s.partnership_tier,
            "partnership_tier_since": s.partnership_tier_since,
            "partnership_level": levels[tier],
            "recognition": s.recognition,
        }
        if s.uncertain:
            doubts[c] = s.uncertain
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "iso3"
    return table, doubts


def values_on(long: pd.DataFrame, on: dt.date) -> pd.DataFrame:
    """Per (iso3, column), the value and year of the latest year published on or before ``on``.

    ``long`` has columns iso3, column, year, value, published (a ``datetime.date``). Returns a frame
    indexed by (iso3, column) with ``value`` and ``year``.
    """
    seen = long[long["published"] <= on]
    latest = seen.sort_values(["iso3", "column", "year"], kind="stable").groupby(["iso3", "column"]).tail(1)
    return latest.set_index(["iso3", "column"])[["value", "year"]]
