"""The app's state: one validated Scenario in st.session_state (plus UI-only keys).

The scenario is the single source of truth; widgets mirror it. A widget that edits the scenario
gets its key from ``widget(name, value)`` (keys start with ``w:``) and its callback from
``callback(fn, key)``; the callback copies the widget's value into the scenario.

What is shown is what is used. The browser sends the value each widget *shows*, and during rapid
reruns (a held arrow key, a click while a run is still going) that can be a value from before the
scenario last changed: a group slider still at its old total, a weight slider from before a group
rescale, any widget from before a scenario was loaded. Streamlit sees such a stale value as a
change and would run its callback, undoing or rescaling what the planner did. So:

* ``widget`` compares the widget's state with the scenario's value on every run; when they differ
  (the scenario was changed by another widget, a load, a rejected edit) the widget gets a fresh
  key, i.e. a new widget drawn with the scenario's value. A value sent later by the old one belongs
  to a widget that no longer exists, and ``callback`` ignores it. The widget being moved keeps its
  key (its value is the scenario's), so a held key keeps working.
* ``reset_widgets`` (a new scenario as a whole: load, upload, copy of objective weights) starts a
  new generation: every widget gets a fresh key and callbacks of the old generation are ignored —
  including one that fires in the same rerun after the callback that replaced the scenario (that
  is what raised ``st.session_state has no key "w:candidates"`` after an upload).
* ``callback`` refuses a rerun in which several scenario widgets arrive changed at once
  (``moved_at_once`` >= ``MASS_RESET``): a planner moves one widget per rerun, while a browser that
  reset its widgets (a page link clicked while the page was still running, on a slow link) sends
  every widget's empty default — no candidates, every criterion off. Every widget is redrawn from
  the scenario, which is kept, and a notice says so.
* A widget's value put into session state reaches the browser with that widget's element. When the
  run stops right there (a newer rerun request stops a run as its next element is sent: a held key
  on a slow link), Streamlit keeps the value under the element's id only, and the next run draws
  the widget without it: the browser shows the widget's own default (a slider at 0.00 while the
  scenario says 3) and would send that back with the next change. So ``widget`` says the value
  again, run after run, until a run that drew the widget has finished (``begin_run`` /
  ``end_run``: app.py and every page fragment call them).
* ``callback`` also catches an unexpected exception: the scenario is kept and a notice says what
  went wrong, instead of Streamlit replacing the page with a traceback.

A change that the libraries reject (InputError) leaves the previous scenario in place and stores
the message in ``st.session_state["notice"]``.
"""

from __future__ import annotations

import copy
import json
import logging
import math
from collections.abc import Callable, MutableMapping
from pathlib import Path
from typing import Any

import streamlit as st

from fulcrum.scenario import Scenario, load_scenario, parse_scenario, scenario_to_json
from mcda.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SCENARIO = ROOT / "scenarios" / "default.json"

SCENARIO = "scenario"
NOTICE = "notice"  # (kind, text) shown at the top of the next run
WIDGET_PREFIX = "w:"
KEYS = "_widget_keys"  # widget name -> (generation, key of the widget now drawn for it)
SERIAL = "_widget_serial"  # counter that makes fresh keys unique
GEN = "_widget_gen"  # generation: bumped when the scenario is replaced as a whole
DRAWN = "_widget_drawn"  # widget key -> the value it was last drawn with
UNSENT = "_widget_unsent"  # widget keys whose value the browser may not have received yet (see widget)
THIS_RUN = "_widget_this_run"  # keys this run said a value for: sent once the run finishes (end_run)
#: this many scenario widgets changed in one rerun is a browser reset, not the planner (moved_at_once)
MASS_RESET = 3

log = logging.getLogger("fulcrum.app")


def default_scenario() -> Scenario:
    """scenarios/default.json when present, else every default_on criterion with weight 1."""
    if DEFAULT_SCENARIO.exists():
        return load_scenario(DEFAULT_SCENARIO)
    from mcda.data import load_criteria

    crit = load_criteria()
    on = crit[crit["default_on"].astype(bool)] if "default_on" in crit.columns else crit
    doc = {
        "name": "Default (all default criteria, equal weights)",
        "criteria": [{"id": str(i), "weight": 1.0} for i in on.index],
    }
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


