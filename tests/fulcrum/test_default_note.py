"""scenarios/README.md explains the default scenario and quotes what it gives; this keeps every figure true
(recomputed by the library at test time, never copied from its output)."""

import re

import numpy as np
import pytest

from fulcrum.pipeline import eligible_alternatives, scenario_method
from mcda.data import load_criteria
from mcda.robustness_sampling import AroundWeights
from mcda.robustness_smaa import shortlist_acceptability
from tests.support import SCENARIOS

README = (SCENARIOS / "README.md").read_text(encoding="utf-8")
SECTION = README[README.index("## The default scenario") : README.index("Files here:")]


def test_the_weights_follow_the_stated_rule(default_scenario):
    """Four groups of a quarter each, split equally inside each group; the table lists each criterion."""
    groups = {"size": ("gdp", "population"), "need": ("poverty_national", "hdi")}
    groups["governance"] = ("wgi_ge", "wgi_pv", "wgi_cc")
    groups["ties with China"] = ("partnership_level", "bri_mou")
    w = {c.id: c.weight for c in default_scenario.criteria}
    assert sorted(w) == sorted(c for g in groups.values() for c in g)
    total = sum(w.values())
    for ids in groups.values():
        assert sum(w[c] for c in ids) / total == pytest.approx(0.25)
        assert len({w[c] for c in ids}) == 1
        for c in ids:
            assert f"{100 * w[c] / total:.1f}%" in SECTION
    assert {c.id for c in default_scenario.criteria if c.transform == "log"} == {"gdp", "population"}
    assert "geographic" not in set(load_criteria()["group"][list(w)])


def test_the_stated_shortlist_and_score_spread(default_outcome):
    names = default_outcome.countries.loc[default_outcome.shortlist.index, "country"].tolist()
    assert f"**shortlist {', '.join(names[:-1])}, {names[-1]}**" in SECTION
    top = default_outcome.ranking["score"].to_numpy()[:12]
    m = re.search(r"top 12 within ([\d.]+)\)", SECTION)
    assert m and top.max() - top.min() <= float(m.group(1)) and top.max() - top.min() > float(m.group(1)) - 0.01


def test_the_stated_facts_about_the_data(default_outcome):
    c = default_outcome.countries
    assert f"Argentina {c.loc['ARG', 'poverty_rate']:.1f}%, Brazil {c.loc['BRA', 'poverty_rate']:.1f}%" in SECTION
    blank = sorted(c.index[c["poverty_national"].isna()])
    assert ", ".join(blank[:-1]) + f" and {blank[-1]}" in SECTION
    assert f"Brazil US${c['gdp'].max() / 1e9:,.0f}bn" in SECTION and c["gdp"].idxmax() == "BRA"
    assert f"Dominica US${c['gdp'].min() / 1e9:.1f}bn" in SECTION and c["gdp"].idxmin() == "DMA"
    d = c["dist_beijing"]
    assert f"varies by {100 * (d.max() / d.min() - 1):.0f}%" in SECTION


def test_the_stated_acceptability(default_outcome):
    """The acceptability row: the same sampler, samples and seed as stated give the quoted shares."""
    o = default_outcome
    header = re.search(r"\| weights sampled \|(.+)\|\n", SECTION)
    row = re.search(r"\| ±30% around the default weights \|(.+)\|\n", SECTION)
    assert header and row
    ids = [x.strip() for x in header.group(1).split("|")]
    quoted = [int(x.strip().rstrip("%")) for x in row.group(1).split("|")]
    t = shortlist_acceptability(
        o.problem,
        o.scenario.shortlist.top_k,
        eligible_alternatives(o),
        AroundWeights(o.problem, o.weights, 30),
        10_000,
        1,
        method=scenario_method(o),
    ).set_index("alternative")["share_shortlisted"]
    assert [round(100 * t[a]) for a in ids] == quoted
    # the columns are the countries most often shortlisted, in order
    assert ids == list(t.sort_values(ascending=False, kind="stable").index[: len(ids)])
    assert np.isclose(t.sum(), o.scenario.shortlist.top_k)
