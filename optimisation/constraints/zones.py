"""Demonstration zones (``allocation.zones``, issue 11 item 3): in each listed country (default every
shortlisted one) a *joined* type (health) is funded only alongside the zone's *lead* types (rural
poverty reduction and/or production capacity), at most ``ratio`` x the lead money there:

    joined[c] - ratio x sum(lead[c]) <= 0

Linear, no binaries: where the lead gets nothing the joined type gets nothing ("health > 0 only if
lead > 0"), and the ratio holds in every country. The rows of one country come from one function,
:func:`zone_rows`, over whatever money terms the caller passes (today's single-period pairs, or a
programme's per-year index), so a multi-year model states the same rule per year.

With ``allocation.programme`` the rule holds per country AND commitment year (the issue: "funded in a
country and year only alongside the lead type there"):

    joined committed in year y - ratio x sum(lead committed in year y) <= 0   for every year y

over the programme's commitment terms (``ctx.programme.commit_terms``: envelope and pipeline
projects starting in y). Summed over the years these give the whole-programme row, which is left out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from mcda.errors import InputError
from optimisation.constraints.base import (
    LE,
    BuildContext,
    ConstraintFamily,
    Row,
    SpecData,
    SpecDict,
    Terms,
    check_country,
    check_type,
)

if TYPE_CHECKING:  # pragma: no cover
    from optimisation.spec import AllocationSpec, Zones

#: money of (country, type) times k, as (variable, coefficient) terms
MoneyTerms = Callable[[str, str, float], Terms]

GROUP = "zones"


def zone_leads(zones: Zones, joined: str) -> list[str]:
    """The lead types a joined type's ratio counts (its own list, else every lead type)."""
    jt = zones.joined[joined]
    return list(jt.lead) if jt.lead else list(zones.lead)


def zone_rule_words(
    zones: Zones, tname: Callable[[str], str], where: str = "every shortlisted country", per_year: bool = False
) -> str:
    """The rule in words, for every output: 'Demonstration zones (in ...): health is funded only ...'
    (``per_year``: with a programme, in each commitment year)."""
    parts = []
    when = " and commitment year" if per_year else ""
    there = " there that year" if per_year else " there"
    for j, jt in zones.joined.items():
        leads = " + ".join(tname(p) for p in zone_leads(zones, j))
        parts.append(
            f"{tname(j)} is funded in a country{when} only alongside {leads}{there}, at most {jt.ratio:g} x "
            f"that money (nothing where it gets nothing)"
        )
    head = f"Demonstration zones{f' ({zones.label})' if zones.label else ''}, in {where}, led by " + ", ".join(
        tname(p) for p in zones.lead
    )
    return f"{head}: " + "; ".join(parts) + "."


def zone_rows(
    zones: Zones,
    c: str,
    money: MoneyTerms,
    cname: str,
    tname: Callable[[str], str],
    suffix: str = "",
) -> list[Row]:
    """The zone rows of one country: joined[c] <= ratio x lead[c] for each joined type.

    Parameters
    ----------
    zones : Zones
    c : str
        The country.
    money : callable (country, type, k) -> terms
        The money of a (country, type) times k (a programme passes one year's money).
    cname : str
        The country in words.
    tname : callable
        A type in words.
    suffix : str
        Appended to row names and labels (e.g. ``_2027`` / ``, 2027`` for a programme year).
    """
    rows = []
    for j, jt in zones.joined.items():
        leads = zone_leads(zones, j)
        terms = money(c, j, 1.0)
        for p in leads:
            terms = terms + money(c, p, -jt.ratio)
        lab = f"{cname}: {tname(j)} <= {jt.ratio:g} x {' + '.join(tname(p) for p in leads)} (demonstration zone)"
        rows.append(
            Row(
                f"zone_{c}_{j}{suffix}",
                GROUP,
                lab + (f", {suffix.strip('_')}" if suffix else ""),
                terms,
                LE,
                0.0,
                relative=True,
            )
        )
    return rows


class DemonstrationZones(ConstraintFamily):
    """Joined types only alongside the lead types, at most ratio x the lead money, per country."""

    group = GROUP
    label = "demonstration-zone limits"
    verb = "raise"
    row_order = 62
    spec_fields = ("zones",)

    def validate(
        self, spec: AllocationSpec, shortlist: Sequence[str], types: Sequence[str], data: SpecData
    ) -> list[str]:
        z = spec.zones
        if z is None:
            return []
        if len(set(z.lead)) != len(z.lead):
            raise InputError("a lead type is listed twice", where="allocation.zones.lead")
        for i, p in enumerate(z.lead):
            check_type(p, types, data, f"allocation.zones.lead[{i}]")
        for j, jt in z.joined.items():
            where = f"allocation.zones.joined[{j}]"
            check_type(j, types, data, where)
            if j in z.lead:
                raise InputError(f"'{j}' is both a lead and a joined type", where=where)
            for i, p in enumerate(jt.lead or []):
                if p not in z.lead:
                    raise InputError(
                        f"'{p}' is not one of the zone's lead types",
                        where=f"{where}.lead[{i}]",
                        hint=f"Lead types: {', '.join(z.lead)}",
                    )
        for i, c in enumerate(z.countries or []):
            check_country(c, shortlist, f"allocation.zones.countries[{i}]")
        if z.countries is not None and not z.countries:
            raise InputError(
                "an empty list: name countries or leave it out (every country)", where="allocation.zones.countries"
            )
        from optimisation.wording import type_name

        where = ", ".join(z.countries) if z.countries else "every shortlisted country"
        return [zone_rule_words(z, type_name, where, per_year=spec.programme is not None)]

    def restrict(self, spec: SpecDict, shortlist: Sequence[str]) -> tuple[SpecDict, list[str]]:
        """Countries outside the shortlist leave the zones' list; with none left the rule is dropped
        (an empty list would mean "every country")."""
        z = spec.get("zones")
        if not z or not z.get("countries"):
            return spec, []
        keep = set(shortlist)
        gone = [f"zones in {c}" for c in z["countries"] if c not in keep]
        if not gone:
            return spec, []
        cs = [c for c in z["countries"] if c in keep]
        return {**spec, "zones": ({**z, "countries": cs} if cs else None)}, gone

    def build(self, ctx: BuildContext) -> list[Row]:
        z = ctx.spec.zones
        if z is None:
            return []
        prep = ctx.prep
        ix = ctx.programme
        rows: list[Row] = []
        for c in z.countries or ctx.countries:
            if ix is None:
                rows += zone_rows(z, c, ctx.pair_terms, prep.name(c), prep.tname)
                continue
            for y in ix.years:  # per commitment year (the whole-programme row is their sum)
                rows += zone_rows(z, c, _committed(ix, y), prep.name(c), prep.tname, f"_{y}")
        return rows


def _committed(ix: Any, y: int) -> MoneyTerms:
    """Money terms of a pair committed in programme year y (``ProgrammeIndex.commit_terms``), times k."""

    def money(c: str, p: str, k: float) -> Terms:
        return [(v, k * a) for v, a in ix.commit_terms(c, p, y)]

    return money