SOLVED = "solved_for"  # result_json of the scenario whose allocation the planner solved
# fields that change no result: renaming a scenario or editing its description or the allocation's
# note must not throw a solved allocation (or any other result) away
NOT_RESULT_FIELDS = ("name", "description")


def result_only(text: str) -> str:
    """Scenario JSON text without the fields that change no result (canonical JSON)."""
    doc = json.loads(text)
    for f in NOT_RESULT_FIELDS:
        doc.pop(f, None)
    if isinstance(doc.get("allocation"), dict):
        doc["allocation"].pop("note", None)
    return json.dumps(doc, sort_keys=True, ensure_ascii=False)


def result_json(sc: Scenario | None = None) -> str:
    """The scenario's inputs that determine its results: everything but ``NOT_RESULT_FIELDS`` and
    the allocation's free-text ``note``."""
    return result_only(scenario_json(sc))


def mark_solved(sc: Scenario | None = None, state: MutableMapping | None = None) -> None:
    state = st.session_state if state is None else state
    state[SOLVED] = result_json(sc if sc is not None else ensure(state))


def is_solved(sc: Scenario | None = None, state: MutableMapping | None = None) -> bool:
    """Was the allocation solved for these inputs (whatever the scenario is called now)?"""
    state = st.session_state if state is None else state
    return state.get(SOLVED) is not None and state.get(SOLVED) == result_json(sc if sc is not None else ensure(state))


def notify(kind: str, text: str, state: MutableMapping | None = None) -> None:
    state = st.session_state if state is None else state
    state[NOTICE] = list(state.get(NOTICE) or []) + [(kind, text)]


def take_notices(state: MutableMapping | None = None) -> list[tuple[str, str]]:
    state = st.session_state if state is None else state
    out = state.get(NOTICE, [])
    state[NOTICE] = []
    return out


def reset_widgets(state: MutableMapping | None = None) -> None:
    """Every scenario widget is drawn afresh from the (new) scenario; pending callbacks are dropped."""
    state = st.session_state if state is None else state
    state[GEN] = state.get(GEN, 0) + 1


def set_scenario(sc: Scenario, state: MutableMapping | None = None, *, reset: bool = True) -> None:
    state = st.session_state if state is None else state
    state[SCENARIO] = sc
    if reset:
        reset_widgets(state)


FOCUS = "track_focus"  # the track the Data, Weights and Ranking pages show and edit (a tracks scenario)


def focus(sc: Scenario | None = None, state: MutableMapping | None = None) -> int | None:
    """Index of the track being edited (None for a scenario without tracks)."""
    state = st.session_state if state is None else state
    sc = sc if sc is not None else ensure(state)
    if not sc.tracks:
        return None
    i = state.get(FOCUS, 0)
    return i if isinstance(i, int) and 0 <= i < len(sc.tracks) else 0


def view(state: MutableMapping | None = None) -> Scenario:
    """What the ranking pages show and edit: the focused track as a scenario, or the scenario itself."""
    sc = ensure(state)
    i = focus(sc, state)
    return sc if i is None else sc.track_scenario(i)


def candidate(edit: Callable[[dict], Any], sc: Scenario | None = None, state: MutableMapping | None = None) -> Scenario:
    """A new validated Scenario = ``edit`` applied to a JSON copy of the current one (raises InputError).

    For a tracks scenario the edit sees the focused track as a scenario document (its criteria, weights,
    method and shortlist, and the shared data) and its changes go back into that track."""
    sc = sc if sc is not None else get()
    doc = copy.deepcopy(sc.model_dump(mode="json"))
    i = focus(sc, state) if sc.tracks else None
    if i is None:
        edit(doc)
    else:
        sub = copy.deepcopy(sc.track_scenario(i).model_dump(mode="json"))
        edit(sub)
        from fulcrum.scenario import TRACK_SECTIONS

        doc["data"] = sub["data"]
        doc["tracks"][i] = {"name": doc["tracks"][i]["name"], **{f: sub[f] for f in TRACK_SECTIONS}}
    return parse_scenario(doc, source="scenario", base_dir=sc.base_dir)


