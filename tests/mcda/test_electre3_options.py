"""ELECTRE III options (issue 10, item 3): every bad threshold is one InputError naming the option,
the criterion and the rule; through a scenario file the command line exits 2 with that one line."""

from __future__ import annotations

import json

import numpy as np
import pytest

from mcda.errors import InputError
from mcda.methods import get_method
from mcda.problem import DecisionProblem
from tests.support import ROOT

EXAMPLE = ROOT / "scenarios" / "examples" / "electre3_vetoes.json"

BAD = [
    ({"C1": {"q": 5, "p": 2}}, "q (5) must not exceed p (2)"),
    ({"C1": {"p": 5, "v": 2}}, "v (2) must not be below p (5)"),
    ({"C1": {"q": -1}}, "q must be a finite number >= 0"),
    ({"C1": {"p": "5"}}, "p must be a number, got '5'"),
    ({"C1": {"v": True}}, "v must be a number, got True"),
    ({"C1": {"p": float("nan")}}, "p must be a finite number >= 0"),
    ({"C1": {"v": float("inf")}}, "v must be a finite number >= 0"),
    ({"C1": {"w": 1}}, "unknown threshold 'w'"),
    ({"C1": 3}, "must be an object with q, p, v"),
    ([1, 2], "thresholds must map criterion"),
]


def _problem() -> DecisionProblem:
    return DecisionProblem.from_arrays(np.array([[1.0, 5], [4, 2], [9, 7]]), np.array([1, -1]))


@pytest.mark.parametrize("th,msg", BAD)
def test_bad_thresholds_name_the_option_and_the_rule(th, msg):
    with pytest.raises(InputError) as e:
        get_method("electre3", thresholds=th)
    text = str(e.value)
    assert msg in text and "thresholds" in text
    if isinstance(th, dict):
        assert "criterion C1" in text


def test_thresholds_for_an_unknown_criterion_list_the_criteria_in_force():
    m = get_method("electre3", thresholds={"C9": {"q": 1}})  # known only when the data arrive
    with pytest.raises(InputError, match=r"unknown criterion C9.*C1, C2"):
        m.scores(_problem(), [1, 1])


def test_defaults_of_the_thresholds():
    m = get_method("electre3", thresholds={"C1": {"q": 3}, "*": {"p": 2}})
    t = m.explain(_problem(), [1, 1])["thresholds"]
    assert t.loc["C1", ["q", "p"]].tolist() == [3.0, 3.0] and np.isnan(t.loc["C1", "v"])  # p = q, no veto
    assert t.loc["C2", ["q", "p"]].tolist() == [0.0, 2.0]  # from "*"
    assert get_method("electre3").options() == {} and m.options() == {"thresholds": "given"}
    assert get_method("electre3").scale_invariant and not m.scale_invariant


@pytest.mark.parametrize(
    "th,msg",
    [
        ({"wgi_pv": {"q": 0.5, "p": 0.4}}, "electre3 thresholds, criterion wgi_pv: indifference threshold q (0.5)"),
        ({"nope": {"q": 1}}, "electre3 thresholds: thresholds given for unknown criterion nope"),
        ({"wgi_pv": {"v": "x"}}, "criterion wgi_pv: veto threshold v must be a number, got 'x'"),
    ],
)
def test_a_scenario_with_bad_thresholds_exits_2_with_one_line(cli, tmp_path, th, msg):
    doc = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    doc["method"]["options"]["thresholds"] = th
    sc = tmp_path / "s.json"
    sc.write_text(json.dumps(doc), encoding="utf-8")
    r = cli("mcda", "run", str(sc), "--out", str(tmp_path / "out"), "--no-allocation")
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) == 1 and msg in r.stderr
