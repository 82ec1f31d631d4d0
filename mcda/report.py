"""End-to-end scenario run and its outputs: CSV tables, one multi-sheet XLSX, a markdown report and a
printable HTML report with the charts (``mcda.report_html``).

`run_scenario_to_dir` is what `python -m mcda run` calls; the app's export buttons call the
`*_bytes` functions with the same inputs, so the batch job and the app produce the same files.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from mcda.markdown import md_table
from mcda.pipeline import RankingOutcome, rank_scenario
from mcda.scenario import Scenario, load_scenario


@dataclass
class RunResult:
    outcome: RankingOutcome
    allocation: Any = None          # optimisation result when the scenario has an allocation section
    files: list[Path] = field(default_factory=list)
    infeasible: bool = False        # the allocation model is proven infeasible
    solver_failed: bool = False     # no allocation because the solver failed or was stopped
    message: str = ""


def ranking_table(outcome: RankingOutcome) -> pd.DataFrame:
    """Ranked table for export: alternative, name, score, rank, status, reason, contributions."""
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
    crit = outcome.criteria
    df = pd.DataFrame({"criterion": outcome.weights.index, "weight": outcome.weights.to_numpy()})
    for col in ("label", "group", "direction", "unit", "source", "year"):
        if col in crit.columns:
            df[col] = df["criterion"].map(crit[col])
    return df


def notes_export(outcome: RankingOutcome, allocation: Any = None) -> pd.DataFrame:
    sc = outcome.scenario
    lines = [
        ("scenario", sc.name),
        ("method", f"{sc.method.name}" + (f" ({sc.method.normalization} normalisation)" if sc.method.normalization else "")),
        ("weights", sc.weights.mode),
        ("shortlist", f"top {sc.shortlist.top_k} after {len(sc.shortlist.filters)} filter(s) and {len(sc.shortlist.exclusions)} exclusion(s); priority rule {sc.shortlist.priority}"),
    ]
    lines += [("note", n) for n in outcome.notes]
    return pd.DataFrame(lines, columns=["item", "value"])


def _allocation_sheets(allocation: Any) -> dict[str, pd.DataFrame]:
    if allocation is None:
        return {}
    from optimisation.report import export_sheets

    return export_sheets(allocation)


def xlsx_bytes(outcome: RankingOutcome, allocation: Any = None) -> bytes:
    """One workbook: shortlist, ranking, weights, notes (+ allocation, shadow prices, assumptions)."""
    sheets = {
        "shortlist": shortlist_export(outcome),
        "ranking": ranking_table(outcome),
        "weights": weights_export(outcome),
        "notes": notes_export(outcome, allocation),
    }
    sheets.update(_allocation_sheets(allocation))
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        for name, df in sheets.items():
            df.to_excel(xw, sheet_name=name[:31], index=False)
    return buf.getvalue()


def markdown_report(outcome: RankingOutcome, allocation: Any = None) -> str:
    """A short memo: scenario, weights, ranked top, shortlist with reasons, allocation summary."""
    sc = outcome.scenario
    rt = ranking_table(outcome)
    parts = [f"# {sc.name}", ""]
    if sc.description:
        parts += [sc.description, ""]
    parts += ["## Method", "", f"- Method: {sc.method.name}"
              + (f", {sc.method.normalization} normalisation" if sc.method.normalization else "")
              + (" (score = Q, lower is better)" if not outcome.higher_is_better else " (higher score is better)"),
              f"- Weights: {sc.weights.mode}"]
    parts += [f"- {n}" for n in outcome.notes]
    parts += ["", "## Weights (normalised)", "", md_table(weights_export(outcome)[["criterion", "weight"] + [c for c in ("group", "direction") if c in weights_export(outcome).columns]])]
    cols = ["rank", "alternative"] + (["name"] if "name" in rt.columns else []) + ["score", "status"]
    parts += ["", "## Ranking", "", md_table(rt[cols])]
    st = shortlist_export(outcome)
    sl = st[st["status"] == "shortlisted"]
    ex = st[st["status"] == "excluded"]
    parts += ["", "## Shortlist", "", md_table(sl[[c for c in ("position", "alternative", "name", "rank", "score", "priority") if c in sl.columns]])]
    if len(ex):
        parts += ["", "### Excluded, with reasons", "", md_table(ex[[c for c in ("alternative", "name", "rank", "reason") if c in ex.columns]])]
    if allocation is not None:
        from optimisation.report import markdown_section

        parts += ["", markdown_section(allocation)]
    return "\n".join(parts) + "\n"


def solve_allocation(outcome: RankingOutcome, scenario: Scenario):
    """Allocation for the shortlist of a ranking run (None if the scenario has no allocation section)."""
    if scenario.allocation is None:
        return None
    from optimisation.pipeline import solve_for_outcome

    return solve_for_outcome(outcome)


def run_scenario_to_dir(scenario_path: str | Path, out_dir: str | Path, with_allocation: bool = True) -> RunResult:
    """Rank -> shortlist -> (allocate) -> write ranking.csv, shortlist.csv, [allocation.csv], results.xlsx, report.md,
    report.html (printable, with the charts)."""
    scenario = load_scenario(scenario_path)
    outcome = rank_scenario(scenario)
    allocation = solve_allocation(outcome, scenario) if with_allocation else None
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        from mcda.errors import InputError

        raise InputError("is a file, not a folder", where=f"--out {out}", hint="Give a folder for the outputs (it is created if missing).")
    out.mkdir(parents=True, exist_ok=True)
    res = RunResult(outcome=outcome, allocation=allocation)
    ranking_table(outcome).to_csv(out / "ranking.csv", index=False)
    shortlist_export(outcome).to_csv(out / "shortlist.csv", index=False)
    res.files += [out / "ranking.csv", out / "shortlist.csv"]
    if allocation is not None:
        from optimisation.report import write_allocation_outputs

        res.files += write_allocation_outputs(allocation, out)
        res.infeasible = getattr(allocation, "status", "") == "infeasible"
        res.solver_failed = not getattr(allocation, "ok", True) and not res.infeasible
        res.message = getattr(allocation, "message", "")
    (out / "results.xlsx").write_bytes(xlsx_bytes(outcome, allocation))
    (out / "report.md").write_text(markdown_report(outcome, allocation), encoding="utf-8")
    from mcda.report_html import html_report

    (out / "report.html").write_text(html_report(outcome, allocation), encoding="utf-8")
    res.files += [out / "results.xlsx", out / "report.md", out / "report.html"]
    return res
