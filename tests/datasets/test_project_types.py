"""The shipped project-type parameters: complete, sourced or labelled 'assumption', and equal to
the curated figures they cite (../shared/data/curated/project_types.csv, diminishing_returns.md)."""

import re
import subprocess
import sys

import pandas as pd
import pytest

import optimisation as opt
from fulcrum.outputs import write_outputs
from optimisation.outcomes import OUTCOME_COLUMNS
from optimisation.params import DEFAULT_PATH, SOURCED, load_project_types
from optimisation.tables import allocation_table, assumptions_table, shadow_price_table, summary_dict
from tests.support import ROOT

CURATED = ROOT.parent / "shared" / "data" / "curated" / "project_types.csv"
REQUIRED_TYPES = {
    "rural_poverty",
    "production_capacity",
    "health",
    "solar_pv",
    "agri_tech",
    "rural_ecommerce",
    "infrastructure",
}


@pytest.fixture(scope="module")
def types():
    return load_project_types()


def test_at_least_the_seven_types_of_the_issue(types):
    assert set(types.index) >= REQUIRED_TYPES


def test_every_value_is_sourced_or_labelled_assumption(types):
    for p in types.index:
        for _par, src_col in SOURCED.items():
            src = str(types.at[p, src_col]).strip()
            assert src, (p, src_col)
            assert src.lower().startswith("assumption") or "curated/" in src or "http" in src, (p, src_col, src)


def test_marginals_are_the_diminishing_returns_arithmetic(types):
    """diminishing_returns.md section 2: m(a) = 1 - a/a* at the midpoints of 4 equal bands."""
    expected = tuple(1 - (s + 0.5) / 4 for s in range(4))
    assert expected == (0.875, 0.625, 0.375, 0.125)
    for p in types.index:
        assert types.at[p, "segment_marginals"] == expected
        b = types.at[p, "segment_breaks_musd"]
        assert len(b) == 4 and all(abs(b[i] - b[-1] * (i + 1) / 4) < 1e-12 for i in range(4))


@pytest.mark.skipif(not CURATED.exists(), reason="shared curated data not on this machine")
def test_sourced_numbers_equal_the_curated_rows(types):
    cur = pd.read_csv(CURATED).set_index("project_type_id")

    def mid(row):
        return (cur.at[row, "aid_share_low"] + cur.at[row, "aid_share_high"]) / 2

    assert types.at["rural_poverty", "aid_share"] == pytest.approx(mid(1))
    assert types.at["solar_pv", "aid_share"] == pytest.approx(mid(4))
    assert types.at["agri_tech", "aid_share"] == pytest.approx(mid(5))
    assert types.at["rural_ecommerce", "aid_share"] == pytest.approx(mid(6))
    assert types.at["production_capacity", "min_size_musd"] == cur.at[2, "project_size_musd"]
    assert types.at["agri_tech", "min_size_musd"] == cur.at[5, "project_size_musd"]
    assert types.at["rural_ecommerce", "min_size_musd"] == cur.at[6, "project_size_musd"]
    # rows that cite no number are labelled assumption
    for p in ("production_capacity", "health", "infrastructure"):
        assert types.at[p, "aid_share_source"].startswith("assumption")


def test_allocation_params_doc_covers_every_parameter():
    doc = (ROOT / "datasets" / "allocation_params.md").read_text(encoding="utf-8")
    for col in list(SOURCED) + ["absorptive_cap_pct_gdp", "need_exponent", "equity_floor"]:
        assert col in doc, col
    for p in REQUIRED_TYPES:
        assert p in doc


def test_optimisation_never_imports_streamlit_and_spec_is_light():
    for f in (ROOT / "optimisation").glob("*.py"):
        assert not re.search(r"^\s*(import|from)\s+streamlit", f.read_text(), re.M), f
    code = (
        "import sys, fulcrum.scenario, optimisation.spec; "
        "bad = [m for m in ('pulp', 'streamlit') if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)"
    )
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


# ---- report helpers ------------------------------------------------------------------


@pytest.fixture(scope="module")
def result(types):
    countries = pd.DataFrame(
        {
            "country": ["Bolivia", "Nicaragua", "Brazil"],
            "gdp": [6.5e10, 2.2e10, 2.3e12],
            "poverty_rate": [2.1, 6.6, 3.0],
            "hdi": [0.698, 0.669, 0.76],
        },
        index=["BOL", "NIC", "BRA"],
    )
    pri = pd.Series({"BRA": 0.4, "BOL": 0.35, "NIC": 0.25})
    spec = {
        "budget_aid_musd": 150,
        "budget_investment_musd": 350,
        "linking": [{"lhs_type": "health", "ratio": 0.25, "rhs_type": "production_capacity"}],
        "type_params": {"health": {"impact_per_musd": 1.2, "source": "planner's judgement"}},
    }
    return opt.solve(pri, countries, types, spec), spec


def test_report_tables(result, tmp_path):
    res, spec = result
    t = allocation_table(res)
    assert list(t.columns) == ["country", "project_type", "aid_musd", "investment_musd", "total_musd"] + OUTCOME_COLUMNS
    s = summary_dict(res)
    for k in (
        "status",
        "objective",
        "budget_aid",
        "budget_investment",
        "used_aid",
        "used_investment",
        "shadow_prices",
        "binding",
    ):
        assert k in s
    assert "conflicts" not in s
    sp = shadow_price_table(res)
    assert list(sp["constraint"][:2]) == ["aid budget", "investment budget"]
    a = assumptions_table(res, opt.parse_spec(spec))
    assert set(a["basis"]) <= {"sourced", "assumption", "planner"}
    h = a[(a["item"] == "health") & (a["parameter"] == "impact_per_musd")].iloc[0]
    assert h["basis"] == "planner" and "planner's judgement" in h["source"] and h["value"] == 1.2
    assert (a[a["item"] == "rural_poverty"]["basis"] == "sourced").any()
    paths = write_outputs(res, tmp_path)
    assert paths["allocation"].read_text().splitlines()[0] == ",".join(
        ["country", "project_type", "aid_musd", "investment_musd", "total_musd", *OUTCOME_COLUMNS]
    )


def test_a_rewritten_project_type_file_is_read_again_and_each_load_is_a_copy(tmp_path):
    """Parsed tables are reused by file content: same bytes -> same table, new bytes -> the new
    table (even at the same path and size), and a caller editing its table changes no later load."""
    f = tmp_path / "types.csv"
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    f.write_text(text, encoding="utf-8")
    first = load_project_types(f)
    first.loc[first.index[0], "aid_share"] = 0.123
    again = load_project_types(f)
    assert again.equals(load_project_types(DEFAULT_PATH))
    assert again.iloc[0]["aid_share"] != 0.123
    changed = text.replace(",0.575,", ",0.475,", 1)
    assert len(changed) == len(text) and changed != text
    f.write_text(changed, encoding="utf-8")
    assert load_project_types(f).at["rural_poverty", "aid_share"] == 0.475
