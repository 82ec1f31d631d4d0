"""AHP pairwise judgement matrices: validation, priorities, consistency, diagnostics, CSV input.

A judgement a_ij says "item i is a_ij times as important as item j" (Saaty's fundamental scale
1..9 and reciprocals). This module turns a matrix of such judgements into priorities:

* ``eigen``: the normalised principal (Perron) eigenvector, Saaty's method;
* ``geometric``: the normalised row geometric means (logarithmic least squares, Crawford &
  Williams 1985). Both give w_i/w_j exactly when the matrix is consistent.

Consistency: lambda_max is always the principal eigenvalue of the matrix (a property of the
judgements, whichever priority method is chosen); CI = (lambda_max - n)/(n - 1); CR = CI/RI with
RI from a *named* random-index table (``RI_TABLES``; Saaty 1980 by default). For n <= 2 every
reciprocal matrix is consistent and CR = 0 by definition. Beyond the largest n a table lists, RI is
held at the table's last value (random indices grow with n, so this slightly *overstates* CR — a
conservative choice) and the result says so in ``ri_note``; ``donegan_dodd1991`` goes to n = 100.

Above the CR threshold (0.10 by default) an ``InconsistentJudgementsWarning`` is emitted and the
result lists the judgements that contribute most to the inconsistency, ranked by the
Saaty/Harker error |ln(a_ij * w_j / w_i)|, each with the consistent value w_i/w_j, the nearest
value on the 1/9..9 scale, and the CR obtained if that single judgement were changed to it.

Group judgements (several experts) and the two-level criteria hierarchy live in
``mcda.ahp_hierarchy``; AHP as a ranking method lives in ``mcda.methods.ahp``. Their public names
are re-exported here.
"""

from __future__ import annotations

import csv
import io
import math
import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from mcda.errors import InconsistentJudgementsWarning, InputError

# ---------------------------------------------------------------------------------------------
# Random-index tables. Keys: n (matrix order). Each table is a named, cited dataset.
# ---------------------------------------------------------------------------------------------

#: Saaty, T.L. (1980) *The Analytic Hierarchy Process*, McGraw-Hill (Oak Ridge / Wharton
#: simulations). The widely reproduced table, including its non-monotone 1.48 at n = 12.
_RI_SAATY_1980 = {
    1: 0.0,
    2: 0.0,
    3: 0.58,
    4: 0.90,
    5: 1.12,
    6: 1.24,
    7: 1.32,
    8: 1.41,
    9: 1.45,
    10: 1.49,
    11: 1.51,
    12: 1.48,
    13: 1.56,
    14: 1.57,
    15: 1.59,
}
#: Saaty, T.L. (2005) *Theory and Applications of the Analytic Network Process*, RWS, p. 31.
_RI_SAATY_2005 = {
    1: 0.0,
    2: 0.0,
    3: 0.52,
    4: 0.89,
    5: 1.11,
    6: 1.25,
    7: 1.35,
    8: 1.40,
    9: 1.45,
    10: 1.49,
    11: 1.52,
    12: 1.54,
    13: 1.56,
    14: 1.58,
    15: 1.59,
}
#: Alonso, J.A. & Lamata, M.T. (2006) Consistency in the analytic hierarchy process: a new
#: approach. Int. J. Uncertainty, Fuzziness and Knowledge-Based Systems 14(4):445-459
#: (100,000 random matrices per n).
_RI_ALONSO_LAMATA_2006 = {
    1: 0.0,
    2: 0.0,
    3: 0.5245,
    4: 0.8815,
    5: 1.1086,
    6: 1.2479,
    7: 1.3417,
    8: 1.4056,
    9: 1.4499,
    10: 1.4854,
    11: 1.5141,
    12: 1.5365,
    13: 1.5551,
    14: 1.5713,
    15: 1.5838,
}
#: Tummala, V.M.R. & Ling, H. (1998) A note on the computation of the mean random consistency
#: index of the AHP. Theory and Decision 44(3):221-230 (the table pymcdm 1.4 uses).
_RI_TUMMALA_LING_1998 = {
    1: 0.0,
    2: 0.0,
    3: 0.5799,
    4: 0.8921,
    5: 1.1159,
    6: 1.2358,
    7: 1.3322,
    8: 1.3952,
    9: 1.4537,
    10: 1.4882,
    11: 1.5117,
    12: 1.5356,
    13: 1.5571,
    14: 1.5714,
    15: 1.5831,
}
#: Donegan, H.A. & Dodd, F.J. (1991) A note on Saaty's random indexes. Mathematical and Computer
#: Modelling 15(10):135-137. Tabulated to n = 20, then at 25, 30, ..., 100; between listed orders
#: RI is interpolated linearly.
_RI_DONEGAN_DODD_1991 = {
    1: 0.0,
    2: 0.0,
    3: 0.4914,
    4: 0.8286,
    5: 1.0591,
    6: 1.1797,
    7: 1.2519,
    8: 1.3171,
    9: 1.3733,
    10: 1.4055,
    11: 1.4213,
    12: 1.4497,
    13: 1.4643,
    14: 1.4822,
    15: 1.4969,
    16: 1.5078,
    17: 1.5153,
    18: 1.5262,
    19: 1.5313,
    20: 1.5371,
    25: 1.5619,
    30: 1.5772,
    40: 1.5976,
    50: 1.6102,
    60: 1.6178,
    70: 1.6237,
    80: 1.6277,
    90: 1.6213,
    100: 1.6339,
}

