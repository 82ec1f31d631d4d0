"""A linear programme held as numpy arrays and handed to HiGHS in one call: for models far larger
than the planner's (a sub-national plan: hundreds of thousands of variables).

Why PuLP is bypassed here (it stays the modelling layer of the planner's model,
:mod:`optimisation.build`): PuLP makes one Python object per variable and one dict entry per
term, and writes the model out for the solver; at 400,000 variables and millions of terms that
alone takes longer than HiGHS needs to solve the LP. Here, as in linopy, a block of variables is a
range of column indices, a block of rows is three arrays (row, column, coefficient) built by
numpy broadcasting, and HiGHS receives the compressed column matrix directly (highspy).

Usage::

    m = MatrixLP(sense="max")
    x = m.add_vars(lower=0, upper=widths, cost=coef)          # any shape; returns column ids
    m.add_rows(rows, cols, coefs, lower=-inf, upper=budgets)  # COO terms of a block of rows
    result = m.solve()
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from mcda.errors import InputError


@dataclass
class LPResult:
    """Status word (optimal / infeasible / not_solved), column values, objective, seconds in HiGHS
    (wall clock), and HiGHS's own words for the model status."""

    status: str
    x: np.ndarray | None
    objective: float | None
    solve_seconds: float
    highs_status: str = ""


def quiet_highs() -> Any:
    """A HiGHS instance without its banner on standard output (the first one in a process prints it
    from C, past ``sys.stdout``; a command's output must stay its tables)."""
    import os
    import sys

    import highspy

    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no standard output to protect
        return highspy.Highs()
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            return highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)


