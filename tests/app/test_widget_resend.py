"""A run stopped as a widget is sent must not leave that widget showing its default.

Seen in a real browser (tests/app/test_browser_trust.py, held arrow key at 300 ms latency): an
untouched weight slider showed 0.00 while the scenario said 3. A newer rerun request stops a run as
its next element is sent; the widget's value, just put into session state under a fresh key, is
then kept by Streamlit under the element's id only, and the next run drew the slider without it —
the browser shows the slider's own default (its minimum) and would send that back with the next
change. ui.state.widget says the value again until a run that drew the widget has finished.

The stop is reproduced exactly where Streamlit makes it: a StopException raised as the slider's
element is enqueued (ScriptRunner._enqueue_forward_msg handles a pending rerun request there).
"""

from __future__ import annotations

import pytest
from streamlit.runtime.scriptrunner_utils.exceptions import StopException
from streamlit.runtime.scriptrunner_utils.script_run_context import ScriptRunContext

from tests.app.apptest import goto, new_app, run, wkey

LABEL = "Belt and Road MoU"


def _stop_when_sent(monkeypatch, label: str) -> dict:
    """Stop the next run as the slider labelled ``label`` is sent (once)."""
    armed = {"on": True, "fired": False}
    original = ScriptRunContext.enqueue

    def enqueue(self, msg):
        el = msg.delta.new_element if msg.HasField("delta") else None
        if armed["on"] and el is not None and el.WhichOneof("type") == "slider" and el.slider.label == label:
            armed["on"] = False
            armed["fired"] = True
            raise StopException()
        return original(self, msg)

    monkeypatch.setattr(ScriptRunContext, "enqueue", enqueue)
    return armed


def _slider(at, cid: str):
    return at.slider(key=wkey(f"wt:{cid}", at))


def _cid(at) -> str:
    from mcda.data import load_criteria

    crit = load_criteria()
    ids = [c.id for c in at.session_state["scenario"].criteria if crit.at[c.id, "label"] == LABEL]
    assert ids, f"no criterion labelled {LABEL!r} in the default scenario"
    return ids[0]


@pytest.mark.parametrize("stops", [1, 2])
def test_a_slider_whose_run_stopped_as_it_was_sent_shows_the_scenario_value_next_run(monkeypatch, stops):
    at = goto(new_app(), "Weights")
    cid = _cid(at)
    weight = next(c.weight for c in at.session_state["scenario"].criteria if c.id == cid)
    assert weight > 0  # its slider's default (the minimum) would differ from what the scenario says
    from ui.state import reset_widgets

    reset_widgets(at.session_state)  # every widget redrawn under a fresh key, as after a load or a refused reset
    for _ in range(stops):  # the stop can happen run after run while the key is held
        armed = _stop_when_sent(monkeypatch, LABEL)
        run(at)
        assert armed["fired"]
        monkeypatch.undo()
    run(at)
    s = _slider(at, cid)
    # what the browser shows: the value the run sends, or the element's default when it sends none
    shown = list(s.proto.value) if s.proto.set_value else list(s.proto.default)
    assert shown == [pytest.approx(weight)], (s.proto.set_value, list(s.proto.value), list(s.proto.default))
    # once a run that drew it has finished, the value is not forced on the browser again
    run(at)
    assert not _slider(at, cid).proto.set_value
    assert _slider(at, cid).value == pytest.approx(weight)


def test_a_finished_run_forces_no_value_on_widgets_the_planner_is_moving():
    """The held key keeps working: a slider the planner moves is never told its value by the server."""
    at = goto(new_app(), "Weights")
    cid = _cid(at)
    for v in (4.0, 4.5, 5.0):
        _slider(at, cid).set_value(v)
        run(at)
        s = _slider(at, cid)
        assert not s.proto.set_value and s.value == pytest.approx(v)
    assert next(c.weight for c in at.session_state["scenario"].criteria if c.id == cid) == pytest.approx(5.0)
