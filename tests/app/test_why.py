"""The "Why this country?" panel and the GAIA plane on the Ranking page (issue 13 items 5 and 7), without a browser:
the panel speaks of the country picked, with the library's numbers; the acceptability button runs SMAA."""

from __future__ import annotations

from fulcrum.why import why_country
from mcda.gaia import gaia_of
from tests.app.apptest import goto, new_app, run


def texts(at) -> str:
    return "\n".join(m.value for m in at.markdown) + "\n".join(c.value for c in at.caption)


def test_panel_waits_for_a_pick_then_explains_that_country(default_outcome):
    at = goto(new_app(), "Ranking")
    assert "Click a row of the ranked table" in texts(at)
    at.session_state["why_pick"] = "BRA"
    run(at)
    shown = texts(at)
    w = why_country(default_outcome, "BRA")
    assert f"**Brazil** (BRA) — rank {w.rank} of 33" in shown
    assert w.strengths[0].replace("$", "\\$") in shown
    assert "To **enter** the shortlist" in shown and "overtakes **Bolivia**" in shown
    table = next(d.value for d in at.dataframe if "most favourable" in d.value.columns)
    assert table["value"].iloc[0] == "2,280 bn"  # GDP 2.28e12 current US$
    assert table["most favourable"].iloc[0] == "2,280 bn — Brazil"
    assert list(table["criterion"]) == list(w.values["label"])


def test_acceptability_is_computed_on_request():
    at = goto(new_app(), "Ranking")
    at.session_state["why_pick"] = "ARG"
    run(at)
    assert "Acceptability: not computed yet" in texts(at)
    at.button(key="why_smaa").click()
    run(at)
    assert "first in **" in texts(at) and "on the shortlist (top 5)" in texts(at)


def test_gaia_caption_states_the_library_delta(default_outcome):
    app = new_app()
    app.session_state["gaia_open"] = True  # the plane is made when its expander is opened (ui/lazy.py)
    at = goto(app, "Ranking")
    g = gaia_of(default_outcome.problem, default_outcome.weights)
    assert f"The plane keeps δ = {g.delta:.0%} of the information" in texts(at)
