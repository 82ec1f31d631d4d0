"""Annual disbursement ceilings of a programme (``allocation.programme.ceilings``): in each year,
the aid (investment) disbursed is at most that year's aid (investment) ceiling. With
``carry_over`` the room a year leaves unspent carries into the next year:
``disbursed_t + carried_t - carried_(t-1) <= ceiling_t``. No rows without a programme."""

from __future__ import annotations

from optimisation.constraints.base import LE, BuildContext, ConstraintFamily, Row
from optimisation.wording import musd


class AnnualCeilings(ConstraintFamily):
    """pool disbursed in year t (+ room carried out - room carried in) <= the year's ceiling."""

    group = "annual_ceilings"
    label = "annual disbursement ceilings"
    verb = "raise"
    row_order = 15
    spec_fields = ("programme",)

    def build(self, ctx: BuildContext) -> list[Row]:
        ix = getattr(ctx, "programme", None)
        if ix is None:
            return []
        rows = []
        for pool in ("aid", "investment"):
            carry = ix.carry_variables(pool)
            for i, t in enumerate(ix.years):
                cap = ix.prog.ceilings[pool][i]
                terms = ix.year_terms(t, pool)
                if carry[i] is not None:
                    terms.append((carry[i], 1.0))
                if i > 0 and carry[i - 1] is not None:
                    terms.append((carry[i - 1], -1.0))
                rows.append(
                    Row(
                        f"ceiling_{pool}_{t}",
                        self.group,
                        f"{pool} disbursement ceiling {t}: US$ {musd(cap)}M"
                        + (" (plus room carried over)" if ix.prog.carry_over and i > 0 else ""),
                        terms,
                        LE,
                        cap,
                    )
                )
        return rows
