"""A page body's run that asks for a full rerun at its end (the sidebar must follow) does not count its widgets
as sent: Streamlit clears a run's unflushed messages when the next run starts (AppSession._clear_queue), so the
next run must say their values again (ui/state.py widget, ui/fragments.py body)."""

from __future__ import annotations

import pytest

from ui import fragments, state


class Rerun(Exception):
    pass


def _body_run(monkeypatch, rerun: bool) -> list[str]:
    calls: list[str] = []
    monkeypatch.setattr(fragments.st, "fragment", lambda f: f)  # the body's function itself, run here
    monkeypatch.setattr(state, "in_fragment_run", lambda: True)
    monkeypatch.setattr(state, "begin_run", lambda *a, **k: calls.append("begin"))
    monkeypatch.setattr(state, "end_run", lambda *a, **k: calls.append("end"))
    monkeypatch.setattr(fragments, "_autosave", lambda: calls.append("autosave"))

    def follows() -> None:
        calls.append("follows")
        if rerun:
            raise Rerun

    monkeypatch.setattr(fragments, "_sidebar_follows", follows)
    from ui import common, compute

    monkeypatch.setattr(compute, "new_run", lambda: None)
    monkeypatch.setattr(common, "show_notices", lambda: None)
    monkeypatch.setattr(common, "boundary", lambda fn, what="": fn())
    run = fragments.body(lambda: calls.append("render"))
    if rerun:
        with pytest.raises(Rerun):
            run()
    else:
        run()
    return calls


def test_a_body_run_that_reruns_the_app_leaves_its_widgets_unsent(monkeypatch):
    assert _body_run(monkeypatch, rerun=True) == ["begin", "render", "autosave", "follows"]  # no "end"


def test_a_body_run_that_ends_marks_its_widgets_sent(monkeypatch):
    assert _body_run(monkeypatch, rerun=False) == ["begin", "render", "autosave", "follows", "end"]