RI_TABLES: dict[str, dict[int, float]] = {
    "saaty1980": _RI_SAATY_1980,
    "saaty2005": _RI_SAATY_2005,
    "alonso_lamata2006": _RI_ALONSO_LAMATA_2006,
    "tummala_ling1998": _RI_TUMMALA_LING_1998,
    "donegan_dodd1991": _RI_DONEGAN_DODD_1991,
}
RI_TABLE_SOURCES: dict[str, str] = {
    "saaty1980": "Saaty (1980) The Analytic Hierarchy Process, McGraw-Hill",
    "saaty2005": "Saaty (2005) Theory and Applications of the Analytic Network Process, RWS, p.31",
    "alonso_lamata2006": "Alonso & Lamata (2006) IJUFKS 14(4):445-459",
    "tummala_ling1998": "Tummala & Ling (1998) Theory and Decision 44(3):221-230",
    "donegan_dodd1991": "Donegan & Dodd (1991) Math. Comput. Modelling 15(10):135-137",
}
DEFAULT_RI_TABLE = "saaty1980"
#: Short names accepted for the tables (command line, scenario files).
RI_ALIASES = {
    "saaty": "saaty1980",
    "saaty_1980": "saaty1980",
    "saaty_2005": "saaty2005",
    "alonso": "alonso_lamata2006",
    "alonso_lamata": "alonso_lamata2006",
    "alonso-lamata": "alonso_lamata2006",
    "tummala": "tummala_ling1998",
    "tummala_ling": "tummala_ling1998",
    "pymcdm": "tummala_ling1998",
    "dd": "donegan_dodd1991",
    "donegan_dodd": "donegan_dodd1991",
    "donegan-dodd": "donegan_dodd1991",
}


def resolve_ri_table(table: str) -> str:
    """Canonical table name for a name or alias (``saaty`` -> ``saaty1980``); InputError if unknown."""
    key = str(table).strip().lower()
    key = RI_ALIASES.get(key, key)
    if key not in RI_TABLES:
        raise InputError(
            f"unknown random-index table '{table}'",
            where="ri_table",
            hint="Use one of: " + ", ".join(RI_TABLES) + " (or saaty, alonso, dd, tummala).",
        )
    return key


DEFAULT_CR_THRESHOLD = 0.10
METHODS = ("eigen", "geometric")

#: Saaty's fundamental scale and reciprocals (used to round suggested judgements).
SAATY_SCALE = np.array([1 / 9, 1 / 8, 1 / 7, 1 / 6, 1 / 5, 1 / 4, 1 / 3, 1 / 2, 1, 2, 3, 4, 5, 6, 7, 8, 9])
_SCALE_LABELS = ["1/9", "1/8", "1/7", "1/6", "1/5", "1/4", "1/3", "1/2", "1", "2", "3", "4", "5", "6", "7", "8", "9"]

#: Relative tolerance for reciprocity (a_ij * a_ji = 1), diagonal = 1, and the 1/9..9 bounds.
#: 1 % lets people type 0.333 or 0.33 for 1/3 and 0.111 for 1/9.
DEFAULT_TOL = 0.01


def random_index(n: int, table: str = DEFAULT_RI_TABLE) -> tuple[float, str]:
    """RI for a matrix of order ``n`` from the named table, and a note saying how it was obtained.

    Listed n: the table value. Between listed n (Donegan & Dodd beyond 20): linear interpolation.
    Beyond the largest listed n: the last value, held (stated in the note; CR slightly overstated).
    """
    table = resolve_ri_table(table)
    if n < 1:
        raise InputError(f"matrix order must be at least 1, got {n}")
    t = RI_TABLES[table]
    if n in t:
        return float(t[n]), f"RI({n}) = {t[n]} from {table} ({RI_TABLE_SOURCES[table]})"
    keys = sorted(t)
    top = keys[-1]
    if n > top:
        return float(t[top]), (
            f"{table} lists RI up to n = {top}; for n = {n} RI is held at RI({top}) = {t[top]} "
            "(random indices grow with n, so this slightly overstates CR). "
            "Use ri_table='donegan_dodd1991' for n up to 100."
        )
    lo = max(k for k in keys if k < n)
    hi = min(k for k in keys if k > n)
    ri = t[lo] + (t[hi] - t[lo]) * (n - lo) / (hi - lo)
    return float(ri), f"RI({n}) interpolated linearly between RI({lo}) = {t[lo]} and RI({hi}) = {t[hi]} of {table}"


# ---------------------------------------------------------------------------------------------
# Building and checking judgement matrices
# ---------------------------------------------------------------------------------------------

_FRACTION_RE = re.compile(r"^\s*([+-]?\d+(?:\.\d*)?|[+-]?\.\d+)\s*/\s*([+-]?\d+(?:\.\d*)?|[+-]?\.\d+)\s*$")


