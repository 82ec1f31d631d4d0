"""What a scenario run exports: the ranking and shortlist tables, one multi-sheet XLSX and a markdown
memo (the printable HTML report is :mod:`fulcrum.report_html`). Render only: every function takes
results already computed (a ranking outcome, an allocation result) and never solves.

``fulcrum.run.run_scenario_to_dir`` (``python -m mcda run``) and the app's export buttons call the
same functions with the same inputs, so the batch job and the app produce the same files.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from fulcrum.format import UNITS_OF_BENEFIT
from fulcrum.markdown import md_table, md_text
from fulcrum.pipeline import RankingOutcome
from fulcrum.report_rules import rules_markdown
from mcda.export import xlsx_bytes as workbook_bytes
from optimisation.result import AllocationResult
from optimisation.tables import assumptions_table, budget_marginal_table


def ranking_table(outcome: RankingOutcome) -> pd.DataFrame:
    """Ranked table for export: alternative, name, score, rank, status, reason, contributions (over tracks:
    each track's ranking under a ``track`` column, :func:`fulcrum.tracks.tracks_ranking_table`)."""
    if outcome.tracks:
        from fulcrum.tracks import tracks_ranking_table

        return tracks_ranking_table(outcome, ranking_table)
    r = outcome.ranking.copy()
    names = outcome.countries["country"] if "country" in outcome.countries.columns else None
    if names is not None:
        r.insert(1, "name", r["alternative"].map(names))
    st = outcome.shortlist_table.set_index("alternative")
    r["status"] = r["alternative"].map(st["status"])
    r["reason"] = r["alternative"].map(st["reason"])
    return r.sort_values(["rank", "alternative"]).reset_index(drop=True)


def shortlist_export(outcome: RankingOutcome) -> pd.DataFrame:
    """Every alternative's shortlist status and reason, with priorities for the shortlisted."""
    t = outcome.shortlist_table.copy()
    if "country" in outcome.countries.columns:
        t.insert(1, "name", t["alternative"].map(outcome.countries["country"]))
    return t


def weights_export(outcome: RankingOutcome) -> pd.DataFrame:
    """Normalised weights with the criteria metadata (over tracks: each track's, under a ``track`` column)."""
    if outcome.tracks:
        return pd.concat([weights_export(o).assign(track=o.track) for o in outcome.tracks], ignore_index=True)
    crit = outcome.criteria
    df = pd.DataFrame({"criterion": outcome.weights.index, "weight": outcome.weights.to_numpy()})
    for col in ("label", "group", "direction", "unit", "source", "year"):
        if col in crit.columns:
            df[col] = df["criterion"].map(crit[col])
    return df


def _data_label(outcome: RankingOutcome) -> str:
    from fulcrum.asof import as_of_label

    return as_of_label(outcome.as_of)


def notes_export(outcome: RankingOutcome, allocation: Any = None) -> pd.DataFrame:
    sc = outcome.scenario
    lines = [
        ("scenario", sc.name),
        (
            "method",
            f"{sc.method.name}" + (f" ({sc.method.normalization} normalisation)" if sc.method.normalization else ""),
        ),
        ("weights", sc.weights.mode),
        ("data", _data_label(outcome)),
        (
            "shortlist",
            (
                f"top {sc.shortlist.top_k} after {len(sc.shortlist.filters)} filter(s) and "
                f"{len(sc.shortlist.exclusions)} exclusion(s); priority rule {sc.shortlist.priority}"
            ),
        ),
    ]
    if outcome.tracks:  # the top-level sections are not used: say what each track does
        from fulcrum.report_tracks import track_lines

        lines = lines[:1] + track_lines(outcome)
    lines += [("note", n) for n in outcome.notes]
    return pd.DataFrame(lines, columns=["item", "value"])


def _allocation_sheets(allocation: Any) -> dict[str, pd.DataFrame]:
    if allocation is None:
        return {}
    from optimisation.tables import export_sheets

    return export_sheets(allocation)


def xlsx_bytes(outcome: RankingOutcome, allocation: Any = None) -> bytes:
    """One workbook: shortlist, ranking, weights, notes (+ allocation, shadow prices, assumptions); formula-safe."""
    sheets = {
        "shortlist": shortlist_export(outcome),
        "ranking": ranking_table(outcome),
        "weights": weights_export(outcome),
        "notes": notes_export(outcome, allocation),
    }
    if outcome.tracks:  # a ranking sheet per track
        from fulcrum.report_tracks import track_sheets

        sheets.update(track_sheets(outcome, ranking_table))
    from fulcrum.report_filters import filters_sheet

    sheets.update(filters_sheet(outcome))
    from fulcrum.report_electre import electre_sheets

    sheets.update(electre_sheets(outcome))
    sheets.update(_allocation_sheets(allocation))
    if getattr(allocation, "programme", None):  # a sheet per programme view (fulcrum/programme.py)
        from fulcrum.programme import programme_sheets

        sheets.update(programme_sheets(allocation))
    return workbook_bytes(sheets)


def markdown_report(outcome: RankingOutcome, allocation: Any = None, smaa_below: bool = False) -> str:
    """A short memo: scenario, weights, ranked top, shortlist with reasons, sources and years, robustness,
    allocation summary. ``smaa_below``: the caller appends an SMAA section (the robustness summary points to it)."""
    from fulcrum.report_memo import robustness_markdown, sources_markdown

    memo = sources_markdown(outcome) + robustness_markdown(outcome, smaa_below)
    sc = outcome.scenario
    if outcome.tracks:
        from fulcrum.report_tracks import tracks_markdown

        return tracks_markdown(outcome, allocation, allocation_markdown, memo)
    rt = ranking_table(outcome)
    parts = [f"# {md_text(sc.name)}", ""]
    if sc.description:
        parts += [md_text(sc.description, inline=False), ""]
    parts += [
        "## Method",
        "",
        "- Method: "
        + md_text(sc.method.name + (f", {sc.method.normalization} normalisation" if sc.method.normalization else ""))
        + (" (score = Q, lower is better)" if not outcome.higher_is_better else " (higher score is better)"),
        f"- Weights: {md_text(sc.weights.mode)}",
    ]
    parts += [f"- {md_text(n)}" for n in outcome.notes]
    parts += [
        "",
        "## Weights (normalised)",
        "",
        md_table(
            weights_export(outcome)[
                ["criterion", "weight"] + [c for c in ("group", "direction") if c in weights_export(outcome).columns]
            ]
        ),
    ]
    cols = ["rank", "alternative"] + (["name"] if "name" in rt.columns else []) + ["score", "status"]
    parts += ["", "## Ranking", "", md_table(rt[cols])]
    st = shortlist_export(outcome)
    sl = st[st["status"] == "shortlisted"]
    ex = st[st["status"] == "excluded"]
    parts += [
        "",
        "## Shortlist",
        "",
        md_table(sl[[c for c in ("position", "alternative", "name", "rank", "score", "priority") if c in sl.columns]]),
    ]
    if len(ex):
        parts += [
            "",
            "### Excluded, with reasons",
            "",
            md_table(ex[[c for c in ("alternative", "name", "rank", "reason") if c in ex.columns]]),
        ]
    from fulcrum.report_filters import filters_markdown

    parts += filters_markdown(outcome)
    parts += memo
    from fulcrum.report_electre import electre_markdown

    parts += electre_markdown(outcome)
    if allocation is not None:
        parts += ["", allocation_markdown(allocation)]
    return "\n".join(parts) + "\n"


def allocation_markdown(result: AllocationResult) -> str:
    """'## Allocation' section of the run's markdown report."""
    b = result.budgets
    parts = [
        "## Allocation",
        "",
        f"Budgets: aid US$ {b['aid']:,.1f}M, investment US$ {b['investment']:,.1f}M. "
        f"Solver: {md_text(result.solver_label)}{' (MILP: discrete projects)' if result.is_milp else ' (LP)'}. "
        f"Status: **{md_text(result.status)}**"
        + (f" ({md_text(result.status_detail)})" if result.status == "feasible" and result.status_detail else "")
        + ".",
        "",
    ]
    if not result.ok:
        parts += [md_text(result.message, inline=False), ""]
        if result.diagnosis is not None and result.diagnosis.conflicts():
            conf = pd.DataFrame(result.diagnosis.conflicts())
            conf["constraints"] = conf["constraints"].map(lambda xs: "; ".join(xs))
            parts += [
                "### Conflicting constraint groups",
                "",
                md_table(conf[["label", "relax_alone_musd", "constraints"]], ",.2f"),
                "",
            ]
        return "\n".join(parts)
    parts += [
        (
            f"Benefit (priority-weighted units): {result.objective:,.4g}. Used: aid US$ {result.by_pool['aid']:,.1f}M, "
            f"investment US$ {result.by_pool['investment']:,.1f}M."
        ),
        "",
        f"_{UNITS_OF_BENEFIT}_",
        "",
    ]
    bc = result.by_country.reset_index()[["country", "priority", "aid_musd", "investment_musd", "total_musd"]]
    parts += ["### By country (US$ millions)", "", md_table(bc, ",.2f"), ""]
    bt = result.by_type.reset_index()[["project_type", "aid_musd", "investment_musd", "total_musd"]]
    parts += ["### By project type (US$ millions)", "", md_table(bt, ",.2f"), ""]
    parts += ["### What binds, and what another US$1M is worth", ""]
    parts += [f"- {md_text(line)}" for line in result.binding] or ["- nothing binds"]
    mt = budget_marginal_table(result)
    if len(mt):
        parts += [
            "",
            "Budget pools, one US$1M either way (re-solved; the shadow price is the solver's dual):",
            "",
            md_table(mt, ".4g"),
        ]
    parts += ["", f"_{result.duals_note}_", ""]  # fixed text of the optimisation library, not user text
    parts += rules_markdown(result)  # issue 11 items 3-6 (nothing when no rule is on)
    if result.notes:
        parts += ["### Notes", ""] + [f"- {md_text(n)}" for n in result.notes] + [""]
    a = assumptions_table(result, result.spec)
    n_ass = int((a["basis"] == "assumption").sum())
    parts += [
        (
            f"Parameters: {len(a)} values, {n_ass} labelled 'assumption' (see the assumptions sheet and "
            "datasets/allocation_params.md)."
        ),
        "",
    ]
    return "\n".join(parts)
