"""scenarios/paper_2022.md quotes results; this keeps every figure in it true when data or code change (each is
recomputed here by the library: the final shortlist and its tracks, the ranks of the paper's picks in each track,
the acceptability over tracks, every variant's shortlist, the allocation's largest share)."""

import re

import pytest

from fulcrum.pipeline import rank_scenario
from fulcrum.scenario import parse_scenario
from fulcrum.tracks import track_acceptability
from tests.fulcrum.paper_variants import VARIANTS, variant
from tests.support import SCENARIOS

NOTE = (SCENARIOS / "paper_2022.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def outcome(shipped):
    return shipped.outcome("paper_2022")


def final(o) -> list[str]:
    st = o.shortlist_table
    return [str(a) for a in st.loc[st["status"] == "shortlisted", "alternative"]]


def test_the_note_states_the_final_shortlist_and_its_tracks(outcome):
    st = outcome.shortlist_table.set_index("alternative")
    parts = []
    for i, t in enumerate(outcome.tracks, start=1):
        picks = [outcome.countries.loc[a, "country"] for a in final(outcome) if st.loc[a, "track"] == t.track]
        parts.append(f"{' and '.join(picks)} (track {i})")
    assert f"**Final shortlist: {', '.join(parts)}.**" in NOTE


def test_the_note_states_where_the_papers_picks_rank_in_each_track(outcome):
    m = re.search(r"Where the paper's picks stand: (.+?)\.\n", NOTE)
    assert m, "the note says where the paper's picks rank"
    said = re.findall(r"([A-Z][a-z]+) (\d+)(?:st|nd|rd|th) in track (\d)", m.group(1))
    names = outcome.countries["country"]
    assert {n for n, _, _ in said} == {names[i] for i in ("BRA", "ARG", "BOL", "NIC")}, m.group(1)
    iso = {names[i]: i for i in ("BRA", "ARG", "BOL", "NIC")}
    for name, rank, t in said:
        r = outcome.tracks[int(t) - 1].ranking.set_index("alternative")["rank"]
        assert int(r[iso[name]]) == int(rank), (name, t)


@pytest.mark.parametrize(
    "label, spread", [("±30% around each track's weights", 30.0), ("uniform on each simplex", None)]
)
def test_the_acceptability_table(outcome, label, spread):
    header = re.search(r"\| weights sampled \|(.+)\|\n", NOTE)
    row = re.search(rf"\| {re.escape(label)} \|(.+)\|\n", NOTE)
    assert header and row, label
    ids = [x.strip() for x in header.group(1).split("|")]
    quoted = [int(x.strip().rstrip("%")) for x in row.group(1).split("|")]
    ta = track_acceptability(outcome, spread=spread, n_samples=10_000, seed=1).table.set_index("alternative")
    assert [round(100 * ta.loc[a, "final"]) for a in ids] == quoted


def test_every_variant_in_the_table_gives_the_shortlist_the_note_quotes():
    rows = dict(re.findall(r"^\| `([\w.\-]+)` \|.*\| ([A-Z]{3}(?:, [A-Z]{3})*) \|$", NOTE, flags=re.M))
    assert set(rows) == set(VARIANTS), "the variants table lists every variant tried, no more"
    for name, quoted in rows.items():
        got = final(rank_scenario(parse_scenario(variant(name))))
        assert ", ".join(got) == quoted, name


def test_the_note_states_the_largest_allocation(outcome):
    from fulcrum.allocate import solve_for_outcome

    res = solve_for_outcome(outcome)
    assert res.ok
    by_c = (
        res.by_country.set_index("country")["total_musd"]
        if "country" in res.by_country.columns
        else res.by_country["total_musd"]
    )
    top = by_c.idxmax()
    assert f"{outcome.countries.loc[top, 'country']} receives most (US${by_c[top]:.1f}M" in NOTE


def test_the_note_states_why_track_2_takes_its_second_pick(outcome):
    """The note's sentence on track 2's second pick: no national poverty headcount (imputed by the median of the
    values on the date) and its UN GA agreement with China."""
    t2 = outcome.tracks[1]
    second = str(t2.ranking["alternative"].iloc[1])
    name = outcome.countries.loc[second, "country"]
    data = t2.problem.matrix
    raw = outcome.countries
    assert "as_of" in outcome.scenario.data.model_dump() and outcome.scenario.data.as_of is not None
    median = data["poverty_national"][second]  # the imputed value the ranking used
    assert any(f"by column median ({median:.2f})" in n and second in n for n in t2.notes)
    said = NOTE.replace("\n  ", " ")
    assert f"{name} has no national poverty headcount: it is imputed by the median ({median:.2f}%)" in said
    assert f"UN GA agreement with China ({data['unga_agree_chn'][second]:.1f}%)" in said
    assert raw.loc[second, "country"] == name
