"""AppTest: the Robustness page's switch "also sample the data from its stated uncertainty" (issue 10
item 5). What the page shows is compared with the library (mcda.robustness.smaa with the values
sampled) called here for the same inputs."""

from __future__ import annotations

import json

import numpy as np
import pytest

from fulcrum.pipeline import scenario_method
from fulcrum.scenario import parse_scenario
from fulcrum.uncertainty import values_for
from mcda import robustness as rb
from tests.app.apptest import goto, new_app, run
from tests.support import ROOT
from ui.text import esc

SWITCH = "rb_data_uncertainty"


@pytest.fixture(scope="module")
def out(shipped):
    return shipped.outcome("default")


def caption_text(at) -> str:
    return " ".join(c.value for c in at.caption)


def smaa_shown(at):
    tabs = [d.value for d in at.dataframe if "rank_1" in d.value.columns]
    assert len(tabs) == 1, "no SMAA summary shown"
    return tabs[0]


def test_switch_says_which_criteria_carry_measured_uncertainty_and_is_off_by_default(out):
    at = goto(new_app(), "Robustness")
    assert at.toggle(key=SWITCH).value is False and not at.toggle(key=SWITCH).disabled
    text = caption_text(at)
    labels = out.criteria["label"].astype(str)
    measured = [c for c in out.criteria.index if c.startswith("wgi_")]
    assert measured == ["wgi_ge", "wgi_pv", "wgi_cc"]
    assert "Criteria carrying measured uncertainty: **" + ", ".join(labels[c] for c in measured) + "**" in text
    assert f"({3 * 33} values; datasets/uncertainty.csv; the sd stated are those of the 2023 values)" in text
    exact = ", ".join(esc(labels[c], inline=True) for c in out.criteria.index if c not in measured)  # as shown
    assert f"Exact (no stated uncertainty): {exact}." in text


def test_switch_on_gives_the_library_smaa_with_sampled_values(out):
    at = goto(new_app(), "Robustness")
    at.select_slider(key="rb_n").set_value(1000)
    at.number_input(key="rb_seed").set_value(3)
    run(at)
    at.button(key="rb_run_smaa").click()
    run(at)
    off = smaa_shown(at)
    assert set(off["confidence"].dropna()) <= {0.0, 1.0}  # exact values: 1 or 0
    at.toggle(key=SWITCH).set_value(True)
    run(at)
    assert not [d for d in at.dataframe if "rank_1" in d.value.columns], "weights-only result shown for data on"
    at.button(key="rb_run_smaa").click()
    run(at)
    assert not at.error, [e.value for e in at.error]
    shown = smaa_shown(at)
    k = out.scenario.shortlist.top_k
    values = values_for(out, "shipped")
    lib = rb.smaa(
        out.problem,
        rb.AroundWeights(out.problem, out.weights, 20),
        n_samples=1000,
        seed=3,
        method=scenario_method(out),
        values=values,
        confidence_k=k,
    ).summary(k)
    assert list(shown["alternative"]) == list(lib["alternative"])
    for col in ("rank_1", f"top_{k}", "holistic", "confidence", f"confidence_top_{k}"):
        np.testing.assert_allclose(shown[col].to_numpy(float), lib[col].to_numpy(float), rtol=0, atol=0, err_msg=col)
    off = off.set_index("alternative").loc[shown["alternative"]]
    assert np.abs(shown[f"top_{k}"].to_numpy(float) - off[f"top_{k}"].to_numpy(float)).max() > 0.01  # data moved
    assert "share of value samples" in caption_text(at)


def test_a_scenario_asking_for_it_starts_with_the_switch_on():
    doc = json.loads((ROOT / "scenarios" / "examples" / "data_uncertainty.json").read_text(encoding="utf-8"))
    at = goto(new_app(parse_scenario(doc)), "Robustness")
    assert at.toggle(key=SWITCH).value is True
    assert "Political stability, Government effectiveness, Control of corruption" in caption_text(at)


def test_own_data_without_a_table_disables_the_switch(tmp_path):
    (tmp_path / "d.csv").write_text("id,a,b\nX,1,2\nY,2,1\nZ,3,3\n")
    doc = {
        "data": {"dataset": "d.csv"},
        "criteria": [{"id": "a", "direction": "benefit", "weight": 1}, {"id": "b", "direction": "cost", "weight": 1}],
        "shortlist": {"top_k": 1},
    }
    at = goto(new_app(parse_scenario(doc, base_dir=tmp_path)), "Robustness")
    assert at.toggle(key=SWITCH).disabled
    assert "No stated uncertainty for this dataset" in caption_text(at)
