"""Tables and the glossary as the planner reads them: friendly headers with help, values in their units.

Every page shows a table through :func:`dataframe`: the data keeps its machine column names and
raw numbers (sorting, selections and tests see them), and a pandas Styler supplies what is shown —
money with thousands separators, shares as %, solver round-off as 0, "–" for a missing value with
the reason in the column's hover help. The wording lives in :mod:`fulcrum.format`, shared with the
reports.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd
import streamlit as st

from fulcrum import format as F
from ui.text import esc

Formatter = Callable[[object], str]
FormatMap = dict[Any, Formatter | str | None]  # what pandas' Styler.format takes

_SHARE = re.compile(r"^(rank_\d+|top_\d+|top_k|cw_.+)$")  # SMAA shares (fractions of the samples)
PERCENT_COLS = ("priority", "weight", "holistic", "confidence", "top_k", "acceptability", "share")


# the one weight format of every page for a weight held in percent (editors, tables): "12.5%"
WEIGHT_PERCENT = st.column_config.NumberColumn(format="%.1f%%")


def _default(col: str, s: pd.Series) -> Formatter | None:
    """The formatter a column gets from its machine name and dtype (None = leave as is)."""
    if col.endswith("_musd") and pd.api.types.is_numeric_dtype(s):
        return lambda v: F.number(v, 2)
    numeric = pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)
    if numeric and (_SHARE.match(col) or col in PERCENT_COLS or col.endswith("_share")):
        return F.pct  # a share held as a fraction; a column already written as text stays as it is
    if pd.api.types.is_bool_dtype(s):
        return lambda v: F.MISSING if F.is_missing(v) else ("yes" if v else "no")
    if pd.api.types.is_integer_dtype(s):
        return lambda v: F.number(v, 0)
    if pd.api.types.is_float_dtype(s):
        return lambda v: F.number(v, 3)
    if s.dtype == object:
        return lambda v: F.MISSING if F.is_missing(v) else str(v)
    return None


def column_config(
    df: pd.DataFrame, labels: Mapping[str, str] | None = None, helps: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Friendly header and hover help per column; a column with missing values says what "–" means."""
    cfg: dict[str, Any] = {}
    for c in df.columns:
        name, hlp = F.header(c, dict(labels or {}))
        name = (labels or {}).get(str(c), name)
        hlp = (helps or {}).get(str(c), hlp)  # plain text: escaped below ("US$" must not start maths)
        if df[c].isna().any():
            hlp = (hlp + " " if hlp else "") + "– = not available (no value in the source for this country)."
        cfg[str(c)] = st.column_config.Column(name, help=esc(hlp) if hlp else None)
    return cfg


def styled(df: pd.DataFrame, formats: Mapping[str, Formatter] | None = None) -> Any:
    """A Styler showing every cell as the planner reads it; the underlying values stay raw."""
    fmts: FormatMap = {}
    for c in df.columns:
        f = (formats or {}).get(str(c)) or _default(str(c), df[c])
        if f is not None:
            fmts[c] = f
    return df.style.format(fmts, na_rep=F.MISSING)


def dataframe(
    df: pd.DataFrame,
    *,
    formats: Mapping[str, Formatter] | None = None,
    labels: Mapping[str, str] | None = None,
    helps: Mapping[str, str] | None = None,
    column_config: Mapping[str, Any] | None = None,
    **kwargs: Any,
) -> Any:
    """``st.dataframe`` with friendly headers, help and formatted cells (explicit column_config wins)."""
    cfg = _column_config(df, labels, helps)
    cfg.update(column_config or {})
    kwargs.setdefault("placeholder", F.MISSING)  # the grid draws a missing cell itself: "–", not "None"
    return st.dataframe(styled(df, formats), column_config=cfg, **kwargs)


_column_config = column_config


def units() -> dict[str, str]:
    """{criterion id: unit} from the criteria metadata (datasets/criteria.csv); {} for user data without it."""
    from ui import compute

    try:
        meta = compute.criteria_meta()
    except Exception:  # noqa: BLE001 - metadata is optional for user datasets
        return {}
    if "unit" not in meta.columns:
        return {}
    return {str(k): str(v) for k, v in meta["unit"].items() if not F.is_missing(v) and str(v)}


def unit_formats(cols: Any, unit_of: Mapping[str, str]) -> FormatMap:
    """{column: formatter} showing each criterion's values in its unit (GDP → 'US$ 683 bn')."""
    return {str(c): _in_unit(unit_of.get(str(c))) for c in cols if not str(c).endswith("_year")}


def _in_unit(unit: str | None) -> Formatter:
    return lambda v: F.value_in_unit(v, unit)


def unit_help(col: str, unit_of: Mapping[str, str], values: pd.Series | None = None) -> str:
    """Hover help of a criterion column: its id, unit, and what "–" means when a value is missing."""
    bits = [f"Criterion id: {col}."]
    if unit_of.get(col):
        bits.append(f"Unit: {unit_of[col]}.")
    if values is not None and values.isna().any():
        bits.append("– = missing: the source has no value for this country (unknown, never zero).")
    return esc(" ".join(bits))


def glossary() -> None:
    """The glossary, reachable from every page (rendered once, in the sidebar)."""
    with st.expander("Glossary"):
        st.caption("\n\n".join(f"**{esc(term)}** — {esc(text)}" for term, text in F.GLOSSARY.items()))
