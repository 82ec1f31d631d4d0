"""The debt rule's facts per country (``allocation.debt_rule``, issue 11 item 4): each shortlisted
country's debt indicator (external debt stocks, % of GNI, WDI DT.DOD.DECT.GN.ZS, the countries
table's ``external_debt`` and its year), the tier it falls in, its loan cap, its minimum grant share,
and the reason in words. Pure: the constraint families (:mod:`optimisation.constraints.debt`) build
rows from these facts; the tables and reports print the reasons.

A country falls in the highest tier whose ``above_pct`` its value exceeds (strictly); below every
threshold no limit applies. A blank value: no limit (``missing = no_limit``, said in the notes) or
no loans (``missing = exclude``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mcda.errors import InputError
from optimisation.wording import musd, pct

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from optimisation.spec import DebtRule


@dataclass(frozen=True)
class DebtStatus:
    """One country under the debt rule."""

    country: str
    value: float | None  # % of GNI (None: blank)
    year: str  # the value's year ('' when unknown)
    tier: str  # the tier's name ('' when no tier applies)
    investment_cap_musd: float | None  # None: no cap
    min_grant_share: float | None  # None: no minimum
    reason: str  # in words: why capped / excluded, or why no limit

    @property
    def limited(self) -> bool:
        """A cap or a minimum grant share applies."""
        return self.investment_cap_musd is not None or self.min_grant_share is not None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "external_debt_pct_gni": self.value,
            "year": self.year,
            "tier": self.tier,
            "investment_cap_musd": self.investment_cap_musd,
            "min_grant_share": self.min_grant_share,
            "reason": self.reason,
        }


def _year(countries: pd.DataFrame, column: str, c: str) -> str:
    col = f"{column}_year"
    if col not in countries.columns:
        return ""
    v: Any = countries.at[c, col]
    try:
        f = float(v)
    except (TypeError, ValueError):
        return "" if v is None or str(v) in ("<NA>", "nan", "NaT") else str(v).strip()  # `v or ""` raises on pd.NA
    return str(int(f)) if math.isfinite(f) else ""


def _limits_words(cap: float | None, share: float | None) -> str:
    out = []
    if cap is not None:
        out.append("no loans (investment excluded)" if cap == 0 else f"loans at most US$ {musd(cap)}M")
    if share is not None:
        out.append(f"grants at least {pct(share)} of its allocation")
    return " and ".join(out)


def debt_status(rule: DebtRule, countries: pd.DataFrame, shortlist: Sequence[str]) -> dict[str, DebtStatus]:
    """Each shortlisted country's place under the rule.

    Raises
    ------
    InputError
        The rule's column is not in the countries table (``allocation.debt_rule.column``), or holds a
        value that is not a number.
    """
    import pandas as pd

    col = rule.column
    if col not in countries.columns:
        raise InputError(
            f"column '{col}' is not in the countries table",
            where="allocation.debt_rule.column",
            hint="The shipped table has external_debt (WDI DT.DOD.DECT.GN.ZS, % of GNI)",
        )
    raw = countries[col].reindex(list(shortlist))
    vals = pd.to_numeric(raw, errors="coerce")
    bad = [str(c) for c, r, v in zip(raw.index, raw, vals, strict=True) if not _blank(r) and not math.isfinite(v)]
    if bad:
        raise InputError(f"not a number for {', '.join(bad)}", where=f"allocation.debt_rule.column ({col})")
    out: dict[str, DebtStatus] = {}
    for c in shortlist:
        v = float(vals[c])
        yr = _year(countries, col, c)
        if not math.isfinite(v):
            if rule.missing == "exclude":
                out[c] = DebtStatus(
                    c,
                    None,
                    "",
                    "no debt figure",
                    0.0,
                    None,
                    f"no {col} figure: no loans (allocation.debt_rule.missing = exclude)",
                )
            else:
                out[c] = DebtStatus(
                    c,
                    None,
                    "",
                    "",
                    None,
                    None,
                    f"no {col} figure: no debt limit applied (allocation.debt_rule.missing = no_limit)",
                )
            continue
        tier = None
        for t in rule.tiers:
            if v > t.above_pct:
                tier = t
        when = f" ({yr})" if yr else ""
        if tier is None:
            out[c] = DebtStatus(
                c,
                v,
                yr,
                "",
                None,
                None,
                f"{col} {v:.1f}% of GNI{when} is at or below {rule.tiers[0].above_pct:g}%: no debt limit",
            )
            continue
        out[c] = DebtStatus(
            c,
            v,
            yr,
            tier.name,
            tier.investment_cap_musd,
            tier.min_grant_share,
            f"{col} {v:.1f}% of GNI{when} is above {tier.above_pct:g}% (tier '{tier.name}'): "
            + _limits_words(tier.investment_cap_musd, tier.min_grant_share),
        )
    return out


def _blank(v: object) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or str(v).strip() == ""


def rule_words(rule: DebtRule, programme: Any = None) -> str:
    """The rule in words, for every output (with a programme: what the cap counts)."""
    tiers = "; ".join(
        f"above {t.above_pct:g}%: {_limits_words(t.investment_cap_musd, t.min_grant_share)} ('{t.name}', {t.source})"
        for t in rule.tiers
    )
    miss = "no limit" if rule.missing == "no_limit" else "no loans"
    return (
        f"Debt rule on {rule.column} (external debt stocks, % of GNI): {tiers}; a blank value: {miss}. "
        "The thresholds of the IMF/World Bank framework are set on the present value of public and "
        "publicly guaranteed external debt (% of GDP); the nominal total external debt stock (% of GNI) "
        "stands in for it (assumption)."
    ) + (
        f" Over the {programme.years}-year programme from {programme.start_year} a loan cap holds on the country's "
        "total loan commitments over all its years together (not per year), and a grant share on its total "
        "commitments; each pipeline project counts in its own pool."
        if programme is not None
        else ""
    )


__all__ = ["DebtStatus", "debt_status", "rule_words"]
