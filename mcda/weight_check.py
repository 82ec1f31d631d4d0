"""The one validator for criterion weights: one entered value, one weight vector, a weight matrix.

Every place that accepts weights calls these — the ranking methods (``prepare_weights``),
``mcda.weights.direct``, the SMAA samplers and sweeps, batched scoring (rows = weight samples),
the criteria-file reader and AHP synthesis — so a bad weight gets the same message wherever it
is entered:

* ``weight 'x' is not a number`` / ``weight is missing or not finite`` / ``weight -1 is negative``
  at ``weights, criterion <id>``;
* ``all weights are zero``;
* ``expected m weights (one per criterion: weight vectors of length m), got shape ...``;
* ``weight given for unknown criterion: ...`` / ``no weight for criterion: ...`` /
  ``a criterion has two weights`` for weights given by criterion id;
* for a matrix, the same messages with ``weight vector #k: `` in front (k counts from 1).

Normalisation (:func:`normalise_weights`): divide by the largest weight first and then by the
sum, so that weights such as 1e308 cannot overflow the sum to inf (which would give all-zero
weights), and an entered -0.0 comes out as 0.0. Weights scaled by a constant give the same
normalised vector.

Light on purpose (numpy only): it is imported by the samplers and the command line.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from mcda.errors import InputError

__all__ = ["normalise_weights", "per_criterion_values", "weight_matrix", "weight_value", "weight_vector"]

HINT_VALUE = "Enter a number >= 0."
HINT_NEGATIVE = "Weights must be >= 0."
HINT_ZERO = "Give at least one criterion a positive weight (a weight vector must not be all-zero)."


def _at(where: str, criteria: Sequence[str] | None, j: int) -> str:
    """``where`` plus the criterion of entry j (when it is known)."""
    if criteria is not None and 0 <= j < len(criteria):
        return f"{where}, criterion {criteria[j]}"
    return where


def _length_error(m: int, shape: tuple[int, ...], where: str) -> InputError:
    return InputError(
        f"expected {m} weights (one per criterion: weight vectors of length {m}), got shape {shape}", where=where
    )


def weight_value(value: Any, where: str = "weights") -> float:
    """One entered weight as a float: a number, finite and >= 0 (-0.0 becomes 0.0).

    Parameters
    ----------
    value : Any
        What was entered (a number, or text such as ``"2.5"``; None for a blank cell).
    where : str
        The place named in the error (e.g. ``"criteria.csv, line 3, column weight"``).

    Returns
    -------
    float
        The weight.
    """
    if value is None:  # a blank cell
        raise InputError("weight is missing or not finite", where=where, hint=HINT_VALUE)
    try:
        if isinstance(value, (bytes, bytearray)):
            raise TypeError
        f = float(value)
    except (TypeError, ValueError):
        raise InputError(f"weight {value!r} is not a number", where=where, hint=HINT_VALUE) from None
    if not math.isfinite(f):
        raise InputError("weight is missing or not finite", where=where, hint=HINT_VALUE)
    if f < 0:
        raise InputError(f"weight {f:g} is negative", where=where, hint=HINT_NEGATIVE)
    return f + 0.0


def normalise_weights(w: np.ndarray) -> np.ndarray:
    """Weights divided by their sum (after scaling by the largest one); rows of a matrix each.

    Parameters
    ----------
    w : numpy.ndarray
        Validated weights: finite, >= 0, with a positive entry (per row for a matrix).

    Returns
    -------
    numpy.ndarray
        Same shape, summing to 1 (per row).
    """
    if w.ndim == 1:
        w = w / w.max()
        out = w / w.sum()
    else:
        w = w / w.max(axis=1, keepdims=True)
        out = w / w.sum(axis=1, keepdims=True)
    out += 0.0  # an entered -0.0 is shown as 0
    return out


def _is_named(values: Any) -> bool:
    """A Mapping or a pandas Series (weights given by criterion id rather than by position)."""
    return isinstance(values, Mapping) or (
        hasattr(values, "index") and hasattr(values, "to_dict") and not isinstance(values, np.ndarray)
    )


def per_criterion_values(values: Any, criteria: Sequence[str], what: str = "weight") -> list[Any]:
    """Values given by criterion id (Mapping or Series), in the order of ``criteria``.

    Parameters
    ----------
    values : Mapping or pandas.Series
        One value per criterion id (any order; ids compared as text).
    criteria : sequence of str
        The criterion ids, in the order wanted.
    what : str
        Singular noun for the messages (``weight``, ``lower bound``, ...).

    Returns
    -------
    list
        The values in criterion order (not yet checked).
    """
    cids = [str(c) for c in criteria]
    if isinstance(values, Mapping):
        keys, vals = [str(k) for k in values], list(values.values())
    else:
        keys, vals = [str(k) for k in values.index], list(values.to_numpy(dtype=object))
    where = f"{what}s"
    extra = [k for k in keys if k not in cids]
    if extra:
        raise InputError(
            f"{what} given for unknown criterion: {', '.join(extra)}",
            where=where,
            hint="Use the criteria in force: " + ", ".join(cids) + ".",
        )
    missing = [c for c in cids if c not in keys]
    if missing:
        raise InputError(
            f"no {what} for criterion: {', '.join(missing)}",
            where=where,
            hint=f"Give every criterion in use a {what} (0 is allowed for a weight), or switch the criterion off.",
        )
    if len(set(keys)) != len(keys):
        raise InputError(f"a criterion has two {what}s", where=where)
    pos = {k: i for i, k in enumerate(keys)}
    return [vals[pos[c]] for c in cids]


def _as_float(values: Any, criteria: Sequence[str] | None, where: str) -> np.ndarray:
    """Float array of weights; a text or other non-number entry raises the value message naming it."""
    try:
        return np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        pass
    arr = np.asarray(values, dtype=object)
    flat = arr.ravel().tolist() if arr.ndim else [values]
    m = arr.shape[-1] if arr.ndim else 1
    for k, v in enumerate(flat):
        try:
            if isinstance(v, (bytes, bytearray)):
                raise TypeError
            float(v)
        except (TypeError, ValueError):
            row, j = divmod(k, m)
            prefix = f"weight vector #{row + 1}: " if arr.ndim == 2 else ""
            raise InputError(
                f"{prefix}weight {v!r} is not a number", where=_at(where, criteria, j), hint=HINT_VALUE
            ) from None
    raise InputError(f"weights must be numbers, got {values!r}", where=where)  # pragma: no cover - ragged input


def _ids(criteria: Sequence[str] | int) -> tuple[Sequence[str] | None, int]:
    """(criterion ids or None, m) from ids or a bare count."""
    if isinstance(criteria, (int, np.integer)):
        return None, int(criteria)
    return criteria, len(criteria)


def _first_bad(w: np.ndarray, criteria: Sequence[str] | None, where: str, prefix: str = "") -> None:
    """Raise the message for the first bad entry of a 1-D weight vector (if any)."""
    bad = ~np.isfinite(w)
    if bad.any():
        j = int(np.flatnonzero(bad)[0])
        raise InputError(f"{prefix}weight is missing or not finite", where=_at(where, criteria, j), hint=HINT_VALUE)
    neg = w < 0
    if neg.any():
        j = int(np.flatnonzero(neg)[0])
        raise InputError(f"{prefix}weight {w[j]:g} is negative", where=_at(where, criteria, j), hint=HINT_NEGATIVE)
    if not w.max() > 0:
        raise InputError(f"{prefix}all weights are zero", where=where, hint=HINT_ZERO)


def weight_vector(
    weights: Any, criteria: Sequence[str] | int, where: str = "weights", normalise: bool = True
) -> np.ndarray:
    """One weight vector, validated and (by default) normalised to sum 1.

    Parameters
    ----------
    weights : Mapping, pandas.Series, sequence or numpy.ndarray
        By criterion id (Mapping or Series, any order) or by position (aligned to ``criteria``).
    criteria : sequence of str or int
        The criterion ids (for alignment and messages), or just their number m.
    where : str
        The place named in errors.
    normalise : bool
        Divide by the sum (see :func:`normalise_weights`); False returns the checked values.

    Returns
    -------
    numpy.ndarray
        float64 vector of length m.

    Raises
    ------
    InputError
        For a non-number, a missing / non-finite or negative weight (naming its criterion), all
        weights zero, the wrong length, or ids that do not match the criteria.
    """
    ids, m = _ids(criteria)
    if _is_named(weights):
        if ids is None:
            raise InputError("weights given by criterion id, but the criterion ids are not known", where=where)
        weights = per_criterion_values(weights, ids)
    w = _as_float(weights, ids, where)
    if w.shape != (m,):
        raise _length_error(m, w.shape, where)
    if not (np.isfinite(w).all() and not (w < 0).any() and w.max() > 0):
        _first_bad(w, ids, where)
    return normalise_weights(w) if normalise else w + 0.0


def weight_matrix(W: Any, criteria: Sequence[str] | int, where: str = "weights", normalise: bool = True) -> np.ndarray:
    """A block of weight vectors (rows = samples), each validated and (by default) normalised.

    Parameters
    ----------
    W : array_like
        ``(s x m)``; a single vector ``(m,)`` becomes a ``(1 x m)`` block.
    criteria : sequence of str or int
        The criterion ids (for messages) or their number m.
    where : str
        The place named in errors.
    normalise : bool
        Divide each row by its sum (see :func:`normalise_weights`).

    Returns
    -------
    numpy.ndarray
        float64 ``(s x m)``.

    Raises
    ------
    InputError
        With the message of :func:`weight_vector` for the first bad row, prefixed
        ``weight vector #k:``; also when no row is given.
    """
    ids, m = _ids(criteria)
    A = _as_float(W, ids, where)
    if A.ndim == 1:
        A = A[None, :]
    if A.ndim != 2 or A.shape[1] != m:
        raise _length_error(m, A.shape, where)
    if A.shape[0] == 0:
        raise InputError("no weight vectors given", where=where)
    with np.errstate(invalid="ignore"):
        bad = ~np.isfinite(A).all(axis=1) | (A < 0).any(axis=1)
        bad |= ~(A.max(axis=1) > 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        _first_bad(A[i], ids, where, prefix=f"weight vector #{i + 1}: ")
    return normalise_weights(A) if normalise else A + 0.0
