"""A browser that resets its widgets mid-run must not wipe the scenario.

Seen in a real browser on a slow link (tests/app/test_browser_as_of.py's old failure): clicking the
link of the page already shown, then a checkbox, sent Streamlit's empty default for every widget of
the Data page — no candidates, policy 'error', every criterion off — and each callback applied its
value, leaving one criterion. A planner moves one widget per rerun; many at once is refused
(ui.state.moved_at_once), the scenario is kept and a notice says so.

The Data page's criteria are now one table (ui/criteria_table.py): its empty default is "no edit",
so a reset cannot switch criteria off at all; the guard itself is tested on the Weights page's sliders,
whose empty default (the minimum, 0) would zero every weight.
"""

from __future__ import annotations

from tests.app.apptest import edit_table, goto, new_app, run, table_of, wkey


def _criteria(at) -> list[str]:
    return [c.id for c in at.session_state["scenario"].criteria]


def _weights(at) -> dict[str, float]:
    return {c.id: float(c.weight) for c in at.session_state["scenario"].criteria}


def test_every_data_widget_at_its_empty_default_in_one_rerun_changes_nothing():
    at = goto(new_app(), "Data")
    before = at.session_state["scenario"]
    on = _criteria(at)
    assert len(on) >= 3
    at.multiselect(key=wkey("candidates", at)).set_value([])
    at.selectbox(key=wkey("missing", at)).set_value("error")
    edit_table(at, "crit_table", {})  # the table's empty default: no edit
    after = at.session_state["scenario"]
    assert _criteria(at) == on
    assert after.data.candidates == before.data.candidates and after.data.missing == before.data.missing
    # the page shows the scenario again, and a single change afterwards is applied as usual
    shown = table_of(at, "crit_table")
    assert list(shown.loc[shown["use"], "id"]) == [c for c in shown["id"] if c in on]
    edit_table(at, "crit_table", {list(shown["id"]).index(on[0]): {"use": False}})
    assert _criteria(at) == on[1:]


def test_every_weight_slider_at_its_empty_default_in_one_rerun_changes_nothing():
    """The guard (ui.state.moved_at_once): three sliders at 0 in one rerun is a reset, not the planner."""
    at = goto(new_app(), "Weights")
    before = _weights(at)
    ids = list(before)[:3]
    for cid in ids:
        at.slider(key=wkey(f"wt:{cid}", at)).set_value(0.0)
    run(at)
    assert _weights(at) == before
    assert any("changed at once" in w.value for w in at.warning), [w.value for w in at.warning]
    # the sliders show the scenario again, and a single change afterwards is applied as usual
    assert at.slider(key=wkey(f"wt:{ids[0]}", at)).value == before[ids[0]]
    at.slider(key=wkey(f"wt:{ids[0]}", at)).set_value(0.0)
    run(at)
    assert _weights(at) == {**before, ids[0]: 0.0}


def test_two_criteria_in_one_edit_are_still_applied():
    """Two quick clicks in the table can share a rerun (the second sent while the first still runs): both count."""
    at = goto(new_app(), "Data")
    on = _criteria(at)
    ids = list(table_of(at, "crit_table")["id"])
    edit_table(at, "crit_table", {ids.index(on[0]): {"use": False}, ids.index(on[1]): {"use": False}})
    assert _criteria(at) == on[2:]
