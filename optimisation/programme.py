"""A multi-year programme (``allocation.programme``) and its pipeline of projects (``allocation.pipeline``).

The model of one period stays as it is: ``x[c,p,s]`` is the money of pair (c, p) over the whole
programme (its benefit bands, every family's rows, the budgets = the programme's total commitments).
A programme adds, per pair, the *year* a commitment starts:

* envelope commitments ``z[c,p,y] >= 0`` for every start year y whose disbursement profile (of type p,
  ``datasets/disbursement_profiles.csv``) ends within the programme;
* each pipeline project j: a binary ``u_j`` (funded whole or not) and binaries ``w[j,y]`` (starts in y,
  y >= its start_year_min), ``sum_y w[j,y] = u_j``; ``u_j <= u_k`` for every project k it requires;
  ``must`` fund / not as the bounds of ``u_j``;
* the pair's money is what is committed there: ``x[c,p] = sum_y z[c,p,y] + sum_j commitment_j u_j``
  (so a project's benefit is that of its money in its country and type: the same bands);
* a project's money counts in its own pool (the envelope's by the type's aid share): the pool-total
  definitions get ``+ (1[pool_j = aid] - a_p) commitment_j u_j`` (aid) and the opposite (investment);
* money disbursed in year t: ``sum_y profile_p[t-y] z[c,p,y]`` + ``commitment_j shares_j[t-y] w[j,y]``,
  limited by the annual ceilings (family ``annual_ceilings``, :mod:`optimisation.constraints.ceilings`);
  with ``carry_over`` the unspent room of a year carries into the next.

The hook for constraint families: ``ctx.programme`` (None without a programme) is a
:class:`ProgrammeIndex`; its ``years`` and the terms ``commit_terms(c, p, y)``,
``disbursed_terms(c, p, t, pool)`` and ``year_terms(t, pool)`` let a family add rows per year.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from mcda.errors import InputError
from optimisation.constraints.base import EQ, LE, Row, Terms
from optimisation.pipeline import Project, parse_shares, read_projects

if TYPE_CHECKING:  # pragma: no cover
    import pulp

    from optimisation.build import _Context
    from optimisation.model import AllocationModel
    from optimisation.result import AllocationResult
    from optimisation.spec import AllocationSpec

PROFILES_PATH = Path(__file__).resolve().parent.parent / "datasets" / "disbursement_profiles.csv"
POOLS = ("aid", "investment")
#: columns of disbursements.csv (project_id blank for envelope allocations)
DISBURSEMENT_COLUMNS = ["country", "project_type", "project_id", "pool", "year", "musd"]
#: columns of projects.csv
PROJECT_COLUMNS = ["project_id", "selected", "start_year", "commitment_musd", "why_not_selected", "source"]
ILLUSTRATIVE_NOTE = (
    "The pipeline is ILLUSTRATIVE: its projects are sized from the project types' minimum sizes "
    "(datasets/project_types.csv, sourced or labelled assumption), not real candidate projects "
    "(datasets/build_pipeline.py says how it was built)."
)


def load_profiles(path: str | Path | None = None) -> dict[str, tuple[tuple[float, ...], str]]:
    """Disbursement profile per project type: (yearly shares summing to 1, source or 'assumption: ...')."""
    p = Path(path) if path is not None else PROFILES_PATH
    out: dict[str, tuple[tuple[float, ...], str]] = {}
    for i, row in enumerate(csv.DictReader(io.StringIO(p.read_text(encoding="utf-8")))):
        where = f"{p}, line {i + 2}, column shares"
        out[row["project_type"]] = (parse_shares(row["shares"], where), row["source"])
    return out


@dataclass
class Programme:
    """A validated programme: years, ceilings per pool and year, profiles, projects."""

    start_year: int
    years: int
    ceilings: dict[str, list[float]]
    carry_over: bool
    profiles: dict[str, tuple[float, ...]]
    profile_source: dict[str, str]
    projects: list[Project] = field(default_factory=list)
    pipeline_name: str | None = None
    out_of_shortlist: dict[str, str] = field(default_factory=dict)  # project id -> why it cannot be funded
    notes: list[str] = field(default_factory=list)  # what is not applied, and why

    @property
    def year_list(self) -> list[int]:
        """The programme's years."""
        return list(range(self.start_year, self.start_year + self.years))

    @property
    def last_year(self) -> int:
        """The programme's last year."""
        return self.start_year + self.years - 1

    def starts(self, length: int, earliest: int | None = None) -> list[int]:
        """Start years of a commitment disbursing over ``length`` years, ending within the programme."""
        lo = self.start_year if earliest is None else max(earliest, self.start_year)
        return list(range(lo, self.last_year - length + 2))

    @property
    def illustrative(self) -> bool:
        """The pipeline says it is illustrative (a row's source starts with 'illustrative')."""
        return any(p.source.lower().startswith("illustrative") for p in self.projects)


