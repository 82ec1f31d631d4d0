"""A browser that resets its widgets mid-run must not wipe the scenario.

Seen in a real browser on a slow link (tests/app/test_browser_as_of.py's old failure): clicking the
link of the page already shown, then a checkbox, sent Streamlit's empty default for every widget of
the Data page — no candidates, policy 'error', every criterion off — and each callback applied its
value, leaving one criterion. A planner moves one widget per rerun; many at once is refused
(ui.state.moved_at_once), the scenario is kept and a notice says so.
"""

from __future__ import annotations

from tests.app.apptest import goto, new_app, run, wkey


def _criteria(at) -> list[str]:
    return [c.id for c in at.session_state["scenario"].criteria]


def test_every_data_widget_at_its_empty_default_in_one_rerun_changes_nothing():
    at = goto(new_app(), "Data")
    before = at.session_state["scenario"]
    on = _criteria(at)
    assert len(on) >= 3
    at.multiselect(key=wkey("candidates", at)).set_value([])
    for cid in on:
        at.checkbox(key=wkey(f"on:{cid}", at)).uncheck()
    run(at)
    after = at.session_state["scenario"]
    assert _criteria(at) == on
    assert after.data.candidates == before.data.candidates
    assert any("changed at once" in w.value for w in at.warning), [w.value for w in at.warning]
    # the widgets show the scenario again, and a single change afterwards is applied as usual
    assert at.checkbox(key=wkey(f"on:{on[0]}", at)).value is True
    at.checkbox(key=wkey(f"on:{on[0]}", at)).uncheck()
    run(at)
    assert _criteria(at) == on[1:]


def test_two_widgets_in_one_rerun_are_still_applied():
    """Two quick clicks can share a rerun (the second sent while the first still runs): both count."""
    at = goto(new_app(), "Data")
    on = _criteria(at)
    at.checkbox(key=wkey(f"on:{on[0]}", at)).uncheck()
    at.checkbox(key=wkey(f"on:{on[1]}", at)).uncheck()
    run(at)
    assert _criteria(at) == on[2:]
