"""Tracks in the app (AppTest): the sidebar's track chooser and shortlist with tracks, the Ranking page's
tabs and final shortlist, edits going to the chosen track only, add / remove / rename, quotas, robustness."""

from __future__ import annotations

from pathlib import Path

import pytest

from fulcrum.scenario import load_scenario
from tests.app.apptest import PAGES, goto, new_app, run, wkey

EXAMPLE = Path(__file__).resolve().parents[2] / "scenarios" / "examples" / "two_tracks.json"


@pytest.fixture
def at():
    return new_app(load_scenario(EXAMPLE))


def _sc(at):
    return at.session_state["scenario"]


def test_every_page_works_and_sidebar_shows_each_track(at):
    side = " ".join(m.value for m in at.sidebar.markdown)
    assert "Brazil (BRA) — Large economies" in side and "Bolivia (BOL) — Need and alignment" in side
    assert at.sidebar.selectbox(key=wkey("track_focus", at)).options == ["Large economies", "Need and alignment"]
    for p in PAGES:
        goto(at, p)
        assert not at.error, (p, [e.value for e in at.error])


def test_ranking_page_tabs_and_final_shortlist(at):
    goto(at, "Ranking")
    final = next(d.value for d in at.dataframe if "track" in d.value.columns)
    assert list(final["alternative"]) == ["BRA", "ARG", "HND", "BOL"]
    assert list(final["track"]) == ["Large economies"] * 2 + ["Need and alignment"] * 2
    assert [t.label for t in at.tabs][:2] == ["Large economies (quota 2)", "Need and alignment (quota 2)"]


def test_weights_edit_the_chosen_track_only(at):
    before = _sc(at)
    at.sidebar.selectbox(key=wkey("track_focus", at)).set_value("Need and alignment")
    run(at)
    goto(at, "Weights")
    at.slider(key=wkey("wt:poverty_national", at)).set_value(0.5)
    run(at)
    sc = _sc(at)
    w = {c.id: c.weight for c in sc.tracks[1].criteria}
    assert w["poverty_national"] == pytest.approx(0.5)
    assert sc.tracks[0] == before.tracks[0]  # the other track is untouched
    assert not any(s.key and "wt:gdp" in s.key for s in at.slider)  # only the chosen track's criteria shown


def test_quota_rename_add_remove(at):
    goto(at, "Ranking")
    at.number_input(key=wkey("topk", at)).set_value(3)
    run(at)
    assert _sc(at).tracks[0].shortlist.top_k == 3 and _sc(at).tracks[1].shortlist.top_k == 2
    final = next(d.value for d in at.dataframe if "track" in d.value.columns)
    assert (final["track"] == "Large economies").sum() == 3
    at.text_input(key=wkey("track_name", at)).set_value("Big markets")
    run(at)
    assert [t.name for t in _sc(at).tracks] == ["Big markets", "Need and alignment"]
    at.button(key="track_add").click()
    run(at)
    assert [t.name for t in _sc(at).tracks] == ["Big markets", "Need and alignment", "Track 3"]
    at.button(key="track_remove").click()
    run(at)
    assert [t.name for t in _sc(at).tracks] == ["Big markets", "Need and alignment"]


def test_duplicate_name_is_refused_with_a_notice(at):
    goto(at, "Ranking")
    at.text_input(key=wkey("track_name", at)).set_value("Need and alignment")
    run(at)
    assert [t.name for t in _sc(at).tracks] == ["Large economies", "Need and alignment"]
    assert any("used twice" in e.value for e in at.error)


def test_robustness_per_track_and_final(at):
    goto(at, "Robustness")
    tab = next(d.value for d in at.dataframe if "final" in d.value.columns)
    assert {"picked_by:Large economies", "picked_by:Need and alignment"} <= set(tab.columns)
    assert tab["final"].sum() == pytest.approx(400.0, abs=0.5)  # percentages; 4 places in every sample


def test_scenario_without_tracks_has_no_track_controls(default_scenario):
    at = new_app(default_scenario)
    assert not at.sidebar.selectbox
    goto(at, "Ranking")
    assert not any("track" in d.value.columns for d in at.dataframe)


def test_funding_acceptability_over_tracks(at):
    goto(at, "Robustness")
    at.select_slider(key="rb_nf").set_value(100)
    run(at)
    at.button(key="rb_run_fund").click()
    run(at)
    fund = next(d.value for d in at.dataframe if "share_funded" in d.value.columns)
    assert set(fund.loc[fund["base_shortlisted"], "country"]) == {"BRA", "ARG", "HND", "BOL"}
    assert any("Over tracks, every track's weights" in c.value for c in at.caption)


def test_allocation_page_states_the_tracks_and_the_priority_rule(at):
    goto(at, "Allocation")
    text = " ".join(c.value for c in at.caption)
    assert "Picked by track: Brazil (BRA) — Large economies" in text
    assert "in proportion to the number of countries the track picked" in text


def test_uploading_a_table_over_tracks_starts_one_ranking(at):
    from ui.upload import scenario_for_upload

    data = b"id,a,b\nX,1,2\nY,2,1\nZ,3,3\nW,4,0\nV,0,4\n"
    sc, _ = scenario_for_upload("t.csv", data, _sc(at))
    assert sc.tracks is None and [c.id for c in sc.criteria] == ["a", "b"]


def test_final_acceptability_samples_the_data_when_switched_on():
    """Issue 10 gap 2: over tracks the final-shortlist acceptability can sample every track's data too; the
    page says which criteria carry measured uncertainty in each track, and the shares move."""
    from fulcrum.scenario import parse_scenario
    from tests.fulcrum.test_tracks_uncertainty import PAPER, _doc

    at = new_app(parse_scenario(_doc(), source="test", base_dir=PAPER.parent))
    goto(at, "Robustness")
    at.number_input(key="trk_n").set_value(200)
    at.toggle(key="trk_data_uncertainty").set_value(False)
    run(at)
    before = next(d.value for d in at.dataframe if "final" in d.value.columns)
    at.toggle(key="trk_data_uncertainty").set_value(True)
    run(at)
    assert not at.error, [e.value for e in at.error]
    text = " ".join(m.value for m in at.markdown)
    assert "measured uncertainty in **wgi_ge**" in text and "measured uncertainty in **wgi_pv**" in text
    after = next(d.value for d in at.dataframe if "final" in d.value.columns)
    assert after["final"].sum() == pytest.approx(400.0, abs=0.5)
    assert not before.set_index("alternative")["final"].equals(after.set_index("alternative")["final"])
    assert any("and its data from their stated uncertainty" in c.value for c in at.caption)
