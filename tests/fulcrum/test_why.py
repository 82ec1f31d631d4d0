"""The "Why this country?" panel (fulcrum.why, issue 13 item 5): the raw values, best and worst among the ranked, the
strengths and drags from the method's contributions, and the pair whose swap moves a country across the cut."""

from __future__ import annotations

import numpy as np
import pytest

from fulcrum.pipeline import rank_scenario
from fulcrum.scenario import parse_scenario
from fulcrum.why import effects, why_country
from mcda.errors import InputError


def test_values_best_and_worst_come_from_the_dataset(default_outcome):
    out = default_outcome
    ranked = list(out.ranking["alternative"])
    w = why_country(out, "BRA")
    raw = out.countries.loc[ranked]
    assert w.values.at["gdp", "value"] == raw.at["BRA", "gdp"]
    assert w.values.at["gdp", "best_by"] == raw["gdp"].idxmax()
    assert w.values.at["gdp", "worst"] == raw["gdp"].min()
    assert w.values.at["gdp", "year"] == str(int(raw.at["BRA", "gdp_year"]))
    assert w.values.at["gdp", "unit"] == out.criteria.at["gdp", "unit"]
    # a cost criterion (HDI in the default: need): the most favourable is the lowest
    assert out.criteria.at["hdi", "direction"] == "cost"
    assert w.values.at["hdi", "best"] == raw["hdi"].min()
    assert w.values.at["hdi", "worst_by"] == raw["hdi"].idxmax()


def test_effects_add_up_to_the_score_against_the_average(default_outcome):
    out = default_outcome  # TOPSIS: the contributions add up to the score (baseline 0)
    r = out.ranking.set_index("alternative")
    for alt in ("ARG", "BRA", "HTI"):
        e = effects(out, alt)
        assert e["effect"].sum() == pytest.approx(r.at[alt, "score"] - r["score"].mean(), abs=1e-12)
        assert list(e["effect"]) == sorted(e["effect"], reverse=True)


def test_strengths_and_drags_name_the_largest_effects(default_outcome):
    w = why_country(default_outcome, "BRA")
    top, bottom = w.effects.iloc[0], w.effects.iloc[-1]
    assert top["effect"] > 0 > bottom["effect"]
    assert w.strengths[0].startswith(top["label"]) and w.drags[0].startswith(bottom["label"])
    assert "2,280 bn" in w.strengths[0]  # GDP in words, with its year
    assert "in 2025" in w.strengths[0]


def test_lower_is_better_methods_are_turned_round(default_doc):
    default_doc["method"] = {"name": "vikor", "options": {}, "normalization": None}
    out = rank_scenario(parse_scenario(default_doc))
    assert not out.higher_is_better
    best = str(out.ranking["alternative"].iloc[0])
    e = effects(out, best)
    r = out.ranking.set_index("alternative")
    cols = [f"contrib_{c}" for c in e.index]
    np.testing.assert_allclose(e["effect"], -(r.loc[best, cols].to_numpy(float) - r[cols].mean().to_numpy(float)))


def test_the_pair_that_moves_a_country_across_the_cut(default_outcome, default_doc):
    t = default_outcome.shortlist_table
    inside = list(t.loc[t["status"] == "shortlisted", "alternative"])
    below = list(t.loc[t["status"] == "below cut", "alternative"])
    w = why_country(default_outcome, inside[0])
    assert (w.pair, w.pair_role) == ((inside[0], below[0]), "leave")
    w = why_country(default_outcome, below[3])
    assert (w.pair, w.pair_role) == ((below[3], inside[-1]), "enter")
    default_doc["shortlist"]["exclusions"] = [{"id": "BRA", "reason": "test reason"}]
    w = why_country(rank_scenario(parse_scenario(default_doc)), "BRA")
    assert w.status == "excluded" and w.pair is None and "test reason" in w.reason


def test_unknown_country_is_refused(default_outcome):
    with pytest.raises(InputError, match="not in the ranking"):
        why_country(default_outcome, "XXX")
