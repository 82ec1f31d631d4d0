"""The scenario library in the app: autosave and restore of the working scenario, unsaved-work tracking.

``sync`` is the one call app.py makes on every run (after the scenario is ensured, before the page is
drawn). The session is identified across a browser refresh by a random token in the URL (``?s=...``,
no cookie): on the session's first run the working scenario autosaved under that token is restored;
on every run a changed scenario is autosaved. If the library cannot be opened (a folder, a corrupt
file, an unreachable server) the planner gets one notice and the app works on without it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, MutableMapping

import streamlit as st

from fulcrum import store
from fulcrum.scenario import Scenario
from mcda.errors import InputError
from ui import state

PARAM = "s"  # the URL's query parameter holding the session token
TOKEN = "_library_token"
AUTOSAVED = "_library_autosaved"  # scenario JSON last autosaved by this session
BASELINE = "_library_baseline"  # scenario JSON last saved as a version or loaded (else: unsaved work)
OFF = "_library_off"  # why the library is unavailable (one line), once known
PENDING = "_library_pending"  # (what, load) a load waiting for the planner to confirm replacing unsaved work


def library(ss: MutableMapping | None = None) -> store.Library | None:
    """The library (opened once per process), or None with the reason kept in the session."""
    ss = st.session_state if ss is None else ss
    try:
        return store.open_library()
    except InputError as e:
        if OFF not in ss:
            ss[OFF] = str(e)
            state.notify(
                "warning",
                f"The scenario library is not available, so your work is not autosaved — {e} "
                "Everything else works: save your scenario as a JSON file on the Scenarios & export page.",
                ss,
            )
        return None


def token(ss: MutableMapping | None = None) -> str:
    ss = st.session_state if ss is None else ss
    return str(ss.get(TOKEN, ""))


def mark_saved(sc: Scenario | None = None, ss: MutableMapping | None = None) -> None:
    """The scenario as it is now is saved (a version) or was just loaded: no unsaved work."""
    ss = st.session_state if ss is None else ss
    ss[BASELINE] = state.scenario_json(sc if sc is not None else state.ensure(ss))


def unsaved(ss: MutableMapping | None = None) -> bool:
    """Has the working scenario changed since it was last saved as a version or loaded?"""
    ss = st.session_state if ss is None else ss
    return ss.get(BASELINE) != state.scenario_json(state.ensure(ss))


def _restore(tok: str, ss: MutableMapping) -> Scenario | None:
    lib = library(ss)
    if lib is None:
        return None
    from ui import upload

    try:
        sc = lib.restore(tok, base_dir=upload.UPLOAD_DIR)
    except InputError as e:
        state.notify("warning", f"Your autosaved work could not be restored — {e}", ss)
        return None
    if sc is not None:
        state.set_scenario(sc, ss)
        state.notify("info", f"Restored your working scenario '{sc.name}' (autosaved).", ss)
    return sc


def sync(sc: Scenario) -> Scenario:
    """Restore the autosaved scenario on a session's first run; autosave a changed one. Returns the scenario."""
    ss = st.session_state
    qp = st.query_params.get(PARAM)
    if TOKEN not in ss:  # the session's first run: a new tab, or a refresh of one that has a token
        known = isinstance(qp, str) and store.SESSION_RE.match(qp) is not None
        ss[TOKEN] = qp if known else uuid.uuid4().hex
        restored = _restore(ss[TOKEN], ss) if known else None
        if restored is not None:
            sc = restored
            ss[AUTOSAVED] = state.scenario_json(sc)
            ss[BASELINE] = ""  # whether it was saved as a version is not known: treat it as unsaved
        else:
            mark_saved(sc, ss)
    if qp != ss[TOKEN]:
        st.query_params[PARAM] = ss[TOKEN]
    text = state.scenario_json(sc)
    if ss.get(AUTOSAVED) != text and OFF not in ss:
        lib = library(ss)
        if lib is not None:
            try:
                lib.autosave(ss[TOKEN], sc)
                ss[AUTOSAVED] = text
            except InputError as e:
                ss[OFF] = str(e)
                state.notify("warning", f"Autosave stopped — {e} Save your scenario as a file meanwhile.", ss)
    return sc


def load_guarded(what: str, load: Callable[[], bool | None]) -> None:
    """Load a scenario (``load`` makes it current and says so) unless that would replace unsaved work:
    then ask first (``confirm_prompt`` shows the question where the planner is)."""
    ss = st.session_state
    if unsaved(ss):
        ss[PENDING] = (what, load)
        return
    _load(load)


def adopt(read: Callable[[], Scenario], failed: Callable[[InputError], str], done: Callable[[Scenario], str]) -> bool:
    """Read a scenario and rank it (one the app cannot rank is refused here, the current one kept), then make
    it current; ``failed(error)`` / ``done(scenario)`` word the notice. False when it was refused."""
    from ui import compute

    try:
        sc = read()
        compute.rank_sc(sc)
    except InputError as e:
        state.notify("error", failed(e))
        return False
    state.set_scenario(sc)
    state.notify("success", done(sc))
    return True


def _load(load: Callable[[], bool | None]) -> None:
    if load() is not False:
        mark_saved()


def _confirm() -> None:
    what_load = st.session_state.pop(PENDING, None)
    if what_load is not None:
        _load(what_load[1])


def _cancel() -> None:
    st.session_state.pop(PENDING, None)
    state.notify("info", "Nothing loaded: you keep working on your scenario.")


def confirm_prompt(key: str) -> None:
    """If a load waits for confirmation: the warning and the two buttons (Replace / Keep my work)."""
    pending = st.session_state.get(PENDING)
    if pending is None:
        return
    from ui.text import esc

    with st.container(border=True, key=f"confirm_{key}"):
        st.warning(
            f"Loading {esc(pending[0], inline=True)} replaces the scenario you are working on, which has "
            "changes not saved as a version. Save a version first (Library & compare page), or replace it."
        )
        a, b = st.columns(2)
        a.button("Replace my unsaved work", key=f"confirm_load_{key}", on_click=state.callback(_confirm))
        b.button("Keep my work", key=f"cancel_load_{key}", on_click=state.callback(_cancel), type="primary")
