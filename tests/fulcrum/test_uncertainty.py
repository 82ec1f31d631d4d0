"""The scenario's ``robustness`` section (issue 10 item 5): SMAA with the data's stated uncertainty in
``mcda run``, its field errors (exit 2, one line naming the field), and what the outputs state."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from fulcrum.pipeline import rank_scenario
from fulcrum.scenario import parse_scenario, scenario_to_json
from fulcrum.uncertainty import scenario_values
from mcda.errors import InputError
from tests.support import ROOT

EXAMPLE = ROOT / "scenarios" / "examples" / "data_uncertainty.json"


def example(**robustness: object) -> dict:
    doc = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    doc["robustness"] = {**doc["robustness"], "samples": 300, **robustness}
    return doc


def write(tmp_path, doc: dict, name: str = "s.json"):
    p = tmp_path / name
    p.write_text(json.dumps(doc), encoding="utf-8")
    return p


def test_run_writes_smaa_with_confidence_and_names_the_measured_criteria(tmp_path, cli):
    r = cli("mcda", "run", write(tmp_path, example()), "--out", tmp_path / "out")
    assert r.returncode == 0, r.stderr
    smaa = pd.read_csv(tmp_path / "out" / "smaa.csv")
    assert list(smaa.columns) == [
        "alternative", "rank_1", "top_4", "holistic", "expected_rank", "confidence", "confidence_top_4"
    ]  # fmt: skip
    conf = smaa["confidence"].dropna()
    assert len(smaa) == 33 and len(conf) >= 1 and ((conf >= 0) & (conf <= 1)).all()
    report = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "## Robustness: SMAA with data uncertainty" in report
    assert (
        "Criteria carrying measured uncertainty: wgi_pv, wgi_ge, wgi_cc. Exact: gdp, hdi, partnership_level." in report
    )
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "<h2>Robustness: SMAA with data uncertainty</h2>" in html
    assert "<strong>Criteria carrying measured uncertainty: wgi_pv, wgi_ge, wgi_cc." in html
    assert html.index("id=smaa>") < html.index("<footer>")
    # same scenario, same numbers
    r2 = cli("mcda", "run", write(tmp_path, example()), "--out", tmp_path / "out2")
    assert r2.returncode == 0
    assert (tmp_path / "out" / "smaa.csv").read_bytes() == (tmp_path / "out2" / "smaa.csv").read_bytes()


def test_none_writes_no_smaa_and_the_section_round_trips(tmp_path, cli):
    doc = example(data_uncertainty="none")
    r = cli("mcda", "run", write(tmp_path, doc), "--out", tmp_path / "out")
    assert r.returncode == 0, r.stderr
    assert not (tmp_path / "out" / "smaa.csv").exists()
    assert "SMAA with data uncertainty" not in (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "id=smaa>" not in (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    sc = parse_scenario(example())
    assert json.loads(scenario_to_json(sc))["robustness"]["data_uncertainty"] == "shipped"
    del doc["robustness"]
    assert "robustness" not in json.loads(scenario_to_json(parse_scenario(doc)))  # absent stays absent


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("data_uncertainty", ""),
        ("data_uncertainty", 5),
        ("widen_per_year", -1),
        ("widen_per_year", "x"),
        ("samples", 0),
        ("samples", 10**9),
        ("samples", 2.5),
        ("seed", -1),
        ("weight_spread", 101),
        ("sample", 10),
    ],
)
def test_bad_field_values_exit_2_naming_the_field(tmp_path, cli, field, value):
    doc = example()
    doc["robustness"][field] = value
    r = cli("mcda", "run", write(tmp_path, doc), "--out", tmp_path / "out")
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and f"robustness.{field}" in lines[0], r.stderr


@pytest.mark.parametrize(
    ("name", "match"),
    [
        ("../outside.csv", "outside the scenario's folder"),
        ("/etc/passwd", "outside the scenario's folder"),
        ("nope.csv", "nope.csv"),
    ],
)
def test_a_table_path_outside_the_folder_or_missing_is_refused(tmp_path, cli, name, match):
    sub = tmp_path / "sc"
    sub.mkdir()
    (tmp_path / "outside.csv").write_text("id,criterion,sd\nARG,wgi_pv,0.1\n")
    r = cli("mcda", "run", write(sub, example(data_uncertainty=name)), "--out", tmp_path / "out")
    assert r.returncode == 2 and "robustness.data_uncertainty" in r.stderr and match in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_an_own_table_beside_the_scenario_and_its_bad_cells(tmp_path, cli):
    (tmp_path / "u.csv").write_text("id,criterion,sd,year\nARG,wgi_pv,0.4,2015\nBRA,gdp_per_capita,10,2020\n")
    sc = parse_scenario(example(data_uncertainty="u.csv", widen_per_year=0.1), base_dir=tmp_path)
    vu = scenario_values(rank_scenario(sc))
    assert vu.measured_criteria == ["wgi_pv"]  # gdp_per_capita is known but not in use: ignored
    assert vu.cells["sd_used"].tolist() == [pytest.approx(0.4)]  # the newest year of wgi_pv in the table
    (tmp_path / "u.csv").write_text("id,criterion,sd\nARG,wgi_pv,-0.4\n")
    r = cli("mcda", "run", write(tmp_path, example(data_uncertainty="u.csv")), "--out", tmp_path / "out")
    assert r.returncode == 2
    assert "robustness.data_uncertainty" in r.stderr and "line 2, column sd" in r.stderr, r.stderr


def test_shipped_needs_the_shipped_data_and_no_transform_on_a_measured_criterion(tmp_path):
    (tmp_path / "d.csv").write_text("id,a,b\nX,1,2\nY,2,1\nZ,3,3\n")
    own = {
        "data": {"dataset": "d.csv"},
        "criteria": [{"id": "a", "direction": "benefit", "weight": 1}, {"id": "b", "direction": "cost", "weight": 1}],
        "shortlist": {"top_k": 1},
        "robustness": {"data_uncertainty": "shipped"},
    }
    with pytest.raises(InputError, match="shipped country data") as e:
        scenario_values(rank_scenario(parse_scenario(own, base_dir=tmp_path)))
    assert e.value.where == "robustness.data_uncertainty"
    (tmp_path / "u.csv").write_text("id,criterion,sd\nX,a,0.5\n")
    own["criteria"][0]["transform"] = "log"
    own["robustness"] = {"data_uncertainty": "u.csv"}
    with pytest.raises(InputError, match="ranked on a transform"):
        scenario_values(rank_scenario(parse_scenario(own, base_dir=tmp_path)))


def test_an_sd_for_another_year_than_the_value_is_stated(tmp_path):
    (tmp_path / "d.csv").write_text("id,a,a_year,b\nX,1,2020,2\nY,2,2021,1\nZ,3,2021,3\n")
    (tmp_path / "u.csv").write_text("id,criterion,sd,year\nX,a,0.5,2020\nY,a,0.5,2023\n")
    doc = {
        "data": {"dataset": "d.csv"},
        "criteria": [{"id": "a", "direction": "benefit", "weight": 1}, {"id": "b", "direction": "cost", "weight": 1}],
        "shortlist": {"top_k": 1},
        "robustness": {"data_uncertainty": "u.csv"},
    }
    vu = scenario_values(rank_scenario(parse_scenario(doc, base_dir=tmp_path)))
    assert vu.notes == (
        "The stated sd belongs to another year than the value for 1 value(s): Y/a (value 2021, sd 2023).",
    )
    shipped = scenario_values(rank_scenario(parse_scenario(example())))
    assert shipped.notes == ()  # the shipped sd is for the shipped value's year
