"""Scenario files: strict validation (misspelled or missing fields named) and exact round trip."""

import json

import pytest

from fulcrum.scenario import load_scenario, parse_scenario, scenario_to_json
from mcda.errors import InputError

MINIMAL = {"criteria": [{"id": "gdp", "weight": 1}, {"id": "hdi", "direction": "cost", "weight": 2}]}


def test_minimal_scenario_gets_defaults():
    sc = parse_scenario(MINIMAL)
    assert sc.method.name == "topsis" and sc.shortlist.top_k == 4 and sc.data.dataset == "default"


def test_round_trip_is_exact():
    sc = parse_scenario({**MINIMAL, "shortlist": {"top_k": 3, "exclusions": [{"id": "MEX", "reason": "r"}]}})
    text = scenario_to_json(sc)
    assert parse_scenario(text) == sc
    assert scenario_to_json(parse_scenario(text)) == text


@pytest.mark.parametrize(
    "doc,where,msg",
    [
        ({**MINIMAL, "shortlst": {}}, "field shortlst", "unknown field (did you mean 'shortlist'?)"),
        (
            {
                **MINIMAL,
                "allocation": {
                    "budget_aid_musd": 1,
                    "budget_investment_musd": 1,
                    "country_caps": {"BRA": {"shares": 0.2}},
                },
            },
            "field allocation.country_caps[BRA].shares",
            "did you mean 'share'?",
        ),
        (
            {"criteria": [{"id": "gdp", "wieght": 1}]},
            "field criteria[0].wieght",
            "unknown field (did you mean 'weight'?)",
        ),
        ({}, "field criteria", "required field is missing"),
        ({**MINIMAL, "shortlist": {"top_k": 0}}, "field shortlist.top_k", "greater than or equal to 1"),
        ({"criteria": [{"id": "gdp", "weight": -1}]}, "field criteria[0].weight", "greater than or equal to 0"),
        ({"criteria": [{"id": "gdp"}]}, "scenario", "have no weight: gdp"),
        ({"criteria": [{"id": "gdp", "weight": 1}, {"id": "gdp", "weight": 1}]}, "scenario", "listed twice: gdp"),
        ({**MINIMAL, "data": {"missing": "guess"}}, "field data.missing", "unknown missing-data policy"),
        ({**MINIMAL, "weights": {"mode": "ahp"}}, "field weights", "weights.ahp"),
        ({"criteria": [{"id": "gdp", "weight": True}]}, "field criteria[0].weight", "valid number"),
        ({"criteria": [{"id": "gdp", "weight": "3"}]}, "field criteria[0].weight", "valid number"),
        ({**MINIMAL, "shortlist": {"top_k": "3"}}, "field shortlist.top_k", "valid integer"),
        ({**MINIMAL, "schema_version": 99}, "scenario", "schema_version 99 is not supported"),
    ],
)
def test_bad_scenarios_name_the_field(doc, where, msg):
    with pytest.raises(InputError) as e:
        parse_scenario(doc)
    assert where in str(e.value) and msg in str(e.value)


def test_bad_json_and_missing_file(tmp_path):
    with pytest.raises(InputError, match="not valid JSON"):
        parse_scenario("{not json")
    with pytest.raises(InputError, match="file not found"):
        load_scenario(tmp_path / "nope.json")


def test_load_sets_base_dir(tmp_path):
    p = tmp_path / "s.json"
    p.write_text(json.dumps(MINIMAL))
    assert load_scenario(p).base_dir == tmp_path