def prepare_programme(
    spec: AllocationSpec,
    countries: list[str],
    types: list[str],
    pipeline: pd.DataFrame | None,
    known_countries: Iterable[str] | None = None,
    profiles_path: str | Path | None = None,
) -> Programme | None:
    """The programme of ``spec`` (None without one), its pipeline validated against the shortlist.

    Raises
    ------
    InputError
        A pipeline named but not given, a bad pipeline file (naming file, line and column), or a
        project type without a disbursement profile.
    """
    ps = spec.programme
    if ps is None:
        return None
    n = ps.years
    ceil = {
        pool: [float(v) for v in c] if isinstance(c, list) else [float(c)] * n
        for pool, c in (("aid", ps.ceilings.aid), ("investment", ps.ceilings.investment))
    }
    prof = load_profiles(profiles_path)
    for p, text in ps.profiles.items():
        where = f"allocation.programme.profiles[{p}]"
        if p not in types:
            raise InputError(
                f"unknown or disabled project type {p[:40]!r}", where=where, hint="One of: " + ", ".join(types)
            )
        prof[p] = (parse_shares(text, where), "planner override")
        if len(prof[p][0]) > n:
            raise InputError(f"{len(prof[p][0])} disbursement years do not fit a {n}-year programme", where=where)
    lacking = [p for p in types if p not in prof]
    if lacking:
        raise InputError(
            f"no disbursement profile for project type(s) {', '.join(lacking)}",
            where="allocation.programme.profiles",
            hint='Give each type\'s yearly shares, e.g. {"health": "0.5;0.5"} (datasets/disbursement_profiles.csv '
            "has the shipped types)",
        )
    prog = Programme(
        start_year=ps.start_year,
        years=n,
        ceilings=ceil,
        carry_over=bool(ps.carry_over),
        profiles={p: prof[p][0] for p in types},
        profile_source={p: prof[p][1] for p in types},
        pipeline_name=spec.pipeline,
    )
    if spec.pipeline is not None:
        if pipeline is None:
            raise InputError(
                "the pipeline file was not read (the caller passes its table)",
                where="allocation.pipeline",
                hint="Run the scenario from its file (fulcrum reads the pipeline next to it)",
            )
        prog.projects = read_projects(
            pipeline,
            spec.pipeline,
            types=types,
            profiles=prog.profiles,
            first_year=prog.start_year,
            last_year=prog.last_year,
            known_countries=known_countries,
        )
        _mark_out_of_shortlist(prog, set(countries))
        prog.notes = [
            f"Must-fund project {p.project_id} is not applied: {prog.out_of_shortlist[p.project_id]}."
            for p in prog.projects
            if p.must == "fund" and p.project_id in prog.out_of_shortlist
        ]
    return prog


def _mark_out_of_shortlist(prog: Programme, shortlist: set[str]) -> None:
    """Projects in a country off the shortlist cannot be funded, nor those requiring them (transitively);
    a must-fund one among them is an error."""
    why = {p.project_id: f"{p.country} is not on the shortlist" for p in prog.projects if p.country not in shortlist}
    changed = True
    while changed:
        changed = False
        for p in prog.projects:
            if p.project_id in why:
                continue
            bad = [r for r in p.requires if r in why]
            if bad:
                why[p.project_id] = f"requires {bad[0]}, which cannot be funded ({why[bad[0]]})"
                changed = True
    prog.out_of_shortlist = why


