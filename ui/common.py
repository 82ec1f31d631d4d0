"""Small helpers shared by the pages: the current ranking outcome, labels, notices, the error boundary."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from mcda.errors import InputError
from ui import compute, state
from ui.text import esc, named

ROOT = Path(__file__).resolve().parent.parent


def outcome():
    """The library's RankingOutcome for the current scenario, or None (message shown)."""
    sc = state.get()
    try:
        return compute.rank_sc(sc)
    except InputError as e:
        st.error(f"The current scenario cannot be ranked: {esc(named(str(e), display_names()))}")
        return None


def view_outcome():
    """The outcome the ranking pages show: the focused track's (a tracks scenario) or the scenario's."""
    out = outcome()
    i = state.focus()
    return out if out is None or i is None else out.tracks[i]


def check_rank(sc) -> None:
    """Used as ``state.apply(check=...)``: an edit the ranking rejects is not applied."""
    compute.rank_sc(sc)


def show_notices() -> None:
    """Notices stored by callbacks; their text quotes names and files, so it is shown as text, and the
    criterion and country ids in it are named as the pages name them."""
    notices = state.take_notices()
    shown = display_names() if notices else {}
    for kind, text in notices:
        getattr(st, kind if kind in ("error", "warning", "info", "success") else "info")(esc(named(text, shown)))


def display_names() -> dict[str, str]:
    """id -> the name the pages show, for the current scenario's data: criterion labels (shipped data) and
    country names. Empty when the data cannot be read (the message itself says why)."""
    sc = state.get()
    try:
        full, meta = compute.dataset(state.scenario_json(sc), state.base_dir(sc))
    except InputError:
        return {}
    out: dict[str, str] = {}
    for col in ("country", "name"):
        if col in full.columns:
            out.update({str(k): str(v) for k, v in full[col].items() if isinstance(v, str) and v.strip()})
            break
    if meta is not None and "label" in meta.columns:
        out.update({str(k): str(v) for k, v in meta["label"].items() if isinstance(v, str) and v.strip()})
    return out


def _where(e: BaseException) -> str:
    """'file, line N (function)' of the innermost frame in this project's code (no traceback shown)."""
    frames = [f for f in traceback.extract_tb(e.__traceback__) if f.filename.startswith(str(ROOT))]
    if not frames:
        return ""
    f = frames[-1]
    return f" in {Path(f.filename).relative_to(ROOT)}, line {f.lineno} ({f.name})"


def boundary(fn: Callable[..., Any], *args: Any, what: str = "this page") -> Any:
    """Run ``fn`` (a page, the sidebar); an unexpected exception becomes one readable message.

    The rest of the app keeps working and the scenario is untouched (pages only read it; edits go
    through callbacks, which have their own boundary in ``state.callback``). st.stop and st.rerun
    are BaseExceptions and pass through untouched.
    """
    try:
        return fn(*args)
    except Exception as e:  # noqa: BLE001 - the boundary itself
        state.log.exception("%s failed", what)
        st.error(
            f"Something went wrong on {what}: {esc(state.one_line(e))}; your scenario is kept. "
            f"Details: {esc(type(e).__name__ + _where(e))}. The other pages work as usual."
        )
        return None


def labels(out) -> dict[str, str]:
    crit = out.criteria
    if "label" in crit.columns:
        return {str(k): (v if isinstance(v, str) and v else str(k)) for k, v in crit["label"].items()}
    return {str(k): str(k) for k in crit.index}


def all_labels() -> dict[str, str]:
    try:
        meta = compute.criteria_meta()
    except Exception:  # noqa: BLE001 - metadata is optional for user datasets
        return {}
    return {
        str(k): (v if isinstance(v, str) and v else str(k)) for k, v in meta.get("label", pd.Series(dtype=str)).items()
    }


def names(out) -> pd.Series | None:
    c = out.countries
    for col in ("country", "name"):
        if col in c.columns:
            return c[col].astype(str)
    return None


def fmt_id(out):
    n = names(out)
    if n is None:
        return lambda a: str(a)
    return lambda a: f"{n.get(a, a)} ({a})"


# ------------------------------------------------------------------ methods, as the planner reads them
METHOD_NAMES = {
    "topsis": "TOPSIS",
    "vikor": "VIKOR",
    "promethee2": "PROMETHEE II",
    "wsm": "WSM",
    "wpm": "WPM",
    "copras": "COPRAS",
    "edas": "EDAS",
    "mabac": "MABAC",
    "spotis": "SPOTIS",
    "ahp": "AHP",
    "electre3": "ELECTRE III",
}
OPTION_VALUES = {"minmax": "min-max"}


def method_in_force(out):
    """The ranking method object with the scenario's options, exactly as the ranking was made."""
    from fulcrum.pipeline import scenario_method

    return scenario_method(out)


def method_title(m) -> str:
    """'TOPSIS (min-max)', 'VIKOR (v = 0.5)', 'PROMETHEE II (preference = usual)': name and every option in force."""
    base = METHOD_NAMES.get(getattr(m, "name", ""), str(getattr(m, "name", m)).upper())
    parts = []
    for k, v in m.options().items():
        if k == "normalization":
            parts.append(OPTION_VALUES.get(v, str(v)))
        else:
            parts.append(f"{k} = {v:g}" if isinstance(v, (int, float)) and not isinstance(v, bool) else f"{k} = {v}")
    return f"{base} ({', '.join(parts)})" if parts else base
