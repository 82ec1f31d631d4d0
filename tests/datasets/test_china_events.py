"""The dated China-relations events (datasets/curated/china_events.csv, issue 10 item 2).

* every event rests on a citation already stored in curated/china_relations.csv (no date from memory);
* the statuses the events give today are the shipped columns of countries.csv, byte for byte, and
  agree with the cited table (an independent source: its true/false and years, read as text);
* the facts the issue names (Honduras and Nicaragua on 2022-06-30; Panama, the Dominican Republic,
  El Salvador and Nicaragua on 2017-01-01), each checked against the date in its row's citation;
* the rule for imprecise dates: a year-only event counts from 31 December, a month-only one from the
  month's last day, and a status inside that year or month is flagged uncertain.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from datasets import build
from mcda import data as mdata
from mcda.asof import STATUS_COLUMNS, prepare_events, statuses_on
from mcda.errors import InputError

DS = mdata.DATASETS_DIR
CODES = build.lac_iso3()


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    return build.china_events()


@pytest.fixture(scope="module")
def scores() -> dict[str, int]:
    return build.partnership_scores()


def on(events, scores, day: str) -> pd.DataFrame:
    return statuses_on(events, CODES, scores, dt.date.fromisoformat(day))[0]


def test_every_event_cites_an_address_stored_in_the_curated_table():
    relations = (DS / "curated" / "china_relations.csv").read_text(encoding="utf-8")
    raw = pd.read_csv(DS / "curated" / "china_events.csv", dtype=str, keep_default_na=False)
    assert len(raw) >= 70
    for r in raw.itertuples():
        urls = re.findall(r"https?://\S+", r.source)
        assert urls, (r.iso3, r.event)
        for u in urls:
            assert u in relations, f"{r.iso3} {r.event} {r.date}: {u} is not a stored citation"


def test_events_give_the_shipped_status_columns_byte_for_byte(events, scores):
    derived, _ = statuses_on(events, CODES, scores)
    text = pd.read_csv(DS / "countries.csv", dtype=str, keep_default_na=False).set_index("iso3")
    for col in STATUS_COLUMNS:
        got = ["" if pd.isna(v) else str(int(v)) if isinstance(v, float) else str(v) for v in derived[col]]
        assert got == text.loc[CODES, col].tolist(), col


def test_events_agree_with_the_cited_relations_table(events, scores):
    """Today's statuses against china_relations.csv's own cells (Panama's 2025 BRI exit is the one change)."""
    derived, _ = statuses_on(events, CODES, scores)
    rel = pd.read_csv(DS / "curated" / "china_relations.csv", dtype=str, keep_default_na=False).set_index("iso3")
    for c in CODES:
        r, d = rel.loc[c], derived.loc[c]
        assert d["prc_relations"] == (r["prc_diplomatic_relations"] == "true"), c
        assert ("" if pd.isna(d["prc_relations_since"]) else str(int(d["prc_relations_since"]))) == r[
            "prc_relations_since"
        ], c
        signed = r["bri_mou_signed"] == "true"
        assert d["bri_mou"] == (signed and c != "PAN"), c
        assert ("" if pd.isna(d["bri_mou_signed_in"]) else str(int(d["bri_mou_signed_in"]))) == r["bri_mou_year"], c
        assert ("" if pd.isna(d["partnership_tier"]) else d["partnership_tier"]) == r["partnership_level"], c
        since = "" if pd.isna(d["partnership_tier_since"]) else str(int(d["partnership_tier_since"]))
        assert since == r["partnership_year"], c
    assert derived.loc["PAN", "bri_mou_status"] == "signed 2017; exit notice Feb 2025"


def test_2022_06_30_honduras_recognised_taipei_and_nicaragua_beijing(events, scores):
    # HND: Xinhua 2023-03-26, communique signed 26 Mar 2023; NIC: PRC MFA 2021-12-10, resumption that day
    t = on(events, scores, "2022-06-30")
    assert t.loc["HND", "prc_relations"] == 0 and t.loc["HND", "recognition"] == "Taipei"
    assert t.loc["NIC", "prc_relations"] == 1 and t.loc["NIC", "recognition"] == "Beijing"
    assert on(events, scores, "2023-03-25").loc["HND", "recognition"] == "Taipei"
    assert on(events, scores, "2023-03-26").loc["HND", "recognition"] == "Beijing"
    assert on(events, scores, "2021-12-09").loc["NIC", "recognition"] == "Taipei"
    assert on(events, scores, "2021-12-10").loc["NIC", "prc_relations_since"] == 2021


def test_2017_01_01_panama_dominican_republic_el_salvador_nicaragua_recognised_taipei(events, scores):
    # PAN 2017-06-13 (libyanewstoday / sunnewsonline), DOM 2018-05-01 (Bloomberg), SLV 2018-08-21 (Sputnik)
    t = on(events, scores, "2017-01-01")
    for c in ("PAN", "DOM", "SLV", "NIC"):
        assert t.loc[c, "prc_relations"] == 0, c
        assert t.loc[c, "recognition"] == "Taipei", c
    for c, day in (("PAN", "2017-06-13"), ("DOM", "2018-05-01"), ("SLV", "2018-08-21")):
        before = (dt.date.fromisoformat(day) - dt.timedelta(days=1)).isoformat()
        assert on(events, scores, before).loc[c, "prc_relations"] == 0, c
        assert on(events, scores, day).loc[c, "prc_relations"] == 1, c


def test_the_paper_date_replays_2022_statuses(events, scores):
    """The statuses the issue replayed by hand for 2022: Uruguay strategic, Nicaragua without a tier,
    Panama in the Belt and Road."""
    t = on(events, scores, "2022-06-30")
    assert t.loc["URY", "partnership_tier"] == "strategic partnership" and t.loc["URY", "partnership_level"] == 2
    assert pd.isna(t.loc["NIC", "partnership_tier"]) and t.loc["NIC", "partnership_level"] == 0
    assert t.loc["PAN", "bri_mou"] == 1


def test_a_year_only_event_counts_from_31_december_and_is_uncertain_inside_its_year(events, scores):
    # Dominica's BRI MoU is known only as "2018" (China Daily mirror 2024-03-25)
    codes = ["DMA"]
    t, doubt = statuses_on(events, codes, scores, dt.date(2018, 12, 30))
    assert t.loc["DMA", "bri_mou"] == 0 and "DMA" in doubt and "2018" in doubt["DMA"][0]
    t, doubt = statuses_on(events, codes, scores, dt.date(2018, 12, 31))
    assert t.loc["DMA", "bri_mou"] == 1 and "DMA" not in doubt
    t, doubt = statuses_on(events, codes, scores, dt.date(2017, 12, 31))
    assert t.loc["DMA", "bri_mou"] == 0 and "DMA" not in doubt


def test_a_month_only_event_counts_from_the_last_day_of_its_month(events, scores):
    # Barbados signed "last week" per Nation News of 2019-02-24: known as 2019-02
    t, doubt = statuses_on(events, ["BRB"], scores, dt.date(2019, 2, 27))
    assert t.loc["BRB", "bri_mou"] == 0 and "BRB" in doubt
    t, doubt = statuses_on(events, ["BRB"], scores, dt.date(2019, 2, 28))
    assert t.loc["BRB", "bri_mou"] == 1 and not doubt


def test_a_by_event_has_no_start_year_and_earlier_dates_are_uncertain(events, scores):
    # TTO: MFA text of 2024-06-20 names the comprehensive cooperative partnership; the year it was set is unknown
    t, doubt = statuses_on(events, ["TTO"], scores, dt.date(2025, 1, 1))
    assert pd.isna(t.loc["TTO", "partnership_tier_since"]) and not doubt
    t, doubt = statuses_on(events, ["TTO"], scores, dt.date(2010, 1, 1))
    assert pd.isna(t.loc["TTO", "partnership_tier"])
    assert doubt["TTO"] == [
        "partnership tier (comprehensive cooperative partnership) in force by 2024-06-20, start not confirmed"
    ]


@pytest.mark.parametrize(
    ("change", "column"),
    [
        ({"event": "treaty_signed"}, "event"),
        ({"value": "Taiwan"}, "value"),
        ({"date": "2018-05", "precision": "day"}, "date"),
        ({"date": "2018-02-30"}, "date"),
        ({"source": " "}, "source"),
    ],
)
def test_a_bad_event_row_is_refused_naming_line_and_column(change, column):
    row = {
        "iso3": "DOM",
        "date": "2018-05-01",
        "precision": "day",
        "event": "recognition_switched",
        "value": "Beijing",
        "source": "x",
        "note": "",
    }
    with pytest.raises(InputError, match=f"line 2, column {column}"):
        prepare_events(pd.DataFrame([{**row, **change}]))
