"""Files a run writes for its allocation: ``allocation.csv`` and ``summary.json``.

The tables come from :mod:`optimisation.tables`; this module only writes them, so the command
line (``solve``, ``run``) and any batch job write the same bytes. Each file is written atomically and the
CSV formula-safe (:mod:`mcda.export`); the commands write them into a folder swapped in as a whole
(:mod:`fulcrum.atomic`).
"""

from __future__ import annotations

import json
from pathlib import Path

from mcda.export import to_csv, write_atomic
from optimisation.result import AllocationResult
from optimisation.tables import allocation_table, summary_dict


def write_allocation_csv(result: AllocationResult, path: str | Path) -> Path:
    """allocation.csv: country, project_type, aid_musd, investment_musd, total_musd (every pair)."""
    path = Path(path)
    to_csv(allocation_table(result), path, make_parents=True)
    return path


def write_summary_json(result: AllocationResult, path: str | Path, extra: dict | None = None) -> Path:
    """summary.json: status, objective, budgets, use, shadow prices, binding constraints, notes."""
    path = Path(path)
    write_atomic(
        path,
        (json.dumps(summary_dict(result, extra), indent=2, ensure_ascii=False) + "\n").encode("utf-8"),
        make_parents=True,
    )
    return path


def write_outputs(result: AllocationResult, out_dir: str | Path, extra: dict | None = None) -> dict[str, Path]:
    """DIR/allocation.csv (when solved) and DIR/summary.json (always). A stale allocation.csv
    from an earlier run is removed when there is no allocation, so it cannot be mistaken for one."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if getattr(result, "programme", None):  # per-year totals (fulcrum/programme.py)
        from fulcrum.programme import summary_extra

        extra = {**(extra or {}), **summary_extra(result)}
    paths = {"summary": write_summary_json(result, out / "summary.json", extra)}
    csv = out / "allocation.csv"
    if result.ok:
        paths["allocation"] = write_allocation_csv(result, csv)
    elif csv.exists():
        csv.unlink()
    if getattr(result, "programme", None):  # disbursements.csv, projects.csv
        from fulcrum.programme import write_programme_csvs

        paths.update({p.stem: p for p in write_programme_csvs(result, out)})
    return paths


def write_allocation_outputs(result: AllocationResult, out_dir: str | Path, extra: dict | None = None) -> list[Path]:
    """What ``mcda run`` writes for the allocation: allocation.csv (when solved) and summary.json."""
    return list(write_outputs(result, out_dir, extra).values())