class ProgrammeIndex:
    """The programme's variables in one build, and the terms a family builds per-year rows from."""

    def __init__(self, prog: Programme, ctx: _Context) -> None:
        from optimisation.wording import safe_name

        self.prog = prog
        self.ctx = ctx
        prep = ctx.prep
        self.years = prog.year_list
        self.aid_share = dict(prep.aid_share)
        #: (c, p, y) -> envelope commitment variable
        self.z: dict[tuple[str, str, int], pulp.LpVariable] = {}
        for c, p in ctx.pairs:
            for y in prog.starts(len(prog.profiles[p])):
                self.z[c, p, y] = ctx.new_variable(f"z_{safe_name(c)}_{safe_name(p)}_{y}", 0.0)
        self.projects = [p for p in prog.projects if p.project_id not in prog.out_of_shortlist]
        self.by_pair: dict[tuple[str, str], list[Project]] = {}
        for pj in self.projects:
            self.by_pair.setdefault((pj.country, pj.project_type), []).append(pj)
        self.u: dict[str, pulp.LpVariable] = {}
        self.w: dict[tuple[str, int], pulp.LpVariable] = {}
        for k, pj in enumerate(self.projects):
            u = ctx.new_variable(f"u{k}_{safe_name(pj.project_id)[:40]}", binary=True)
            if pj.must == "fund":
                u.lowBound = 1
            elif pj.must == "not":
                u.upBound = 0
            self.u[pj.project_id] = u
            for y in prog.starts(len(pj.shares), pj.start_min):
                self.w[pj.project_id, y] = ctx.new_variable(f"w{k}_{safe_name(pj.project_id)[:40]}_{y}", binary=True)

    # -- the hook for families -------------------------------------------------------------
    def _pool_k(self, p: str, pool: str) -> float:
        a = self.aid_share[p]
        return 1.0 if pool == "total" else (a if pool == "aid" else 1.0 - a)

    def commit_terms(self, c: str, p: str, y: int) -> Terms:
        """Money committed to pair (c, p) starting in year y (envelope and projects), US$M."""
        out: Terms = []
        z = self.z.get((c, p, y))
        if z is not None:
            out.append((z, 1.0))
        for pj in self.by_pair.get((c, p), ()):
            if (pj.project_id, y) in self.w:
                out.append((self.w[pj.project_id, y], pj.commitment))
        return out

    def disbursed_terms(self, c: str, p: str, t: int, pool: str) -> Terms:
        """Money of pair (c, p) disbursed in year t, counted in ``pool`` (total, aid or investment)."""
        out: Terms = []
        prof = self.prog.profiles[p]
        k = self._pool_k(p, pool)
        if k:
            for y in range(max(self.years[0], t - len(prof) + 1), t + 1):
                z = self.z.get((c, p, y))
                if z is not None and prof[t - y]:
                    out.append((z, k * prof[t - y]))
        for pj in self.by_pair.get((c, p), ()):
            if pool not in ("total", pj.pool):
                continue
            for y in self.years:
                w = self.w.get((pj.project_id, y))
                if w is not None and 0 <= t - y < len(pj.shares) and pj.shares[t - y]:
                    out.append((w, pj.commitment * pj.shares[t - y]))
        return out

    def year_terms(self, t: int, pool: str) -> Terms:
        """Everything disbursed in year t, counted in ``pool``."""
        return [term for c, p in self.ctx.pairs for term in self.disbursed_terms(c, p, t, pool)]

    def project_pool_terms(self, c: str, pool: str) -> Terms:
        """What country c's funded projects add to its ``pool`` money beyond their type's aid-share split
        (terms on the fund/no-fund binaries): added to a row over ``pair_terms`` x pool share, each
        project counts in its own pool, as in the budget definitions."""
        out: Terms = []
        if pool == "total":
            return out
        for pj in self.projects:
            if pj.country != c:
                continue
            d = (1.0 if pj.pool == "aid" else 0.0) - self.aid_share[pj.project_type]
            d = d if pool == "aid" else -d
            if d:
                out.append((self.u[pj.project_id], d * pj.commitment))
        return out

    # -- rows -----------------------------------------------------------------------------
    def amend_definitions(self, def_aid: Row, def_investment: Row) -> None:
        """A project's money counts in its own pool, not by its type's aid share."""
        for pj in self.projects:
            a = self.aid_share[pj.project_type]
            d = (1.0 if pj.pool == "aid" else 0.0) - a
            if d:
                u = self.u[pj.project_id]
                def_aid.expr[u] = def_aid.expr.get(u, 0.0) - d * pj.commitment
                def_investment.expr[u] = def_investment.expr.get(u, 0.0) + d * pj.commitment

    def definition_rows(self) -> list[Row]:
        """Pair money = its commitments; a funded project starts in one year; requirements."""
        ctx, rows, by_pair = self.ctx, [], self.by_pair
        for c, p in ctx.pairs:
            terms = ctx.pair_terms(c, p)
            terms += [(self.z[c, p, y], -1.0) for y in self.years if (c, p, y) in self.z]
            terms += [(self.u[pj.project_id], -pj.commitment) for pj in by_pair.get((c, p), [])]
            rows.append(Row(f"commit_{c}_{p}", "definition", "pair money = its commitments", terms, EQ, 0.0))
        for pj in self.projects:
            u = self.u[pj.project_id]
            ws = [(self.w[pj.project_id, y], 1.0) for y in self.years if (pj.project_id, y) in self.w]
            rows.append(
                Row(f"start_{pj.project_id}", "definition", "a funded project starts once", ws + [(u, -1.0)], EQ, 0.0)
            )
            for r in pj.requires:
                rows.append(
                    Row(
                        f"requires_{pj.project_id}_{r}",
                        "definition",
                        f"{pj.project_id} only with {r}",
                        [(u, 1.0), (self.u[r], -1.0)],
                        LE,
                        0.0,
                    )
                )
        return rows

    def carry_variables(self, pool: str) -> list[pulp.LpVariable | None]:
        """Room carried from each year into the next (None: no carry-over, or the last year)."""
        key = f"_carry_{pool}"
        got = getattr(self, key, None)
        if got is None:
            got = [
                self.ctx.new_variable(f"carry_{pool}_{t}", 0.0)
                if self.prog.carry_over and t != self.years[-1]
                else None
                for t in self.years
            ]
            setattr(self, key, got)
        return got

    # -- after the solve ------------------------------------------------------------------
    def chosen(self) -> dict[str, int | None]:
        """Project id -> start year when funded, else None (from the solved values)."""
        out: dict[str, int | None] = {}
        for pj in self.projects:
            out[pj.project_id] = None
            if (self.u[pj.project_id].varValue or 0.0) > 0.5:
                for y in self.years:
                    w = self.w.get((pj.project_id, y))
                    if w is not None and (w.varValue or 0.0) > 0.5:
                        out[pj.project_id] = y
        return out

    def values(self) -> dict[pulp.LpVariable, float]:
        """Solved values of the continuous programme variables (commitments by year, carried room)."""
        vs = list(self.z.values()) + [v for pool in POOLS for v in self.carry_variables(pool) if v is not None]
        return {v: v.varValue or 0.0 for v in vs}

    def pool_correction(self) -> dict[str, float]:
        """What the funded projects add to each pool beyond their type's aid-share split, US$M."""
        aid = 0.0
        for pj in self.projects:
            if (self.u[pj.project_id].varValue or 0.0) > 0.5:
                aid += ((1.0 if pj.pool == "aid" else 0.0) - self.aid_share[pj.project_type]) * pj.commitment
        return {"aid": aid, "investment": -aid}


