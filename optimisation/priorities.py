"""From a ranking shortlist to allocation priorities (documented transforms, each sums to 1).

- ``pipeline``: the shortlist's own ``priority`` column, computed by the ranking pipeline with the
  scenario's ``shortlist.priority`` rule (e.g. score_share: min-max scaled score / shortlist sum).
- ``rank_reciprocal``: (1 / rank) / sum over the shortlist (rank 1 = best).
- ``equal``: 1 / k for each of the k shortlisted countries.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mcda.errors import InputError

TRANSFORMS = ("pipeline", "rank_reciprocal", "equal")


def priorities_from_shortlist(shortlist: pd.DataFrame, transform: str = "pipeline") -> pd.Series:
    """Allocation priorities from a ranking shortlist.

    Parameters
    ----------
    shortlist : pandas.DataFrame
        Indexed by ISO3, with a ``priority`` column (transform 'pipeline') or a ``rank`` column
        (transform 'rank_reciprocal').
    transform : {'pipeline', 'rank_reciprocal', 'equal'}
        See the module docstring.

    Returns
    -------
    pandas.Series
        ISO3 -> priority >= 0, summing to 1, in shortlist order (index name 'country').

    Raises
    ------
    InputError
        An empty shortlist, a missing column, an unknown transform, or priorities that are not
        finite, negative or all zero.
    """
    if not isinstance(shortlist, pd.DataFrame) or shortlist.empty:
        raise InputError(
            "the shortlist is empty: nothing to allocate to",
            where="shortlist",
            hint="Loosen the shortlist filters or raise shortlist.top_k",
        )
    idx = shortlist.index.astype(str)
    if transform == "pipeline":
        if "priority" not in shortlist.columns:
            raise InputError("the shortlist has no 'priority' column", where="shortlist")
        v = pd.to_numeric(shortlist["priority"], errors="coerce").to_numpy(dtype=float)
    elif transform == "rank_reciprocal":
        if "rank" not in shortlist.columns:
            raise InputError("the shortlist has no 'rank' column", where="shortlist")
        v = 1.0 / pd.to_numeric(shortlist["rank"], errors="coerce").to_numpy(dtype=float)
    elif transform == "equal":
        v = np.ones(len(shortlist))
    else:
        raise InputError(
            f"unknown priority transform '{transform}'",
            where="allocation.priority_transform",
            hint=f"Use one of {', '.join(TRANSFORMS)}",
        )
    if not np.all(np.isfinite(v)) or (v < 0).any():
        raise InputError("priorities must be finite and >= 0", where="shortlist.priority")
    if v.sum() <= 0:
        raise InputError(
            "all shortlist priorities are zero",
            where="shortlist.priority",
            hint="Use allocation.priority_transform 'rank_reciprocal' or 'equal'",
        )
    return pd.Series(v / v.sum(), index=pd.Index(idx, name="country"), name="priority")
