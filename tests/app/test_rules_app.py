"""The allocation page shows the planner's programme rules (issue 11 items 3-6) of a scenario that
sets them: the rules in words, each country's debt reason, matched money apart, outcomes with the
source of each unit cost; a scenario without them shows no rules section."""

from __future__ import annotations

from fulcrum.scenario import load_scenario
from tests.app.apptest import goto, new_app, run
from tests.support import SCENARIOS


def _solved(path) -> object:
    at = goto(new_app(load_scenario(path)), "Allocation")
    at.button(key="solve").click()
    return run(at)


def _texts(at) -> str:
    return " ".join(str(m.value) for m in at.markdown) + " ".join(str(c.value) for c in at.caption)


def test_debt_rule_and_cofinancing_are_shown_with_reasons():
    at = _solved(SCENARIOS / "examples" / "paper_2022_debt_outcomes.json")
    assert not at.error, [e.value for e in at.error]
    text = _texts(at)
    assert "Planner's rules" in text and "Debt rule on external_debt" in text
    assert "a debt rule (2 tier(s)), co-financing on 1 type(s)" in text  # the constraints caption
    frames = [d.value for d in at.dataframe]
    debt = next(f for f in frames if "reason" in f.columns and "tier" in f.columns).set_index("country")
    assert debt.at["NIC", "investment_cap_musd"] == 0 and "no loans" in debt.at["NIC", "reason"]
    cf = next(f for f in frames if "matched_musd" in f.columns).set_index("project_type")
    assert cf.at["production_capacity", "matched_musd"] > 0
    out = next(f for f in frames if "unit_cost_source" in f.columns).set_index("project_type")
    assert out.at["production_capacity", "unit_cost_source"].startswith("no sourced unit cost")
    assert out.at["rural_poverty", "outcomes_low"] > 0


def test_zones_rule_in_words_and_no_rules_section_without_rules():
    at = _solved(SCENARIOS / "examples" / "paper_2022_zones.json")
    assert "Demonstration zones" in _texts(at)
    at = _solved(SCENARIOS / "paper_2022.json")
    assert "Planner's rules" not in _texts(at)
