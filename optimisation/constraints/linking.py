"""Linking constraints (``allocation.linking``): in each listed country (default every shortlisted
one), lhs_type >= ratio x rhs_type, e.g. health >= 0.25 x production capacity, the paper's
joined-up demonstration zones."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from mcda.errors import InputError
from optimisation.constraints.base import (
    GE,
    BuildContext,
    ConstraintFamily,
    Row,
    SpecData,
    SpecDict,
    check_country,
    check_type,
)

if TYPE_CHECKING:  # pragma: no cover
    from optimisation.spec import AllocationSpec


class Linking(ConstraintFamily):
    """lhs_type money >= ratio x rhs_type money, per listed country."""

    group = "linking"
    label = "linking constraints"
    verb = "relax"
    row_order = 60
    spec_fields = ("linking",)

    def validate(
        self, spec: AllocationSpec, shortlist: Sequence[str], types: Sequence[str], data: SpecData
    ) -> list[str]:
        for i, link in enumerate(spec.linking):
            check_type(link.lhs_type, types, data, f"allocation.linking[{i}].lhs_type")
            check_type(link.rhs_type, types, data, f"allocation.linking[{i}].rhs_type")
            if link.lhs_type == link.rhs_type:
                raise InputError(
                    "a linking constraint needs two different project types", where=f"allocation.linking[{i}]"
                )
            for j, c in enumerate(link.countries or []):
                check_country(c, shortlist, f"allocation.linking[{i}].countries[{j}]")
        return []

    def restrict(self, spec: SpecDict, shortlist: Sequence[str]) -> tuple[SpecDict, list[str]]:
        """Countries outside the shortlist leave the link's list; a link left with none is dropped
        (an empty list would mean "every country")."""
        keep = set(shortlist)
        links: list[dict[str, Any]] = []
        gone: list[str] = []
        for i, ln in enumerate(spec.get("linking") or []):
            if ln.get("countries"):
                cs = [c for c in ln["countries"] if c in keep]
                gone += [f"linking[{i}] in {c}" for c in ln["countries"] if c not in keep]
                if not cs:
                    continue
                ln = {**ln, "countries": cs}
            links.append(ln)
        return ({**spec, "linking": links} if gone else spec), gone

    def build(self, ctx: BuildContext) -> list[Row]:
        prep, rows = ctx.prep, []
        for i, ln in enumerate(ctx.spec.linking):
            for c in ln.countries or ctx.countries:
                lab = (
                    f"{prep.name(c)}: {ln.label}"
                    if ln.label
                    else f"{prep.name(c)}: {prep.tname(ln.lhs_type)} >= {ln.ratio:g} x {prep.tname(ln.rhs_type)}"
                )
                ex = ctx.pair_terms(c, ln.lhs_type) + [(v, -ln.ratio * k) for v, k in ctx.pair_terms(c, ln.rhs_type)]
                rows.append(
                    Row(f"link{i}_{c}_{ln.lhs_type}_{ln.rhs_type}", self.group, lab, ex, GE, 0.0, relative=True)
                )
        return rows
