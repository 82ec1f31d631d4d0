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
    from mcda.io import read_problem

    if Path(filename).suffix.lower() not in SUFFIXES:
        raise InputError(
            f"'{filename}' is not a CSV or XLSX file",
            where=filename,
            hint="Upload a .csv or .xlsx table: first column = id, one column per criterion.",
        )
    if getattr(current, "tracks", None):  # an uploaded table starts one ranking, from the first track's settings
        current = current.track_scenario(0)
    path = _store(filename, data)
    cpath = _store(criteria[0], criteria[1]) if criteria is not None else None
    missing = current.model_dump(mode="json")["data"]["missing"]
    if isinstance(missing, dict):  # per-criterion policies name the old criteria: keep the default only
        missing = missing.get("default", "error")
    try:
        # the library's one reader from files to a validated problem (the command line uses it too)
        pf = read_problem(path, cpath, missing, other_columns="labels")
        matrix = pf.matrix
        crit_rows = [
            {"id": str(c), "direction": r["direction"], "weight": float(r["weight"])} for c, r in pf.criteria.iterrows()
        ]
        doc = current.model_dump(mode="json")
        doc["name"] = f"{Path(filename).stem} (uploaded)"
        # named inside the app's upload folder, which is the scenario's folder (fulcrum.scenario.dataset_path)
        doc["data"] = {"dataset": path.name, "candidates": None, "missing": missing}
        doc["criteria"] = crit_rows
        doc["weights"] = {"mode": "direct", "objective_method": doc["weights"]["objective_method"], "ahp": None}
        doc["shortlist"]["filters"] = [f for f in doc["shortlist"]["filters"] if f["column"] in matrix.columns]
        doc["shortlist"]["exclusions"] = [e for e in doc["shortlist"]["exclusions"] if e["id"] in matrix.index]
        doc["allocation"] = None
        sc = parse_scenario(doc, source=filename, base_dir=UPLOAD_DIR)
        rank_scenario(sc)  # full validation: every value numeric and finite, ids unique, ...
        return sc, pf.labels
    except InputError as e:
        text = _readable(e, path, filename)
        if cpath is not None and criteria is not None:
            text = text.replace(str(cpath), criteria[0])
        raise InputError(text) from None


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
