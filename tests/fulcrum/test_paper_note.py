"""scenarios/paper_2022.md quotes results; this keeps the note true when data or code change."""

import re
from pathlib import Path

import pytest

NOTE = Path("scenarios/paper_2022.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def outcome(shipped):
    return shipped.outcome("paper_2022")


def test_note_states_the_current_shortlist(outcome):
    names = outcome.countries.loc[outcome.shortlist.index, "country"].tolist()
    assert f"**Shortlist (top 4): {', '.join(names)}**" in NOTE


def test_note_states_the_ranks_of_the_papers_picks(outcome):
    rank = outcome.ranking.set_index("alternative")["rank"]
    m = re.search(r"Argentina (\d+),\s+Bolivia (\d+), Brazil (\d+), Nicaragua (\d+)", NOTE)
    assert m, "the note lists the paper's picks with their ranks"
    assert [int(x) for x in m.groups()] == [rank["ARG"], rank["BOL"], rank["BRA"], rank["NIC"]]
    assert f"Mexico ranks {rank['MEX']}" in NOTE


def test_note_states_the_allocation_totals(outcome):
    from fulcrum.allocate import solve_for_outcome

    res = solve_for_outcome(outcome)
    assert res.ok
    by_c = (
        res.by_country.set_index("country")["total_musd"]
        if "country" in res.by_country.columns
        else res.by_country["total_musd"]
    )
    top = by_c.idxmax()
    assert f"US${by_c[top]:.1f}M" in NOTE and outcome.countries.loc[top, "country"] in NOTE
