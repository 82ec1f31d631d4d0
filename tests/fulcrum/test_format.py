"""fulcrum.format: how numbers and column names read on screen and in the reports (issue 13 item 1)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from fulcrum import format as F


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (683097891618.597, "current US$", "US$ 683 bn"),  # the issue's example (GDP)
        (12_345_678.0, "current US$", "US$ 12.3M"),
        (9_876.4, "current US$ per person", "US$ 9,876 per person"),
        (3.2, "% per year (constant prices)", "3.2%"),
        (45_606_230.0, "people", "45.6 million people"),
        (0.7654, "index 0-1", "0.765"),
        (1_234.4, "km (great circle)", "1,234 km"),
        (1990.0, "year", "1990"),
        (float("nan"), "current US$", "–"),
        (None, "people", "–"),
    ],
)
def test_values_read_in_their_units(value, unit, shown):
    assert F.value_in_unit(value, unit) == shown


def test_money_in_millions_fits_the_amount():
    assert F.money_musd(362) == "US$ 362.0M"
    assert F.money_musd(1000) == "US$ 1,000M"
    assert F.money_musd(12_500) == "US$ 12.5 bn"
    assert F.money_musd(float("nan")) == "–"


def test_solver_round_off_reads_zero_never_minus_zero():
    assert F.number(-0.0000003) == "0"
    assert F.number(-0.0000003, 3) == "0"
    assert F.pct(-1e-9) == "0.0%"
    assert F.points(0.031) == "+3.1 pp"
    assert F.points(-2e-12) == "0 pp"
    assert F.number(1234.5678) == "1,234.57"


def test_one_weight_format():
    assert F.weight(0.125) == "12.5%"
    assert F.weight(1 / 12) == "8.3%"


@pytest.mark.parametrize(
    ("col", "head"),
    [
        ("aid_musd", "Aid, US$M"),
        ("rank_1", "Ranked 1st"),
        ("rank_2", "Ranked 2nd"),
        ("rank_11", "Ranked 11th"),
        ("top_6", "In top 6"),
        ("change_down", "Room downwards"),
        ("slack_musd", "Slack, US$M"),
    ],
)
def test_machine_columns_get_friendly_headers_with_help(col, head):
    name, help_text = F.header(col)
    assert name == head
    assert help_text  # explained in words on hover


def test_central_weight_headers_name_the_criterion():
    name, help_text = F.header("cw_gdp", {"gdp": "GDP"})
    assert name == "Central weight: GDP"
    assert "ranks first" in help_text


def test_glossary_defines_the_terms_the_issue_names():
    for term in (
        "TOPSIS",
        "VIKOR",
        "PROMETHEE",
        "ELECTRE",
        "SMAA",
        "Acceptability",
        "Shadow price",
        "Binding",
        "Slack",
        "Units of benefit",
    ):
        assert term in F.GLOSSARY and len(F.GLOSSARY[term]) > 40


def test_group_colours_are_fixed_per_group_and_distinct():
    a = F.group_colours(["political", "economic"])
    b = F.group_colours(["economic", "geographic", "political", "my own group"])
    assert a["economic"] == b["economic"] and a["political"] == b["political"]
    assert len(set(b.values())) == 4


def test_missing_is_detected_for_every_null_kind():
    assert all(F.is_missing(v) for v in (None, float("nan"), pd.NA, pd.NaT, math.nan))
    assert not any(F.is_missing(v) for v in (0, 0.0, "", "x"))


def test_short_label_drops_the_parenthesised_detail():
    assert F.short_label("Production-capacity cooperation (industrial demonstration zone)") == (
        "Production-capacity cooperation"
    )
    assert F.short_label("Rural e-commerce") == "Rural e-commerce"


def test_text_already_formatted_is_shown_as_it_is():
    """A column a page has already written as text ('22.3%', '') is not parsed again."""
    assert F.pct("22.3%") == "22.3%"
    assert F.pct("") == "–"
    assert F.number("n/a") == "n/a"
    assert F.value_in_unit("", "current US$") == "–"
