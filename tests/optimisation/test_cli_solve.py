"""`python -m optimisation solve SCENARIO.json --out DIR ...`: exit 0 / 3 / 2, files, no traceback.

The scenario is built from the shipped example (its ranking part) plus an allocation section
written here, so the test does not depend on the example's own allocation settings.
"""

import json

import pytest

from tests.support import ROOT

EXAMPLES = [ROOT / "scenarios" / f"{n}.json" for n in ("paper_2022_single_track", "paper_2022", "default")]
ALLOCATION = {
    "budget_aid_musd": 300,
    "budget_investment_musd": 700,
    "type_floors": {"rural_poverty": {"share": 0.15}, "production_capacity": {"share": 0.15}},
    "linking": [{"lhs_type": "health", "ratio": 0.25, "rhs_type": "production_capacity"}],
}


def _base_scenario() -> dict:
    for p in EXAMPLES:
        if p.exists():
            d = json.loads(p.read_text(encoding="utf-8"))
            d.pop("allocation", None)
            return d
    pytest.skip("no example scenario in scenarios/")


@pytest.fixture
def scenario_file(tmp_path):
    def make(allocation=ALLOCATION, **top):
        d = _base_scenario()
        if allocation is not None:
            d["allocation"] = allocation
        d.update(top)
        p = tmp_path / "scenario.json"
        p.write_text(json.dumps(d), encoding="utf-8")
        return p

    return make


def assert_clean_error(r, code):
    assert r.returncode == code, (r.returncode, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr


def test_optimal_run_writes_csv_and_summary(scenario_file, tmp_path, cli):
    out = tmp_path / "out"
    mps = tmp_path / "model.mps"
    r = cli("optimisation", "solve", scenario_file(), "--out", out, "--mps", mps, "--budget-aid", "250")
    assert_clean_error(r, 0)
    lines = (out / "allocation.csv").read_text().splitlines()
    assert lines[0].startswith("country,project_type,aid_musd,investment_musd,total_musd,outcome_unit,")
    s = json.loads((out / "summary.json").read_text())
    assert s["status"] == "optimal"
    assert s["budget_aid"] == 250 and s["budget_investment"] == 700
    assert s["used_aid"] <= 250 * (1 + 1e-7) and s["used_investment"] <= 700 * (1 + 1e-7)
    for k in ("objective", "shadow_prices", "binding"):
        assert k in s
    assert "aid budget" in s["shadow_prices"]
    assert mps.read_text().startswith("OBJSENSE")
    total = sum(float(line.split(",")[4]) for line in lines[1:])
    assert total == pytest.approx(s["used_aid"] + s["used_investment"], rel=1e-6)


def test_infeasible_run_exits_3_with_diagnosis(scenario_file, tmp_path, cli):
    out = tmp_path / "out"
    out.mkdir()
    (out / "allocation.csv").write_text("stale\n")
    alloc = {**ALLOCATION, "type_floors": {"health": {"musd": 5000}}}
    r = cli("optimisation", "solve", scenario_file(alloc), "--out", out)
    assert_clean_error(r, 3)
    assert "Infeasible" in r.stderr and "per-type floors" in r.stderr
    s = json.loads((out / "summary.json").read_text())
    assert s["status"] == "infeasible"
    assert "type_floors" in {c["group"] for c in s["conflicts"]}
    assert s["smallest_relaxation"]["total_musd"] > 0
    assert not (out / "allocation.csv").exists()  # no stale allocation left behind


@pytest.mark.parametrize(
    "allocation, flag, needle",
    [
        ({**ALLOCATION, "budget_aid": 5}, [], "budget_aid"),  # misspelled field
        ({"budget_investment_musd": 5}, [], "budget_aid_musd"),  # missing field
        ({**ALLOCATION, "budget_aid_musd": -1}, [], "budget_aid_musd"),  # negative budget
        (ALLOCATION, ["--budget-investment", "-10"], "--budget-investment"),  # negative override
        (ALLOCATION, ["--budget-aid", "lots"], "--budget-aid"),
        ({**ALLOCATION, "must_fund": [{"country": "ZZZ", "project_type": "health"}]}, [], "must_fund[0].country"),
        ({**ALLOCATION, "type_caps": {"teleportation": {"musd": 3}}}, [], "type_caps[teleportation]"),
        ({**ALLOCATION, "type_params": {"health": {"aid_share": 1.4}}}, [], "aid_share"),
        (
            {**ALLOCATION, "type_params": {"health": {"segment_marginals": [0.1, 0.2, 0.3, 0.4]}}},
            [],
            "segment_marginals",
        ),
        (None, [], "allocation"),  # no allocation section
    ],
)
def test_bad_input_exits_2_naming_the_field(scenario_file, tmp_path, allocation, flag, needle, cli):
    r = cli("optimisation", "solve", scenario_file(allocation), "--out", tmp_path / "out", *flag)
    assert_clean_error(r, 2)
    assert needle in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_missing_file_and_usage_errors_exit_2(tmp_path, cli):
    assert_clean_error(cli("optimisation", "solve", tmp_path / "nope.json", "--out", tmp_path), 2)
    assert_clean_error(cli("optimisation", "solve"), 2)
