"""A scenario's programme glue: the pipeline file read from the scenario's folder (the one
scenario-relative file rule, :func:`fulcrum.scenario.scenario_file`) and the programme's output files
(``disbursements.csv``, ``projects.csv``, summary.json's ``programme`` section)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from fulcrum.scenario import Scenario
    from optimisation.result import AllocationResult
    from optimisation.spec import AllocationSpec

PIPELINE_HINT = (
    "Put the pipeline CSV in the scenario file's folder (or a subfolder) and name it relative to it, "
    'e.g. "pipelines/illustrative.csv"'
)


def read_pipeline(scenario: Scenario | None, spec: AllocationSpec) -> pd.DataFrame | None:
    """The pipeline table ``allocation.pipeline`` names (None without one), confined to the scenario's folder.

    Raises
    ------
    InputError
        A path outside the scenario's folder, a scenario not read from a file, a file that cannot be
        read as a table or has more projects than accepted.
    """
    if spec.pipeline is None:
        return None
    from fulcrum.scenario import scenario_file
    from mcda.errors import InputError
    from mcda.io import read_table
    from optimisation.pipeline import MAX_PROJECTS

    if scenario is None:
        raise InputError("no scenario file to read the pipeline next to", where="allocation.pipeline")
    path = scenario_file(scenario, spec.pipeline, "allocation.pipeline", PIPELINE_HINT)
    if not path.is_file():
        raise InputError(
            f"pipeline file not found: {spec.pipeline[:80]!r}", where="allocation.pipeline", hint=PIPELINE_HINT
        )
    table = read_table(path, "pipeline of projects", MAX_PROJECTS, "a pipeline")
    return table


def summary_extra(result: AllocationResult) -> dict[str, Any]:
    """summary.json's ``programme`` section: per-year totals, projects selected, notes (empty without one)."""
    prog = getattr(result, "programme", None)
    if not prog:
        return {}
    out: dict[str, Any] = {"notes": list(prog.get("notes", []))}
    if "per_year" in prog:
        out["per_year"] = prog["per_year"]
        out["carry_over"] = prog["carry_over"]
    projects = prog.get("projects")
    if projects is not None:
        out["pipeline_illustrative"] = bool(prog.get("illustrative"))
        out["projects_selected"] = [str(p) for p in projects.loc[projects["selected"], "project_id"]]
    return {"programme": out}


def write_programme_csvs(result: AllocationResult, out: Path) -> list[Path]:
    """disbursements.csv and (with a pipeline) projects.csv into ``out`` (formula-safe, atomic)."""
    from mcda.export import to_csv

    prog = getattr(result, "programme", None)
    if not prog or not result.ok or "disbursements" not in prog:
        return []
    paths = [out / "disbursements.csv"]
    to_csv(prog["disbursements"], paths[0], make_parents=True)
    if prog.get("projects") is not None:
        paths.append(out / "projects.csv")
        to_csv(prog["projects"], paths[1], make_parents=True)
    return paths


def year_country(disb: pd.DataFrame) -> pd.DataFrame:
    """The year x country view: US$M disbursed per country (rows) and year (columns), both pools."""
    if disb is None or not len(disb):
        return pd.DataFrame()
    t = disb.pivot_table(index="country", columns="year", values="musd", aggfunc="sum", fill_value=0.0)
    t.columns = [str(c) for c in t.columns]
    return t.reset_index()


def per_year_table(result: AllocationResult) -> pd.DataFrame:
    """summary.json's per-year totals as a table: year, disbursed per pool and in total, each ceiling."""
    prog = getattr(result, "programme", None) or {}
    rows = [{"year": int(y), **v} for y, v in prog.get("per_year", {}).items()]
    return pd.DataFrame(rows)


def programme_sheets(allocation: Any) -> dict[str, pd.DataFrame]:
    """The XLSX sheets of a programme, one per view: per-year totals, year x country, disbursements,
    projects (with a pipeline); none without a programme."""
    prog = getattr(allocation, "programme", None)
    if not prog or "disbursements" not in prog:
        return {}
    sheets = {
        "programme_years": per_year_table(allocation),
        "year_x_country": year_country(prog["disbursements"]),
        "disbursements": prog["disbursements"],
    }
    if prog.get("projects") is not None:
        sheets["projects"] = prog["projects"]
    sheets["programme_notes"] = pd.DataFrame({"note": prog.get("notes", [])})
    return sheets
