"""Criterion weights: direct (from sliders or a file) and objective (entropy, CRITIC, std, equal).

Weights are always returned normalised to sum 1 as a Series indexed by criterion id. Direct
weights are never silently rescaled: `direct` returns the normalised vector and `weights_table`
shows the entered and normalised values side by side so the app and reports can display both.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from mcda.errors import InputError
from mcda.problem import DecisionProblem
from mcda.weight_check import weight_vector

OBJECTIVE_METHODS = {
    "entropy": "Shannon entropy: criteria whose values differ more across alternatives get more weight",
    "critic": (
        "CRITIC (Diakoulaki et al. 1995): contrast intensity x conflict with the other criteria "
        "(columns min-max normalised with their direction first)"
    ),
    "std": "standard deviation of the min-max normalised column",
    "equal": "equal weight for every criterion",
}


def direct(weights: Mapping[str, object] | pd.Series, criteria: list[str] | pd.Index) -> pd.Series:
    """Validate entered weights for `criteria` and return them normalised to sum 1.

    Parameters
    ----------
    weights : mapping or Series
        Criterion id -> entered weight (a number, numeric text, or None for a blank).
    criteria : list of str or Index
        The criteria to weight, in order; every one needs a weight.

    Returns
    -------
    Series
        Normalised weights (sum 1), index = ``criteria`` (named ``criterion``).

    Raises
    ------
    InputError
        Unknown criteria, criteria without a weight, non-numbers, NaN, negative weights or an
        all-zero vector, each with a message naming the criterion (the one weight validator,
        :func:`mcda.weight_check.weight_vector`).
    """
    criteria = [str(c) for c in criteria]
    if not isinstance(weights, (Mapping, pd.Series)):
        weights = pd.Series(weights)
    out = pd.Series(weight_vector(weights, criteria), index=criteria, dtype=float)
    out.index.name = "criterion"
    return out


def as_array(weights: pd.Series | np.ndarray | Mapping[str, float], problem: DecisionProblem) -> np.ndarray:
    """Weights as a float array aligned to ``problem.criterion_ids`` (validated and normalised)."""
    return weight_vector(weights, problem.criterion_ids)


def weights_table(entered: Mapping[str, float] | pd.Series, criteria: list[str]) -> pd.DataFrame:
    """Entered and normalised weights side by side (what the planner typed vs what is used)."""
    norm = direct(entered, criteria)
    return pd.DataFrame({"entered": pd.Series(entered, dtype=float).reindex(norm.index), "normalised": norm})


def _entropy(values: np.ndarray) -> tuple[np.ndarray, list[int]]:
    """Entropy weights with the 0*log(0)=0 convention.

    Deliberately not pymcdm's entropy_weights: it sets a column's entropy to 0 (maximum weight)
    whenever any cell is 0, and it needs strictly positive data. Columns with a value <= 0 (e.g.
    WGI estimates) are shifted by their minimum first; the shifted columns are reported.
    """
    X = values.astype(float).copy()
    shifted = [j for j in range(X.shape[1]) if (X[:, j] <= 0).any()]
    for j in shifted:
        X[:, j] = X[:, j] - X[:, j].min()
    P = X / X.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(P > 0, P * np.log(P), 0.0)
    n = X.shape[0]
    E = -plogp.sum(axis=0) / np.log(n)
    d = 1.0 - E
    if d.sum() <= 0:
        return np.full(X.shape[1], 1.0 / X.shape[1]), shifted
    return d / d.sum(), shifted


def _minmax_directed(values: np.ndarray, types: np.ndarray) -> np.ndarray:
    """Min-max normalise every column onto [0, 1] with its direction (cost columns turned round)."""
    from mcda.normalization import normalize

    return normalize(np.asarray(values, dtype=float), np.asarray(types), "minmax")


def critic(values: np.ndarray, types: np.ndarray) -> np.ndarray:
    """CRITIC weights (Diakoulaki, Mavrotas & Papayannakis 1995, Comput. Oper. Res. 22(7) 763-770).

    The columns are first normalised *with their direction* (benefit: (x - min)/(max - min), cost:
    (max - x)/(max - min)), as the paper does; then C_j = sigma_j * sum_k (1 - r_jk), with sigma_j
    the standard deviation of normalised column j and r_jk the Pearson correlation of normalised
    columns j and k; w_j = C_j / sum C. (pymcdm's ``critic_weights`` ignores the criterion types,
    which flips the sign of every correlation between a cost and a benefit criterion.)
    """
    N = _minmax_directed(values, types)
    sigma = N.std(axis=0, ddof=1)
    r = np.corrcoef(N, rowvar=False)
    C = sigma * (1.0 - r).sum(axis=0)
    return C / C.sum()


def std(values: np.ndarray, types: np.ndarray) -> np.ndarray:
    """Standard-deviation weights: w_j proportional to the std of the min-max normalised column j.

    Normalising first makes the weights independent of the unit of each column (pymcdm's
    ``standard_deviation_weights`` uses the raw column, so a column in US$ outweighs one in %).
    """
    sigma = _minmax_directed(values, types).std(axis=0, ddof=1)
    return sigma / sigma.sum()


def objective(problem: DecisionProblem, method: str = "entropy") -> pd.Series:
    """Objective weights computed from the data of a validated problem (normalised Series).

    Parameters
    ----------
    problem : DecisionProblem
        The validated problem (its directions matter for CRITIC and std).
    method : str
        ``entropy`` (default), ``critic``, ``std`` or ``equal`` (see ``OBJECTIVE_METHODS``).

    Returns
    -------
    Series
        Weights summing to 1, index = ``problem.criterion_ids`` (named ``criterion``), name = method.

    Raises
    ------
    InputError
        An unknown method, or data for which the weights are not finite or sum to zero.
    """
    method = str(method).strip().lower()
    if method not in OBJECTIVE_METHODS:
        raise InputError(
            f"unknown objective weighting method '{method}'", hint="Use one of: " + ", ".join(OBJECTIVE_METHODS) + "."
        )
    from pymcdm import weights as pw  # lazy: pymcdm imports matplotlib (~0.7 s)

    X = problem.values
    if problem.shape[1] == 1:
        w = np.ones(1)
    elif method == "entropy":
        w, _ = _entropy(X)
    elif method == "critic":
        w = critic(X, problem.types)
    elif method == "std":
        w = std(X, problem.types)
    else:
        w = pw.equal_weights(X)
    w = np.asarray(w, dtype=float)
    if not np.isfinite(w).all() or w.sum() <= 0:
        raise InputError(f"{method} weights could not be computed for these data", hint="Try another weighting method.")
    out = pd.Series(w / w.sum(), index=problem.criterion_ids, name=method)
    out.index.name = "criterion"
    return out


def entropy_shifted_columns(problem: DecisionProblem) -> list[str]:
    """Criteria whose values were shifted by their minimum before the entropy calculation."""
    return [problem.criterion_ids[j] for j in _entropy(problem.values)[1]]
