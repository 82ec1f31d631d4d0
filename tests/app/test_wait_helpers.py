"""tests/support/browser.py's ``Runs``: when the browser tests call the app idle, fed Streamlit's own messages
(no browser needed). A run cut short for another rerun (a fragment's ``st.rerun(scope="app")``, a newer request)
does not answer a request; a run that began before the last request does not either."""

from __future__ import annotations

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from tests.support.browser import Runs


class _Socket:
    url = "ws://127.0.0.1:1/_stcore/stream"

    def __init__(self):
        self.handlers = {}

    def on(self, event, fn):
        self.handlers[event] = fn


class _Page:
    def __init__(self):
        self.handlers = {}

    def on(self, event, fn):
        self.handlers[event] = fn


def _setup():
    page, ws = _Page(), _Socket()
    runs = Runs(page)
    page.handlers["websocket"](ws)
    return runs, ws


def _ask(ws) -> None:
    msg = BackMsg()
    msg.rerun_script.query_string = ""
    ws.handlers["framesent"](msg.SerializeToString())


def _get(ws, kind: str, value=None) -> None:
    msg = ForwardMsg()
    if kind == "new_session":
        msg.new_session.name = "app"
    elif kind == "script_finished":
        msg.script_finished = value
    elif kind == "status":
        msg.session_status_changed.script_is_running = value
    ws.handlers["framereceived"](msg.SerializeToString())


def _run(ws, finish=ForwardMsg.FINISHED_SUCCESSFULLY) -> None:
    _get(ws, "new_session")
    _get(ws, "status", True)
    _get(ws, "script_finished", finish)
    _get(ws, "status", False)


def test_nothing_asked_is_not_idle_and_one_answered_request_is():
    runs, ws = _setup()
    assert not runs.answered()  # the page has not even asked for its first run
    _ask(ws)
    assert not runs.answered()
    _get(ws, "new_session")
    _get(ws, "status", True)
    assert not runs.answered()  # running
    _get(ws, "script_finished", ForwardMsg.FINISHED_SUCCESSFULLY)
    _get(ws, "status", False)
    assert runs.answered()


def test_a_fragment_run_cut_short_for_a_full_rerun_does_not_answer():
    runs, ws = _setup()
    _ask(ws)
    _run(ws, ForwardMsg.FINISHED_EARLY_FOR_RERUN)  # the fragment asked for st.rerun(scope="app")
    assert not runs.answered()
    _run(ws)  # the full run
    assert runs.answered()


def test_a_request_sent_during_a_run_waits_for_the_next_run():
    runs, ws = _setup()
    _ask(ws)
    _get(ws, "new_session")
    _get(ws, "status", True)
    _ask(ws)  # a key press while the run goes on
    _get(ws, "script_finished", ForwardMsg.FINISHED_SUCCESSFULLY)
    _get(ws, "status", False)
    assert not runs.answered()  # that run began before the press
    _run(ws, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY)
    assert runs.answered()


def test_a_new_connection_starts_afresh():
    runs, ws = _setup()
    _ask(ws)
    _run(ws)
    assert runs.answered() and runs.sessions == 1
    page_ws = _Socket()
    runs._connect(page_ws)  # a reload
    assert runs.sessions == 2 and not runs.answered()
    _ask(page_ws)
    _run(page_ws)
    assert runs.answered()
