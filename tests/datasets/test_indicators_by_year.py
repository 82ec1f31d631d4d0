"""Indicators by year and their publication-lag rules (datasets/indicators_by_year.csv, issue 10 items 2 and 6).

Values are read back from the raw extracts with plain string handling (csv module, no build code),
so the replay is checked against its sources. The lag rules are those written in datasets/SOURCES.md
("Dated values"): a value for year Y is invisible the day before its publication date and visible on it.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict

import pandas as pd
import pytest

from datasets import build
from mcda import data as mdata

DS = mdata.DATASETS_DIR
RAW = DS / "raw"
STATUS_YEARS = {"prc_relations_year", "prc_relations_since_year", "bri_mou_year", "partnership_level_year"}


def replay(day: str) -> pd.DataFrame:
    return mdata.countries_as_of(dt.date.fromisoformat(day))[0]


def wdi_value(code: str, iso3: str, year: int) -> float:
    with open(RAW / "wdi" / f"{code}.csv", newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["Country Code"] == iso3 and int(r["Year"]) == year:
                return float(r["Value"])
    raise KeyError((code, iso3, year))


def hdr_value(name: str, iso3: str, year: int, encoding: str) -> float:
    with open(RAW / name, newline="", encoding=encoding) as fh:
        for r in csv.DictReader(fh):
            if r["iso3"] == iso3:
                return float(r[f"hdi_{year}"])
    raise KeyError(iso3)


def test_rebuild_reproduces_the_committed_long_table(tmp_path):
    build.build(tmp_path)
    assert (tmp_path / "indicators_by_year.csv").read_bytes() == (DS / "indicators_by_year.csv").read_bytes()


def test_a_replay_after_every_publication_gives_back_countries_csv():
    latest = mdata.load_countries()
    t = replay("2026-11-01")
    for col in latest.columns:
        if col in STATUS_YEARS:  # a status carries the as-of year
            assert (t[col].dropna() == 2026).all(), col
            continue
        pd.testing.assert_series_equal(t[col], latest[col], check_names=False, obj=col)


def test_wdi_year_y_is_published_on_1_july_of_y_plus_1():
    assert replay("2021-06-30").loc["ARG", "gdp_year"] == 2019
    t = replay("2021-07-01")
    assert t.loc["ARG", "gdp_year"] == 2020
    assert t.loc["ARG", "gdp"] == wdi_value("ny.gdp.mktp.cd", "ARG", 2020)


def test_a_sparse_series_keeps_its_last_published_year():
    # Trinidad and Tobago's $3.00/day poverty rate exists only for 1992 (SOURCES.md caveats)
    t = replay("2010-01-01")
    assert t.loc["TTO", "poverty_rate_year"] == 1992
    assert t.loc["TTO", "poverty_rate"] == wdi_value("si.pov.dday", "TTO", 1992)


def test_wgi_year_y_is_published_on_31_december_of_y_plus_1():
    assert replay("2024-12-30").loc["BRA", "wgi_pv_year"] == 2022
    assert replay("2024-12-31").loc["BRA", "wgi_pv_year"] == 2023


def test_hdi_year_is_published_with_the_first_edition_reporting_it_and_editions_never_mix():
    # HDR 2023/24 released 13 March 2024 (year 2022); HDR 2025 released 6 May 2025 (year 2023)
    assert replay("2024-03-12").loc["ARG", "hdi_year"] == 2021
    t = replay("2024-03-13")
    assert t.loc["ARG", "hdi_year"] == 2022 and t.loc["ARG", "hdi_hdr25_year"] == 2022
    assert replay("2025-05-05").loc["ARG", "hdi_hdr25_year"] == 2022
    assert replay("2025-05-06").loc["ARG", "hdi_hdr25_year"] == 2023
    # on the paper's date: year 2019 from each column's own edition
    t = replay("2022-06-30")
    assert t.loc["BOL", "hdi_year"] == 2019 and t.loc["BOL", "hdi_hdr25_year"] == 2019
    assert t.loc["BOL", "hdi"] == hdr_value(
        "HDR23-24_Composite_indices_complete_time_series.csv", "BOL", 2019, "utf-8-sig"
    )
    hdr25 = "HDR25_Composite_indices_complete_time_series_LAC33.csv"
    assert t.loc["BOL", "hdi_hdr25"] == hdr_value(hdr25, "BOL", 2019, "ascii")


def test_hdr25_values_as_published():
    # raw/hdr25 README (shared): "ARG hdi_2023 = 0.865 (rank 47); HTI hdi_2023 = 0.554 (rank 166)"
    t = mdata.load_countries()
    assert t.loc["ARG", "hdi_hdr25"] == 0.865 and t.loc["HTI", "hdi_hdr25"] == 0.554
    assert (t["hdi_hdr25_year"] == 2023).all()


def _agreement(iso2: str, other: str, sessions: set[int]) -> float:
    """Plain re-derivation of the agreement rule: 1 same vote, 0.5 one abstained, 0 yes vs no."""
    with open(RAW / "unga" / "un_roll_calls.csv", newline="", encoding="utf-8") as fh:
        keep = {r["rcid"] for r in csv.DictReader(fh) if int(r["session"]) in sessions}
    votes: dict[str, dict[str, str]] = defaultdict(dict)
    with open(RAW / "unga" / "un_votes_LAC33_CHN_USA.csv", newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["rcid"] in keep and r["country_code"] in (iso2, other):
                votes[r["rcid"]][r["country_code"]] = r["vote"]
    scores = []
    for v in votes.values():
        if len(v) < 2:
            continue
        a, b = v[iso2], v[other]
        scores.append(1.0 if a == b else 0.5 if "abstain" in (a, b) else 0.0)
    return round(100 * sum(scores) / len(scores), 2)


@pytest.mark.parametrize(("iso3", "iso2"), [("NIC", "NI"), ("MEX", "MX"), ("HTI", "HT")])
def test_unga_agreement_rule_over_the_last_three_sessions(iso3, iso2):
    t = mdata.load_countries()
    assert t.loc[iso3, "unga_agree_chn"] == _agreement(iso2, "CN", {72, 73, 74})
    assert t.loc[iso3, "unga_agree_usa"] == _agreement(iso2, "US", {72, 73, 74})
    assert t.loc[iso3, "unga_agree_chn_year"] == 2019


def test_an_unga_session_counts_only_after_its_last_vote():
    # session 74's last recorded vote is dated 2020-01-14 (raw/unga/un_roll_calls.csv)
    before, after = replay("2020-01-14"), replay("2020-01-15")
    assert before.loc["NIC", "unga_agree_chn_year"] == 2018
    assert before.loc["NIC", "unga_agree_chn"] == _agreement("NI", "CN", {71, 72, 73})
    assert after.loc["NIC", "unga_agree_chn_year"] == 2019


def test_the_data_start_is_the_first_publication():
    assert mdata.data_start() == dt.date(1961, 7, 1)  # WDI 1960 values, published 1 July 1961


def test_a_replay_is_computed_once_per_date_and_handed_out_as_a_private_copy():
    first, report = mdata.countries_as_of(dt.date(2022, 6, 30))
    first.loc["ARG", "gdp"] = -1.0
    report.uncertain["ARG"] = ["scribbled"]
    again, report2 = mdata.countries_as_of(dt.date(2022, 6, 30))
    assert again.loc["ARG", "gdp"] > 0 and "ARG" not in report2.uncertain
