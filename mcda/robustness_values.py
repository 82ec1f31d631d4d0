"""Data uncertainty for SMAA: criterion values sampled from each source's stated standard deviation.

SMAA-2 (Lahdelma & Salminen 2001) treats the criterion values as random as well as the weights.
Here a value is random only where its source states a measurement error: a table of
``id, criterion, sd[, year]`` rows (the shipped one is ``datasets/uncertainty.csv``, the World
Bank governance indicators' standard errors) gives, per alternative and criterion, the standard
deviation of a **normal** distribution centred on the value in the problem. Every other value is
exact (sd 0). Nothing is truncated: a WGI estimate is itself a normal-model estimate on an
unbounded scale.

Optional widening for old values (off by default): with a rate ``r`` > 0 each stated sd is used as
``sd * (1 + r * max(0, reference_year - year))``, where ``year`` is the year the value (and its sd)
belong to and ``reference_year`` is the newest year stated for that criterion in the table (or
one given). So a 10-year-old survey value with r = 0.1 counts as twice as uncertain as a current one.

How a sample is drawn (the seeded stream, so an independent check can replay it): for each
block of samples, after the block's weight vectors, a ``(k x c)`` block of standard normals
``Z`` from the same generator, one column per uncertain cell in row-major order (alternative,
then criterion, in the problem's order); sample ``s`` of the block has values
``X + sd * Z[s]`` on those cells and ``X`` elsewhere. Each sampled matrix is prepared by the
method and scored with its weight vector (the method's own ``prepare`` and ``score_prepared``:
correct for every registered method; the per-sample cost is one preparation), or, for a method
with a stacked form ``sampled_scores(X, types, W)`` (TOPSIS, WSM), whole stacks of sampled
matrices at once (the same arithmetic per slice, vectorised).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd

from mcda.errors import InputError
from mcda.text import safe_repr

#: uncertain cells' normals drawn at once at most (memory bound: rows x cells)
Z_CHUNK_CELLS = 2_000_000
#: values in one stack of sampled matrices scored at once (memory bound: 16 MB of float64)
STACK_ELEMENTS = 2_000_000
REQUIRED_COLUMNS = ("id", "criterion", "sd")


@dataclass(frozen=True)
class ValueUncertainty:
    """Per-cell standard deviations of a problem's values (0 = exact) and how they were set."""

    base: np.ndarray  # (n x m) the problem's values
    sd: np.ndarray  # (n x m) standard deviation used (after any widening); 0 = exact
    alternatives: tuple[str, ...]
    criterion_ids: tuple[str, ...]
    widen_rate: float = 0.0
    source: str = "uncertainty table"
    notes: tuple[str, ...] = ()
    cells: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)  # alternative, criterion, sd, year, sd_used

    @property
    def n_cells(self) -> int:
        """How many values are sampled (sd > 0)."""
        return int((self.sd > 0).sum())

    @property
    def measured_criteria(self) -> list[str]:
        """Criteria with at least one value carrying a stated (non-zero) uncertainty, in problem order."""
        return [c for j, c in enumerate(self.criterion_ids) if (self.sd[:, j] > 0).any()]

    @property
    def exact_criteria(self) -> list[str]:
        """Criteria whose values are all exact (no stated uncertainty)."""
        measured = set(self.measured_criteria)
        return [c for c in self.criterion_ids if c not in measured]

    def describe(self) -> str:
        """One sentence for reports: what is sampled, how, from which table."""
        if not self.n_cells:
            return f"criterion values exact (no stated uncertainty in {self.source} for the criteria in use)"
        widen = (
            f", widened by {self.widen_rate:g} per year of age of the value"
            if self.widen_rate > 0
            else ", not widened for age"
        )
        return (
            f"criterion values sampled: normal with the stated standard deviation ({self.source}"
            f"{self.years_said()}) for "
            f"{self.n_cells} value(s) of {', '.join(self.measured_criteria)}{widen}; other criteria exact"
        )

    def sd_years(self) -> list[int]:
        """The years the stated sd of the sampled values belong to (the table's ``year`` column), sorted."""
        if self.cells.empty or "year" not in self.cells:
            return []
        used = self.cells[self.cells["sd_used"] > 0]
        return sorted({int(y) for y in used["year"] if y is not None and not pd.isna(y)})

    def years_said(self) -> str:
        """'; the sd stated are those of the 2023 values' (the shipped WGI table), '' without years."""
        ys = self.sd_years()
        if not ys:
            return ""
        return "; the sd stated are those of the " + ", ".join(str(y) for y in ys) + " values"

    def _index(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        rows, cols = np.nonzero(self.sd > 0)  # row-major: alternative, then criterion
        return rows, cols, self.sd[rows, cols]

    def normals(self, k: int, rng: np.random.Generator) -> np.ndarray:
        """The ``(k x c)`` standard normals of a block (drawn in row chunks: the same numbers)."""
        c = self.n_cells
        if c == 0:
            return np.zeros((k, 0))
        step = max(1, Z_CHUNK_CELLS // c)
        if k <= step:
            return rng.standard_normal((k, c))
        return np.vstack([rng.standard_normal((min(step, k - a), c)) for a in range(0, k, step)])

    def stack(self, Z: np.ndarray) -> np.ndarray:
        """The ``(k x n x m)`` stack of matrices sampled with the rows of ``Z``."""
        rows, cols, sd = self._index()
        X = np.repeat(self.base[None, :, :], Z.shape[0], axis=0)
        X[:, rows, cols] += sd * Z
        return X

    def matrices(self, Z: np.ndarray) -> Any:
        """Yield the sampled ``(n x m)`` value matrices, one per row of ``Z``."""
        rows, cols, sd = self._index()
        for z in Z:
            X = self.base.copy()
            X[rows, cols] += sd * z
            yield X


def _sample_problem(problem: Any, X: np.ndarray) -> Any:
    """The attributes a method's ``prepare`` reads, for one sampled matrix (no re-validation)."""
    return SimpleNamespace(
        values=X,
        types=problem.types,
        criterion_ids=problem.criterion_ids,
        alternatives=problem.alternatives,
        matrix=SimpleNamespace(columns=problem.matrix.columns),
    )


def _prepare(scorer: Any, problem: Any, X: np.ndarray) -> Any:
    """``method.prepare`` of a sampled matrix; a sample the method refuses is named as such."""
    try:
        return scorer.method.prepare(_sample_problem(problem, X))
    except InputError as e:
        raise InputError(
            f"a sampled value does not suit {scorer.label}: {e.message}",
            where="data uncertainty",
            hint="The sampled values can fall outside what this method accepts (e.g. values <= 0); "
            "use a method that accepts any real value (e.g. TOPSIS with min-max normalisation) or sample "
            "only the weights.",
        ) from None


def _need_contract(scorer: Any) -> None:
    if scorer.prepared is None:
        raise InputError(
            f"method {scorer.label} cannot score sampled data (it has no prepare/score_prepared)",
            where="method",
            hint="Use a registered method.",
        )


def _loop_scores(scorer: Any, values: ValueUncertainty, W: np.ndarray, Z: np.ndarray) -> np.ndarray:
    """The generic form: each sampled matrix prepared by the method, then scored with its weight row."""
    out = np.empty((W.shape[0], values.base.shape[0]))
    for s, X in enumerate(values.matrices(Z)):
        out[s] = scorer.method.score_prepared(_prepare(scorer, scorer.problem, X), W[s])
    return out


def sample_scores(
    scorer: Any, values: ValueUncertainty, W: np.ndarray, Z: np.ndarray, allow_stacked: bool = True
) -> np.ndarray:
    """``(k x n)`` scores: sample ``s`` = weight row ``W[s]`` on the matrix sampled with ``Z[s]``.

    A method with a ``sampled_scores(X, types, W)`` form (TOPSIS, WSM) scores stacks of sampled
    matrices at once (equal to the generic form to 1e-12, ``tests/mcda/test_robustness_values.py``);
    any other method, or a stack the form declines, is prepared and scored sample by sample.
    """
    _need_contract(scorer)
    stacked = getattr(scorer.method, "sampled_scores", None) if allow_stacked else None
    if stacked is None or values.n_cells == 0:
        return _loop_scores(scorer, values, W, Z)
    k = W.shape[0]
    n, m = values.base.shape
    step = max(1, STACK_ELEMENTS // (n * m))
    out = np.empty((k, n))
    for a in range(0, k, step):
        b = min(k, a + step)
        got = stacked(values.stack(Z[a:b]), scorer.problem.types, W[a:b])
        out[a:b] = got if got is not None else _loop_scores(scorer, values, W[a:b], Z[a:b])
    return out


def sample_scores_many(
    scorer: Any, values: ValueUncertainty, Wc: np.ndarray, Z: np.ndarray, allow_stacked: bool = True
) -> np.ndarray:
    """``(k x h x n)`` scores of ``h`` fixed weight vectors on each of ``k`` sampled matrices."""
    _need_contract(scorer)
    k, h, n = Z.shape[0], Wc.shape[0], values.base.shape[0]
    if getattr(scorer.method, "sampled_scores", None) is not None and allow_stacked and values.n_cells:
        # each sampled matrix once per weight vector: (k*h) slices, sample-major
        Zr = np.repeat(Z, h, axis=0)
        Wr = np.tile(Wc, (k, 1))
        return sample_scores(scorer, values, Wr, Zr).reshape(k, h, n)
    out = np.empty((k, h, n))
    for s, X in enumerate(values.matrices(Z)):
        out[s] = scorer.method.batch_scores(_prepare(scorer, scorer.problem, X), Wc)
    return out


# --------------------------------------------------------------------------- the table


def _cell_number(v: Any) -> float | None:
    """A cell as a float; None when blank; raises ValueError when it is text."""
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return None
    if isinstance(v, str):
        if v.strip() == "":
            return None
        return float(v.strip())
    return float(v)


def value_uncertainty(
    problem: Any,
    table: pd.DataFrame,
    *,
    known_ids: Sequence[str] | None = None,
    known_criteria: Sequence[str] | None = None,
    widen_rate: float = 0.0,
    reference_year: int | None = None,
    source: str = "uncertainty table",
    where: str = "uncertainty table",
) -> ValueUncertainty:
    """Validate an uncertainty table against a problem and build its per-cell standard deviations.

    Parameters
    ----------
    problem : DecisionProblem
    table : DataFrame
        Columns ``id, criterion, sd`` and optionally ``year`` (and any others, e.g. ``source``, ignored);
        cells as read (text or numbers). Row ``i`` is reported as line ``i + 2`` (header = line 1).
    known_ids, known_criteria : the ids / criteria a row may name (default: the problem's). Rows naming
        a known id or criterion that is not in the problem (not a candidate, not switched on, dropped
        by the missing-data policy) are ignored; rows naming anything else are an error.
    widen_rate : r >= 0, the widening per year of age (see the module doc); 0 = off.
    reference_year : the year ages are counted to (default: per criterion, the newest year in the table).
    source : how reports name the table.
    where : how errors name the table (a file path).

    Raises
    ------
    InputError
        A missing column, a blank or unknown id or criterion, an sd that is not a finite number >= 0,
        a year that is not a whole number (or is missing while widening is on), a repeated
        (id, criterion) pair — each naming the line and column.
    """
    try:
        r = float(widen_rate)
    except (TypeError, ValueError):
        raise InputError(f"widening rate must be a number, not {safe_repr(widen_rate)}", where="widen_rate") from None
    if not np.isfinite(r) or r < 0:
        raise InputError(f"widening rate must be a finite number >= 0, got {widen_rate}", where="widen_rate")
    cols = [str(c).strip().lower() for c in table.columns]
    t = table.copy()
    t.columns = cols
    missing = [c for c in REQUIRED_COLUMNS if c not in cols]
    if missing:
        raise InputError(
            f"missing column(s): {', '.join(missing)}",
            where=where,
            hint="An uncertainty table needs the columns id,criterion,sd (and optionally year).",
        )
    alts = [str(a) for a in problem.alternatives]
    cids = [str(c) for c in problem.criterion_ids]
    ids_ok = set(alts) | {str(i) for i in (known_ids or ())}
    crit_ok = set(cids) | {str(c) for c in (known_criteria or ())}
    a_pos = {a: i for i, a in enumerate(alts)}
    c_pos = {c: j for j, c in enumerate(cids)}
    has_year = "year" in cols
    records: list[tuple[int, int, float, float | None, int]] = []
    seen: dict[tuple[str, str], int] = {}
    for i, row in enumerate(t.to_dict("records")):
        line = i + 2
        at = f"{where}, line {line}"
        aid = "" if row["id"] is None or pd.isna(row["id"]) else str(row["id"]).strip()
        cid = "" if row["criterion"] is None or pd.isna(row["criterion"]) else str(row["criterion"]).strip()
        if not aid:
            raise InputError("id is missing", where=f"{at}, column id", hint="Name the alternative (e.g. ISO3).")
        if not cid:
            raise InputError("criterion is missing", where=f"{at}, column criterion", hint="Name the criterion.")
        if aid not in ids_ok:
            raise InputError(
                f"unknown id {safe_repr(aid, 40)} (not an alternative of the data)",
                where=f"{at}, column id",
                hint="Use the ids of the decision matrix's first column.",
            )
        if cid not in crit_ok:
            raise InputError(
                f"unknown criterion {safe_repr(cid, 40)} (not a criterion of the data)",
                where=f"{at}, column criterion",
                hint="Use a criterion id of the decision matrix.",
            )
        key = (aid, cid)
        if key in seen:
            raise InputError(
                f"{aid} / {cid} is listed twice (first on line {seen[key]})",
                where=f"{at}, column criterion",
                hint="Give one sd per alternative and criterion.",
            )
        seen[key] = line
        try:
            sd = _cell_number(row["sd"])
        except (TypeError, ValueError):
            raise InputError(
                f"sd {safe_repr(row['sd'], 40)} is not a number",
                where=f"{at}, column sd",
                hint="Give the standard deviation as a plain number >= 0 (dot as decimal separator).",
            ) from None
        if sd is None:
            raise InputError(
                "sd is missing",
                where=f"{at}, column sd",
                hint="Give a number >= 0, or leave the row out (the value is then exact).",
            )
        if not np.isfinite(sd):
            raise InputError(f"sd {sd} is not a finite number", where=f"{at}, column sd", hint="Give a number >= 0.")
        if sd < 0:
            raise InputError(
                f"sd {sd:g} is negative", where=f"{at}, column sd", hint="A standard deviation is a number >= 0."
            )
        year: float | None = None
        if has_year:
            try:
                year = _cell_number(row["year"])
            except (TypeError, ValueError):
                year = np.nan
            if year is not None and not (np.isfinite(year) and year == int(year) and 1000 <= year <= 9999):
                raise InputError(
                    f"year {safe_repr(row['year'], 40)} is not a whole four-digit year",
                    where=f"{at}, column year",
                    hint="Give the year the value and its sd belong to, e.g. 2023, or leave it blank.",
                )
        if r > 0 and year is None:
            raise InputError(
                "year is missing, and widening for age needs it",
                where=f"{at}, column year",
                hint="Give the year of the value, or switch the widening off.",
            )
        if aid in a_pos and cid in c_pos:
            records.append((a_pos[aid], c_pos[cid], sd, year, line))
    n, m = len(alts), len(cids)
    sd_used = np.zeros((n, m))
    rows = []
    notes: list[str] = []
    imputed = getattr(getattr(problem, "missing_report", None), "imputed", None)
    imputed_cells = (
        {(str(a), str(c)) for a, c in zip(imputed["alternative"], imputed["criterion"], strict=True)}
        if imputed is not None and len(imputed)
        else set()
    )
    newest: dict[int, float] = {}
    for _i, j, _sd, y, _ln in records:
        if y is not None:
            newest[j] = max(newest.get(j, y), y)
    kept_exact = []
    for i, j, sd, y, _ln in records:
        if (alts[i], cids[j]) in imputed_cells:
            kept_exact.append(f"{alts[i]}/{cids[j]}")
            continue
        used = sd
        if r > 0 and y is not None:
            ref = float(reference_year) if reference_year is not None else newest[j]
            used = sd * (1.0 + r * max(0.0, ref - y))
        sd_used[i, j] = used
        rows.append({"alternative": alts[i], "criterion": cids[j], "sd": sd, "year": y, "sd_used": used})
    if kept_exact:
        notes.append(
            "Imputed values are kept exact (their stated sd belongs to no observed value): " + ", ".join(kept_exact)
        )
    cells = pd.DataFrame(rows, columns=["alternative", "criterion", "sd", "year", "sd_used"])
    return ValueUncertainty(
        base=np.asarray(problem.values, dtype=float),
        sd=sd_used,
        alternatives=tuple(alts),
        criterion_ids=tuple(cids),
        widen_rate=r,
        source=source,
        notes=tuple(notes),
        cells=cells,
    )


def measured_criteria_table(table: pd.DataFrame) -> pd.DataFrame:
    """Per criterion of an uncertainty table: how many values carry an sd, its range, years and source."""
    t = table.copy()
    t.columns = [str(c).strip().lower() for c in t.columns]
    t["sd"] = pd.to_numeric(t["sd"], errors="coerce")
    agg: dict[str, Any] = {"values": ("sd", "size"), "sd_min": ("sd", "min"), "sd_max": ("sd", "max")}
    if "year" in t.columns:
        agg["years"] = ("year", lambda s: ", ".join(sorted({str(v) for v in s.dropna()})))
    if "source" in t.columns:
        agg["source"] = ("source", lambda s: "; ".join(sorted({str(v) for v in s.dropna()})))
    return t.groupby("criterion", sort=True).agg(**agg).reset_index()
