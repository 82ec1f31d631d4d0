"""Uploaded decision matrices (CSV/XLSX): validated by the libraries before anything changes.

``handle_upload`` is a plain function of (file name, bytes, state) so tests can drive it without
a browser. On any InputError the previous scenario stays loaded and a notice naming the row and
column (as the library reports them) is stored under ``state["upload_notice"]``.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from collections.abc import MutableMapping
from pathlib import Path

import pandas as pd

from fulcrum.scenario import parse_scenario
from mcda.errors import InputError

UPLOAD_DIR = Path(tempfile.gettempdir()) / "fulcrum_uploads"
NOTICE = "upload_notice"
SUFFIXES = (".csv", ".xlsx", ".xlsm")


def _store(filename: str, data: bytes) -> Path:
    UPLOAD_DIR.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", Path(filename).stem)[:40] or "upload"
    digest = hashlib.sha256(data).hexdigest()[:12]
    path = UPLOAD_DIR / f"{stem}-{digest}{Path(filename).suffix.lower()}"
    if not path.exists():
        path.write_bytes(data)
    return path


def _readable(e: InputError, path: Path, filename: str) -> str:
    return str(e).replace(str(path), filename)


def scenario_for_upload(filename: str, data: bytes, current, criteria: tuple[str, bytes] | None = None):
    """A validated scenario ranking the uploaded matrix (raises InputError naming row/column).

    Every column with at least one number is a criterion (direction benefit, weight 1, unless a
    criteria file criterion,direction,weight is given); all-text columns are kept as labels.
    """
    from fulcrum.pipeline import rank_scenario
    from mcda.io import read_criteria, read_matrix

    if Path(filename).suffix.lower() not in SUFFIXES:
        raise InputError(
            f"'{filename}' is not a CSV or XLSX file",
            where=filename,
            hint="Upload a .csv or .xlsx table: first column = id, one column per criterion.",
        )
    path = _store(filename, data)
    try:
        matrix = read_matrix(path)
        numeric = [c for c in matrix.columns if pd.to_numeric(matrix[c], errors="coerce").notna().any()]
        if not numeric:
            raise InputError(
                "no numeric criterion column found",
                where=filename,
                hint="After the id column, give one column of numbers per criterion.",
            )
        crit_rows = [{"id": str(c), "direction": "benefit", "weight": 1.0} for c in numeric]
        if criteria is not None:
            cpath = _store(criteria[0], criteria[1])
            try:
                ct = read_criteria(cpath)
            except InputError as e:
                raise InputError(_readable(e, cpath, criteria[0])) from None
            unknown = [c for c in ct.index if c not in matrix.columns]
            if unknown:
                raise InputError(f"criteria not in the data file: {', '.join(unknown)}", where=criteria[0])
            crit_rows = [
                {"id": str(c), "direction": r["direction"], "weight": float(r["weight"])} for c, r in ct.iterrows()
            ]
        doc = current.model_dump(mode="json")
        doc["name"] = f"{Path(filename).stem} (uploaded)"
        missing = doc["data"]["missing"]
        if isinstance(missing, dict):  # per-criterion policies name the old criteria: keep the default only
            missing = missing.get("default", "error")
        # named inside the app's upload folder, which is the scenario's folder (fulcrum.scenario.dataset_path)
        doc["data"] = {"dataset": path.name, "candidates": None, "missing": missing}
        doc["criteria"] = crit_rows
        doc["weights"] = {"mode": "direct", "objective_method": doc["weights"]["objective_method"], "ahp": None}
        doc["shortlist"]["filters"] = [f for f in doc["shortlist"]["filters"] if f["column"] in matrix.columns]
        doc["shortlist"]["exclusions"] = [e for e in doc["shortlist"]["exclusions"] if e["id"] in matrix.index]
        doc["allocation"] = None
        sc = parse_scenario(doc, source=filename, base_dir=UPLOAD_DIR)
        rank_scenario(sc)  # full validation: every value numeric and finite, ids unique, ...
        return sc, [c for c in matrix.columns if c not in numeric]
    except InputError as e:
        raise InputError(_readable(e, path, filename)) from None


def handle_upload(filename: str, data: bytes, state: MutableMapping, criteria: tuple[str, bytes] | None = None) -> bool:
    """Load an uploaded matrix into ``state`` if valid; otherwise keep the old data and store a notice."""
    from ui import state as ustate

    current = ustate.ensure(state)
    try:
        sc, labels = scenario_for_upload(filename, data, current, criteria)
    except InputError as e:
        state[NOTICE] = ("error", f"Upload of {filename} rejected — {e} The previously loaded data is unchanged.")
        return False
    ustate.set_scenario(sc, state)
    extra = f" Text columns kept as labels: {', '.join(map(str, labels))}." if labels else ""
    state[NOTICE] = (
        "success",
        (
            f"Loaded {filename}: {len(sc.criteria)} criteria, all set to 'benefit' with weight 1 "
            f"unless a criteria file said otherwise — check directions below.{extra}"
        ),
    )
    return True
