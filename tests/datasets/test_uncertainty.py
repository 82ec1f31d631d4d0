"""datasets/uncertainty.csv: the WGI standard errors of the shipped estimates, rebuilt by datasets.build.

Spot values are read from the raw WGI extract with plain string handling (not through the build
code), and the years are checked against the years of the values in countries.csv.
"""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from datasets import build
from mcda import data as mdata

DS = mdata.DATASETS_DIR
WGI = ("wgi_va", "wgi_pv", "wgi_ge", "wgi_rq", "wgi_rl", "wgi_cc")


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return pd.read_csv(DS / "uncertainty.csv", keep_default_na=False)


def raw_fields(key: str) -> list[str]:
    """The fields of the raw WGI line whose first column (codeindyr) is ``key``, e.g. ARGcc2023."""
    text = (DS / "raw" / "wgidataset_2024release.csv").read_text(encoding="utf-8-sig")
    lines = [ln for ln in text.splitlines() if ln.startswith(key + ",")]
    assert len(lines) == 1, key
    return next(csv.reader(io.StringIO(lines[0])))


def test_rebuild_reproduces_the_committed_file_byte_for_byte(tmp_path):
    build.build(tmp_path)
    assert (tmp_path / "uncertainty.csv").read_bytes() == (DS / "uncertainty.csv").read_bytes()


def test_every_country_has_the_six_wgi_standard_errors_for_the_shipped_year(table):
    countries = mdata.load_countries()
    assert list(table.columns) == ["id", "criterion", "sd", "year", "distribution", "source"]
    assert sorted(table["criterion"].unique()) == sorted(WGI)
    assert len(table) == 6 * len(countries)
    assert not table.duplicated(["id", "criterion"]).any()
    assert (table["sd"] > 0).all() and (table["distribution"] == "normal").all()
    for r in table.itertuples():  # the sd belongs to the same year as the shipped estimate
        assert r.year == countries.loc[r.id, f"{r.criterion}_year"], (r.id, r.criterion)


@pytest.mark.parametrize(("iso", "dim"), [("ARG", "cc"), ("HTI", "pv"), ("KNA", "ge"), ("BRA", "va"), ("DMA", "rl")])
def test_spot_values_equal_the_raw_stddev(table, iso, dim):
    f = raw_fields(f"{iso}{dim}2023")  # codeindyr,code,countryname,year,indicator,estimate,stddev,...
    row = table[(table["id"] == iso) & (table["criterion"] == f"wgi_{dim}")].iloc[0]
    assert row["sd"] == float(f[6]) and row["year"] == int(f[3]) == 2023
    assert float(f[5]) == mdata.load_countries().loc[iso, f"wgi_{dim}"]  # the estimate it belongs to


def test_sources_md_documents_it():
    text = (DS / "SOURCES.md").read_text(encoding="utf-8")
    assert "## `uncertainty.csv`" in text and "stddev" in text
