"""Ranking page, issue 10: the ELECTRE III threshold editor and the vetoes in words (item 3), the
threshold sensitivity of the shortlist filters in words and as a chart (item 4). AppTest: logic and
what the page holds; the browser test (test_browser_ranking_extras.py) looks at it."""

from __future__ import annotations

import pandas as pd

from fulcrum.scenario import load_scenario
from tests.app.apptest import goto, new_app, run, wkey
from tests.support import ROOT

EXAMPLES = ROOT / "scenarios" / "examples"


def _text(at) -> str:
    """Every markdown, caption and info text of the page, markdown escapes removed."""
    parts = [str(m.value) for m in [*at.markdown, *at.caption, *at.info]]
    return "\n".join(parts).replace("\\", "")


def test_electre3_scenario_shows_thresholds_and_vetoes_in_words():
    at = goto(new_app(load_scenario(EXAMPLES / "electre3_vetoes.json")), "Ranking")
    editors = list(at.get("arrow_data_editor")) or list(at.get("data_editor"))
    assert editors, "the threshold editor is drawn"
    text = _text(at)
    assert "cannot outrank" in text and "at least the veto threshold" in text
    assert "discordance(s) lowered a credibility" in text
    assert "ELECTRE III" in text  # the method in force, by its name


def test_thresholds_table_round_trip():
    from ui.ranking_extras import ALL_LABEL, thresholds_from_table

    t = pd.DataFrame(
        [
            {"criterion": "wgi_pv", "q": 0.1, "p": 0.4, "v": 1.5},
            {"criterion": "gdp", "q": None, "p": None, "v": None},
            {"criterion": ALL_LABEL, "q": 0.0, "p": 2.0, "v": float("nan")},
        ]
    )
    assert thresholds_from_table(t) == {"wgi_pv": {"q": 0.1, "p": 0.4, "v": 1.5}, "*": {"q": 0.0, "p": 2.0}}


def test_choosing_electre3_in_the_selector_ranks_with_its_defaults():
    at = goto(new_app(), "Ranking")
    at.selectbox(key=wkey("method", at)).set_value("electre3")
    run(at)
    assert at.session_state["scenario"].method.name == "electre3"
    text = _text(at)
    assert "No veto fired" in text  # no thresholds yet: q = p = 0, no veto


def test_bad_thresholds_in_state_are_refused_with_a_notice():
    from ui import state
    from ui.ranking_extras import thresholds_from_table

    at = goto(new_app(load_scenario(EXAMPLES / "electre3_vetoes.json")), "Ranking")
    bad = thresholds_from_table(pd.DataFrame([{"criterion": "wgi_pv", "q": 0.5, "p": 0.1, "v": None}]))
    from fulcrum.pipeline import rank_scenario

    before = at.session_state["scenario"]
    edit = lambda d: d["method"]["options"].update(thresholds=bad)  # noqa: E731
    assert not state.apply(edit, check=rank_scenario, state=at.session_state)
    assert at.session_state["scenario"] == before  # the old scenario is kept
    notices = state.take_notices(at.session_state)
    assert any("q (0.5) must not exceed p (0.1)" in t for _, t in notices)


def test_filter_sensitivity_in_words_and_a_chart():
    at = goto(new_app(load_scenario(EXAMPLES / "paper_rejections.json")), "Ranking")
    text = _text(at)
    assert "wgi_pv > -1 holds the shortlist for thresholds from -1.19 to -0.72 (not included)" in text
    assert "below -1.19 Venezuela would enter, replacing Jamaica" in text
    charts = [c for c in at.get("vega_lite_chart") if "safe interval" in str(c.proto.spec)]
    assert charts, "the safe-interval chart is drawn"


def test_default_scenario_categorical_filter_sentence():
    at = goto(new_app(), "Ranking")
    assert "prc_relations == 1: no longer accepting 1" in _text(at)


def test_method_comparison_uses_the_scenario_thresholds():
    """The comparison rebuilds the method in force from the scenario (not from options(), which only
    says "thresholds = given"): its column equals the ranked table."""
    app = new_app(load_scenario(EXAMPLES / "electre3_vetoes.json"))
    app.session_state["compare_open"] = True  # the ranks by each method: drawn when opened (ui/lazy.py)
    at = goto(app, "Ranking")
    assert not [e for e in at.error if "Comparison not available" in str(e.value)]
    table = next(d.value for d in at.dataframe if any(str(c).endswith("— in force") for c in d.value.columns))
    col = next(c for c in table.columns if str(c).endswith("— in force"))
    ranked = next(d.value for d in at.dataframe if {"alternative", "score", "status"} <= set(d.value.columns))
    shown = ranked.set_index("alternative")["rank"]
    assert (table[col].reindex(shown.index).to_numpy() == shown.to_numpy()).all()


def test_filter_sensitivity_over_tracks_is_the_chosen_tracks_on_the_final_shortlist():
    """A tracks scenario (the paper's): the Ranking page says, for the track chosen in the sidebar, how far
    each of its filters can move before the FINAL shortlist changes (gap 1 of issue 10)."""
    from tests.app.apptest import wkey

    at = goto(new_app(load_scenario(ROOT / "scenarios" / "paper_2022.json")), "Ranking")
    text = _text(at)
    assert "against the final shortlist" in text
    assert "Track 'Large economies, comprehensive strategic partners': wgi_pv > -1 holds" in text
    assert "Track 'Need and favourable alignment'" not in text  # only the chosen track's filters
    at.sidebar.selectbox(key=wkey("track_focus", at)).select("Need and favourable alignment")
    text = _text(run(at))
    assert "at or above -0.59 Bolivia would enter, replacing Nicaragua" in text
    charts = [c for c in at.get("vega_lite_chart") if "track 2: wgi_pv" in str(c.proto)]
    assert charts, "the safe-interval chart is drawn with the track's rules"