# ----------------------------------------------------------------------------- results


def disbursements(ix: ProgrammeIndex) -> pd.DataFrame:
    """disbursements.csv: money disbursed per country, type, project (blank: envelope), pool and year."""
    rows: list[dict[str, Any]] = []
    chosen = ix.chosen()
    for c, p in ix.ctx.pairs:
        prof = ix.prog.profiles[p]
        a = ix.aid_share[p]
        per: dict[int, float] = {}
        for y in ix.years:
            z = ix.z.get((c, p, y))
            v = z.varValue if z is not None and z.varValue is not None else 0.0
            if abs(v) < 1e-9:
                continue
            for k, s in enumerate(prof):
                per[y + k] = per.get(y + k, 0.0) + v * s
        for pool, share in (("aid", a), ("investment", 1.0 - a)):
            for t in ix.years:
                m = per.get(t, 0.0) * share
                if m > 1e-9:
                    rows.append({"country": c, "project_type": p, "project_id": "", "pool": pool, "year": t, "musd": m})
        for pj in ix.projects:
            y0 = chosen.get(pj.project_id)
            if pj.country != c or pj.project_type != p or y0 is None:
                continue
            for k, s in enumerate(pj.shares):
                if s > 0:
                    rows.append(
                        {
                            "country": c,
                            "project_type": p,
                            "project_id": pj.project_id,
                            "pool": pj.pool,
                            "year": y0 + k,
                            "musd": pj.commitment * s,
                        }
                    )
    df = pd.DataFrame(rows, columns=DISBURSEMENT_COLUMNS)
    if len(df):
        df["year"] = df["year"].astype(int)
        df = df.sort_values(["year", "country", "project_type", "project_id", "pool"], kind="stable").reset_index(
            drop=True
        )
    return df


