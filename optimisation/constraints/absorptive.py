"""Macro absorptive capacity: each shortlisted country's allocation at most a* % of its GDP
(``allocation.absorptive_cap_pct_gdp``, default 16%: the a* where aid's marginal effect reaches
zero, Collier 2007 citing CGD; ``absorptive_cap_pool`` says which money counts)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from optimisation.constraints.base import (
    LE,
    BuildContext,
    ConstraintFamily,
    Row,
    SpecData,
)
from optimisation.wording import musd

if TYPE_CHECKING:  # pragma: no cover
    from optimisation.spec import AllocationSpec


class AbsorptiveGDP(ConstraintFamily):
    """allocation of country c (in the pool) <= pct % of GDP_c, for every country with a GDP."""

    group = "absorptive_gdp"
    label = "absorptive capacity (% of GDP cap per country)"
    verb = "raise"
    row_order = 30
    spec_fields = ("absorptive_cap_pct_gdp", "absorptive_cap_pool", "gdp_column")

    def validate(
        self, spec: AllocationSpec, shortlist: Sequence[str], types: Sequence[str], data: SpecData
    ) -> list[str]:
        """Not an error when GDP is missing: the cap is not applied, and the notes say so."""
        a = spec.absorptive_cap_pct_gdp
        if a is None:
            return []
        if not data.has_gdp:
            return [f"No '{spec.gdp_column}' column: the {a:g}% of GDP absorptive cap is not applied."]
        g = data.gdp_musd()
        assert g is not None
        blank = [c for c in shortlist if not (math.isfinite(g[c]) and g[c] > 0)]
        if blank:
            return [f"GDP blank for {', '.join(blank)}: the {a:g}% of GDP absorptive cap is not applied to them."]
        return []

    def build(self, ctx: BuildContext) -> list[Row]:
        spec, prep = ctx.spec, ctx.prep
        if spec.absorptive_cap_pct_gdp is None or prep.gdp_musd is None:
            return []
        pct, pool = spec.absorptive_cap_pct_gdp, spec.absorptive_cap_pool
        pw = "allocation" if pool == "total" else f"{pool}"
        rows = []
        for c in ctx.countries:
            g = prep.gdp_musd.get(c, float("nan"))
            if not (math.isfinite(g) and g > 0):
                continue
            rhs = pct / 100.0 * g
            rows.append(
                Row(
                    f"absorb_{c}_{pool}",
                    self.group,
                    f"{prep.name(c)} absorptive capacity: {pw} at most {pct:g}% of GDP (US$ {musd(rhs)}M)",
                    ctx.country_terms(c, pool),
                    LE,
                    rhs,
                )
            )
        return rows
