"""AHP group judgements (several experts) and the two-level criteria hierarchy.

* :func:`aggregate_judgements` — element-wise (weighted) geometric mean of several experts'
  matrices (aggregation of individual judgements, Aczél & Saaty 1983): the only mean that keeps
  the result reciprocal. Matrices must list the same items in the same order.
* :func:`hierarchy_weights` — criterion groups (economic / political / geographic / any) with a
  group-level judgement matrix, and a matrix within each group. Global weight of a criterion =
  priority of its group x its local priority within the group. A group with one criterion needs
  no matrix (local priority 1). Each level's CR is reported.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from mcda.ahp import (
    DEFAULT_CR_THRESHOLD,
    DEFAULT_RI_TABLE,
    DEFAULT_TOL,
    AHPResult,
    analyse,
    validate_matrix,
)
from mcda.errors import InputError


def aggregate_judgements(
    matrices: Sequence[pd.DataFrame] | Mapping[str, pd.DataFrame],
    weights: Sequence[float] | Mapping[str, float] | None = None,
    *,
    allow_extended_scale: bool = False,
    tol: float = DEFAULT_TOL,
) -> pd.DataFrame:
    """Aggregate experts' judgement matrices by the element-wise (weighted) geometric mean.

    a_ij = prod_k a_ij^(k) ^ v_k with expert weights v_k >= 0 normalised to sum 1 (equal weights
    when ``weights`` is None). ``matrices`` is a list, or a mapping expert name -> matrix (then
    ``weights`` may be a mapping by expert name). Every matrix is validated first; all must name
    the same items in the same order. The result is exactly reciprocal and, when every input is on
    the 1/9..9 scale, so is the result.
    """
    if isinstance(matrices, Mapping):
        experts = [str(k) for k in matrices]
        mats = list(matrices.values())
    else:
        mats = list(matrices)
        experts = [f"expert {k + 1}" for k in range(len(mats))]
    if not mats:
        raise InputError("no judgement matrices to aggregate", where="experts")
    checked = [
        validate_matrix(m, allow_extended_scale=allow_extended_scale, tol=tol, source=e)
        for m, e in zip(mats, experts, strict=True)
    ]
    ref = list(checked[0].index)
    for e, m in zip(experts[1:], checked[1:], strict=True):
        names = list(m.index)
        if names != ref:
            if set(names) == set(ref):
                raise InputError(
                    f"{e} lists the same items as {experts[0]} but in a different order",
                    where=e,
                    hint="Put the items in the same order in every expert's matrix: " + ", ".join(ref) + ".",
                )
            miss = [x for x in ref if x not in names]
            extra = [x for x in names if x not in ref]
            detail = "; ".join(
                p
                for p in (
                    ("missing: " + ", ".join(miss)) if miss else "",
                    ("not in " + experts[0] + ": " + ", ".join(extra)) if extra else "",
                )
                if p
            )
            raise InputError(
                f"{e} judges different items than {experts[0]} ({detail})",
                where=e,
                hint="Every expert must compare the same items.",
            )
    k = len(checked)
    if weights is None:
        v = np.full(k, 1.0 / k)
    else:
        if isinstance(weights, Mapping):
            unknown = [x for x in weights if str(x) not in experts]
            if unknown:
                raise InputError(
                    f"weight for unknown expert(s): {', '.join(map(str, unknown))}", where="expert weights"
                )
            missing = [e for e in experts if e not in {str(x) for x in weights}]
            if missing:
                raise InputError(f"no weight for expert(s): {', '.join(missing)}", where="expert weights")
            wmap = {str(x): w for x, w in weights.items()}
            raw = [wmap[e] for e in experts]
        else:
            if not hasattr(weights, "__iter__") or isinstance(weights, str):
                raise InputError(f"expert weights must be a list or a mapping, got {weights!r}", where="expert weights")
            raw = list(weights)
        try:
            v = np.array([float(x) if x is not None else np.nan for x in raw], dtype=float)
        except (TypeError, ValueError):
            raise InputError(f"expert weights must be numbers, got {raw!r}", where="expert weights") from None
        if not isinstance(weights, Mapping) and v.shape != (k,):
            raise InputError(f"{len(v)} expert weight(s) for {k} matrices", where="expert weights")
        if not np.isfinite(v).all() or (v < 0).any():
            raise InputError("expert weights must be finite and >= 0", where="expert weights")
        if v.sum() <= 0:
            raise InputError("all expert weights are zero", where="expert weights")
        v = v / v.sum()
    logs = np.stack([np.log(m.to_numpy()) for m in checked])
    agg = np.exp(np.tensordot(v, logs, axes=1))
    # exact reciprocity (the log-linear combination is antisymmetric up to round-off)
    agg = np.sqrt(agg / agg.T)
    np.fill_diagonal(agg, 1.0)
    out = pd.DataFrame(agg, index=ref, columns=ref)
    out.index.name, out.columns.name = "item", "compared_with"
    return out


@dataclass
class HierarchyResult:
    """Global criterion weights of a two-level hierarchy and each level's consistency."""

    global_weights: pd.Series
    table: pd.DataFrame  # group, criterion, local, group_weight, global
    group_result: AHPResult | None
    within: dict[str, AHPResult | None] = field(default_factory=dict)
    consistency: pd.DataFrame = field(default_factory=pd.DataFrame)  # level, group, n, lambda_max, ci, cr, consistent
    #: each expert's own CRs when judgements were aggregated (expert, level, group, n, cr, consistent)
    expert_consistency: pd.DataFrame | None = None

    @property
    def consistent(self) -> bool:
        return bool(self.consistency["consistent"].all()) if len(self.consistency) else True

    def to_dict(self) -> dict[str, Any]:
        return {
            "global_weights": {str(k): float(v) for k, v in self.global_weights.items()},
            "table": [
                {k: (float(v) if isinstance(v, (float, np.floating)) else str(v)) for k, v in row.items()}
                for row in self.table.to_dict(orient="records")
            ],
            "consistency": [
                {
                    "level": r["level"],
                    "group": r["group"],
                    "n": int(r["n"]),
                    "lambda_max": float(r["lambda_max"]),
                    "ci": float(r["ci"]),
                    "cr": float(r["cr"]),
                    "consistent": bool(r["consistent"]),
                }
                for r in self.consistency.to_dict(orient="records")
            ],
            "group_level": self.group_result.to_dict() if self.group_result is not None else None,
            "within": {g: (r.to_dict() if r is not None else None) for g, r in self.within.items()},
            "expert_consistency": (
                [
                    {k: (v.item() if hasattr(v, "item") else v) for k, v in r.items()}
                    for r in self.expert_consistency.to_dict(orient="records")
                ]
                if self.expert_consistency is not None
                else None
            ),
        }