def parse_judgement(value: Any, *, where: str | None = None) -> float:
    """A judgement as a float: numbers, numeric strings, and fractions such as ``"1/3"``."""
    if isinstance(value, bool):
        raise InputError(f"judgement {value!r} is not a number", where=where)
    if isinstance(value, (int, float, np.integer, np.floating, Fraction)):
        return float(value)
    if isinstance(value, str):
        s = value.strip()
        if not s:
            raise InputError("judgement is empty", where=where, hint="Enter a number such as 3 or 1/3.")
        m = _FRACTION_RE.match(s)
        if m:
            num, den = float(m.group(1)), float(m.group(2))
            if den == 0:
                raise InputError(f"judgement '{s}' divides by zero", where=where)
            return num / den
        try:
            return float(s)
        except ValueError:
            raise InputError(f"judgement '{s}' is not a number or a fraction like 1/3", where=where) from None
    raise InputError(f"judgement {value!r} is not a number", where=where)


def _names(labels: Iterable[Any]) -> list[str]:
    return [str(x).strip() for x in labels]


def validate_matrix(
    matrix: pd.DataFrame | np.ndarray | Sequence[Sequence[Any]],
    names: Sequence[str] | None = None,
    *,
    allow_extended_scale: bool = False,
    tol: float = DEFAULT_TOL,
    source: str | None = None,
) -> pd.DataFrame:
    """Check a full pairwise judgement matrix and return it as a float DataFrame (names on both axes).

    Checks, in order: square; row and column names the same items (columns are reordered to the
    row order when only the order differs); every cell a positive finite number (fractions like
    "1/3" accepted); diagonal 1; reciprocity a_ij * a_ji = 1 within ``tol`` (relative); every
    judgement on Saaty's 1/9..9 scale unless ``allow_extended_scale``. Each failure is an
    InputError naming the pair. The returned matrix is made exactly reciprocal by
    a_ij := sqrt(a_ij / a_ji) (a no-op for exactly reciprocal input).
    """
    src = f"{source}: " if source else ""
    if isinstance(matrix, pd.DataFrame):
        df = matrix.copy()
        rows, cols = _names(df.index), _names(df.columns)
        if names is not None:
            raise InputError("give item names either as the table's labels or as `names`, not both")
    else:
        arr = np.asarray(matrix, dtype=object)
        if arr.ndim != 2:
            raise InputError(f"{src}a judgement matrix must be 2-D, got {arr.ndim} dimension(s)")
        if names is None:
            names = [f"item{i + 1}" for i in range(arr.shape[0])]
        rows = cols = _names(names)
        if len(rows) != arr.shape[0]:
            raise InputError(f"{src}{len(rows)} names given for a matrix with {arr.shape[0]} rows")
        df = pd.DataFrame(arr, index=rows, columns=rows[: arr.shape[1]] if arr.shape[1] <= len(rows) else None)
    n_r, n_c = df.shape
    if n_r != n_c:
        raise InputError(
            f"judgement matrix is not square ({n_r} rows x {n_c} columns)",
            where=source,
            hint="List the same items across the top and down the side.",
        )
    if n_r == 0:
        raise InputError("judgement matrix is empty", where=source)
    for label, lst in (("row", rows), ("column", cols)):
        if any(x == "" for x in lst):
            raise InputError(f"a {label} has no item name", where=source)
        dup = sorted({x for x in lst if lst.count(x) > 1})
        if dup:
            raise InputError(f"item name(s) repeated in the {label}s: {', '.join(dup)}", where=source)
    if set(rows) != set(cols):
        only_r = [x for x in rows if x not in cols]
        only_c = [x for x in cols if x not in rows]
        parts = []
        if only_r:
            parts.append("in rows only: " + ", ".join(only_r))
        if only_c:
            parts.append("in columns only: " + ", ".join(only_c))
        raise InputError(
            "row and column item names differ (" + "; ".join(parts) + ")",
            where=source,
            hint="The header row and the first column must list the same items.",
        )
    df.index, df.columns = rows, cols
    df = df.loc[rows, rows]
    n = n_r
    vals = np.empty((n, n))
    for i, a in enumerate(rows):
        for j, b in enumerate(rows):
            v = df.iat[i, j]
            if v is None or (isinstance(v, float) and math.isnan(v)):
                raise InputError(
                    f"judgement ({a}, {b}) is missing", where=source, hint="Fill in every cell, or use a pairwise list."
                )
            vals[i, j] = parse_judgement(v, where=f"{src}row {a}, column {b}".strip())
    return _check_values(vals, rows, allow_extended_scale=allow_extended_scale, tol=tol, source=source)


