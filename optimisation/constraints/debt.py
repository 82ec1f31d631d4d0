"""The debt rule's rows (``allocation.debt_rule``, issue 11 item 4), from the facts of
:mod:`optimisation.debt`:

* loan caps: a country's investment (loans) money <= its tier's cap (0 excludes it from loans);
* minimum grant shares: a country's aid (grant) money >= share x its allocation, i.e.
  sum_p (a_p - share) x money[c, p] >= 0.

One function per row kind and country (:func:`loan_cap_row`, :func:`grant_share_row`) over whatever
money terms the caller passes, so a programme can state the rule per year.

With ``allocation.programme`` a pair's money is its commitments over the whole programme, so the cap
holds on the country's total loan commitments over the programme's years (not per year), and the
grant share on its total; each pipeline project counts in its own pool
(``ctx.programme.project_pool_terms``), as in the budgets.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from optimisation.constraints.base import GE, LE, BuildContext, ConstraintFamily, Row, SpecData, Terms
from optimisation.wording import musd, pct

if TYPE_CHECKING:  # pragma: no cover
    from optimisation.debt import DebtStatus
    from optimisation.prepare import Prepared
    from optimisation.spec import AllocationSpec

MoneyTerms = Callable[[str, str, float], Terms]


def loan_cap_row(
    st: DebtStatus,
    money: MoneyTerms,
    aid_share: Mapping[str, float],
    types: Sequence[str],
    cname: str,
    suffix: str = "",
) -> Row | None:
    """investment money of the country <= its tier's cap (None when no cap applies)."""
    if st.investment_cap_musd is None:
        return None
    terms: Terms = []
    for p in types:
        k = 1.0 - aid_share[p]
        if k:
            terms += money(st.country, p, k)
    cap = st.investment_cap_musd
    what = "no loans" if cap == 0 else f"loans <= US$ {musd(cap)}M"
    lab = f"{cname}: {what} (debt rule, tier '{st.tier}')" + (f", {suffix.strip('_')}" if suffix else "")
    return Row(f"debtcap_{st.country}{suffix}", LoanCaps.group, lab, terms, LE, cap)


def grant_share_row(
    st: DebtStatus,
    money: MoneyTerms,
    aid_share: Mapping[str, float],
    types: Sequence[str],
    cname: str,
    suffix: str = "",
) -> Row | None:
    """aid money >= share x total money of the country (None when no minimum applies)."""
    g = st.min_grant_share
    if g is None:
        return None
    terms: Terms = []
    for p in types:
        k = aid_share[p] - g
        if k:
            terms += money(st.country, p, k)
    lab = f"{cname}: grants >= {pct(g)} of its allocation (debt rule, tier '{st.tier}')" + (
        f", {suffix.strip('_')}" if suffix else ""
    )
    return Row(f"grantshare_{st.country}{suffix}", GrantShares.group, lab, terms, GE, 0.0, relative=True)


def _own_pool(row: Row | None, ctx: BuildContext, c: str, pool: str) -> Row | None:
    """With a pipeline, country c's projects count in their own pool in its row (not by aid share)."""
    ix = ctx.programme
    if row is not None and ix is not None:
        for v, k in ix.project_pool_terms(c, pool):
            row.expr[v] = row.expr.get(v, 0.0) + k
    return row


def _status(prep: Prepared) -> dict[str, DebtStatus]:
    return prep.rules.get("debt", {})


def _rows(ctx: BuildContext, make_row: Callable[..., Row | None], pool: str) -> list[Row]:
    """One row per country under the debt rule (``make_row``: loan cap or grant share), its projects in ``pool``."""
    if ctx.spec.debt_rule is None:
        return []
    prep = ctx.prep
    rows = [
        _own_pool(make_row(st, ctx.pair_terms, prep.aid_share, ctx.types, prep.name(c)), ctx, c, pool)
        for c, st in _status(prep).items()
    ]
    return [r for r in rows if r is not None]


class LoanCaps(ConstraintFamily):
    """Investment (loans) to a country limited by its debt tier."""

    group = "debt_loan_caps"
    label = "debt-rule loan caps"
    verb = "raise"
    row_order = 64
    spec_fields = ("debt_rule",)

    def validate(
        self, spec: AllocationSpec, shortlist: Sequence[str], types: Sequence[str], data: SpecData
    ) -> list[str]:
        if spec.debt_rule is None:
            return []
        from optimisation.debt import debt_status, rule_words

        st = debt_status(spec.debt_rule, data.countries, shortlist)  # raises on a bad column
        return [rule_words(spec.debt_rule, spec.programme)] + [f"Debt rule, {c}: {s.reason}." for c, s in st.items()]

    def build(self, ctx: BuildContext) -> list[Row]:
        return _rows(ctx, loan_cap_row, "investment")


class GrantShares(ConstraintFamily):
    """A minimum grant (aid) share of a country's allocation, by debt tier."""

    group = "grant_shares"
    label = "minimum grant shares"
    verb = "relax"
    row_order = 66
    spec_fields = ("debt_rule",)

    def build(self, ctx: BuildContext) -> list[Row]:
        return _rows(ctx, grant_share_row, "aid")