def hierarchy_weights(
    group_matrix: pd.DataFrame | None,
    groups: Mapping[str, pd.DataFrame | Sequence[str] | str],
    method: str = "eigen",
    *,
    ri_table: str = DEFAULT_RI_TABLE,
    threshold: float = DEFAULT_CR_THRESHOLD,
    allow_extended_scale: bool = False,
    warn: bool = True,
) -> HierarchyResult:
    """Two-level AHP weights: group priorities x local priorities within each group.

    ``group_matrix``: judgement matrix over the group names (may be None only when there is a
    single group). ``groups``: group name -> the judgement matrix over that group's criteria, or
    for a one-criterion group just its id (a string or a one-element list). A criterion may belong
    to one group only. Warnings for inconsistent matrices name the group.
    """
    if not groups:
        raise InputError("no criterion groups given", where="hierarchy")
    gnames = [str(g) for g in groups]
    if group_matrix is None:
        if len(gnames) > 1:
            raise InputError(
                f"{len(gnames)} groups but no group-level judgement matrix",
                where="hierarchy",
                hint="Compare the groups pairwise (" + ", ".join(gnames) + ").",
            )
        group_res = None
        gw = pd.Series({gnames[0]: 1.0})
    else:
        group_res = analyse(
            group_matrix,
            method,
            ri_table=ri_table,
            threshold=threshold,
            allow_extended_scale=allow_extended_scale,
            label="group level",
            warn=warn,
        )
        have = list(group_res.priorities.index)
        miss = [g for g in gnames if g not in have]
        extra = [g for g in have if g not in gnames]
        if miss or extra:
            parts = []
            if miss:
                parts.append("groups without a row in the group matrix: " + ", ".join(miss))
            if extra:
                parts.append("rows of the group matrix that are not groups: " + ", ".join(extra))
            raise InputError("; ".join(parts), where="hierarchy, group level")
        gw = group_res.priorities
    within: dict[str, AHPResult | None] = {}
    rows = []
    owner: dict[str, str] = {}
    for g, spec in groups.items():
        g = str(g)
        if isinstance(spec, pd.DataFrame):
            if spec.shape == (1, 1):  # validated like any matrix: names match, the cell is 1
                checked = validate_matrix(spec, allow_extended_scale=allow_extended_scale, source=f"group '{g}'")
                crits, local, res = [str(checked.index[0])], np.array([1.0]), None
            else:
                res = analyse(
                    spec,
                    method,
                    ri_table=ri_table,
                    threshold=threshold,
                    allow_extended_scale=allow_extended_scale,
                    label=f"group '{g}'",
                    warn=warn,
                )
                crits, local = list(res.priorities.index), res.priorities.to_numpy()
        else:
            if not isinstance(spec, (str, list, tuple)):
                raise InputError(
                    f"group '{g}' must be a judgement matrix or a criterion id, not {type(spec).__name__}",
                    where=f"hierarchy, group {g}",
                )
            ids = [spec] if isinstance(spec, str) else [str(x) for x in spec]
            if len(ids) != 1:
                raise InputError(
                    f"group '{g}' has {len(ids)} criteria but no judgement matrix",
                    where=f"hierarchy, group {g}",
                    hint="Give a pairwise matrix for groups with two or more criteria.",
                )
            crits, local, res = ids, np.array([1.0]), None
        within[g] = res
        for c, loc in zip(crits, local, strict=True):
            if c in owner:
                raise InputError(f"criterion '{c}' is in two groups ({owner[c]} and {g})", where="hierarchy")
            owner[c] = g
            rows.append((g, c, float(loc), float(gw[g]), float(gw[g] * loc)))
    table = pd.DataFrame(rows, columns=["group", "criterion", "local", "group_weight", "global"])
    gl = pd.Series(table["global"].to_numpy(), index=pd.Index(table["criterion"], name="criterion"), name="weight")
    cons = []
    if group_res is not None:
        cons.append(
            ("group", "(groups)", group_res.n, group_res.lambda_max, group_res.ci, group_res.cr, group_res.consistent)
        )
    for g, r in within.items():
        if r is not None:
            cons.append(("criteria", g, r.n, r.lambda_max, r.ci, r.cr, r.consistent))
        else:
            cons.append(("criteria", g, 1, 1.0, 0.0, 0.0, True))
    consistency = pd.DataFrame(cons, columns=["level", "group", "n", "lambda_max", "ci", "cr", "consistent"])
    return HierarchyResult(gl, table, group_res, within, consistency)


