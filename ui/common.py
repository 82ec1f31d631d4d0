"""Small helpers shared by the pages: the current ranking outcome, labels, notices."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from mcda.errors import InputError
from ui import compute, state


def outcome():
    """The library's RankingOutcome for the current scenario, or None (message shown)."""
    sc = state.get()
    try:
        return compute.rank_sc(sc)
    except InputError as e:
        st.error(f"The current scenario cannot be ranked: {e}")
        return None


def check_rank(sc) -> None:
    """Used as ``state.apply(check=...)``: an edit the ranking rejects is not applied."""
    compute.rank_sc(sc)


def show_notices() -> None:
    for kind, text in state.take_notices():
        getattr(st, kind if kind in ("error", "warning", "info", "success") else "info")(text)


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
    return {str(k): (v if isinstance(v, str) and v else str(k)) for k, v in meta.get("label", pd.Series(dtype=str)).items()}


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
