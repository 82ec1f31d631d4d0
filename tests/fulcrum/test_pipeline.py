"""rank_scenario on the shipped data: filters hold, no NaN reaches a ranking, transforms and notes reported."""

import json
from pathlib import Path

import numpy as np
import pytest

from fulcrum.pipeline import rank_scenario
from fulcrum.scenario import load_scenario, parse_scenario
from mcda import weights as mw
from mcda.data import load_countries
from mcda.errors import InputError
from mcda.methods import get_method
from mcda.problem import DecisionProblem


@pytest.mark.parametrize("path", ["scenarios/default.json", "scenarios/paper_2022_single_track.json"])
def test_shipped_scenarios_rank_all_33(path):
    o = rank_scenario(load_scenario(path))
    assert len(o.ranking) == 33 and np.isfinite(o.ranking["score"]).all()
    sl = o.shortlist
    assert len(sl) == o.scenario.shortlist.top_k
    assert sl["priority"].sum() == pytest.approx(1.0)
    countries = o.countries
    assert (countries.loc[sl.index, "prc_relations"] == 1).all()
    assert any("Missing-data policy" in n for n in o.notes)


def test_pipeline_equals_direct_library_call():
    sc = load_scenario("scenarios/default.json")
    o = rank_scenario(sc)
    c = load_countries()
    ids = [x.id for x in sc.criteria]
    logged = [x.id for x in sc.criteria if x.transform == "log"]
    assert logged, "the default scenario ranks size on a log scale"
    m = c[ids].copy()
    m[logged] = np.log(m[logged])
    p = DecisionProblem(m, {x.id: x.direction for x in sc.criteria}, missing=sc.data.missing)
    w = mw.direct({x.id: x.weight for x in sc.criteria}, ids)
    s = get_method("topsis", normalization=sc.method.normalization).scores(p, w)
    got = o.ranking.set_index("alternative")["score"].reindex(p.alternatives).to_numpy()
    assert np.allclose(got, s, rtol=0, atol=1e-12)


def test_log_transform_applied_and_reported():
    doc = json.loads(Path("scenarios/default.json").read_text())
    doc["criteria"][0]["transform"] = "none"
    o = rank_scenario(parse_scenario(doc))
    assert o.problem.matrix.loc["BRA", "gdp"] == o.countries.loc["BRA", "gdp"]
    doc["criteria"][0]["transform"] = "log"
    o = rank_scenario(parse_scenario(doc))
    assert o.problem.matrix.loc["BRA", "gdp"] == pytest.approx(np.log(o.countries.loc["BRA", "gdp"]))
    assert any("natural log of gdp" in n or "Criterion gdp ranked on its natural log" in n for n in o.notes)


def test_log_of_non_positive_is_an_input_error():
    doc = json.loads(Path("scenarios/default.json").read_text())
    doc["criteria"][4]["transform"] = "log"  # wgi_ge has negative estimates
    with pytest.raises(InputError, match=r"wgi_ge cannot be ranked on a log scale: [A-Z]{3} has -") as e:
        rank_scenario(parse_scenario(doc))
    # the planner's words first (keep it linear), the scenario file's field second
    assert "linear scale" in str(e.value) and "criteria[4].transform none" in str(e.value)


def test_unknown_criterion_and_candidate_named():
    doc = json.loads(Path("scenarios/default.json").read_text())
    doc["criteria"][0]["id"] = "gdpp"
    with pytest.raises(InputError, match=r"criteria\[0\]\.id.*unknown criterion 'gdpp'"):
        rank_scenario(parse_scenario(doc))
    doc = json.loads(Path("scenarios/default.json").read_text())
    doc["data"]["candidates"] = ["BRA", "XXX"]
    with pytest.raises(InputError, match="candidate\\(s\\) not in the dataset: XXX"):
        rank_scenario(parse_scenario(doc))


def test_missing_policy_error_names_cell_on_shipped_data():
    doc = json.loads(Path("scenarios/default.json").read_text())
    doc["data"]["missing"] = "error"
    with pytest.raises(InputError, match=r"row ATG, column poverty_national: value is missing"):
        rank_scenario(parse_scenario(doc))


def test_vector_normalisation_on_interval_scale_is_flagged():
    doc = json.loads(Path("scenarios/default.json").read_text())
    doc["method"]["normalization"] = "vector"
    o = rank_scenario(parse_scenario(doc))
    assert any("vector normalisation on criteria with values <= 0" in n and "wgi_pv" in n for n in o.notes)
    doc["method"]["normalization"] = "minmax"
    assert not any("vector normalisation" in n for n in rank_scenario(parse_scenario(doc)).notes)


def test_text_in_log_column_named_and_duplicate_candidates(tmp_path):
    data = tmp_path / "d.csv"
    data.write_text("id,size,score\nA,10,1\nB,big,2\nC,30,3\n")
    doc = {
        "data": {"dataset": "d.csv"},
        "criteria": [
            {"id": "size", "direction": "benefit", "weight": 1, "transform": "log"},
            {"id": "score", "direction": "benefit", "weight": 1},
        ],
        "shortlist": {"top_k": 2},
    }
    with pytest.raises(InputError, match=r"row B, column size: value 'big' is not a number"):
        rank_scenario(parse_scenario(doc, base_dir=tmp_path))
    doc["data"]["candidates"] = ["A", "B", "A"]
    with pytest.raises(InputError, match=r"data.candidates: candidate\(s\) listed twice: A"):
        rank_scenario(parse_scenario(doc, base_dir=tmp_path))


def test_fewer_eligible_than_top_k_is_noted():
    doc = json.loads(Path("scenarios/default.json").read_text())
    doc["shortlist"]["top_k"] = 40
    o = rank_scenario(parse_scenario(doc))
    assert any("fewer than top_k = 40" in n for n in o.notes)


def test_scenario_rejects_nan_weight_and_empty_dataset_and_accepts_numeric_ids():
    with pytest.raises(InputError, match=r"criteria\[0\]\.weight"):
        parse_scenario('{"criteria": [{"id": "gdp", "weight": NaN}]}')
    with pytest.raises(InputError, match=r"data\.dataset"):
        parse_scenario({"data": {"dataset": ""}, "criteria": [{"id": "gdp", "weight": 1}]})
    sc = parse_scenario(
        {
            "data": {"candidates": [1, 2]},
            "criteria": [{"id": "gdp", "weight": 1}],
            "shortlist": {"exclusions": [{"id": 2, "reason": "r"}]},
        }
    )
    assert sc.data.candidates == ["1", "2"] and sc.shortlist.exclusions[0].id == "2"
