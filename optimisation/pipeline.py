"""The pipeline of candidate projects (``allocation.pipeline``): a table as read -> validated projects.

One row per project: ``project_id, country, project_type, pool, commitment_musd, start_year_min,
disbursement, requires, must`` (optional ``source``: where the row comes from; a row whose source
starts with "illustrative" marks the pipeline as illustrative in every output). Each project is
funded whole or not at all, starts no earlier than ``start_year_min``, disburses its commitment by
its yearly shares (``0.3;0.5;0.2``; blank = the type's profile) and is funded only if every project
it ``requires`` is funded; ``must`` is ``fund``, ``not`` or blank.

Pure: the caller reads the file (``fulcrum.programme.read_pipeline``, confined to the scenario's
folder) and passes the table and its name; every error names the file, the line and the column.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from mcda.errors import InputError
from optimisation.spec import MAX_BUDGET_MUSD

#: columns every pipeline file has
PIPELINE_COLUMNS = (
    "project_id",
    "country",
    "project_type",
    "pool",
    "commitment_musd",
    "start_year_min",
    "disbursement",
    "requires",
    "must",
)
#: the most projects a pipeline may list (each is a binary per start year: a MILP)
MAX_PROJECTS = 2000
#: shares of a disbursement profile must sum to 1 within this
SHARE_TOL = 1e-6


@dataclass(frozen=True)
class Project:
    """One validated candidate project (money in US$ millions)."""

    project_id: str
    country: str
    project_type: str
    pool: str  # aid | investment
    commitment: float
    start_min: int
    shares: tuple[float, ...]
    requires: tuple[str, ...]
    must: str  # fund | not | ""
    source: str
    line: int  # line of the file (header = 1)


def _blank(v: object) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or (isinstance(v, str) and not v.strip())


def _text(v: object) -> str:
    if _blank(v):
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _number(v: object, where: str, what: str) -> float:
    if isinstance(v, bool):
        raise InputError(f"{what} is not a number: {v!r}", where=where)
    try:
        x = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InputError(f"{what} is not a number: {str(v)[:40]!r}", where=where) from None
    if not math.isfinite(x):
        raise InputError(f"{what} must be a finite number, got {str(v)[:40]!r}", where=where)
    return x


def parse_shares(text: str, where: str) -> tuple[float, ...]:
    """Yearly shares ``0.3;0.5;0.2``: each in [0, 1], summing to 1 (within SHARE_TOL)."""
    parts = [s.strip() for s in text.split(";")]
    if not parts or any(not s for s in parts):
        raise InputError(f"disbursement shares {text[:40]!r} have an empty part", where=where, hint="e.g. 0.3;0.5;0.2")
    vals = tuple(_number(s, where, "a disbursement share") for s in parts)
    if any(v < 0 or v > 1 for v in vals):
        raise InputError(f"disbursement shares must be in [0, 1], got {text[:40]!r}", where=where)
    if abs(sum(vals) - 1.0) > SHARE_TOL:
        raise InputError(
            f"disbursement shares sum to {sum(vals):.6g}, not 1 ({text[:40]!r})",
            where=where,
            hint="The yearly shares of a commitment add up to 1, e.g. 0.3;0.5;0.2",
        )
    return vals


def read_projects(
    table: pd.DataFrame,
    source: str,
    *,
    types: Sequence[str],
    profiles: Mapping[str, tuple[float, ...]],
    first_year: int,
    last_year: int,
    known_countries: Iterable[str] | None = None,
) -> list[Project]:
    """Validate a pipeline table into projects.

    Parameters
    ----------
    table : DataFrame
        The file as read (first row of the file = header), cells not yet validated.
    source : str
        The file's name, for messages.
    types : sequence of str
        The enabled project types.
    profiles : mapping
        Project type -> its disbursement profile (a blank ``disbursement`` cell takes it).
    first_year, last_year : int
        The programme's years: a project starts in them and disburses within them.
    known_countries : iterable of str, optional
        Country ids of the data set (a country outside it is an error); default: not checked.

    Raises
    ------
    InputError
        Naming file, line and column: a missing column, a bad cell, a project id twice, an unknown
        required project, a cycle of requirements, a must-fund project that requires a must-not one.
    """
    cols = [str(c).strip().lower() for c in table.columns]
    missing = [c for c in PIPELINE_COLUMNS if c not in cols]
    if missing:
        raise InputError(
            f"missing column(s): {', '.join(missing)}",
            where=source,
            hint="A pipeline has the columns " + ", ".join(PIPELINE_COLUMNS),
        )
    df = table.copy()
    df.columns = cols
    if len(df) == 0:
        raise InputError("has a header but no projects", where=source)
    if len(df) > MAX_PROJECTS:
        raise InputError(f"lists {len(df)} projects; at most {MAX_PROJECTS} are accepted", where=source)
    known = set(known_countries) if known_countries is not None else None
    out: list[Project] = []
    seen: dict[str, int] = {}
    for i, row in enumerate(df.to_dict("records")):
        line = i + 2

        def at(col: str, line: int = line) -> str:
            return f"{source}, line {line}, column {col}"

        pid = _text(row["project_id"])
        if not pid:
            raise InputError("project_id is blank", where=at("project_id"))
        if len(pid) > 100:
            raise InputError("project_id is longer than 100 characters", where=at("project_id"))
        if ";" in pid:
            raise InputError(
                f"project_id {pid[:40]!r} contains ';' (it separates required ids)", where=at("project_id")
            )
        if pid in seen:
            raise InputError(f"project_id {pid[:40]!r} is listed twice (line {seen[pid]})", where=at("project_id"))
        seen[pid] = line
        country = _text(row["country"])
        if not country:
            raise InputError("country is blank", where=at("country"))
        if known is not None and country not in known:
            raise InputError(
                f"unknown country {country[:40]!r}", where=at("country"), hint="Use an ISO3 code of the data set"
            )
        ptype = _text(row["project_type"])
        if ptype not in types:
            raise InputError(
                f"unknown or disabled project type {ptype[:40]!r}",
                where=at("project_type"),
                hint="One of: " + ", ".join(types),
            )
        pool = _text(row["pool"]).lower()
        if pool not in ("aid", "investment"):
            raise InputError(f"pool must be 'aid' or 'investment', got {pool[:40]!r}", where=at("pool"))
        commit = _number(row["commitment_musd"], at("commitment_musd"), "commitment_musd")
        if not (0 < commit <= MAX_BUDGET_MUSD):
            raise InputError(
                f"commitment_musd must be > 0 and at most {MAX_BUDGET_MUSD:.0e} (US$ millions), got {commit:g}",
                where=at("commitment_musd"),
            )
        y = _number(row["start_year_min"], at("start_year_min"), "start_year_min")
        if not y.is_integer() or not (first_year <= y <= last_year):
            raise InputError(
                f"start_year_min {y:g} is outside the programme ({first_year}-{last_year})",
                where=at("start_year_min"),
            )
        shares_text = _text(row["disbursement"])
        shares = parse_shares(shares_text, at("disbursement")) if shares_text else profiles[ptype]
        if int(y) + len(shares) - 1 > last_year:
            raise InputError(
                f"starting no earlier than {int(y)}, its {len(shares)} disbursement years end after the "
                f"programme's last year {last_year}",
                where=at("start_year_min"),
                hint="Start it earlier, shorten its disbursement, or lengthen the programme",
            )
        req_text = _text(row["requires"])
        requires = tuple(dict.fromkeys(r.strip() for r in req_text.split(";") if r.strip())) if req_text else ()
        must = _text(row["must"]).lower()
        if must not in ("", "fund", "not"):
            raise InputError(f"must is 'fund', 'not' or blank, got {must[:40]!r}", where=at("must"))
        src = _text(row.get("source", ""))
        out.append(Project(pid, country, ptype, pool, commit, int(y), tuple(shares), requires, must, src, line))
    _check_requirements(out, source)
    return out


def _check_requirements(projects: list[Project], source: str) -> None:
    """Every required id exists; no cycle; a must-fund project requires no must-not one."""
    by_id = {p.project_id: p for p in projects}
    for p in projects:
        for r in p.requires:
            where = f"{source}, line {p.line}, column requires"
            if r not in by_id:
                raise InputError(f"{p.project_id[:40]!r} requires unknown project {r[:40]!r}", where=where)
            if r == p.project_id:
                raise InputError(f"{p.project_id[:40]!r} requires itself", where=where)
    state: dict[str, int] = {}  # 1 on the path, 2 done

    for start in projects:
        if state.get(start.project_id):
            continue
        stack: list[tuple[str, int]] = [(start.project_id, 0)]
        path: list[str] = []
        while stack:
            pid, k = stack.pop()
            if k == 0:
                state[pid] = 1
                path.append(pid)
            reqs = by_id[pid].requires
            if k < len(reqs):
                stack.append((pid, k + 1))
                nxt = reqs[k]
                if state.get(nxt) == 1:
                    cyc = path[path.index(nxt) :] + [nxt]
                    raise InputError(
                        "requirements form a cycle: " + " -> ".join(c[:40] for c in cyc),
                        where=f"{source}, line {by_id[pid].line}, column requires",
                        hint="A project cannot (indirectly) require itself",
                    )
                if not state.get(nxt):
                    stack.append((nxt, 0))
            else:
                state[pid] = 2
                path.pop()
    # a must-fund project needs everything it requires, transitively
    for p in projects:
        if p.must != "fund":
            continue
        todo, seen = list(p.requires), set()
        while todo:
            r = todo.pop()
            if r in seen:
                continue
            seen.add(r)
            if by_id[r].must == "not":
                raise InputError(
                    f"must-fund project {p.project_id[:40]!r} requires {r[:40]!r}, which is marked must 'not'",
                    where=f"{source}, line {p.line}, column must",
                )
            todo += list(by_id[r].requires)


__all__ = ["MAX_PROJECTS", "PIPELINE_COLUMNS", "Project", "parse_shares", "read_projects"]
