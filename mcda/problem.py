"""DecisionProblem: the alternatives x criteria matrix plus criteria metadata, validated once.

Everything downstream (weights, methods, robustness) trusts a DecisionProblem: its values are
float, finite, with no duplicate alternatives, every criterion known and given a direction, no
constant column, and missing cells handled by an explicit policy whose effect is reported.
Peer libraries return all-NaN scores silently on a NaN cell or an all-zero column; here each
gets an InputError naming the row and column, or the stated policy.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from mcda.errors import InputError

DIRECTIONS = ("benefit", "cost")
#: Largest |value| accepted: squares of larger numbers overflow float64 in the methods' normalisations.
MAX_ABS_VALUE = 1e150
IMPUTE_RULES = ("median", "mean", "min", "max", "worst")
MISSING_POLICIES = ("error", "drop_criterion", "drop_alternative") + tuple(f"impute:{r}" for r in IMPUTE_RULES)


@dataclass(frozen=True)
class MissingReport:
    """What the missing-data policy did: the policy, cells found missing, and actions taken."""

    policy: str
    missing_cells: pd.DataFrame  # columns: alternative, criterion
    dropped_criteria: tuple[str, ...] = ()
    dropped_alternatives: tuple[str, ...] = ()
    imputed: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["alternative", "criterion", "rule", "value"])
    )

    @property
    def n_missing(self) -> int:
        return len(self.missing_cells)

    def lines(self) -> list[str]:
        """Plain-language summary, one line per action, for reports and the app."""
        if self.n_missing == 0:
            return [f"Missing-data policy '{self.policy}': no missing values."]
        out = [f"Missing-data policy '{self.policy}': {self.n_missing} missing value(s)."]
        if self.dropped_criteria:
            out.append("Dropped criteria (had missing values): " + ", ".join(self.dropped_criteria) + ".")
        if self.dropped_alternatives:
            out.append("Dropped alternatives (had missing values): " + ", ".join(self.dropped_alternatives) + ".")
        if len(self.imputed):
            for crit, grp in self.imputed.groupby("criterion", sort=True):
                out.append(
                    f"Imputed {crit} by column {grp['rule'].iloc[0]} ({grp['value'].iloc[0]:.4g}) for: "
                    + ", ".join(map(str, grp["alternative"]))
                    + "."
                )
        return out


def _normalise_criteria(criteria: pd.DataFrame | Mapping[str, str] | None, columns: list[str]) -> pd.DataFrame:
    """Accept a DataFrame indexed by criterion id (with `direction`) or a {id: direction} mapping."""
    if criteria is None:
        raise InputError(
            "no criteria metadata given", hint="Pass a table with a direction (benefit or cost) per criterion."
        )
    if isinstance(criteria, Mapping):
        crit = pd.DataFrame({"direction": pd.Series(dict(criteria), dtype=object)})
    elif isinstance(criteria, pd.DataFrame):
        crit = criteria.copy()
        if "direction" not in crit.columns:
            raise InputError(
                "criteria table has no 'direction' column",
                hint="Add a column 'direction' with benefit or cost per criterion.",
            )
    else:
        raise InputError(f"criteria must be a table or a mapping, not {type(criteria).__name__}")
    crit.index = crit.index.map(str)
    crit.index.name = "criterion"
    dup = crit.index[crit.index.duplicated()].unique().tolist()
    if dup:
        raise InputError(
            f"criterion id(s) listed twice: {', '.join(dup)}", where="criteria", hint="Each criterion must appear once."
        )
    unknown = [c for c in columns if c not in crit.index]
    if unknown:
        raise InputError(
            f"unknown criterion: {', '.join(unknown)} (a column of the matrix with no entry in the criteria table)",
            where="matrix columns",
            hint="Add it to the criteria table with a direction, or remove the column.",
        )
    crit = crit.loc[columns]
    direction = crit["direction"].astype(str).str.strip().str.lower()
    bad = direction[~direction.isin(DIRECTIONS)]
    if len(bad):
        cid = bad.index[0]
        raise InputError(
            f"direction '{crit.loc[cid, 'direction']}' is not benefit or cost",
            where=f"criteria, criterion {cid}",
            hint="Use 'benefit' (higher is better) or 'cost' (lower is better).",
        )
    crit["direction"] = direction
    return crit


def _to_float_frame(matrix: pd.DataFrame) -> pd.DataFrame:
    """Convert every column to float, naming the first text cell found (row and column)."""
    if len(matrix.columns) and all(dt == np.float64 for dt in matrix.dtypes):  # already numbers: one 2-D copy
        return pd.DataFrame(matrix.to_numpy(dtype=float, copy=True), index=matrix.index, columns=list(matrix.columns))
    out = {}
    for col in matrix.columns:
        s = matrix[col]
        if (
            pd.api.types.is_complex_dtype(s)
            or pd.api.types.is_datetime64_any_dtype(s)
            or pd.api.types.is_timedelta64_dtype(s)
            or isinstance(s.dtype, pd.PeriodDtype)
        ):
            # astype(float) would silently drop the imaginary part / turn dates into nanoseconds
            raise InputError(
                f"column holds {s.dtype} values, not plain numbers",
                where=f"column {col}",
                hint="Convert it to a number first (e.g. a year as 2020), or switch the criterion off.",
            )
        if pd.api.types.is_bool_dtype(s):
            out[col] = s.astype(float)
            continue
        if pd.api.types.is_numeric_dtype(s):
            out[col] = s.astype(float)
            continue
        conv = pd.to_numeric(s, errors="coerce")
        blank = s.isna() | (s.astype(str).str.strip() == "")
        bad = conv.isna() & ~blank
        if bad.any():
            row = bad.index[int(np.argmax(bad.to_numpy()))]
            raise InputError(
                f"value {s.loc[row]!r} is not a number",
                where=f"row {row}, column {col}",
                hint="Use plain numbers (dot as decimal separator); leave the cell blank if the value is unknown.",
            )
        out[col] = conv.astype(float)
    return pd.DataFrame(out, index=matrix.index)


class DecisionProblem:
    """Alternatives x criteria matrix plus criteria metadata; validated once at construction.

    Parameters
    ----------
    matrix : DataFrame indexed by alternative id (e.g. ISO3), one column per criterion id.
    criteria : DataFrame indexed by criterion id with a ``direction`` column (benefit/cost) and any
        metadata (label, group, unit, source, year), or a mapping {criterion id: direction}.
        Only the matrix's columns are used; extra rows are ignored.
    missing : policy for blank cells: ``error`` (default), ``drop_criterion``, ``drop_alternative``,
        or ``impute:<rule>`` with rule median, mean, min, max or worst (the worst value in the
        column given its direction, a conservative choice); or a mapping {criterion id: policy,
        "default": policy} to set the policy per criterion (drop_alternative rows go first, then
        imputation over the remaining rows).

    Attributes
    ----------
    matrix : DataFrame
        The validated float matrix (index ``alternative``, columns = criterion ids, all finite).
    criteria : DataFrame
        Indexed by criterion id, ``direction`` in {benefit, cost} plus the given metadata.
    values : ndarray
        ``matrix`` as float64, n alternatives x m criteria.
    types : ndarray
        +1 (benefit) / -1 (cost) per criterion.
    alternatives, criterion_ids : list of str
        The row and column ids, in order.
    missing_report : MissingReport
        What the missing-data policy did (text lines and a table).

    Raises
    ------
    InputError
        A matrix that is not a table or has no criteria, duplicate or blank ids, a value that is
        not a number or too large, a criterion without a direction, an unknown missing-data
        policy, or blank cells under ``missing="error"`` (the message names the row and column).
    """

    def __init__(
        self,
        matrix: pd.DataFrame,
        criteria: pd.DataFrame | Mapping[str, str] | None,
        missing: str | Mapping[str, str] = "error",
    ):
        if not isinstance(matrix, pd.DataFrame):
            raise InputError(f"the decision matrix must be a table, not {type(matrix).__name__}")
        if not isinstance(missing, (str, Mapping)):
            raise InputError(
                f"missing-data policy must be a name or a {{criterion: policy}} mapping, not {missing!r}",
                hint="Use one of: " + ", ".join(MISSING_POLICIES) + ".",
            )
        if isinstance(missing, str) and missing not in MISSING_POLICIES:
            raise InputError(
                f"unknown missing-data policy '{missing}'",
                hint="Use one of: " + ", ".join(MISSING_POLICIES) + ".",
            )
        if matrix.shape[1] == 0:
            raise InputError("the decision matrix has no criteria columns", hint="Select at least one criterion.")
        matrix = matrix.copy(deep=False)  # copy-on-write: the caller's frame is never changed
        matrix.columns = [str(c) for c in matrix.columns]
        dup_cols = pd.Index(matrix.columns)[pd.Index(matrix.columns).duplicated()].unique().tolist()
        if dup_cols:
            raise InputError(f"criterion column(s) appear twice: {', '.join(dup_cols)}", where="matrix header")
        if isinstance(matrix.index.dtype, pd.StringDtype):  # ids read as text (mcda.io): stay vectorised
            idx = pd.Index(matrix.index.fillna("").str.strip(), name=None)
        else:
            idx = pd.Index(pd.Series(matrix.index, dtype=object).fillna("").astype(str).str.strip().to_numpy())
        if (idx == "").any():
            pos = int(np.argmax(idx == ""))
            raise InputError(
                "an alternative has no id", where=f"row {pos + 1}", hint="Give every row an id in the first column."
            )
        if idx.has_duplicates:
            dups = idx[idx.duplicated()].unique().tolist()
            raise InputError(
                f"duplicate alternative id(s): {', '.join(dups[:10])}",
                where="first column",
                hint="Each alternative must appear once.",
            )
        matrix.index = pd.Index(idx, name="alternative")
        crit = _normalise_criteria(criteria, list(matrix.columns))
        values = _to_float_frame(matrix)

        arr = values.to_numpy()
        inf = np.isinf(arr)
        if inf.any():
            r, c = np.argwhere(inf)[0]
            raise InputError(
                "value is infinite",
                where=f"row {values.index[r]}, column {values.columns[c]}",
                hint="Replace it with a finite number or leave it blank.",
            )
        values, report = self._apply_missing(values, crit, missing)
        crit = crit.loc[list(values.columns)]
        if values.shape[0] < 2:
            raise InputError(
                f"only {values.shape[0]} alternative(s) left to rank",
                hint="A ranking needs at least two alternatives; check the candidate set and the missing-data policy.",
            )
        if values.shape[1] == 0:
            raise InputError(
                "no criteria left to rank on",
                hint="Every criterion was dropped; switch criteria on or pick another missing-data policy.",
            )
        arr = values.to_numpy(dtype=float)
        # Beyond ~1e154 squares overflow (vector normalisation, distances) and NaN would reach the scores.
        big = np.abs(arr).max(axis=0) > MAX_ABS_VALUE
        if big.any():
            j = int(np.flatnonzero(big)[0])
            c = values.columns[j]
            raise InputError(
                f"criterion {c} has a value too large to compute with "
                f"({np.abs(arr[:, j]).max():.3g}; the limit is {MAX_ABS_VALUE:g})",
                where=f"column {c}",
                hint="Express the column in larger units (e.g. millions) or take its log.",
            )
        span = arr.max(axis=0) - arr.min(axis=0)
        const = np.flatnonzero(span == 0)
        if const.size:
            c = values.columns[const[0]]
            v = arr[0, const[0]]
            what = "is zero for every alternative" if v == 0 else f"has the same value ({v:g}) for every alternative"
            raise InputError(
                f"criterion {c} {what}, so it cannot tell the alternatives apart",
                where=f"column {c}",
                hint="Switch this criterion off or correct the data.",
            )
        self._set(values, crit, report, arr, np.where(crit["direction"].to_numpy() == "benefit", 1, -1))

    def _set(self, matrix: pd.DataFrame, crit: pd.DataFrame, report: MissingReport, arr: Any, types: Any) -> None:
        """Store the validated parts (and the ids as plain lists, read once: pandas string indexes are slow to walk)."""
        self.matrix: pd.DataFrame = matrix
        self.criteria: pd.DataFrame = crit
        self.missing_report: MissingReport = report
        self._values = np.ascontiguousarray(arr, dtype=float)
        self._types = np.asarray(types).astype(np.int8)
        self._alternatives: tuple[str, ...] | None = None  # read from the index on first use
        self._criterion_ids = tuple(matrix.columns.tolist())
        self._derived: dict[Hashable, np.ndarray] = {}

    def derived(self, key: Hashable, compute: Callable[[], np.ndarray]) -> np.ndarray:
        """A weight-free array of this problem (e.g. a method's normalised matrix), computed once.

        The problem never changes after validation, so the array is kept (read-only) and every later
        call with the same ``key`` returns it: scoring many weight vectors pays for it once."""
        arr = self._derived.get(key)
        if arr is None:
            arr = np.asarray(compute())
            arr.setflags(write=False)
            self._derived[key] = arr
        return arr

    # -- missing data ---------------------------------------------------------------------
    @staticmethod
    def _resolve_policies(missing: str | Mapping[str, str], columns: list[str]) -> tuple[dict[str, str], str]:
        """Policy per criterion, and a one-line description of the policy in force."""
        if isinstance(missing, str):
            return dict.fromkeys(columns, missing), missing
        spec = {str(k): str(v) for k, v in dict(missing).items()}
        default = spec.pop("default", "error")
        for k, v in [("default", default), *spec.items()]:
            if v not in MISSING_POLICIES:
                raise InputError(
                    f"unknown missing-data policy '{v}' for {k}",
                    hint="Use one of: " + ", ".join(MISSING_POLICIES) + ".",
                )
        unknown = [k for k in spec if k not in columns]
        if unknown:
            raise InputError(
                f"missing-data policy given for unknown criterion: {', '.join(unknown)}",
                where="missing",
                hint="Name criteria that are in use, or 'default'.",
            )
        desc = f"default {default}" + "".join(f"; {k}: {v}" for k, v in spec.items())
        return {c: spec.get(c, default) for c in columns}, desc

    @staticmethod
    def _apply_missing(
        values: pd.DataFrame, crit: pd.DataFrame, missing: str | Mapping[str, str]
    ) -> tuple[pd.DataFrame, MissingReport]:
        policies, desc = DecisionProblem._resolve_policies(missing, list(values.columns))
        if not np.isnan(values.to_numpy(dtype=float)).any():  # nothing missing: no mask frame to build
            cells = pd.DataFrame({"alternative": values.index[:0], "criterion": values.columns[:0]})
            return values, MissingReport(desc, cells)
        mask = values.isna()
        rows, cols = np.nonzero(mask.to_numpy())
        cells = pd.DataFrame({"alternative": values.index[rows], "criterion": values.columns[cols]})
        if not len(cells):
            return values, MissingReport(desc, cells)
        errors = cells[cells["criterion"].map(policies) == "error"]
        if len(errors):
            first = errors.iloc[0]
            more = f" ({len(cells)} missing cells in all)" if len(cells) > 1 else ""
            raise InputError(
                f"value is missing{more}",
                where=f"row {first['alternative']}, column {first['criterion']}",
                hint="Fill it in, or choose a missing-data policy: drop the criterion, drop the alternative, "
                "or impute by a named rule.",
            )
        has_missing = [c for c in values.columns if mask[c].any()]
        drop_c = tuple(c for c in has_missing if policies[c] == "drop_criterion")
        row_cols = [c for c in has_missing if policies[c] == "drop_alternative"]
        bad_rows = mask[row_cols].any(axis=1) if row_cols else pd.Series(False, index=values.index)
        drop_a = tuple(values.index[bad_rows])
        out = values.loc[~bad_rows].drop(columns=list(drop_c))
        mask = mask.loc[~bad_rows].drop(columns=list(drop_c))
        imputed: list[tuple[str, str, str, float]] = []
        # Filled in numpy and one frame built at the end (a .loc write per column was most of the validation time).
        filled = out.to_numpy(dtype=float, copy=True)
        for j, c in enumerate(out.columns):
            m = mask[c]
            if not m.any():
                continue
            rule = policies[c].split(":", 1)[1]
            col = out[c]
            if m.all():
                raise InputError(
                    f"criterion {c} has no values at all, so nothing can be imputed",
                    where=f"column {c}",
                    hint="Switch this criterion off.",
                )
            if rule == "worst":
                fill = col.min() if crit.loc[c, "direction"] == "benefit" else col.max()
            else:
                fill = getattr(col, rule)()
            filled[m.to_numpy(), j] = fill
            imputed.extend((a, c, rule, float(fill)) for a in out.index[m])
        if imputed:
            out = pd.DataFrame(filled, index=out.index, columns=out.columns)
        return out, MissingReport(
            desc,
            cells,
            dropped_criteria=drop_c,
            dropped_alternatives=drop_a,
            imputed=pd.DataFrame(imputed, columns=["alternative", "criterion", "rule", "value"]),
        )

    # -- constructors ----------------------------------------------------------------------
    @classmethod
    def from_arrays(
        cls,
        values: np.ndarray,
        types: Iterable[int] | np.ndarray,
        alternatives: Iterable[str] | None = None,
        criterion_ids: Iterable[str] | None = None,
        missing: str = "error",
    ) -> DecisionProblem:
        """Build from a numpy matrix and +1 (benefit) / -1 (cost) types; ids default to A1.., C1...

        Parameters
        ----------
        values : ndarray
            n x m matrix of criterion values.
        types : iterable of int
            One +1 (benefit) or -1 (cost) per column.
        alternatives, criterion_ids : iterable of str, optional
            Row and column ids (default ``A1..An`` and ``C1..Cm``).
        missing : str
            Missing-data policy, as for the constructor.

        Returns
        -------
        DecisionProblem

        Raises
        ------
        InputError
            Ids or types that do not match the matrix's shape, or anything the constructor refuses.
        """
        try:
            values = np.asarray(values, dtype=float)
        except (TypeError, ValueError) as e:
            raise InputError(f"the decision matrix must hold numbers only ({e})") from None
        if values.ndim != 2:
            raise InputError(f"the decision matrix must be 2-D, got shape {values.shape}")
        n, m = values.shape
        alts = (
            pd.Index([f"A{i + 1}" for i in range(n)])
            if alternatives is None
            else pd.Index([str(a) for a in alternatives])
        )
        cids = [f"C{j + 1}" for j in range(m)] if criterion_ids is None else [str(c) for c in criterion_ids]
        if len(alts) != n:
            raise InputError(f"{len(alts)} alternative id(s) for a matrix with {n} row(s)", where="alternatives")
        if len(cids) != m:
            raise InputError(f"{len(cids)} criterion id(s) for a matrix with {m} column(s)", where="criterion_ids")
        t = np.asarray(list(types))
        if t.shape != (m,) or not np.isin(t, (1, -1)).all():
            raise InputError(f"types must be {m} values of +1 (benefit) or -1 (cost)")
        crit = {c: ("benefit" if ti == 1 else "cost") for c, ti in zip(cids, t, strict=True)}
        if missing == "error":
            fast = cls._from_clean_arrays(values, alts, cids, t)
            if fast is not None:
                return fast
        return cls(pd.DataFrame(values, index=alts, columns=cids), crit, missing=missing)

    @classmethod
    def _from_clean_arrays(
        cls, values: np.ndarray, alts: pd.Index, cids: list[str], types: np.ndarray
    ) -> DecisionProblem | None:
        """The constructor's result for a matrix that passes every check, built on numpy (~20x faster
        than the column-by-column pandas route); None when any check would fail, so the constructor
        runs and raises its own error naming the row and column."""
        ids = [str(a).strip() for a in alts]
        finite = np.isfinite(values).all()
        if not finite or values.shape[0] < 2 or "" in ids or len(set(ids)) != len(ids) or len(set(cids)) != len(cids):
            return None
        if (np.abs(values).max(axis=0) > MAX_ABS_VALUE).any() or (values.max(axis=0) == values.min(axis=0)).any():
            return None
        index = pd.Index(ids, name="alternative")
        matrix = pd.DataFrame(values.copy(), index=index, columns=pd.Index(cids))
        directions = ["benefit" if ti == 1 else "cost" for ti in types]
        crit = pd.DataFrame({"direction": directions}, index=pd.Index(cids, name="criterion"))
        cells = pd.DataFrame({"alternative": index[:0], "criterion": matrix.columns[:0]})
        problem = cls.__new__(cls)
        problem._set(matrix, crit, MissingReport("error", cells), matrix.to_numpy(), types)
        return problem

    # -- views -----------------------------------------------------------------------------
    @property
    def values(self) -> np.ndarray:
        """float64 n x m matrix (read-only view: do not modify)."""
        return self._values

    @property
    def types(self) -> np.ndarray:
        """+1 for benefit, -1 for cost, one per criterion."""
        return self._types

    @property
    def alternatives(self) -> list[str]:
        if self._alternatives is None:
            self._alternatives = tuple(self.matrix.index.tolist())
        return list(self._alternatives)

    @property
    def criterion_ids(self) -> list[str]:
        return list(self._criterion_ids)

    @property
    def shape(self) -> tuple[int, int]:
        return self._values.shape

    def subset(
        self, alternatives: Iterable[str] | None = None, criteria: Iterable[str] | None = None
    ) -> DecisionProblem:
        """A new validated problem restricted to some alternatives and/or criteria."""
        m = self.matrix
        if alternatives is not None:
            alts = list(alternatives)
            missing = [a for a in alts if a not in m.index]
            if missing:
                raise InputError(f"unknown alternative(s): {', '.join(missing)}")
            m = m.loc[alts]
        if criteria is not None:
            cids = list(criteria)
            missing = [c for c in cids if c not in m.columns]
            if missing:
                raise InputError(f"unknown criterion: {', '.join(missing)}")
            m = m[cids]
        return DecisionProblem(m, self.criteria.loc[list(m.columns)], missing="error")

    def __repr__(self) -> str:
        n, k = self.shape
        return f"DecisionProblem({n} alternatives x {k} criteria, missing={self.missing_report.policy!r})"