def _check_values(
    vals: np.ndarray, names: list[str], *, allow_extended_scale: bool, tol: float, source: str | None
) -> pd.DataFrame:
    n = len(names)
    bad = ~np.isfinite(vals)
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise InputError(f"judgement ({names[i]}, {names[j]}) is not finite", where=source)
    bad = vals <= 0
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise InputError(
            f"judgement ({names[i]}, {names[j]}) = {vals[i, j]:g} is not positive",
            where=source,
            hint="Judgements are ratios: use 1 for equal, 3 for 'moderately more', 1/3 for 'moderately less'.",
        )
    d = np.diag(vals)
    bad = np.abs(d - 1) > tol
    if bad.any():
        i = int(np.argmax(bad))
        raise InputError(
            f"diagonal judgement ({names[i]}, {names[i]}) = {d[i]:g}, must be 1",
            where=source,
            hint="An item is always equally important as itself.",
        )
    prod = vals * vals.T
    dev = np.abs(prod - 1)
    iu = np.triu_indices(n, 1)
    worst = dev[iu]
    if worst.size and worst.max() > tol:
        k = int(np.argmax(worst))
        i, j = iu[0][k], iu[1][k]
        raise InputError(
            f"judgements ({names[i]}, {names[j]}) = {vals[i, j]:g} and ({names[j]}, {names[i]}) = {vals[j, i]:g} "
            f"are not reciprocal (product {prod[i, j]:.4g}, must be 1)",
            where=source,
            hint=f"Set ({names[j]}, {names[i]}) to 1/{vals[i, j]:g}, or leave one of the two cells blank.",
        )
    if not allow_extended_scale:
        lo, hi = (1 / 9) * (1 - tol), 9 * (1 + tol)
        off = (vals < lo) | (vals > hi)
        if off.any():
            i, j = np.argwhere(off)[0]
            raise InputError(
                f"judgement ({names[i]}, {names[j]}) = {vals[i, j]:g} is outside Saaty's scale 1/9..9",
                where=source,
                hint="Use a value between 1/9 and 9, or allow the extended scale for measured ratios "
                "(allow_extended_scale=True; on the command line --extended-scale).",
            )
    # exact reciprocity: a_ij := sqrt(a_ij / a_ji)
    with np.errstate(over="ignore", under="ignore"):
        ratio = vals / vals.T
    # where the ratio over- or underflows (measured ratios such as 1e200, extended scale only),
    # take the square roots first: sqrt(a) / sqrt(b) is finite for every finite a, b > 0
    sym = np.where(
        np.isfinite(ratio) & (ratio > 0), np.sqrt(np.where(ratio > 0, ratio, 1.0)), np.sqrt(vals) / np.sqrt(vals.T)
    )
    np.fill_diagonal(sym, 1.0)
    out = pd.DataFrame(sym, index=list(names), columns=list(names))
    out.index.name = "item"
    out.columns.name = "compared_with"
    return out


def from_judgements(
    judgements: Mapping[tuple[str, str], Any] | Iterable[tuple[str, str, Any]],
    items: Sequence[str] | None = None,
    *,
    allow_extended_scale: bool = False,
    tol: float = DEFAULT_TOL,
    source: str | None = None,
) -> pd.DataFrame:
    """Build a full judgement matrix from pairwise judgements ``(a, b, value)``: a is value times b.

    Reciprocals are filled in. ``items`` fixes the names and their order (unknown names in the
    judgements are then an error); without it, names are taken in order of first appearance.
    A pair given both ways must be reciprocal; every pair of distinct items must be judged (the
    error lists the missing pairs).
    """
    triples: list[tuple[str, str, Any]]
    if isinstance(judgements, Mapping):
        triples = []
        for k, v in judgements.items():
            if not (isinstance(k, tuple) and len(k) == 2):
                raise InputError(f"judgement key {k!r} must be a pair (a, b)", where=source)
            triples.append((k[0], k[1], v))
    else:
        triples = []
        for t in judgements:
            t = tuple(t)
            if len(t) != 3:
                raise InputError(f"judgement {t!r} must be (a, b, value)", where=source)
            triples.append(t)
    if items is None:
        order: list[str] = []
        for a, b, _ in triples:
            for x in (str(a).strip(), str(b).strip()):
                if x not in order:
                    order.append(x)
        names = order
    else:
        names = _names(items)
        dup = sorted({x for x in names if names.count(x) > 1})
        if dup:
            raise InputError(f"item name(s) listed twice: {', '.join(dup)}", where=source)
    if not names:
        raise InputError("no judgements given", where=source)
    pos = {x: i for i, x in enumerate(names)}
    n = len(names)
    vals = np.full((n, n), np.nan)
    np.fill_diagonal(vals, 1.0)
    given = np.zeros((n, n), dtype=bool)
    for a, b, v in triples:
        a, b = str(a).strip(), str(b).strip()
        if a in ("", "None") or b in ("", "None"):
            raise InputError(
                f"judgement ({a}, {b}) has an item without a name",
                where=source,
                hint="Name both items of every judgement.",
            )
        for x in (a, b):
            if x not in pos:
                raise InputError(
                    f"unknown item '{x}' in judgement ({a}, {b})",
                    where=source,
                    hint="Known items: " + ", ".join(names) + ".",
                )
        f = parse_judgement(v, where=f"{source + ': ' if source else ''}judgement ({a}, {b})")
        i, j = pos[a], pos[b]
        if i == j:
            if abs(f - 1) > tol:
                raise InputError(f"judgement ({a}, {a}) = {f:g}, must be 1", where=source)
            continue
        if f <= 0 or not math.isfinite(f):
            raise InputError(f"judgement ({a}, {b}) = {f:g} is not a positive number", where=source)
        if given[i, j]:
            if abs(vals[i, j] / f - 1) > tol:
                raise InputError(f"judgement ({a}, {b}) given twice with different values", where=source)
            continue
        if given[j, i]:
            if abs(vals[j, i] * f - 1) > tol:
                raise InputError(
                    f"judgements ({a}, {b}) = {f:g} and ({b}, {a}) = {vals[j, i]:g} are not reciprocal",
                    where=source,
                    hint="Give each pair once; the reciprocal is filled in.",
                )
            continue
        vals[i, j], vals[j, i] = f, 1 / f
        given[i, j] = True
    missing = [(names[i], names[j]) for i, j in zip(*np.triu_indices(n, 1), strict=True) if np.isnan(vals[i, j])]
    if missing:
        shown = ", ".join(f"({a}, {b})" for a, b in missing[:8]) + (" ..." if len(missing) > 8 else "")
        raise InputError(
            f"{len(missing)} pair(s) not judged: {shown}",
            where=source,
            hint="Every pair of items needs a judgement (incomplete matrices are not supported).",
        )
    return _check_values(vals, names, allow_extended_scale=allow_extended_scale, tol=tol, source=source)