def per_year(ix: ProgrammeIndex, disb: pd.DataFrame) -> dict[str, dict[str, float]]:
    """summary.json's per-year totals: disbursed per pool and in total, and each pool's ceiling."""
    out: dict[str, dict[str, float]] = {}
    for i, t in enumerate(ix.years):
        d = disb[disb["year"] == t] if len(disb) else disb
        aid = float(d.loc[d["pool"] == "aid", "musd"].sum()) if len(d) else 0.0
        inv = float(d.loc[d["pool"] == "investment", "musd"].sum()) if len(d) else 0.0
        out[str(t)] = {
            "aid_musd": round(aid, 6),
            "investment_musd": round(inv, 6),
            "total_musd": round(aid + inv, 6),
            "ceiling_aid_musd": ix.prog.ceilings["aid"][i],
            "ceiling_investment_musd": ix.prog.ceilings["investment"][i],
        }
    return out


def _columns(model: AllocationModel) -> dict[int, list[tuple[Row, float]]]:
    """Variable id -> the rows it appears in, with its coefficient."""
    cols: dict[int, list[tuple[Row, float]]] = {}
    for con in model.built.cons:
        for v, k in con.expr.items():
            cols.setdefault(id(v), []).append((con, float(k)))
    return cols


def project_table(model: AllocationModel, duals: Mapping[str, float]) -> pd.DataFrame:
    """projects.csv: selected or not, start year, and why an unselected project lost.

    The reason of a project left out by the optimiser comes from the LP with the binaries fixed (the
    duals ``duals``): the net value of funding it (reduced cost of u_j + w[j,y] at its best start year
    y = benefit of its money in its pair minus the price of every row it uses) and the row whose price
    costs it most, in words (e.g. "aid disbursement ceiling 2027: 0.41 per US$1M x US$ 6M")."""
    ix: ProgrammeIndex = model.built.programme
    prog = ix.prog
    chosen = ix.chosen()
    cols = _columns(model) if duals else {}
    by_id = {p.project_id: p for p in prog.projects}
    rows = []
    for pj in prog.projects:
        pid = pj.project_id
        y0 = chosen.get(pid)
        why = ""
        if pid in prog.out_of_shortlist:
            why = f"cannot be funded: {prog.out_of_shortlist[pid]}"
        elif y0 is None:
            if pj.must == "not":
                why = "excluded by the pipeline file (must = not)"
            else:
                lost = [r for r in pj.requires if chosen.get(r) is None]
                if lost:
                    why = f"requires {lost[0]}, which is not selected"
                elif not duals:
                    why = "not selected (shadow prices unavailable: the LP with binaries fixed did not solve)"
                else:
                    why = _why_not(ix, pj, cols, duals, by_id)
        rows.append(
            {
                "project_id": pid,
                "selected": y0 is not None,
                "start_year": y0 if y0 is not None else None,
                "commitment_musd": pj.commitment,
                "why_not_selected": why,
                "source": pj.source,
            }
        )
    df = pd.DataFrame(rows, columns=PROJECT_COLUMNS)
    df["start_year"] = df["start_year"].astype("Int64")
    return df