def weights_from_spec(spec: Any, criteria: pd.DataFrame | None = None) -> HierarchyResult:
    """Two-level AHP weights from a scenario's ``weights.ahp`` block (``fulcrum.scenario.AHPSpec``).

    ``spec`` has ``groups`` (group -> criterion ids, or None to take each criterion's ``group``
    from ``criteria``), ``experts`` (each with ``name``, ``weight``, ``groups``: judgements between
    groups, and ``within``: group -> judgements between that group's criteria; a judgement has
    ``a``, ``b``, ``value``), ``method``, ``ri_table`` and ``allow_extended_scale``. Each expert's
    matrices are built from their judgements, aggregated across experts by the weighted geometric
    mean, then synthesised. ``expert_consistency`` on the result gives each expert's own CRs.
    Only criteria present in ``criteria`` (when given) are used.
    """
    from mcda.ahp import from_judgements

    method = getattr(spec, "method", "eigen")
    ri_table = getattr(spec, "ri_table", DEFAULT_RI_TABLE)
    allow = bool(getattr(spec, "allow_extended_scale", False))
    groups_spec = getattr(spec, "groups", None)
    if groups_spec is None:
        if criteria is None or "group" not in getattr(criteria, "columns", []):
            raise InputError(
                "AHP weights need criterion groups, but none are given and the criteria have no 'group' column",
                where="weights.ahp.groups",
                hint='List the groups: {"economic": [ids...], "political": [...], ...}.',
            )
        groups: dict[str, list[str]] = {}
        for cid, g in criteria["group"].items():
            if pd.isna(g) or str(g).strip() == "":
                raise InputError(
                    f"criterion '{cid}' has no group",
                    where="weights.ahp.groups",
                    hint="Give every criterion a group, or list the groups in weights.ahp.groups.",
                )
            groups.setdefault(str(g), []).append(str(cid))
    else:
        groups = {str(g): [str(c) for c in ids] for g, ids in dict(groups_spec).items()}
        if criteria is not None:
            known = {str(c) for c in criteria.index}
            for g, ids in groups.items():
                unknown = [c for c in ids if c not in known]
                if unknown:
                    raise InputError(
                        f"group '{g}' lists criteria not in use: {', '.join(unknown)}",
                        where=f"weights.ahp.groups.{g}",
                        hint="Switch these criteria on, or remove them from the group.",
                    )
            in_groups = {c for ids in groups.values() for c in ids}
            loose = [c for c in criteria.index if str(c) not in in_groups]
            if loose:
                raise InputError(
                    f"criteria in use but in no AHP group: {', '.join(map(str, loose))}",
                    where="weights.ahp.groups",
                    hint="Put every criterion in a group.",
                )
    empty = [g for g, ids in groups.items() if not ids]
    if empty:
        raise InputError(f"group(s) with no criteria: {', '.join(empty)}", where="weights.ahp.groups")
    experts = list(getattr(spec, "experts", []) or [])
    if not experts:
        raise InputError("no expert judgements given", where="weights.ahp.experts")
    gnames = list(groups)
    names = [str(getattr(e, "name", f"expert {k + 1}")) for k, e in enumerate(experts)]
    if len(set(names)) != len(names):
        names = [f"{n} ({k + 1})" for k, n in enumerate(names)]
    ew = {n: float(getattr(e, "weight", 1.0)) for n, e in zip(names, experts, strict=True)}

    def _triples(js: Any) -> list[tuple[str, str, float]]:
        return [(j.a, j.b, j.value) for j in (js or [])]

    group_mats: dict[str, pd.DataFrame] = {}
    within_mats: dict[str, dict[str, pd.DataFrame]] = {g: {} for g in gnames if len(groups[g]) > 1}
    for k, (n, e) in enumerate(zip(names, experts, strict=True)):
        if len(gnames) > 1:
            group_mats[n] = from_judgements(
                _triples(getattr(e, "groups", [])),
                items=gnames,
                allow_extended_scale=allow,
                source=f"weights.ahp.experts[{k}] ({n}), groups",
            )
        within = dict(getattr(e, "within", {}) or {})
        unknown = [g for g in within if g not in groups]
        if unknown:
            raise InputError(
                f"judgements for unknown group(s): {', '.join(unknown)}",
                where=f"weights.ahp.experts[{k}] ({n}), within",
                hint="Known groups: " + ", ".join(gnames) + ".",
            )
        for g in within_mats:
            within_mats[g][n] = from_judgements(
                _triples(within.get(g, [])),
                items=groups[g],
                allow_extended_scale=allow,
                source=f"weights.ahp.experts[{k}] ({n}), within.{g}",
            )
    agg_group = aggregate_judgements(group_mats, ew, allow_extended_scale=allow) if group_mats else None
    spec_groups: dict[str, pd.DataFrame | list[str]] = {}
    for g in gnames:
        if g in within_mats:
            spec_groups[g] = aggregate_judgements(within_mats[g], ew, allow_extended_scale=allow)
        else:
            spec_groups[g] = groups[g]
    res = hierarchy_weights(agg_group, spec_groups, method, ri_table=ri_table, allow_extended_scale=allow)
    if len(experts) > 1:
        rows = []
        for n in names:
            if n in group_mats:
                r = analyse(group_mats[n], method, ri_table=ri_table, allow_extended_scale=allow, warn=False)
                rows.append((n, "group", "(groups)", r.n, r.cr, r.consistent))
            for g in within_mats:
                r = analyse(within_mats[g][n], method, ri_table=ri_table, allow_extended_scale=allow, warn=False)
                rows.append((n, "criteria", g, r.n, r.cr, r.consistent))
        res.expert_consistency = pd.DataFrame(rows, columns=["expert", "level", "group", "n", "cr", "consistent"])
    return res
