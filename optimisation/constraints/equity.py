"""Equity floor (``allocation.equity_floor`` = f): every shortlisted country gets at least
f x (total allocated / number of shortlisted countries)."""

from __future__ import annotations

from optimisation.constraints.base import GE, BuildContext, ConstraintFamily, Row
from optimisation.wording import pct


class EquityFloor(ConstraintFamily):
    """country c's money >= f / n x (aid used + investment used)."""

    group = "equity_floor"
    label = "equity floor"
    verb = "lower"
    row_order = 70
    spec_fields = ("equity_floor",)

    def build(self, ctx: BuildContext) -> list[Row]:
        f = ctx.spec.equity_floor
        if not f:
            return []
        prep, n = ctx.prep, len(ctx.countries)
        share = ctx.pool_terms("total", -f / n)
        return [
            Row(
                f"equity_{c}",
                self.group,
                f"equity floor: {prep.name(c)} at least {pct(f)} of an equal share",
                ctx.country_terms(c, "total") + share,
                GE,
                0.0,
                relative=True,
            )
            for c in ctx.countries
        ]
