"""Budget families: aid used <= the aid budget, investment used <= the investment budget.

Each is one row on a pool-total variable (aid used, investment used; defined by the model core as
the aid / investment shares of every pair). The budgets are what another US$1M is asked about:
their meaning reports the one-sided values of one more and one less US$1M (re-solved), and they
cost slightly more to relax in the diagnosis than a planner's own constraint.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, ClassVar

from optimisation.constraints.base import LE, BuildContext, ConstraintFamily, Row
from optimisation.wording import musd


class _Budget(ConstraintFamily):
    """One pool's budget row (``budget_pool`` says which)."""

    verb = "raise"
    penalty = 1.001
    pool: ClassVar[str]
    row_name: ClassVar[str]

    def build(self, ctx: BuildContext) -> list[Row]:
        B = ctx.budgets[0] if self.pool == "aid" else ctx.budgets[1]
        return [Row(self.row_name, self.group, self.label, ctx.pool_terms(self.pool), LE, B)]

    def meaning(
        self, row: Row, pi: float, binding: bool, marginal: Mapping[str, Any] | None = None, tol: float = 1e-9
    ) -> str:
        """Used or not, and what one more / one less US$1M of the pool is worth (both sides when
        the budget sits at a kink of the benefit-budget curve)."""
        pool = self.pool
        used = "fully used" if binding else "not fully used"
        mv = marginal or {}
        up, down = mv.get("one_more", float("nan")), mv.get("one_less", float("nan"))
        step = mv.get("one_less_step", 1.0)
        less = "one less US$1M" if step >= 1.0 else f"cutting it to 0 (US$ {musd(step)}M less)"
        if not math.isnan(up) and not math.isnan(down):
            rate = down / step if step > 0 else down  # per US$1M, to compare slopes when B < 1
            if abs(up - rate) > tol:
                return (
                    f"{row.label}: {used}; one more US$1M of {pool} adds {up:.4g} units of benefit; "
                    f"{less} loses {down:.4g} (the budget is at a kink: the two sides differ"
                    + (f"; the solver's shadow price is {pi:.4g}" if not math.isnan(pi) else "")
                    + ")"
                )
            if math.isnan(pi) or abs(pi - up) > tol:  # e.g. a MILP: the dual of the LP with binaries fixed
                return (
                    f"{row.label}: {used}; one more US$1M of {pool} adds {up:.4g} units of benefit and "
                    f"{less} loses as much"
                    + (
                        f" (the solver's shadow price {pi:.4g} holds only for smaller changes)"
                        if not math.isnan(pi)
                        else ""
                    )
                )
        elif not math.isnan(up) or not math.isnan(down):  # one side has no optimum (e.g. infeasible below)
            side = (
                f"one more US$1M of {pool} adds {up:.4g} units of benefit"
                if not math.isnan(up)
                else f"{less} loses {down:.4g} units of benefit"
            )
            return f"{row.label}: {used}; {side}; {mv.get('note', '')}".rstrip("; ")
        if math.isnan(pi):
            return f"{row.label}: {used}"
        return f"{row.label}: {used}; one more US$1M of {pool} adds {pi:.4g} units of benefit"


class AidBudget(_Budget):
    """aid used <= ``budget_aid_musd``."""

    group = "aid_budget"
    label = "aid budget"
    row_order = 10
    spec_fields = ("budget_aid_musd",)
    budget_pool = "aid"
    pool = "aid"
    row_name = "budget_aid"


class InvestmentBudget(_Budget):
    """investment used <= ``budget_investment_musd``."""

    group = "investment_budget"
    label = "investment budget"
    row_order = 11
    spec_fields = ("budget_investment_musd",)
    budget_pool = "investment"
    pool = "investment"
    row_name = "budget_investment"
