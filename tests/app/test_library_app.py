"""The Library & compare page and the autosave hook, driven with AppTest (each test has its own library file)."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from fulcrum import store
from fulcrum.scenario import parse_scenario
from tests.app.apptest import goto, new_app, run

PAGE = "Library & compare"


@pytest.fixture
def lib_path(tmp_path, monkeypatch):
    path = tmp_path / "library.sqlite"
    monkeypatch.setenv(store.ENV, str(path))
    return path


def _heavier(sc, crit: str = "hdi", factor: float = 6.0):
    doc = json.loads(sc.model_dump_json())
    for c in doc["criteria"]:
        if c["id"] == crit:
            c["weight"] = (c.get("weight") or 1.0) * factor
    return parse_scenario(doc)


def click(at, key: str):
    next(b for b in at.button if b.key == key).click()
    return run(at)


def test_autosave_then_a_new_session_with_the_token_restores_it(lib_path):
    at = new_app()
    token = at.query_params["s"][0] if isinstance(at.query_params["s"], list) else at.query_params["s"]
    assert store.SESSION_RE.match(token)
    changed = _heavier(at.session_state["scenario"])
    at.session_state["scenario"] = changed
    run(at)
    lib = store.Library(str(lib_path))
    assert lib.restore(token).criteria == changed.criteria  # autosaved
    again = new_app_with_token(token)  # a browser refresh: a new session, same URL
    assert again.session_state["scenario"].criteria == changed.criteria
    assert any("Restored your working scenario" in i.value for i in again.info)
    fresh = new_app()  # a new tab without the token starts from the default
    assert fresh.session_state["scenario"].criteria != changed.criteria


def new_app_with_token(token: str):
    from streamlit.testing.v1 import AppTest

    from tests.support import APP

    at = AppTest.from_file(str(APP), default_timeout=120)
    at.query_params["s"] = token
    return run(at)


def test_save_version_restore_asks_before_replacing_unsaved_work(lib_path):
    at = goto(new_app(), PAGE)
    original = at.session_state["scenario"]
    at.text_input(key="lib_name").set_value("Plan <b>=1+1</b>")
    at.text_input(key="lib_note").set_value("baseline")
    click(at, "lib_save")
    lib = store.Library(str(lib_path))
    (v,) = lib.versions("Plan <b>=1+1</b>")
    assert (v.number, v.note) == (1, "baseline")
    at.session_state["scenario"] = _heavier(original)  # unsaved work
    run(at)
    click(at, "lib_restore")
    assert at.session_state["scenario"].criteria != original.criteria  # not replaced yet: asked first
    assert any("replaces the scenario you are working on" in w.value for w in at.warning)
    click(at, "confirm_load_library")
    assert at.session_state["scenario"].criteria == original.criteria
    click(at, "lib_restore")  # nothing unsaved now: restores without asking
    assert not any("replaces the scenario" in w.value for w in at.warning)


def test_compare_shows_who_entered_and_left(lib_path):
    from fulcrum.pipeline import rank_scenario

    at = goto(new_app(), PAGE)
    base = at.session_state["scenario"]
    click(at, "lib_save")
    at.session_state["scenario"] = _heavier(base)
    run(at)
    assert not [e.value for e in at.error]  # the page's boundary caught nothing
    summary = " ".join(m.value for m in at.markdown if "shortlist:**" in m.value)
    sa_, sb_ = set(rank_scenario(base).shortlist.index), set(rank_scenario(_heavier(base)).shortlist.index)
    for a in sb_ - sa_:
        assert a in summary.split("**Left")[0]
    for a in sa_ - sb_:
        assert a in summary.split("**Left")[1]
    assert {"dl_compare_md", "dl_compare_csv", "dl_compare_xlsx"} <= {d.key for d in at.get("download_button")}
    # the outcome change per type (issue 13 item 4): a line in the summary and a table
    line = next(m.value for m in at.markdown if m.value.startswith("**Outcomes (B − A"))
    assert "rural poverty" in line and "beneficiary" in line
    assert any("Outcomes in physical units" in m.value for m in at.markdown)
    shown = [d.value for d in at.dataframe if "source of the unit cost" in d.value.columns]
    assert shown and "rural_poverty" in set(shown[0]["project type"])


def test_unusable_library_is_a_notice_and_the_app_works(tmp_path, monkeypatch):
    monkeypatch.setenv(store.ENV, str(tmp_path))  # a folder
    at = new_app()
    assert any("library is not available" in w.value for w in at.warning)
    at = goto(at, PAGE)
    assert any("library is not available" in w.value for w in at.warning)
    goto(at, "Ranking")  # the other pages work


def test_tampered_autosave_row_is_a_notice_not_a_crash(lib_path):
    at = new_app()
    token = at.session_state["_library_token"]
    at.session_state["scenario"] = _heavier(at.session_state["scenario"])
    run(at)
    eng = sa.create_engine(store.library_url(str(lib_path)))
    with eng.begin() as c:
        c.execute(sa.text("UPDATE autosave SET body = :b"), {"b": '{"criteria": [{"id": "gdp", "weight": -1}]}'})
    eng.dispose()
    again = new_app_with_token(token)
    assert any("could not be restored" in w.value for w in again.warning)
    assert again.session_state["scenario"].criteria[0].weight != -1
