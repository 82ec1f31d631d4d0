"""The allocation page's programme block (allocation.programme): the year x country chart, the
per-year totals against the ceilings, and the pipeline's projects with why the unselected ones lost.
Renders only; the numbers come from the library's result (optimisation/programme.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from fulcrum.programme import per_year_table
from ui import charts
from ui.text import esc


def show(res: Any, label: Callable[[str], str]) -> None:
    """Render the programme views of a solved allocation (nothing without a programme)."""
    prog = getattr(res, "programme", None)
    if not prog or "disbursements" not in prog:
        return
    disb = prog["disbursements"]
    st.markdown("**Programme: money disbursed by year**")
    if prog.get("illustrative"):
        st.warning("The pipeline of projects is ILLUSTRATIVE: sized from the project types' sizes, not real projects.")
    if len(disb):
        wide = disb.pivot_table(index="country", columns="year", values="musd", aggfunc="sum", fill_value=0.0)
        long = wide.reset_index().melt(id_vars="country", var_name="year", value_name="musd")
        long["country_name"] = long["country"].map(label)
        long["year"] = long["year"].astype(str)
        st.container(key="programme_chart").altair_chart(
            charts.heatmap(long, "year", "country_name", "musd", "Disbursements, US$ millions (year × country)"),
            width="content",
        )
    st.dataframe(per_year_table(res), hide_index=True, key="programme_years")
    projects = prog.get("projects")
    if projects is not None:
        with st.expander(f"Pipeline projects ({int(projects['selected'].sum())} of {len(projects)} selected)"):
            st.dataframe(projects, hide_index=True, key="programme_projects")
    for n in prog.get("notes", []):
        st.caption(esc(n))
