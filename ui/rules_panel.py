"""The allocation page's view of the planner's programme rules (issue 11 items 3-6): the rules in
words, each country's debt tier with its reason, matched money apart from the budget, and the
allocation's outcomes in physical units with the source of each unit cost (shown unless the planner set
``report_outcomes`` false: a
type without a sourced unit cost says so). Renders only; the tables come from optimisation."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from optimisation.outcomes import outcome_summary
from optimisation.rules import reports_outcomes, rules_on, rules_tables, rules_words
from ui.text import esc


def set_up(spec) -> list[str]:
    """The rules of the scenario file that are on, for the constraints caption ([] when none)."""
    out = []
    if spec.zones is not None:
        out.append("demonstration zones")
    if spec.debt_rule is not None:
        out.append(f"a debt rule ({len(spec.debt_rule.tiers)} tier(s))")
    if spec.objective == "outcomes":
        out.append("objective: weighted outcomes")
    if spec.cofinancing:
        out.append(f"co-financing on {len(spec.cofinancing)} type(s)")
    return out


def show(res) -> None:
    """Draw the rules (when any is on) and the outcomes of a solved allocation."""
    spec = res.spec
    box = st.container(key="alloc_rules")
    if rules_on(spec):
        with box:
            st.markdown("**Planner's rules**")
            if spec.objective == "outcomes":
                st.caption("Objective: weighted outcomes; the 'benefit' figures above are in those units.")
            for w in rules_words(res):
                st.markdown(f"- {esc(w, inline=True)}")
            tables = rules_tables(res)
            if "debt_rule" in tables:
                st.markdown("**Debt rule: each country's tier, cap and reason**")
                st.dataframe(tables["debt_rule"], hide_index=True, key="alloc_rules_debt")
            if "cofinancing" in tables:
                st.markdown("**Co-financing (partners' money, not in the planner's budget; US$ millions)**")
                st.dataframe(tables["cofinancing"], hide_index=True, key="alloc_rules_cofinancing")
    if res.parameters is None or not reports_outcomes(spec):
        return
    with st.expander("Outcomes in physical units"):
        out = outcome_summary(res.allocation, res.parameters)["by_type"]
        df = pd.DataFrame([{"project_type": p, **v} for p, v in out.items()])
        st.dataframe(df, hide_index=True, key="alloc_outcomes")
        st.caption(
            "Low and high ends of the sourced unit costs (datasets/project_types.csv); a type without a "
            "sourced unit cost has no outcome figure and says why."
        )