def apply(
    edit: Callable[[dict], Any],
    *,
    check: Callable[[Scenario], Any] | None = None,
    revert: Callable[[], Any] | None = None,
    state: MutableMapping | None = None,
) -> bool:
    """Apply an edit; keep the old scenario and show the library's message if it is rejected.

    ``check`` (e.g. run the ranking) is called on the candidate; an InputError from it rejects the
    edit too. ``revert`` puts the widget that made the change back to the old value.
    """
    state = st.session_state if state is None else state
    old = ensure(state)
    try:
        new = candidate(edit, old, state)
        if check is not None:
            check(new)
    except InputError as e:
        notify("error", f"Change not applied — {e}", state)
        if revert is not None:
            revert()
        return False
    state[SCENARIO] = new
    return True


def _fresh_key(name: str, state: MutableMapping) -> str:
    n = state.get(SERIAL, 0) + 1
    state[SERIAL] = n
    return f"{WIDGET_PREFIX}{name}#{n}"


def key_of(name: str, state: MutableMapping | None = None) -> str:
    """Key of the widget currently drawn for ``name`` (``w:<name>`` until it had to be redrawn)."""
    state = st.session_state if state is None else state
    gen = state.get(GEN, 0)
    keys = state.get(KEYS)
    if keys is None:
        keys = state[KEYS] = {}
    entry = keys.get(name)
    if entry is None or entry[0] != gen:
        # a name never drawn in this session has no stale value in the browser: its plain key will do
        entry = keys[name] = (gen, WIDGET_PREFIX + name if entry is None else _fresh_key(name, state))
    return entry[1]


def drawn_key(name: str, state: MutableMapping | None = None) -> str:
    """Key under which the widget for ``name`` was last drawn (read-only; for tests and tools)."""
    state = st.session_state if state is None else state
    entry = (state.get(KEYS) or {}).get(name)
    return entry[1] if entry is not None else WIDGET_PREFIX + name


def name_of(key: str, state: MutableMapping | None = None) -> str | None:
    """The widget name whose current key is ``key`` (None for a key not made by ``widget``)."""
    state = st.session_state if state is None else state
    for name, (_, k) in (state.get(KEYS) or {}).items():
        if k == key:
            return name
    return None


def value(name: str, default: Any = None, state: MutableMapping | None = None) -> Any:
    """The value of the widget drawn for ``name`` (what the planner sees)."""
    state = st.session_state if state is None else state
    return state.get(key_of(name, state), default)


def set_value(name: str, v: Any, state: MutableMapping | None = None) -> None:
    """Put a widget back to ``v`` (from a callback, e.g. after a rejected edit)."""
    state = st.session_state if state is None else state
    state[key_of(name, state)] = v


def same(a: Any, b: Any) -> bool:
    """Equal as the planner sees them (floats to 1e-6, sequences element by element)."""
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if (
        isinstance(a, (int, float))
        and isinstance(b, (int, float))
        and not isinstance(a, bool)
        and not isinstance(b, bool)
    ):
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-6)
    return a == b


def widget(name: str, value: Any, *, follow: bool = True) -> str:
    """Key of the widget that shows ``value``, a value the scenario holds.

    With ``follow`` (the default) the widget always shows the scenario's value: if its state
    differs, it is redrawn under a fresh key (see the module docstring). ``follow=False`` is for a
    value the scenario does not hold at the moment (e.g. the share of a cap that is switched off):
    ``value`` is then only the initial value and the planner's setting is kept.
    """
    ss = st.session_state
    key = key_of(name, ss)
    if key in ss and follow and not same(ss[key], value):
        key = _fresh_key(name, ss)
        ss[KEYS][name] = (ss.get(GEN, 0), key)
    unsent = ss.get(UNSENT)
    if unsent is None:
        unsent = ss[UNSENT] = {}
    if key not in ss:
        ss[key] = value
        unsent[key] = True
    elif key in unsent:
        ss[key] = ss[key]  # say it again: the run that set it may have stopped before the browser got it
    if key in unsent:
        ss.setdefault(THIS_RUN, []).append(key)
    drawn = ss.get(DRAWN)
    if drawn is None:
        drawn = ss[DRAWN] = {}
    drawn[key] = copy.deepcopy(ss[key])  # what the planner sees now (see moved_at_once)
    if len(drawn) > 2 * len(ss[KEYS]) + 16:  # keys of redrawn widgets and old generations: bounded
        live = {k for _, k in ss[KEYS].values()}
        ss[DRAWN] = {k: v for k, v in drawn.items() if k in live}
    return key


