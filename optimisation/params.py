"""Project-type parameters: load ``datasets/project_types.csv``, validate, apply scenario overrides.

Each value in the file has a ``*_source`` column that cites a curated row / URL or starts with the
word "assumption". Segment lists are ';'-separated in one cell: ``segment_breaks_musd`` are
cumulative breakpoints per (country, type) in US$ millions (strictly increasing, > 0) and
``segment_marginals`` the benefit multiplier of each band (non-increasing, >= 0: concave).
"""

from __future__ import annotations

import io
import math
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from mcda.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    from optimisation.spec import AllocationSpec

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "datasets" / "project_types.csv"

REQUIRED = [
    "project_type",
    "label",
    "aid_share",
    "aid_share_source",
    "impact_per_musd",
    "impact_source",
    "segment_breaks_musd",
    "segment_marginals",
    "segments_source",
    "min_size_musd",
    "min_size_source",
    "need_indicator",
    "need_transform",
    "need_source",
]
NEED_TRANSFORMS = ("ratio_to_mean", "shortfall_ratio_to_mean", "none")
# parameter -> its source column (the assumptions table walks this)
SOURCED = {
    "aid_share": "aid_share_source",
    "impact_per_musd": "impact_source",
    "segment_breaks_musd": "segments_source",
    "segment_marginals": "segments_source",
    "min_size_musd": "min_size_source",
    "need_indicator": "need_source",
    "need_transform": "need_source",
}


def _parse_list(value: object, where: str) -> tuple[float, ...]:
    if isinstance(value, (list, tuple)):
        items = list(value)
    else:
        text = "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)
        items = [t for t in text.replace(",", ";").split(";") if t.strip()]
    try:
        out = tuple(float(t) for t in items)
    except (TypeError, ValueError):
        raise InputError(f"expected numbers separated by ';', got {value!r}", where=where) from None
    if not out:
        raise InputError("empty list", where=where, hint="Give at least one segment")
    if not all(math.isfinite(v) for v in out):
        raise InputError(f"non-finite value in {value!r}", where=where)
    return out


