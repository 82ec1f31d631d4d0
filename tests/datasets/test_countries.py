"""The shipped country dataset: reproducible build, years beside values, blanks kept blank, values
traceable to the raw extracts, agreement with the project's shared candidates.csv, and the
criteria-file validation in mcda.data.

Spot values are read from the raw extract files with plain string handling (not through the build
code), so the build is checked against its sources, not against itself.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from pathlib import Path

import pandas as pd
import pytest

from datasets import build
from mcda import data as mdata
from mcda.errors import InputError

DS = mdata.DATASETS_DIR
RAW = DS / "raw"
SHARED = Path("/work/shared/data")
needs_shared = pytest.mark.skipif(not (SHARED / "candidates.csv").exists(), reason="shared data folder absent")


@pytest.fixture(scope="module")
def countries() -> pd.DataFrame:
    return mdata.load_countries()


@pytest.fixture(scope="module")
def criteria() -> pd.DataFrame:
    return mdata.load_criteria()


@pytest.fixture(scope="module")
def text_table() -> pd.DataFrame:
    """countries.csv as the literal cell text (to check blanks and integer formatting)."""
    return pd.read_csv(DS / "countries.csv", dtype=str, keep_default_na=False).set_index("iso3")


def raw_line(path: Path, prefix: str) -> list[str]:
    """The CSV fields of the single raw line starting with ``prefix``."""
    lines = [ln for ln in path.read_text(encoding="utf-8-sig").splitlines() if ln.startswith(prefix)]
    assert len(lines) == 1, (path, prefix, lines)
    return next(csv.reader(io.StringIO(lines[0])))


# ------------------------------------------------------------------ reproducible build


def test_rebuild_reproduces_committed_countries_csv_byte_for_byte(tmp_path):
    out = build.build(tmp_path)
    assert out.read_bytes() == (DS / "countries.csv").read_bytes()


def test_countries_csv_is_plain_lf_utf8_sorted_with_33_rows(text_table):
    data = (DS / "countries.csv").read_bytes()
    assert b"\r" not in data and data.endswith(b"\n")
    data.decode("utf-8")
    assert list(text_table.index) == sorted(text_table.index)
    assert len(text_table) == 33
    blocs = pd.read_csv(DS / "curated" / "blocs.csv", dtype=str)
    assert set(text_table.index) == set(blocs["iso3"])


def test_integer_columns_are_written_without_decimal_point(text_table):
    for col in text_table.columns:
        if col.endswith("_year") or col in build.INTEGER_COLUMNS:
            cells = [v for v in text_table[col] if v]
            assert all(re.fullmatch(r"-?\d+", v) for v in cells), (col, cells[:3])


# ------------------------------------------------------------------ criteria <-> columns


def test_every_criterion_has_a_value_column_and_a_year_column(countries, criteria):
    for cid in criteria.index:
        assert cid in countries.columns, cid
        assert f"{cid}_year" in countries.columns, cid


def test_required_criterion_ids_exist(criteria):
    required = {
        "population",
        "gdp",
        "gdp_per_capita",
        "gdp_growth",
        "hdi",
        "poverty_rate",
        "poverty_national",
        "gini",
        "wgi_va",
        "wgi_pv",
        "wgi_ge",
        "wgi_rq",
        "wgi_rl",
        "wgi_cc",
        "china_import_share",
        "china_export_share",
        "china_devfin_log",
        "dist_beijing",
        "coastline",
        "landlocked",
        "prc_relations",
        "prc_relations_since",
        "bri_mou",
        "partnership_level",
    }
    assert required <= set(criteria.index)


def test_every_year_column_belongs_to_a_criterion(countries, criteria):
    years = [c[:-5] for c in countries.columns if c.endswith("_year")]
    assert set(years) - set(criteria.index) == set()  # "<x>_year" always means "year of the value in <x>"


def test_no_value_without_a_year_and_no_year_without_a_value(countries, criteria):
    for cid in criteria.index:
        v, y = countries[cid].notna(), countries[f"{cid}_year"].notna()
        assert (v == y).all(), (cid, list(countries.index[v != y]))


def test_criteria_year_field_matches_the_years_in_the_table(countries, criteria):
    for cid, row in criteria.iterrows():
        ys = countries[f"{cid}_year"].dropna()
        lo, hi = int(ys.min()), int(ys.max())
        expected = str(hi) if lo == hi else f"{lo}-{hi}"
        assert row["year"] == expected, (cid, row["year"], expected)


def test_criteria_metadata_values(criteria):
    assert set(criteria["group"]) <= {"economic", "political", "geographic"}
    assert set(criteria["direction"]) <= {"benefit", "cost"}
    assert criteria.index.is_unique
    assert (criteria["description"].str.len() > 0).all() and (criteria["source"].str.len() > 0).all()
    assert not criteria["description"].str.contains("\n").any()
    # a few planner-view defaults the rest of the project relies on
    assert criteria.loc["dist_beijing", "direction"] == "cost"
    assert criteria.loc["landlocked", "direction"] == "cost"
    assert criteria.loc["poverty_rate", "direction"] == "benefit"
    assert (criteria.loc[[c for c in criteria.index if c.startswith("wgi_")], "direction"] == "benefit").all()
    assert "ASSUMPTION" in criteria.loc["partnership_level", "unit"]


def test_default_on_criteria_have_full_coverage(countries, criteria):
    on = criteria.index[criteria["default_on"]]
    assert len(on) >= 5
    for cid in on:
        assert countries[cid].notna().all(), cid


# ------------------------------------------------------------------ blanks stay blank


def test_blank_is_never_written_as_zero(text_table):
    # Barbados: China not among the top five import partners in the Factbook text.
    bb = json.loads((RAW / "factbook_extract.json").read_text(encoding="utf-8"))["bb"]
    assert "China" not in bb["Economy"]["Imports - partners"]["text"]
    assert text_table.at["BRB", "china_import_share"] == ""
    assert text_table.at["BRB", "china_import_share_year"] == ""
    # Belize is not in AidData GCDF 3.0.
    gcdf = (RAW / "aiddata_gcdf3" / "gcdf_country_commitments.csv").read_text(encoding="utf-8")
    assert ",BLZ," not in gcdf
    for col in ("china_devfin_musd", "china_devfin_log", "china_devfin_log_year"):
        assert text_table.at["BLZ", col] == ""
    # No $3.00/day survey for Saint Kitts and Nevis at all.
    assert ",KNA," not in (RAW / "wdi" / "si.pov.dday.csv").read_text(encoding="utf-8")
    assert text_table.at["KNA", "poverty_rate"] == ""
    # Taipei allies have no "relations since" year.
    assert text_table.at["PRY", "prc_relations"] == "0" and text_table.at["PRY", "prc_relations_since"] == ""


def test_a_zero_only_where_the_source_says_zero(countries):
    # coastline 0 comes from the Factbook's own "0 km (landlocked)"
    fb = json.loads((RAW / "factbook_extract.json").read_text(encoding="utf-8"))
    assert fb["bl"]["Geography"]["Coastline"]["text"].startswith("0 km")
    assert countries.loc["BOL", "coastline"] == 0
    value_cols = [c for c in countries.columns if c + "_year" in countries.columns]
    # El Salvador's 2023 political-stability estimate is a literal 0.00 in the WGI file
    assert raw_line(RAW / "wgidataset_2024release.csv", "SLVpv2023,")[5] == "0.00"
    assert countries.loc["SLV", "wgi_pv"] == 0
    allowed_zero = {"coastline", "landlocked", "prc_relations", "bri_mou", "partnership_level", "gdp_growth", "wgi_pv"}
    for col in value_cols:
        zeros = list(countries.index[countries[col] == 0])
        if col == "wgi_pv":
            assert zeros == ["SLV"]
        elif col not in allowed_zero:
            assert zeros == [], col


def test_trade_share_upper_bound_only_when_china_not_listed(countries):
    for kind in ("import", "export"):
        share, upper = countries[f"china_{kind}_share"], countries[f"china_{kind}_share_upper"]
        assert (share.isna() == upper.notna()).all(), kind


# ------------------------------------------------------------------ values trace to raw files


def test_argentina_population_is_the_2025_value_of_the_raw_wdi_line(countries):
    fields = raw_line(RAW / "wdi" / "sp.pop.totl.csv", "Argentina,ARG,2025,")
    assert countries.loc["ARG", "population"] == float(fields[3])
    assert countries.loc["ARG", "population_year"] == 2025


def test_cuba_gdp_is_its_latest_non_empty_year(countries):
    text = (RAW / "wdi" / "ny.gdp.mktp.cd.csv").read_text(encoding="utf-8")
    years = {int(r[2]): r[3] for r in csv.reader(io.StringIO(text)) if r[1] == "CUB" and r[3] != ""}
    last = max(years)
    assert countries.loc["CUB", "gdp_year"] == last
    assert countries.loc["CUB", "gdp"] == float(years[last])


def test_wgi_control_of_corruption_spot_value(countries):
    fields = raw_line(RAW / "wgidataset_2024release.csv", "VENcc2023,")
    assert countries.loc["VEN", "wgi_cc"] == float(fields[5])
    assert countries.loc["VEN", "wgi_cc_year"] == 2023


def test_hdi_spot_value_from_the_hdr_row(countries):
    lines = (RAW / "HDR23-24_Composite_indices_complete_time_series.csv").read_text(encoding="utf-8-sig").splitlines()
    header = next(csv.reader([lines[0]]))
    row = next(r for r in csv.reader(lines[1:]) if r[0] == "NIC")
    assert countries.loc["NIC", "hdi"] == float(row[header.index("hdi_2022")])


def test_factbook_trade_shares_and_capital_spot_values(countries):
    fb = json.loads((RAW / "factbook_extract.json").read_text(encoding="utf-8"))
    assert "China 30%" in fb["br"]["Economy"]["Exports - partners"]["text"]
    assert countries.loc["BRA", "china_export_share"] == 30.0
    assert "USA 76%" in fb["mx"]["Economy"]["Exports - partners"]["text"]
    assert countries.loc["MEX", "us_export_share"] == 76.0
    assert fb["uy"]["Government"]["Capital"]["geographic coordinates"]["text"] == "34 51 S, 56 10 W"
    assert countries.loc["URY", "capital_lat"] == pytest.approx(-(34 + 51 / 60), abs=1e-6)
    assert countries.loc["URY", "capital_lon"] == pytest.approx(-(56 + 10 / 60), abs=1e-6)


def test_devfin_is_gcdf_billions_times_1000_and_its_log(countries):
    fields = raw_line(RAW / "aiddata_gcdf3" / "gcdf_country_commitments.csv", "Argentina,ARG,")
    musd = float(fields[2]) * 1000
    assert countries.loc["ARG", "china_devfin_musd"] == pytest.approx(musd, abs=5e-4)
    assert countries.loc["ARG", "china_devfin_log"] == pytest.approx(math.log(1 + musd), abs=1e-6)


def test_curated_relations_and_the_panama_bri_decision(countries):
    rel = mdata.load_china_relations()
    assert rel.loc["PAN", "bri_mou_signed"] and rel.loc["PAN", "bri_mou_year"] == 2017
    assert countries.loc["PAN", "bri_mou"] == 0  # exit notice Feb 2025: not holding a MoU as of 2025
    assert countries.loc["PAN", "bri_mou_signed_in"] == 2017
    assert "exit" in countries.loc["PAN", "bri_mou_status"]
    others = rel.index.drop("PAN")
    assert (countries.loc[others, "bri_mou"] == rel.loc[others, "bri_mou_signed"].astype(int)).all()
    assert (countries["prc_relations"] == rel.loc[countries.index, "prc_diplomatic_relations"].astype(int)).all()


def test_partnership_scores_come_from_the_assumption_table(countries):
    levels = pd.read_csv(DS / "curated" / "partnership_levels.csv", dtype=str, keep_default_na=False)
    assert levels["basis"].str.startswith("ASSUMPTION").all()
    score = dict(zip(levels["partnership_tier"], levels["partnership_level"].astype(int), strict=False))
    tiers = countries["partnership_tier"].fillna("")
    assert (countries["partnership_level"] == tiers.map(score)).all()
    assert countries.loc["VEN", "partnership_level"] == 4 and countries.loc["ATG", "partnership_level"] == 0


def test_factbook_files_map_one_to_one_onto_iso3():
    fb = build.factbook(RAW)
    assert len(fb) == 34 and "CHN" in fb
    assert fb["NIC"]["_gec"] == "nu" and fb["PRY"]["_gec"] == "pa" and fb["PAN"]["_gec"] == "pm"


def test_dist_beijing_spot_check_against_an_independent_formula(countries):
    # spherical law of cosines (a different formula from the build's haversine), same coordinates
    lat1, lon1 = math.radians(-(34 + 36 / 60)), math.radians(-(58 + 22 / 60))  # Buenos Aires, Factbook
    lat2, lon2 = math.radians(39 + 55 / 60), math.radians(116 + 23 / 60)  # Beijing, Factbook
    d = 6371.0088 * math.acos(math.sin(lat1) * math.sin(lat2) + math.cos(lat1) * math.cos(lat2) * math.cos(lon2 - lon1))
    assert abs(countries.loc["ARG", "dist_beijing"] - d) <= 0.5


# ------------------------------------------------------------------ SOURCES.md coverage


def test_sources_md_coverage_section_matches_the_table():
    text = (DS / "SOURCES.md").read_text(encoding="utf-8")
    block = text[text.index(build.COVERAGE_START) + len(build.COVERAGE_START) : text.index(build.COVERAGE_END)]
    table = build.build_table()
    assert block == "\n" + build.coverage_markdown(table)


def test_sources_md_mentions_every_column(text_table):
    text = (DS / "SOURCES.md").read_text(encoding="utf-8")
    for col in text_table.columns:
        if col.endswith("_year"):
            continue
        assert f"`{col}`" in text, col


# ------------------------------------------------------------------ shapes


def test_geojson_has_the_33_countries_with_rounded_closed_rings(countries):
    geo = mdata.load_geojson()
    ids = [f["id"] for f in geo["features"]]
    assert sorted(ids) == sorted(countries.index)
    for f in geo["features"]:
        assert f["properties"]["iso3"] == f["id"]
        polys = (
            f["geometry"]["coordinates"] if f["geometry"]["type"] == "MultiPolygon" else [f["geometry"]["coordinates"]]
        )
        assert polys
        for poly in polys:
            for ring in poly:
                assert len(ring) >= 4 and ring[0] == ring[-1]
                assert all(round(x, 3) == x and round(y, 3) == y for x, y in ring)
    assert (DS / "geo" / "lac_countries.geojson").stat().st_size < 1_000_000


def test_shipped_data_stays_small():
    total = sum(p.stat().st_size for p in (DS / "raw").rglob("*") if p.is_file())
    assert total < 3_000_000


# ------------------------------------------------------------------ against the shared folder

CANDIDATE_COLUMNS = {
    "country": "country",
    "population": "population",
    "population_year": "population_year",
    "gdp": "gdp_current_usd",
    "gdp_year": "gdp_year",
    "gdp_per_capita": "gdp_per_capita_current_usd",
    "gdp_per_capita_year": "gdp_per_capita_year",
    "gdp_growth": "gdp_growth_pct",
    "gdp_growth_year": "gdp_growth_year",
    "hdi": "hdi_2022",
    "poverty_rate": "poverty_3usd_2021ppp_pct",
    "poverty_rate_year": "poverty_3usd_year",
    "poverty_national": "poverty_national_line_pct",
    "poverty_national_year": "poverty_national_year",
    "gini": "gini_index",
    "gini_year": "gini_year",
    "external_debt": "external_debt_pct_gni",
    "external_debt_year": "external_debt_year",
    "rd_expenditure": "rd_expenditure_pct_gdp",
    "rd_expenditure_year": "rd_year",
    "wgi_va": "wgi_voice_accountability_est_2023",
    "wgi_pv": "wgi_political_stability_est_2023",
    "wgi_ge": "wgi_government_effectiveness_est_2023",
    "wgi_rq": "wgi_regulatory_quality_est_2023",
    "wgi_rl": "wgi_rule_of_law_est_2023",
    "wgi_cc": "wgi_control_of_corruption_est_2023",
    "china_import_share": "china_share_of_imports_pct",
    "china_export_share": "china_share_of_exports_pct",
    "dist_beijing": "dist_capital_to_beijing_km",
    "coastline": "coastline_km",
    "capital": "capital",
    "capital_lat": "capital_lat",
    "capital_lon": "capital_lon",
}


def _same(mine: str, theirs: str, col: str) -> bool:
    if (mine == "") != (theirs == ""):
        return False
    if mine == "":
        return True
    try:
        a, b = float(mine), float(theirs)
    except ValueError:
        return mine == theirs
    decimals = len(theirs.split(".")[1]) if "." in theirs else 0
    tol = 1.0 if col == "dist_beijing" else 0.5 * 10**-decimals + 1e-9  # candidates.csv is rounded for display
    return abs(a - b) <= tol


@needs_shared
def test_matches_shared_candidates_csv_on_overlapping_columns(text_table):
    cand = pd.read_csv(SHARED / "candidates.csv", dtype=str, keep_default_na=False).set_index("iso3")
    diffs = []
    for mine, theirs in CANDIDATE_COLUMNS.items():
        for iso in text_table.index:
            if not _same(text_table.at[iso, mine], cand.at[iso, theirs], mine):
                diffs.append((iso, mine, text_table.at[iso, mine], cand.at[iso, theirs]))
        # (trade-share year: candidates stamps 2023 even on blanks; ours is blank with the value)
    for iso in text_table.index:
        a, b = (
            text_table.at[iso, "china_devfin_musd"],
            cand.at[iso, "china_devfin_commitments_2000_2021_bn_const2021usd"],
        )
        if (a == "") != (b == "") or (a and abs(float(a) / 1000 - float(b)) > 5e-5 + 1e-12):
            diffs.append((iso, "china_devfin_musd", a, b))
        if {"1": "true", "0": "false"}[text_table.at[iso, "landlocked"]] != cand.at[iso, "landlocked"]:
            diffs.append((iso, "landlocked", text_table.at[iso, "landlocked"], cand.at[iso, "landlocked"]))
        if text_table.at[iso, "hdi_year"] != "2022":
            diffs.append((iso, "hdi_year", text_table.at[iso, "hdi_year"], "2022"))
    assert diffs == []


@needs_shared
def test_extract_script_reproduces_the_shipped_extracts(tmp_path):
    from datasets import extract

    extract.main(["--shared", str(SHARED), "--out", str(tmp_path)])
    for sub in ("raw", "curated", "geo"):
        made = sorted(p.relative_to(tmp_path / sub) for p in (tmp_path / sub).rglob("*") if p.is_file())
        for rel in made:
            assert (tmp_path / sub / rel).read_bytes() == (DS / sub / rel).read_bytes(), f"{sub}/{rel}"
    assert sorted(p.relative_to(DS / "raw") for p in (DS / "raw").rglob("*") if p.is_file()) == sorted(
        p.relative_to(tmp_path / "raw") for p in (tmp_path / "raw").rglob("*") if p.is_file()
    )


@needs_shared
def test_csv_extract_lines_are_unmodified_lines_of_the_originals():
    pairs = [(RAW / "wdi" / p.name, SHARED / "raw" / "wdi" / p.name) for p in (RAW / "wdi").glob("*.csv")]
    pairs += [
        (RAW / n, SHARED / "raw" / n)
        for n in ("wgidataset_2024release.csv", "HDR23-24_Composite_indices_complete_time_series.csv")
    ]
    pairs.append(
        (
            RAW / "aiddata_gcdf3" / "gcdf_country_commitments.csv",
            SHARED / "raw" / "aiddata_gcdf3" / "gcdf_country_commitments.csv",
        )
    )
    for mine, orig in pairs:
        orig_lines = set(orig.read_bytes().splitlines(keepends=True))
        mine_lines = mine.read_bytes().splitlines(keepends=True)
        assert mine_lines[0] == orig.read_bytes().splitlines(keepends=True)[0], mine
        assert all(ln in orig_lines for ln in mine_lines), mine


# ------------------------------------------------------------------ loader validation


def _write_criteria(tmp_path: Path, **override) -> Path:
    row = {
        "id": "x",
        "label": "X",
        "group": "economic",
        "direction": "benefit",
        "unit": "u",
        "source": "s",
        "year": "2024",
        "description": "d",
        "default_on": "1",
    }
    row.update(override)
    p = tmp_path / "criteria.csv"
    good = {
        "id": "ok",
        "label": "OK",
        "group": "political",
        "direction": "cost",
        "unit": "u",
        "source": "s",
        "year": "2024",
        "description": "d",
        "default_on": "0",
    }
    pd.DataFrame([good, row]).to_csv(p, index=False)
    return p


def test_load_criteria_rejects_an_unknown_group_naming_file_line_and_column(tmp_path):
    p = _write_criteria(tmp_path, group="social-ish")
    with pytest.raises(InputError) as e:
        mdata.load_criteria(p)
    msg = str(e.value)
    assert str(p) in msg and "line 3" in msg and "column group" in msg and "social-ish" in msg


def test_load_criteria_rejects_an_unknown_direction(tmp_path):
    p = _write_criteria(tmp_path, direction="higher")
    with pytest.raises(InputError, match=r"line 3, column direction"):
        mdata.load_criteria(p)


def test_load_criteria_rejects_duplicate_ids_and_missing_columns(tmp_path):
    p = _write_criteria(tmp_path, id="ok")
    with pytest.raises(InputError, match=r"duplicate criterion id 'ok'"):
        mdata.load_criteria(p)
    q = tmp_path / "bad.csv"
    q.write_text("id,label,group\nx,X,economic\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"missing column\(s\): direction"):
        mdata.load_criteria(q)


def test_load_criteria_rejects_a_bad_default_on(tmp_path):
    with pytest.raises(InputError, match=r"column default_on"):
        mdata.load_criteria(_write_criteria(tmp_path, default_on="maybe"))


def test_load_countries_types_and_errors(tmp_path, countries):
    assert countries.index.name == "iso3" and countries.index.is_unique
    assert str(countries["population_year"].dtype) == "Int64"
    assert countries["gdp"].dtype == "float64"
    p = tmp_path / "c.csv"
    p.write_text("iso3,country,gdp,gdp_year\nARG,Argentina,1.5,2024\nARG,Again,2,2024\n", encoding="utf-8")
    with pytest.raises(InputError, match="duplicate iso3 ARG"):
        mdata.load_countries(p)
    p.write_text("iso3,country,gdp,gdp_year\nARG,Argentina,n/a,2024\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"row ARG, column gdp"):
        mdata.load_countries(p)
    p.write_text("iso3,country,gdp,gdp_year\nARG,Argentina,,\n", encoding="utf-8")
    got = mdata.load_countries(p)
    assert pd.isna(got.loc["ARG", "gdp"])  # blank stays unknown, not zero