def consistent_matrix(weights: Mapping[str, float] | pd.Series) -> pd.DataFrame:
    """The perfectly consistent matrix a_ij = w_i / w_j for given positive weights (for tests/what-ifs)."""
    w = pd.Series(weights, dtype=float)
    if (w <= 0).any() or not np.isfinite(w).all():
        raise InputError("weights for a consistent matrix must be positive and finite")
    a = np.outer(w.to_numpy(), 1 / w.to_numpy())
    names = _names(w.index)
    out = pd.DataFrame(a, index=names, columns=names)
    out.index.name, out.columns.name = "item", "compared_with"
    return out


# ---------------------------------------------------------------------------------------------
# Priorities and consistency (numpy core)
# ---------------------------------------------------------------------------------------------


def principal_eigen(a: np.ndarray) -> tuple[float, np.ndarray]:
    """(lambda_max, normalised principal eigenvector) of a positive matrix (Perron-Frobenius)."""
    n = a.shape[0]
    if n == 1:
        return 1.0, np.ones(1)
    vals, vecs = np.linalg.eig(a)
    k = int(np.argmax(vals.real))
    lam = float(vals[k].real)
    v = np.abs(vecs[:, k].real)
    return lam, v / v.sum()


def geometric_priorities(a: np.ndarray) -> np.ndarray:
    """Normalised row geometric means (computed in logs for stability)."""
    g = np.exp(np.log(a).mean(axis=1))
    return g / g.sum()


def priorities(a: np.ndarray, method: str = "eigen") -> np.ndarray:
    if method == "eigen":
        return principal_eigen(a)[1]
    if method == "geometric":
        return geometric_priorities(a)
    raise InputError(f"unknown priority method '{method}'", where="method", hint="Use eigen or geometric.")


def _ci(lam: float, n: int) -> float:
    if n <= 2:
        return 0.0
    ci = (lam - n) / (n - 1)
    # lambda_max >= n for positive reciprocal matrices; clip round-off below zero
    return 0.0 if ci < 0 and ci > -1e-9 else ci