def _why_not(
    ix: ProgrammeIndex,
    pj: Project,
    cols: dict[int, list[tuple[Row, float]]],
    duals: Mapping[str, float],
    by_id: Mapping[str, Project],
) -> str:
    """Net value of funding ``pj`` at its best start year (reduced cost, LP with binaries fixed), and the
    row whose shadow price costs it most."""
    u = ix.u[pj.project_id]
    best: tuple[float, int, list[tuple[Row, float]]] | None = None
    for y in ix.years:
        w = ix.w.get((pj.project_id, y))
        if w is None:
            continue
        parts: list[tuple[Row, float]] = []  # (row, value taken by the row: pi x coefficient)
        for v in (u, w):
            for con, k in cols.get(id(v), []):
                if con.name.startswith("start_"):
                    continue  # u and w cancel in their own link row
                pi = duals.get(con.name, float("nan"))
                if math.isnan(pi) or pi == 0:
                    continue
                parts.append((con, pi * k))
        net = -sum(c for _, c in parts)
        if best is None or net > best[0]:
            best = (net, y, parts)
    if best is None:
        return "no start year fits in the programme"
    net, y, parts = best
    costs = [(con, c) for con, c in parts if c > 0 and not con.name.startswith("commit_")]
    value = -sum(c for con, c in parts if con.group == "definition" and con.name.startswith("commit_"))
    tie = abs(net) <= 1e-6 * max(1.0, abs(value))
    if not costs:
        if tie:
            return (
                f"a tie: funding it adds nothing the allocation does not already get (net value 0 at start year "
                f"{y}; its money is worth {value:.4g} in {pj.country} x {pj.project_type}, as much as where it is)"
            )
        return (
            f"funding it whole does not pay or does not fit: net value {net:+.4g} units of benefit "
            f"(its money is worth {value:.4g} in {pj.country} x {pj.project_type}); start {y}"
        )
    con, c = max(costs, key=lambda t: t[1])
    verdict = (
        "at the margin it only breaks even (net value 0), and funded whole it does not fit"
        if tie or net > 0
        else f"net value {net:+.4g}"
    )
    return (
        f"kept out by '{con.label}' (its shadow price costs the project {c:.4g} units of benefit; "
        f"its money is worth {value:.4g} in {pj.country} x {pj.project_type}; {verdict} "
        f"at its best start year {y}, from the LP with binaries fixed)"
    )


def finish(model: AllocationModel, res: AllocationResult, duals: Mapping[str, float]) -> None:
    """Attach the programme's outputs to a solved result and count projects in their own pools."""
    ix: ProgrammeIndex = model.built.programme
    prog = ix.prog
    notes = list(prog.notes) + [
        f"Programme {prog.start_year}-{prog.last_year}: the budgets are the programme's total commitments; "
        "annual disbursements stay within the ceilings"
        + ("; unspent room carries over to the next year." if prog.carry_over else " (no carry-over).")
    ]
    if prog.pipeline_name is not None and prog.illustrative:
        notes.append(ILLUSTRATIVE_NOTE)
    assumed = sorted(p for p, s in prog.profile_source.items() if s.lower().startswith("assumption"))
    if assumed:
        notes.append(
            "Disbursement profiles are assumptions for: "
            + ", ".join(assumed)
            + " (datasets/disbursement_profiles.csv)."
        )
    res.notes += notes
    if not res.ok:
        res.programme = {"notes": notes}
        return
    corr = ix.pool_correction()
    if prog.projects and corr["aid"]:
        _repool(ix, res)
    disb = disbursements(ix)
    res.programme = {
        "disbursements": disb,
        "projects": project_table(model, duals) if prog.pipeline_name is not None else None,
        "per_year": per_year(ix, disb),
        "illustrative": prog.illustrative,
        "carry_over": prog.carry_over,
        "notes": notes,
    }


def _repool(ix: ProgrammeIndex, res: AllocationResult) -> None:
    """Allocation table, totals and pool use with each funded project's money in its own pool."""
    alloc = res.allocation
    chosen = ix.chosen()
    key = {(c, p): i for i, (c, p) in enumerate(zip(alloc["country"], alloc["project_type"], strict=True))}
    aid = alloc["aid_musd"].to_numpy(dtype=float).copy()
    for pj in ix.projects:
        if chosen.get(pj.project_id) is None:
            continue
        d = ((1.0 if pj.pool == "aid" else 0.0) - ix.aid_share[pj.project_type]) * pj.commitment
        aid[key[pj.country, pj.project_type]] += d
    alloc["aid_musd"] = np.maximum(aid, 0.0)
    alloc["investment_musd"] = np.maximum(alloc["total_musd"].to_numpy(dtype=float) - aid, 0.0)
    cols = ["aid_musd", "investment_musd", "total_musd", "benefit"]
    by_country = alloc.groupby("country", sort=False)[cols].sum()
    by_country.insert(0, "priority", res.by_country["priority"].reindex(by_country.index).to_numpy())
    res.by_country = by_country
    res.by_type = alloc.groupby("project_type", sort=False)[cols].sum()
    res.by_pool = {"aid": float(alloc["aid_musd"].sum()), "investment": float(alloc["investment_musd"].sum())}


__all__ = [
    "DISBURSEMENT_COLUMNS",
    "ILLUSTRATIVE_NOTE",
    "PROJECT_COLUMNS",
    "Programme",
    "ProgrammeIndex",
    "disbursements",
    "finish",
    "load_profiles",
    "per_year",
    "prepare_programme",
    "project_table",
]
