"""The planner's programme rules (issue 11 items 3-6: demonstration zones, the debt rule, outcomes,
co-financing) in the run's reports: the rules in words, then their tables (reasons of every cap and
exclusion, outcomes with the source of each unit cost, matched money apart from the budget). Render
only: the tables come from :func:`optimisation.rules.rules_tables`. Nothing is added when a scenario
uses none of the rules but the outcome report (on by default): then only the outcomes table."""

from __future__ import annotations

from collections.abc import Callable

from fulcrum.markdown import md_table, md_text
from optimisation.result import AllocationResult
from optimisation.rules import rules_on, rules_tables, rules_words

_TITLES = {
    "debt_rule": "Debt rule: each country's tier, cap and reason",
    "outcomes": "Outcomes in physical units (low and high ends of the sourced unit costs)",
    "cofinancing": "Co-financing (partners' money, not in the planner's budget; US$ millions)",
}


def _objective_line(result: AllocationResult) -> list[str]:
    if result.spec is not None and result.spec.objective == "outcomes":
        return [
            "Objective: weighted outcomes (allocation.objective = outcomes); the 'benefit' figures are in those units."
        ]
    return []


def rules_markdown(result: AllocationResult) -> list[str]:
    """'### Planner's rules' lines of the markdown report (only the outcomes when no rule is on)."""
    if not rules_on(result.spec):
        return [
            line
            for key, df in rules_tables(result).items()
            for line in (f"### {_TITLES[key]}", "", md_table(df, ",.2f"), "")
        ]
    parts = ["### Planner's rules", ""]
    parts += [f"- {md_text(w)}" for w in _objective_line(result) + rules_words(result)] + [""]
    for key, df in rules_tables(result).items():
        parts += [f"#### {_TITLES[key]}", "", md_table(df, ",.2f"), ""]
    return parts


def rules_html(result: AllocationResult, table: Callable[..., str], esc: Callable[[str], str]) -> list[str]:
    """The same section for the HTML report, drawn with the report's own table and escape functions."""
    body = []
    if not rules_on(result.spec):
        for key, df in rules_tables(result).items():  # the outcomes only
            fmt = {c: ",.2f" for c in df.columns if df[c].dtype.kind == "f"}
            body += [f"<h3>{esc(_TITLES[key])}</h3>", table(df, fmt, {})]
        return body
    body.append("<h3>Planner's rules</h3>")
    body.append("<ul>" + "".join(f"<li>{esc(w)}</li>" for w in _objective_line(result) + rules_words(result)) + "</ul>")
    for key, df in rules_tables(result).items():
        fmt = {c: ",.2f" for c in df.columns if df[c].dtype.kind == "f"}
        body += [f"<h4>{esc(_TITLES[key])}</h4>", table(df, fmt, {})]
    return body


__all__ = ["rules_html", "rules_markdown"]