def error_matrix(a: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Saaty/Harker error e_ij = a_ij * w_j / w_i (all ones for a consistent matrix)."""
    return a * w[None, :] / w[:, None]


def nearest_scale_value(x: float) -> tuple[float, str]:
    """The value on 1/9..9 nearest to ``x`` in log distance, with its label (e.g. '1/3')."""
    k = int(np.argmin(np.abs(np.log(SAATY_SCALE) - math.log(x))))
    return float(SAATY_SCALE[k]), _SCALE_LABELS[k]


def geometric_consistency_index(a: np.ndarray, w: np.ndarray) -> float:
    """GCI (Aguarón & Moreno-Jiménez 2003): 2/((n-1)(n-2)) * sum_{i<j} ln^2(a_ij w_j / w_i); 0 for n <= 2."""
    n = a.shape[0]
    if n <= 2:
        return 0.0
    e = np.log(error_matrix(a, w))
    iu = np.triu_indices(n, 1)
    return float(2.0 / ((n - 1) * (n - 2)) * np.sum(e[iu] ** 2))


# ---------------------------------------------------------------------------------------------
# Result
# ---------------------------------------------------------------------------------------------

_PAIR_COLUMNS = [
    "item_a",
    "item_b",
    "judgement",
    "consistent_value",
    "implied_value",
    "suggested",
    "suggested_label",
    "error_ratio",
    "log_error",
    "cr_if_changed",
]


@dataclass
class AHPResult:
    """Priorities and consistency of one judgement matrix.

    ``inconsistent_pairs`` ranks every judgement (i < j) by |ln(a_ij w_j / w_i)| (the Saaty/Harker
    error), largest first: ``judgement`` = a_ij as entered; ``consistent_value`` = w_i / w_j, the
    value consistent with the derived priorities; ``implied_value`` = the geometric mean of the
    indirect judgements a_ik * a_kj over the other items k (what the *other* judgements say about
    this pair — unlike w_i / w_j it is not pulled towards the bad judgement itself);
    ``suggested`` = ``implied_value`` rounded to the 1/9..9 scale; ``cr_if_changed`` = the CR if
    only that judgement (and its reciprocal) were changed to ``suggested`` (top five rows).
    """

    priorities: pd.Series
    lambda_max: float
    ci: float
    cr: float
    ri: float
    ri_table: str
    method: str
    n: int
    inconsistent_pairs: pd.DataFrame
    consistent: bool
    threshold: float = DEFAULT_CR_THRESHOLD
    ri_note: str = ""
    gci: float = 0.0
    matrix: pd.DataFrame | None = field(default=None, repr=False)
    label: str | None = None

    def top_pairs(self, k: int = 3) -> pd.DataFrame:
        return self.inconsistent_pairs.head(k)

    def message(self) -> str:
        """One line for a planner: CR against the threshold and, if above, the judgements to revisit."""
        what = f"{self.label}: " if self.label else ""
        if self.n <= 2:
            return f"{what}CR = 0 (n = {self.n}: any reciprocal matrix is consistent)."
        head = f"{what}CR = {self.cr:.3f} (RI table {self.ri_table}, threshold {self.threshold:g})"
        if self.consistent:
            return head + ": acceptable."
        parts = []
        for r in self.inconsistent_pairs.head(3).to_dict("records"):
            parts.append(
                f"({r['item_a']}, {r['item_b']}) = {_fmt_judgement(r['judgement'])}, the other judgements imply "
                f"{r['implied_value']:.3g} (suggest {r['suggested_label']})"
            )
        return head + ": above the threshold. Judgements contributing most: " + "; ".join(parts) + "."

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (what ``python -m mcda ahp`` prints)."""
        return {
            "priorities": {str(k): float(v) for k, v in self.priorities.items()},
            "lambda_max": float(self.lambda_max),
            "ci": float(self.ci),
            "cr": float(self.cr),
            "ri": float(self.ri),
            "ri_table": self.ri_table,
            "ri_source": RI_TABLE_SOURCES.get(self.ri_table, ""),
            "ri_note": self.ri_note,
            "method": self.method,
            "n": int(self.n),
            "threshold": float(self.threshold),
            "consistent": bool(self.consistent),
            "gci": float(self.gci),
            "inconsistent_pairs": [
                {
                    "item_a": str(r["item_a"]),
                    "item_b": str(r["item_b"]),
                    "judgement": float(r["judgement"]),
                    "consistent_value": float(r["consistent_value"]),
                    "implied_value": float(r["implied_value"]),
                    "suggested": r["suggested_label"],
                    "log_error": float(r["log_error"]),
                    **({"cr_if_changed": float(r["cr_if_changed"])} if pd.notna(r["cr_if_changed"]) else {}),
                }
                for r in self.inconsistent_pairs.head(5).to_dict("records")
            ]
            if not self.consistent
            else [],
            "message": self.message(),
        }


def _fmt_judgement(x: float) -> str:
    if x >= 1:
        return f"{x:.3g}"
    return f"1/{1 / x:.3g}"


def _pairs_table(a: np.ndarray, w: np.ndarray, names: list[str], ri: float, top: int = 5) -> pd.DataFrame:
    n = len(names)
    if n < 2:
        return pd.DataFrame(columns=_PAIR_COLUMNS)
    e = error_matrix(a, w)
    iu, ju = np.triu_indices(n, 1)
    le = np.abs(np.log(e[iu, ju]))
    order = np.argsort(-le, kind="stable")
    rows = []
    for rank, k in enumerate(order):
        i, j = int(iu[k]), int(ju[k])
        cv = float(w[i] / w[j])
        others = [t for t in range(n) if t != i and t != j]
        implied = float(np.exp(np.mean(np.log(a[i, others] * a[others, j])))) if others else cv
        s, lab = nearest_scale_value(implied)
        cr_new = np.nan
        if rank < top and n > 2 and ri > 0:
            b = a.copy()
            b[i, j], b[j, i] = s, 1 / s
            cr_new = _ci(principal_eigen(b)[0], n) / ri
        rows.append((names[i], names[j], float(a[i, j]), cv, implied, s, lab, float(e[i, j]), float(le[k]), cr_new))
    return pd.DataFrame(rows, columns=_PAIR_COLUMNS)


def analyse(
    matrix: pd.DataFrame | np.ndarray | Sequence[Sequence[Any]],
    method: str = "eigen",
    *,
    ri_table: str = DEFAULT_RI_TABLE,
    threshold: float = DEFAULT_CR_THRESHOLD,
    allow_extended_scale: bool = False,
    tol: float = DEFAULT_TOL,
    names: Sequence[str] | None = None,
    label: str | None = None,
    warn: bool = True,
) -> AHPResult:
    """Priorities, lambda_max, CI, CR and inconsistency diagnostics of one judgement matrix.

    ``matrix``: a square DataFrame with item names on both axes (or an array plus ``names``);
    it is validated with :func:`validate_matrix`. ``method``: ``eigen`` or ``geometric``.
    Emits ``InconsistentJudgementsWarning`` when CR > ``threshold`` (unless ``warn=False``),
    naming the judgements that contribute most.
    """
    if method not in METHODS:
        raise InputError(f"unknown priority method '{method}'", where="method", hint="Use eigen or geometric.")
    if not (isinstance(threshold, (int, float)) and threshold >= 0):
        raise InputError(f"CR threshold must be a number >= 0, got {threshold!r}", where="threshold")
    ri_table = resolve_ri_table(ri_table)
    df = validate_matrix(matrix, names, allow_extended_scale=allow_extended_scale, tol=tol, source=label)
    a = df.to_numpy()
    item_names = list(df.index)
    n = len(item_names)
    # products of two judgements (eigenvector, implied ratios) must stay finite: beyond 1e+-150 they
    # over- or underflow float64, so such ratios (extended scale only) are refused before any arithmetic
    too_wide = bool(np.abs(np.log10(a)).max() > 150)
    try:
        if too_wide:
            raise np.linalg.LinAlgError
        with np.errstate(all="ignore"):
            lam, w_eig = principal_eigen(a)
            w = w_eig if method == "eigen" else geometric_priorities(a)
    except np.linalg.LinAlgError:
        lam, w = float("nan"), np.full(n, np.nan)
    if not (np.isfinite(lam) and np.isfinite(w).all() and (w > 0).all()):
        # only reachable with allow_extended_scale and ratios such as 1e200: products overflow float64
        raise InputError(
            f"priorities cannot be computed: the judgements span too wide a range ({a.min():.3g} to {a.max():.3g})",
            where=label,
            hint="Keep ratios within about 1e-6..1e6, or rescale the quantities being compared.",
        )
    if n <= 2:
        lam = float(n)
    ci = _ci(lam, n)
    ri, note = random_index(n, ri_table)
    cr = 0.0 if n <= 2 or ri == 0 else ci / ri
    if n <= 2:
        note = f"n = {n}: CR = 0 by definition (every reciprocal matrix of order <= 2 is consistent)"
    consistent = bool(cr <= threshold)
    pairs = _pairs_table(a, w, item_names, ri)
    pr = pd.Series(w, index=pd.Index(item_names, name="item"), name="priority")
    res = AHPResult(
        priorities=pr,
        lambda_max=float(lam),
        ci=float(ci),
        cr=float(cr),
        ri=float(ri),
        ri_table=ri_table,
        method=method,
        n=n,
        inconsistent_pairs=pairs,
        consistent=consistent,
        threshold=float(threshold),
        ri_note=note,
        gci=geometric_consistency_index(a, w),
        matrix=df,
        label=label,
    )
    if warn and not consistent:
        warnings.warn(res.message(), InconsistentJudgementsWarning, stacklevel=2)
    return res


# ---------------------------------------------------------------------------------------------
# CSV input (for `python -m mcda ahp JUDGEMENTS.csv`)
# ---------------------------------------------------------------------------------------------


def read_judgements_csv(path: str | Path, *, check_scale: bool = False, tol: float = DEFAULT_TOL) -> pd.DataFrame:
    """Read a square judgement matrix from CSV: header row and first column are the item names.

    Cells may be numbers or fractions ("1/3"). A cell may be left blank when its mirror cell is
    filled (the reciprocal is used); a blank diagonal cell means 1. Checked here, with errors
    naming the file, line and column: names, squareness, numbers, positive, diagonal 1,
    reciprocity. The 1/9..9 scale is a rule on the judgements, enforced by :func:`analyse`
    (unless ``allow_extended_scale``); pass ``check_scale=True`` to check it here as well, with
    the line and column in the message. Returns the exactly reciprocal float matrix.
    """
    p = Path(path)
    where_file = str(p)
    from mcda.io import _delimiter  # same rule as the decision-matrix reader
    from mcda.limits import MAX_AHP_ITEMS, MAX_JUDGEMENT_BYTES, read_input_bytes
    from mcda.text import check_text

    data = read_input_bytes(p, "judgement file", MAX_JUDGEMENT_BYTES)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(
            "file is not UTF-8 text", where=where_file, hint="Save the judgements as a UTF-8 CSV."
        ) from None
    # not splitlines(): it also splits at \x0b, \x1c or U+2028, which must stay in their cell to be refused there
    first = next((ln for ln in io.StringIO(text, newline="") if ln.strip()), "")
    sep = _delimiter(first)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))
    except csv.Error as e:
        raise InputError(f"cannot be read as CSV ({e})", where=where_file) from None
    for k, r in enumerate(rows):
        for j, c in enumerate(r):
            check_text(c, f"{where_file}, line {k + 1}, column {j + 1}", what="cell")
    if sep == ";":  # Excel in comma-decimal locales: "0,5" means 0.5
        rows = [[c.replace(",", ".") for c in r] for r in rows]
    # drop fully blank lines but keep line numbers
    numbered = [(k + 1, r) for k, r in enumerate(rows) if any(c.strip() for c in r)]
    if not numbered:
        raise InputError(
            "file is empty", where=where_file, hint="Put item names in the header row and the first column."
        )
    hline, header = numbered[0]
    names = [c.strip() for c in header[1:]]
    while names and names[-1] == "":
        names.pop()
    if not names:
        raise InputError("header row has no item names", where=f"{where_file}, line {hline}")
    for j, nm in enumerate(names):
        if nm == "":
            raise InputError("header cell is empty", where=f"{where_file}, line {hline}, column {j + 2}")
    if len(names) > MAX_AHP_ITEMS:
        raise InputError(
            f"{len(names)} items in the header, above the limit of {MAX_AHP_ITEMS}",
            where=f"{where_file}, line {hline}",
            hint="Compare a handful of items at a time (Saaty: 7 +- 2).",
        )
    dup = sorted({x for x in names if names.count(x) > 1})
    if dup:
        raise InputError(f"item name(s) repeated in the header: {', '.join(dup)}", where=f"{where_file}, line {hline}")
    body = numbered[1:]
    n = len(names)
    if len(body) != n:
        raise InputError(
            f"the matrix is not square: {n} item(s) in the header but {len(body)} data row(s)",
            where=where_file,
            hint="Give one row per item, in any order, with the item name in the first column.",
        )
    pos = {x: i for i, x in enumerate(names)}
    vals = np.full((n, n), np.nan)
    seen: dict[str, int] = {}
    for line, r in body:
        rname = r[0].strip() if r else ""
        if rname == "":
            raise InputError("row has no item name", where=f"{where_file}, line {line}, column 1")
        if rname not in pos:
            raise InputError(
                f"row item '{rname}' is not in the header",
                where=f"{where_file}, line {line}",
                hint="Header items: " + ", ".join(names) + ".",
            )
        if rname in seen:
            raise InputError(f"item '{rname}' has two rows (lines {seen[rname]} and {line})", where=where_file)
        seen[rname] = line
        cells = r[1:]
        extra = [c for c in cells[n:] if c.strip()]
        if extra:
            raise InputError(f"row has {len(cells)} values, expected {n}", where=f"{where_file}, line {line}")
        i = pos[rname]
        for j in range(n):
            c = cells[j].strip() if j < len(cells) else ""
            if c == "":
                continue
            vals[i, j] = parse_judgement(c, where=f"{where_file}, line {line}, column {names[j]}")
    for i in range(n):
        if np.isnan(vals[i, i]):
            vals[i, i] = 1.0
        for j in range(n):
            if i != j and np.isnan(vals[i, j]):
                if np.isnan(vals[j, i]):
                    raise InputError(
                        f"judgement ({names[i]}, {names[j]}) and its mirror are both blank",
                        where=f"{where_file}, line {seen[names[i]]}, column {names[j]}",
                        hint="Fill in at least one of the two cells.",
                    )
                if vals[j, i] == 0:
                    raise InputError(
                        f"judgement ({names[j]}, {names[i]}) is 0",
                        where=f"{where_file}, line {seen[names[j]]}, column {names[i]}",
                    )
                vals[i, j] = 1 / vals[j, i]
    # validate with file/line locations in messages
    try:
        return _check_values(vals, names, allow_extended_scale=not check_scale, tol=tol, source=where_file)
    except InputError as e:
        # add the line of the first-named item when the message names a pair
        m = re.search(r"\(([^,()]+), ([^()]+)\)", e.message)
        if m and m.group(1) in seen and m.group(2) in pos:
            raise InputError(
                e.message, where=f"{where_file}, line {seen[m.group(1)]}, column {m.group(2)}", hint=e.hint
            ) from None
        raise


