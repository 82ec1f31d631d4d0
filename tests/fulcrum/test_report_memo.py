"""Memo-ready reports (issue 13 item 8): sources and years of every criterion used, robustness summary,
group colours shared with the app, the frontier marks the budget, PDF without Chromium says what is missing."""

from __future__ import annotations

import html

import pandas as pd
import pytest

from fulcrum import format as F
from fulcrum.report import markdown_report
from fulcrum.report_html import html_report
from fulcrum.report_memo import SMAA_HOW, cut_margin, sources_table
from mcda.errors import InputError


def test_sources_table_has_one_row_per_criterion_used_with_source_and_years(default_outcome):
    t = sources_table(default_outcome)
    crit = default_outcome.criteria
    assert list(t["criterion"]) == [crit.at[c, "label"] for c in crit.index]
    assert (t["source"].str.len() > 0).all()
    gdp = t.set_index("criterion").loc["GDP"]
    assert gdp["unit"] == "current US$"
    assert gdp["source"].startswith("World Bank WDI NY.GDP.MKTP.CD")
    # the years of the values used for the ranked countries, from countries.csv's gdp_year column
    years = pd.to_numeric(default_outcome.countries["gdp_year"], errors="coerce").dropna()
    lo, hi = int(years.min()), int(years.max())
    assert gdp["years used"] == (str(lo) if lo == hi else f"{lo}–{hi}")


def test_sources_follow_the_as_of_date(paper_outcome):
    """The paper scenario ranks data as of 2022-10-15: no year used after 2022, and the note says so."""
    t = sources_table(paper_outcome)
    assert len(t) >= 2
    for y in t["years used"]:
        assert int(str(y).split("–")[-1]) <= 2022, y
    assert "data as it stood on 2022-10-15" in markdown_report(paper_outcome)


def test_reports_carry_sources_and_robustness(default_outcome):
    md = markdown_report(default_outcome)
    assert "## Sources and years" in md and "## Robustness" in md
    assert SMAA_HOW in md
    html = html_report(default_outcome)
    assert "<h2>Sources and years</h2>" in html and "<h2>Robustness</h2>" in html
    assert "World Bank WDI NY.GDP.MKTP.CD" in html
    # criterion groups in the app's colours
    for g in default_outcome.criteria["group"].unique():
        assert F.group_colours([g])[g] in html


def test_robustness_summary_points_to_smaa_when_it_follows(default_outcome):
    md = markdown_report(default_outcome, smaa_below=True)
    assert "in the section below" in md and SMAA_HOW not in md


def test_cut_margin_names_the_last_in_and_the_first_out(default_outcome):
    r = default_outcome.ranking.sort_values("rank")
    sl = list(default_outcome.shortlist.index)
    last = r[r["alternative"].isin(sl)].iloc[-1]
    nxt = r[~r["alternative"].isin(sl)].iloc[0]
    text = cut_margin(default_outcome)
    assert f"({last['alternative']})" in text and f"({nxt['alternative']})" in text
    assert f"{abs(last['score'] - nxt['score']):.4f}" in text


def test_frontier_chart_marks_the_budget_in_use():
    pytest.importorskip("matplotlib")
    from fulcrum.report_html import frontier_chart

    f = pd.DataFrame({"budget_total_musd": [500.0, 1000.0, 1500.0], "objective": [100.0, 180.0, 230.0]})
    assert "the dashed line marks the budget in use" in frontier_chart(f, 1000.0)
    assert html.escape(F.UNITS_OF_BENEFIT) in frontier_chart(f, 1000.0)


def test_pdf_without_chromium_says_what_is_missing(monkeypatch):
    from fulcrum import report_pdf

    monkeypatch.setenv(report_pdf.ENV, "/nonexistent/chromium")
    assert report_pdf.chromium_path() is None
    with pytest.raises(InputError, match="needs Chromium"):
        report_pdf.html_to_pdf("<p>x</p>")
