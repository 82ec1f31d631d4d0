"""The app's state: one validated Scenario in st.session_state (plus UI-only keys).

Widgets that edit the scenario use keys starting with ``w:``; their values are copied into
the scenario by on_change callbacks. Loading a scenario deletes every ``w:`` key so the widgets
re-initialise from the new scenario. A change that the libraries reject (InputError) leaves the
previous scenario in place and stores the message in ``st.session_state["notice"]``.
"""
from __future__ import annotations

import copy
from pathlib import Path
from typing import Any, Callable, MutableMapping

import streamlit as st

from mcda.errors import InputError
from fulcrum.scenario import Scenario, load_scenario, parse_scenario, scenario_to_json

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SCENARIO = ROOT / "scenarios" / "default.json"

SCENARIO = "scenario"
NOTICE = "notice"          # (kind, text) shown at the top of the next run
WIDGET_PREFIX = "w:"


def default_scenario() -> Scenario:
    """scenarios/default.json when present, else every default_on criterion with weight 1."""
    if DEFAULT_SCENARIO.exists():
        return load_scenario(DEFAULT_SCENARIO)
    from mcda.data import load_criteria

    crit = load_criteria()
    on = crit[crit["default_on"].astype(bool)] if "default_on" in crit.columns else crit
    doc = {"name": "Default (all default criteria, equal weights)",
           "criteria": [{"id": str(i), "weight": 1.0} for i in on.index]}
    return parse_scenario(doc, source="built-in default")


def ensure(state: MutableMapping | None = None) -> Scenario:
    state = st.session_state if state is None else state
    if SCENARIO not in state:
        state[SCENARIO] = default_scenario()
    return state[SCENARIO]


def get(state: MutableMapping | None = None) -> Scenario:
    return ensure(state)


def scenario_json(sc: Scenario | None = None) -> str:
    return scenario_to_json(sc if sc is not None else get())


def base_dir(sc: Scenario | None = None) -> str:
    """The folder the scenario's data file is read from, as text ('' = none: shipped data only)."""
    b = (sc if sc is not None else get()).base_dir
    return str(b) if b is not None else ""


def notify(kind: str, text: str, state: MutableMapping | None = None) -> None:
    state = st.session_state if state is None else state
    state.setdefault(NOTICE, [])
    state[NOTICE] = state[NOTICE] + [(kind, text)]


def take_notices(state: MutableMapping | None = None) -> list[tuple[str, str]]:
    state = st.session_state if state is None else state
    out = state.get(NOTICE, [])
    state[NOTICE] = []
    return out


def reset_widgets(state: MutableMapping | None = None) -> None:
    state = st.session_state if state is None else state
    for k in [k for k in list(state.keys()) if str(k).startswith(WIDGET_PREFIX)]:
        del state[k]


def set_scenario(sc: Scenario, state: MutableMapping | None = None, *, reset: bool = True) -> None:
    state = st.session_state if state is None else state
    state[SCENARIO] = sc
    if reset:
        reset_widgets(state)


def candidate(edit: Callable[[dict], Any], sc: Scenario | None = None) -> Scenario:
    """A new validated Scenario = ``edit`` applied to a JSON copy of the current one (raises InputError)."""
    sc = sc if sc is not None else get()
    doc = copy.deepcopy(sc.model_dump(mode="json"))
    edit(doc)
    return parse_scenario(doc, source="scenario", base_dir=sc.base_dir)


def apply(edit: Callable[[dict], Any], *, check: Callable[[Scenario], Any] | None = None,
          revert: Callable[[], Any] | None = None, state: MutableMapping | None = None) -> bool:
    """Apply an edit; keep the old scenario and show the library's message if it is rejected.

    ``check`` (e.g. run the ranking) is called on the candidate; an InputError from it rejects the
    edit too. ``revert`` puts the widget that made the change back to the old value.
    """
    state = st.session_state if state is None else state
    old = ensure(state)
    try:
        new = candidate(edit, old)
        if check is not None:
            check(new)
    except InputError as e:
        notify("error", f"Change not applied — {e}", state)
        if revert is not None:
            revert()
        return False
    state[SCENARIO] = new
    return True


def widget(name: str, default: Any) -> str:
    """Key of a scenario-mirroring widget, initialised from ``default`` when not in session state."""
    key = WIDGET_PREFIX + name
    if key not in st.session_state:
        st.session_state[key] = default
    return key