class MatrixLP:
    """A linear programme assembled from numpy blocks (see the module doc)."""

    def __init__(self, sense: str = "max") -> None:
        if sense not in ("max", "min"):
            raise InputError(f"sense must be 'max' or 'min', got {sense!r}", where="sense")
        self.sense = sense
        self._lo: list[np.ndarray] = []
        self._up: list[np.ndarray] = []
        self._cost: list[np.ndarray] = []
        self._rows: list[np.ndarray] = []
        self._cols: list[np.ndarray] = []
        self._vals: list[np.ndarray] = []
        self._rlo: list[np.ndarray] = []
        self._rup: list[np.ndarray] = []
        self.n_cols = 0
        self.n_rows = 0

    def add_vars(
        self, shape: int | tuple[int, ...], lower: Any = 0.0, upper: Any = np.inf, cost: Any = 0.0
    ) -> np.ndarray:
        """A block of variables of ``shape`` (bounds and costs broadcast to it); returns their column ids."""
        n = int(np.prod(shape))
        ids = np.arange(self.n_cols, self.n_cols + n, dtype=np.int64).reshape(shape)
        self._lo.append(np.broadcast_to(np.asarray(lower, dtype=float), ids.shape).ravel())
        self._up.append(np.broadcast_to(np.asarray(upper, dtype=float), ids.shape).ravel())
        self._cost.append(np.broadcast_to(np.asarray(cost, dtype=float), ids.shape).ravel())
        self.n_cols += n
        return ids

    def add_rows(self, rows: Any, cols: Any, coefs: Any, lower: Any = -np.inf, upper: Any = np.inf) -> np.ndarray:
        """A block of rows: term k adds ``coefs[k]`` x column ``cols[k]`` to the block's row ``rows[k]``
        (0-based within the block; arrays broadcast together); ``lower <= row <= upper`` per row.
        Returns the rows' ids."""
        r, c, v = np.broadcast_arrays(np.asarray(rows, np.int64), np.asarray(cols, np.int64), np.asarray(coefs, float))
        k = int(r.max()) + 1 if r.size else 0
        lo = np.broadcast_to(np.asarray(lower, dtype=float), (k,))
        up = np.broadcast_to(np.asarray(upper, dtype=float), (k,))
        self._rows.append(r.ravel() + self.n_rows)
        self._cols.append(c.ravel())
        self._vals.append(v.ravel())
        self._rlo.append(np.array(lo))
        self._rup.append(np.array(up))
        ids = np.arange(self.n_rows, self.n_rows + k, dtype=np.int64)
        self.n_rows += k
        return ids

    @property
    def n_terms(self) -> int:
        """Number of matrix terms (before duplicates are summed)."""
        return int(sum(a.size for a in self._vals))

    def matrix(self, fmt: str = "csc") -> Any:
        """The constraint matrix as a scipy sparse matrix (duplicate terms summed)."""
        from scipy import sparse

        A = sparse.coo_matrix(
            (np.concatenate(self._vals), (np.concatenate(self._rows), np.concatenate(self._cols))),
            shape=(self.n_rows, self.n_cols),
        ).asformat(fmt)
        A.sum_duplicates()
        return A

    def violation(self, x: Any) -> float:
        """Largest amount by which column values ``x`` break a bound or a row (``lower <= A x <= upper``),
        computed from the blocks as given, not from the solver: 0 when every one holds."""
        x = np.asarray(x, dtype=float)
        if x.shape != (self.n_cols,):
            raise InputError(f"x must have {self.n_cols} values, got shape {x.shape}", where="x")
        ax = self.matrix("csr") @ x
        parts = [
            np.concatenate(self._lo) - x,
            x - np.concatenate(self._up),
            np.concatenate(self._rlo) - ax,
            ax - np.concatenate(self._rup),
        ]
        return float(max(0.0, *(np.max(p, initial=0.0) for p in parts)))

    def highs(self) -> Any:
        """A highspy ``Highs`` holding the model (quiet): the column-compressed matrix in one pass."""
        import highspy

        A = self.matrix("csc")
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = self.n_cols, self.n_rows
        lp.col_cost_ = np.concatenate(self._cost)
        lp.col_lower_ = np.concatenate(self._lo)
        lp.col_upper_ = np.concatenate(self._up)
        lp.row_lower_ = np.concatenate(self._rlo)
        lp.row_upper_ = np.concatenate(self._rup)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = A.indptr.astype(np.int32)
        lp.a_matrix_.index_ = A.indices.astype(np.int32)
        lp.a_matrix_.value_ = A.data
        lp.sense_ = highspy.ObjSense.kMaximize if self.sense == "max" else highspy.ObjSense.kMinimize
        h = quiet_highs()
        h.setOptionValue("output_flag", False)
        h.passModel(lp)
        return h

    def solve(
        self, h: Any = None, time_limit_s: float | None = None, options: dict[str, Any] | None = None
    ) -> LPResult:
        """Solve with HiGHS (``h`` from :meth:`highs`, or a new one); ``options`` are HiGHS options by name."""
        import highspy

        h = self.highs() if h is None else h
        if time_limit_s is not None:
            h.setOptionValue("time_limit", float(time_limit_s))
        for name, value in (options or {}).items():
            if h.setOptionValue(name, value) != highspy.HighsStatus.kOk:
                raise InputError(f"HiGHS option {name}={value!r} was refused", where=name)
        t0 = time.perf_counter()
        ran = h.run()
        secs = time.perf_counter() - t0
        st = h.getModelStatus()
        said = h.modelStatusToString(st)
        if ran == highspy.HighsStatus.kError:  # e.g. a new ``threads`` once HiGHS's scheduler has started
            return LPResult("not_solved", None, None, secs, f"run refused ({said})")
        if st == highspy.HighsModelStatus.kOptimal:
            x = np.asarray(h.getSolution().col_value, dtype=float)
            return LPResult("optimal", x, float(h.getInfo().objective_function_value), secs, said)
        word = "infeasible" if st == highspy.HighsModelStatus.kInfeasible else "not_solved"
        return LPResult(word, None, None, secs, said)


__all__ = ["LPResult", "MatrixLP", "quiet_highs"]
