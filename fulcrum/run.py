"""The end-to-end run of a scenario file: rank -> shortlist -> allocate -> frontier -> write every
output (``python -m mcda run``). Computing happens here; the report modules only render.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from fulcrum.pipeline import RankingOutcome, rank_scenario
from fulcrum.scenario import Scenario, load_scenario

if TYPE_CHECKING:  # optimisation is imported only when a scenario allocates
    from optimisation.result import AllocationResult


@dataclass
class RunResult:
    """What :func:`run_scenario_to_dir` computed and wrote (the fields say what each holds)."""

    outcome: RankingOutcome
    allocation: Any = None  # optimisation result when the scenario has an allocation section
    files: list[Path] = field(default_factory=list)
    infeasible: bool = False  # the allocation model is proven infeasible
    solver_failed: bool = False  # no allocation because the solver failed or was stopped
    message: str = ""
    frontier: pd.DataFrame | None = None
    frontier_error: str | None = None
    smaa: Any = None  # SMAA with data uncertainty when the scenario's robustness section asks for it


def data_fields(outcome: RankingOutcome) -> dict[str, Any]:
    """summary.json's data date and data notes (fulcrum.asof)."""
    from fulcrum.asof import summary_fields

    return summary_fields(outcome.as_of, outcome.data_notes)


def solve_allocation(outcome: RankingOutcome, scenario: Scenario) -> AllocationResult | None:
    """Allocation for the shortlist of a ranking run (None if the scenario has no allocation section)."""
    if scenario.allocation is None:
        return None
    from fulcrum.allocate import solve_for_outcome

    return solve_for_outcome(outcome)


