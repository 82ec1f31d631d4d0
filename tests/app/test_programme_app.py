"""The allocation page's programme block (ui/programme.py) on the example programme scenario: the
year x country chart, the per-year totals within the ceilings, the pipeline's projects and the
"illustrative" label."""

from __future__ import annotations

import pytest

from fulcrum.scenario import load_scenario
from tests.app.apptest import goto, new_app, run
from tests.support import ROOT

EXAMPLE = ROOT / "scenarios" / "examples" / "programme.json"


@pytest.fixture(scope="module")
def solved():
    at = new_app(load_scenario(EXAMPLE))
    goto(at, "Allocation")
    at.button(key="solve").click()
    run(at)
    return at


def test_programme_block_shows_years_projects_and_the_illustrative_label(solved):
    at = solved
    assert not at.exception
    years = next(d.value for d in at.dataframe if "ceiling_aid_musd" in d.value.columns)
    assert list(years["year"]) == [2026, 2027, 2028, 2029, 2030]
    assert (years["aid_musd"] <= years["ceiling_aid_musd"] + 1e-6).all()
    assert (years["investment_musd"] <= years["ceiling_investment_musd"] + 1e-6).all()
    projects = next(d.value for d in at.dataframe if "why_not_selected" in d.value.columns)
    lost = projects[~projects["selected"]]
    assert len(lost) and (lost["why_not_selected"].str.len() > 0).all()
    assert any("ILLUSTRATIVE" in w.value for w in at.warning)