def check_segments(breaks: object, marginals: object, where: str) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Validate a concave piecewise-linear benefit: breakpoints strictly increasing and > 0,
    one marginal per band, marginals >= 0 and non-increasing."""
    b = _parse_list(breaks, where + ".segment_breaks_musd")
    m = _parse_list(marginals, where + ".segment_marginals")
    if len(b) != len(m):
        raise InputError(
            f"{len(b)} breakpoints but {len(m)} marginals",
            where=where,
            hint="Give one marginal benefit per band (segment)",
        )
    if b[0] <= 0 or any(b2 <= b1 for b1, b2 in pairwise(b)):
        raise InputError(
            f"breakpoints must be > 0 and strictly increasing, got {list(b)}", where=where + ".segment_breaks_musd"
        )
    if any(v < 0 for v in m):
        raise InputError(f"marginal benefits must be >= 0, got {list(m)}", where=where + ".segment_marginals")
    if any(m2 > m1 for m1, m2 in pairwise(m)):
        raise InputError(
            f"marginal benefits must not increase from one band to the next (concave benefit), got {list(m)}",
            where=where + ".segment_marginals",
            hint="Increasing returns need binary variables; this model keeps returns diminishing",
        )
    return b, m


def load_project_types(path: str | Path | None = None) -> pd.DataFrame:
    """Read and validate the project-type table.

    Parameters
    ----------
    path : str or Path, optional
        A CSV with the columns of ``REQUIRED``; default the shipped ``datasets/project_types.csv``.

    Returns
    -------
    pandas.DataFrame
        Indexed by project_type id; segment cells parsed into tuples of floats.

    Raises
    ------
    InputError
        Naming file, row and column.
    """
    path = Path(path) if path is not None else DEFAULT_PATH
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("project-type file not found", where=str(path)) from None
    # parsed tables are kept by file content: every model built without a project-type table
    # (funding acceptability builds one per sampled shortlist) re-reads the file but parses it once
    key = (str(path), data)
    table = _PARSED.get(key)
    if table is None:
        table = _parse_project_types(path, data)
        if len(_PARSED) >= 8:
            _PARSED.clear()
        _PARSED[key] = table
    return table.copy()


_PARSED: dict[tuple[str, bytes], pd.DataFrame] = {}


def _parse_project_types(path: Path, data: bytes) -> pd.DataFrame:
    """Parse and validate the bytes of a project-type file (``path`` names it in errors)."""
    df = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
    missing = [c for c in REQUIRED if c not in df.columns]
    if missing:
        raise InputError(f"missing column(s): {', '.join(missing)}", where=str(path))
    if df.empty:
        raise InputError("no project types", where=str(path))
    ids = df["project_type"].str.strip()
    dup = ids[ids.duplicated()].tolist()
    if dup:
        raise InputError(f"project type listed twice: {', '.join(dup)}", where=str(path))
    recs = []
    for i, (_, r) in enumerate(df.iterrows()):  # read_csv's RangeIndex: position i is data row i
        row_where = f"{path.name} row {i + 2}"
        rec = dict(r)
        rec["project_type"] = r["project_type"].strip()
        if not rec["project_type"]:
            raise InputError("blank project_type", where=row_where)
        for col in ("aid_share", "impact_per_musd", "min_size_musd"):
            try:
                rec[col] = float(r[col])
            except ValueError:
                raise InputError(f"not a number: {r[col]!r}", where=f"{row_where}, column {col}") from None
            if not math.isfinite(rec[col]) or rec[col] < 0:
                raise InputError(f"must be a finite number >= 0, got {r[col]!r}", where=f"{row_where}, column {col}")
        if rec["aid_share"] > 1:
            raise InputError(
                f"aid share must be within [0, 1], got {r['aid_share']}", where=f"{row_where}, column aid_share"
            )
        rec["segment_breaks_musd"], rec["segment_marginals"] = check_segments(
            r["segment_breaks_musd"], r["segment_marginals"], f"{row_where}, project type {rec['project_type']}"
        )
        rec["need_indicator"] = r["need_indicator"].strip() or "none"
        rec["need_transform"] = r["need_transform"].strip() or "none"
        if rec["need_transform"] not in NEED_TRANSFORMS:
            raise InputError(
                f"unknown need_transform {r['need_transform']!r}; use one of {', '.join(NEED_TRANSFORMS)}",
                where=f"{row_where}, column need_transform",
            )
        for src in set(SOURCED.values()):
            if not str(r[src]).strip():
                raise InputError(
                    "blank source: cite the curated row / URL or write 'assumption'", where=f"{row_where}, column {src}"
                )
        recs.append(rec)
    out = pd.DataFrame(recs).set_index("project_type")
    return out


def effective_types(types: pd.DataFrame, spec: AllocationSpec) -> pd.DataFrame:
    """The enabled project types with the scenario's overrides applied (sources say 'planner')."""
    if not isinstance(types, pd.DataFrame) or types.empty:
        raise InputError("project-type table is empty", where="project_types")
    if (
        "aid_share" not in types.columns
        or "segment_breaks_musd" not in types.columns
        or "segment_marginals" not in types.columns
    ):
        raise InputError(
            "project-type table needs aid_share, segment_breaks_musd and segment_marginals", where="project_types"
        )
    known = [str(p) for p in types.index]
    enabled = known if spec.project_types is None else list(spec.project_types)
    for i, p in enumerate(enabled):
        if p not in known:
            raise InputError(
                f"unknown project type '{p}'",
                where=f"allocation.project_types[{i}]",
                hint=f"Known types: {', '.join(known)}",
            )
    if len(set(enabled)) != len(enabled):
        raise InputError("a project type is listed twice", where="allocation.project_types")
    if not enabled:
        raise InputError("no project type enabled", where="allocation.project_types")
    for p in spec.type_params:
        if p not in known:
            raise InputError(
                f"unknown project type '{p}'",
                where=f"allocation.type_params[{p}]",
                hint=f"Known types: {', '.join(known)}",
            )
    recs = {str(p): dict(r) for p, r in types.iterrows()}
    out = []
    for p in enabled:
        r = recs[p]
        r.setdefault("label", p)
        r.setdefault("impact_per_musd", 1.0)
        r.setdefault("min_size_musd", 0.0)
        for col in ("need_indicator", "need_transform"):
            v = r.get(col)
            r[col] = (
                "none"
                if v is None or (isinstance(v, float) and math.isnan(v)) or str(v).strip() == ""
                else str(v).strip()
            )
        for src in set(SOURCED.values()):
            if not str(r.get(src, "") or "").strip():
                r[src] = "assumption"
        ov = spec.type_params.get(p)
        if ov is not None:
            label = f"planner override (allocation.type_params[{p}])" + (f": {ov.source}" if ov.source else "")
            given = ov.model_dump(exclude_none=True)
            given.pop("source", None)
            for k, v in given.items():
                r[k] = v
                r[SOURCED[k]] = label
            where = f"allocation.type_params[{p}]"
        else:
            where = f"project_types[{p}]"
        r["segment_breaks_musd"], r["segment_marginals"] = check_segments(
            r["segment_breaks_musd"], r["segment_marginals"], where
        )
        for col in ("aid_share", "impact_per_musd", "min_size_musd"):
            try:
                r[col] = float(r[col])
            except (TypeError, ValueError):
                raise InputError(f"not a number: {r[col]!r}", where=f"{where}.{col}") from None
            if not (math.isfinite(r[col]) and r[col] >= 0):
                raise InputError(f"must be a finite number >= 0, got {r[col]}", where=f"{where}.{col}")
        if r["aid_share"] > 1:
            raise InputError(f"aid share must be within [0, 1], got {r['aid_share']}", where=f"{where}.aid_share")
        if r["need_transform"] not in NEED_TRANSFORMS:
            raise InputError(
                f"unknown need_transform {r['need_transform']!r}; use one of {', '.join(NEED_TRANSFORMS)}",
                where=f"{where}.need_transform",
            )
        r["project_type"] = p
        out.append(r)
    df = pd.DataFrame.from_records(out).set_index("project_type")
    for col in ("segment_breaks_musd", "segment_marginals"):
        df[col] = pd.Series([r[col] for r in out], index=df.index, dtype=object)
    return df