def analyse_csv(path: str | Path, method: str = "eigen", **kwargs: Any) -> AHPResult:
    """``analyse(read_judgements_csv(path), method)`` with the file name as the label."""
    allow = kwargs.pop("allow_extended_scale", False)
    df = read_judgements_csv(path, check_scale=not allow)
    kwargs.setdefault("label", Path(path).name)
    return analyse(df, method, allow_extended_scale=allow, **kwargs)


# Re-exports (group judgements, hierarchy, ranking method). Imported last: they import from here.
from mcda.ahp_hierarchy import (  # noqa: E402
    HierarchyResult,
    aggregate_judgements,
    hierarchy_weights,
    weights_from_spec,
)
from mcda.methods.ahp import AHPMethod, local_priorities, synthesise  # noqa: E402

__all__ = [
    "RI_TABLES",
    "RI_TABLE_SOURCES",
    "SAATY_SCALE",
    "AHPMethod",
    "AHPResult",
    "HierarchyResult",
    "aggregate_judgements",
    "analyse",
    "analyse_csv",
    "consistent_matrix",
    "error_matrix",
    "from_judgements",
    "geometric_consistency_index",
    "hierarchy_weights",
    "local_priorities",
    "nearest_scale_value",
    "parse_judgement",
    "principal_eigen",
    "random_index",
    "read_judgements_csv",
    "resolve_ri_table",
    "synthesise",
    "validate_matrix",
    "weights_from_spec",
]