def begin_run(state: MutableMapping | None = None) -> None:
    """A script run starts (app.py), or a fragment's own run (not a fragment drawn inside a full run)."""
    state = st.session_state if state is None else state
    state[THIS_RUN] = []


def end_run(state: MutableMapping | None = None) -> None:
    """The run got to its end: every widget it drew was sent, values included (see ``widget``)."""
    state = st.session_state if state is None else state
    unsent = state.get(UNSENT) or {}
    for key in state.get(THIS_RUN) or ():
        unsent.pop(key, None)
    state[THIS_RUN] = []


def in_fragment_run() -> bool:
    """Is this a rerun of fragments only (not a full run that draws them)?"""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return bool(ctx is not None and getattr(ctx, "fragment_ids_this_run", None))


def moved_at_once(state: MutableMapping | None = None) -> int:
    """How many scenario widgets arrive with a value other than the one they were last drawn with.

    A planner's click or key press moves one widget per rerun. Many at once is the browser
    resetting its widgets (a page link clicked while the page was still running on a slow link sends
    every widget's empty default: no candidates, every criterion off) — not a decision.
    """
    state = st.session_state if state is None else state
    gen = state.get(GEN, 0)
    current = {k for g, k in (state.get(KEYS) or {}).values() if g == gen}
    drawn = state.get(DRAWN) or {}
    return sum(1 for k in current if k in drawn and k in state and not same(state[k], drawn[k]))


_CONTROL: tuple[type[BaseException], ...] = ()


def _control_flow() -> tuple[type[BaseException], ...]:
    """Streamlit's st.stop / st.rerun exceptions (BaseException subclasses): they pass untouched."""
    global _CONTROL
    if not _CONTROL:
        try:
            from streamlit.runtime.scriptrunner_utils.exceptions import ScriptControlException

            _CONTROL = (ScriptControlException,)
        except ImportError:  # pragma: no cover - other Streamlit layouts
            _CONTROL = (KeyboardInterrupt,)
    return _CONTROL


def one_line(e: BaseException) -> str:
    text = " ".join(str(e).split()) or type(e).__name__
    return text if len(text) <= 300 else text[:297] + "..."


def callback(fn: Callable[..., Any], key: str | None = None) -> Callable[..., Any]:
    """``fn`` as a widget callback that runs only for the widget drawn now, in this generation.

    Pass the widget's ``key`` (from ``widget``); buttons and widgets with their own fixed keys pass
    none and are checked for the generation only. An unexpected exception in ``fn`` leaves the
    scenario as it was and becomes a notice (st.stop / st.rerun pass through).
    """
    gen = st.session_state.get(GEN, 0)
    name = name_of(key) if key is not None else None

    def run(*args: Any, **kwargs: Any) -> Any:
        ss = st.session_state
        if ss.get(GEN, 0) != gen:
            return None  # the scenario was replaced since this widget was drawn
        if name is not None and key_of(name, ss) != key:
            return None  # a value sent by a widget that has since been redrawn
        moved = moved_at_once(ss)
        if moved >= MASS_RESET:
            reset_widgets(ss)  # every widget redrawn from the scenario; this rerun's other callbacks dropped
            notify(
                "warning",
                f"{moved} settings changed at once, which is what the browser sends when it resets the page "
                "in the middle of a run; nothing was changed. If you did make a change, make it again.",
                ss,
            )
            return None
        try:
            return fn(*args, **kwargs)
        except _control_flow():
            raise
        except Exception as e:  # the boundary: the planner keeps a working app
            log.exception("callback %s failed", getattr(fn, "__name__", fn))
            notify(
                "error",
                f"Something went wrong while applying that change: {one_line(e)}; your scenario is "
                f"kept as it was. Details: {type(e).__name__} in {getattr(fn, '__name__', 'a callback')}.",
                ss,
            )
            return None

    run.__name__ = getattr(fn, "__name__", "callback")
    return run