def frontier_for(
    outcome: RankingOutcome,
    allocation: Any,
    executor: Any = None,
    chunk_size: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> pd.DataFrame:
    """The efficient frontier (benefit against budget) of the model that gave ``allocation``; its points on
    ``executor`` in chunks of ``chunk_size`` when given (:func:`fulcrum.frontier.outcome_frontier`)."""
    from fulcrum.frontier import outcome_frontier

    spec = getattr(allocation, "spec", None)
    return outcome_frontier(outcome, spec, executor=executor, chunk_size=chunk_size, progress=progress)


def robustness_outputs(outcome: RankingOutcome, res: RunResult, files: dict[str, bytes]) -> tuple[str, str]:
    """With ``robustness.data_uncertainty`` set: run SMAA with the values sampled, add ``smaa.csv`` to
    ``files`` and return the report.md and report.html sections (else nothing: a scenario without it is
    unchanged)."""
    rb = outcome.scenario.robustness
    if rb is None or rb.data_uncertainty == "none":
        return "", ""
    if outcome.tracks:  # per track and for the final shortlist (fulcrum.uncertainty)
        from fulcrum.uncertainty import tracks_robustness_outputs

        res.smaa, md, html = tracks_robustness_outputs(outcome, files)
        return md, html
    from fulcrum.uncertainty import scenario_smaa, scenario_values, smaa_html, smaa_markdown, smaa_table
    from mcda.export import csv_text

    values = scenario_values(outcome)
    res.smaa = scenario_smaa(outcome, values)
    k = max(1, min(outcome.scenario.shortlist.top_k, len(outcome.problem.alternatives)))
    files["smaa.csv"] = csv_text(smaa_table(res.smaa, k)).encode("utf-8")
    return smaa_markdown(res.smaa, values, k), smaa_html(res.smaa, values, k)


def run_scenario_to_dir(
    scenario_path: str | Path,
    out_dir: str | Path,
    with_allocation: bool = True,
    executor: Any = None,
    chunk_size: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> RunResult:
    """Rank -> shortlist -> (allocate) -> write ranking.csv, shortlist.csv, [filter_sensitivity.csv when the
    scenario has filters], [allocation.csv, summary.json],
    results.xlsx, report.md, report.html (printable, with the charts).

    Everything is computed first, then written into a temporary folder that replaces ``out_dir`` as a
    whole (:func:`fulcrum.atomic.atomic_output_dir`): the folder holds the previous complete set or the
    new one, never a mix. ``files`` lists the final paths, in the order written.

    Parameters
    ----------
    scenario_path : str or Path
        The scenario JSON file (its dataset, if any, is read from the same folder).
    out_dir : str or Path
        The output folder, replaced as a whole (created if missing; refused if it holds files
        that Fulcrum did not write, or another run is writing it).
    with_allocation : bool
        Solve the allocation when the scenario has an allocation section.
    executor, chunk_size, progress
        Where the budget frontier's points run, in chunks of how many points, ``progress(done, total)``
        as each chunk finishes (:func:`fulcrum.frontier.outcome_frontier`); the same files on every executor.

    Returns
    -------
    RunResult
        The ranking outcome, the allocation (None without one), the files written, and whether the
        allocation is infeasible or the solver failed (with a message).

    Raises
    ------
    InputError
        A scenario, dataset or allocation input that does not fit, or an output folder that
        cannot be used; nothing is written then.
    """
    from fulcrum.atomic import atomic_output_dir, resolve_out
    from fulcrum.outputs import write_allocation_outputs
    from fulcrum.report import markdown_report, ranking_table, shortlist_export, xlsx_bytes
    from fulcrum.report_html import html_report
    from mcda.export import csv_text, write_atomic

    scenario = load_scenario(scenario_path)
    resolve_out(out_dir)  # refuse an unusable --out before the work, not after
    outcome = rank_scenario(scenario)
    allocation = solve_allocation(outcome, scenario) if with_allocation else None
    out = Path(out_dir)
    res = RunResult(outcome=outcome, allocation=allocation)
    if allocation is not None:
        res.infeasible = getattr(allocation, "status", "") == "infeasible"
        res.solver_failed = not getattr(allocation, "ok", True) and not res.infeasible
        res.message = getattr(allocation, "message", "")
        if allocation.ok:
            try:
                res.frontier = frontier_for(outcome, allocation, executor, chunk_size, progress)
            except Exception as exc:  # noqa: BLE001 - the report must still render; it says why the chart is missing
                res.frontier_error = str(exc)
    # render everything first, so the folder is locked only while the files are written
    files = {
        "ranking.csv": csv_text(ranking_table(outcome)).encode("utf-8"),
        "shortlist.csv": csv_text(shortlist_export(outcome)).encode("utf-8"),
    }
    extra_md, extra_html = robustness_outputs(outcome, res, files)  # smaa.csv + report sections, when asked for
    from fulcrum.filters import filter_sensitivity_frame, has_filters

    if has_filters(outcome):  # how far each filter (each track's, with tracks) can move before the shortlist changes
        files["filter_sensitivity.csv"] = csv_text(filter_sensitivity_frame(outcome)).encode("utf-8")
    rest = {
        "results.xlsx": xlsx_bytes(outcome, allocation),
        "report.md": (markdown_report(outcome, allocation, smaa_below=bool(extra_md)) + extra_md).encode("utf-8"),
        "report.html": html_report(
            outcome, allocation, res.frontier, frontier_error=res.frontier_error, smaa_below=bool(extra_html)
        )
        .replace("\n<footer>", "\n" + extra_html + "\n<footer>" if extra_html else "\n<footer>", 1)
        .encode("utf-8"),
    }
    with atomic_output_dir(out) as tmp:
        names = list(files)
        for name, data in files.items():
            write_atomic(tmp / name, data)
        if allocation is not None:
            from fulcrum.tracks import tracks_extra

            extra = {**data_fields(outcome), **(tracks_extra(outcome) or {})}
            names += [p.name for p in write_allocation_outputs(allocation, tmp, extra)]
        for name, data in rest.items():
            write_atomic(tmp / name, data)
        names += list(rest)
    res.files = [out / n for n in names]
    return res
