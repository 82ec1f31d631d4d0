"""Absorptive capacity of each (country, type) pair: the last segment breakpoint of the type's
benefit curve (times ``allocation.country_capacity_scale`` of the country). Structural: it is the
upper bound of the segment variables, not a row; the diagnosis relaxes it with one overflow
variable per pair (penalised in the elastic re-solve, free when the group is left out)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from optimisation.constraints.base import (
    BuildContext,
    ConstraintFamily,
    Row,
    SpecData,
    SpecDict,
    check_country,
    drop_keys,
)
from optimisation.wording import musd, safe_name

if TYPE_CHECKING:  # pragma: no cover
    import pulp

    from optimisation.build import Built
    from optimisation.prepare import Prepared
    from optimisation.spec import AllocationSpec


class Capacity(ConstraintFamily):
    """pair (c, p) <= capacity[c, p] (the segment variables' bounds)."""

    group = "capacity"
    label = "absorptive capacity (last segment breakpoint of each country x type)"
    verb = "raise"
    row_order = 90
    spec_fields = ("country_capacity_scale", "type_params")
    structural = True
    on_variable_bounds = True

    def validate(
        self, spec: AllocationSpec, shortlist: Sequence[str], types: Sequence[str], data: SpecData
    ) -> list[str]:
        for c in spec.country_capacity_scale:
            check_country(c, shortlist, f"allocation.country_capacity_scale[{c}]")
        return []

    def restrict(self, spec: SpecDict, shortlist: Sequence[str]) -> tuple[SpecDict, list[str]]:
        return drop_keys(spec, "country_capacity_scale", shortlist)

    def add_variables(self, ctx: BuildContext) -> None:
        if ctx.relaxed(self.group):
            ctx.overflow.update(
                {(c, p): ctx.new_variable(f"ovf_{safe_name(c)}_{safe_name(p)}", 0.0) for c, p in ctx.pairs}
            )

    def build(self, ctx: BuildContext) -> list[Row]:
        return []  # the bounds of the segment variables (set by the model core)

    def elastic_terms(self, ctx: BuildContext) -> dict[pulp.LpVariable, float]:
        if not ctx.elastic(self.group):
            return {}
        return dict.fromkeys(ctx.overflow.values(), self.penalty)

    def bound_relaxations(self, built: Built, tol: float) -> list[dict[str, Any]]:
        if self.group not in built.elastic:
            return []
        prep, out = built.prep, []
        for (c, p), v in built.overflow.items():
            s = v.varValue or 0.0
            if s > tol:
                pair = f"{prep.name(c)} x {prep.tname(p)}"
                out.append(
                    {
                        "group": self.group,
                        "constraint": f"absorptive capacity of {pair}",
                        "by_musd": s,
                        "action": f"raise the absorptive capacity of {pair} (last segment breakpoint, "
                        f"US$ {musd(prep.capacity[c, p])}M) by US$ {musd(s)}M",
                    }
                )
        return out

    def bound_binding(self, prep: Prepared, totals: Sequence[float], tol: float) -> list[str]:
        out = []
        for k, (c, p) in enumerate((c, p) for c in prep.countries for p in prep.types):
            K = prep.capacity[c, p]
            if totals[k] >= K - tol and K > 0:
                out.append(
                    f"{prep.name(c)} x {prep.tname(p)} is at its absorptive capacity "
                    f"(US$ {musd(K)}M, last segment breakpoint): more money there adds no benefit"
                )
        return out
