"""Every constraint family of the registry (optimisation.constraints.FAMILIES) against the same
checks: a label and a verb, rows with unique names, restriction to a sub-shortlist, and its place
in the infeasibility diagnosis when it is the family that conflicts.

A new family fails here until it has an entry in ``SWITCH_ON`` (a spec that switches it on) and
in ``CONFLICT`` (a spec in which it conflicts) — see docs/ARCHITECTURE.md, "Allocation constraint families".

Instance (as tests/optimisation/instances.py): type g all aid, bands 10 @ 1 then 10 @ 0.5 (capacity 20 per
country), minimum size 4; type i all investment, one band 30 @ 1 (capacity 30), minimum size 8;
countries A, B (GDP US$ 1e12 each, so the 16% GDP cap is far away); budgets aid 25, investment 40.
For sub-shortlists a third country C (GDP US$ 1e12) is added.
"""

import re

import pandas as pd
import pytest

import optimisation as opt
from mcda.errors import InputError
from optimisation.constraints import (
    BUDGET_GROUPS,
    BUILD_ORDER,
    BY_GROUP,
    FAMILIES,
    GROUP_LABELS,
    GROUP_VERBS,
    LE,
    RELAXABLE_GROUPS,
    restrict_spec,
)
from optimisation.model import AllocationModel
from optimisation.spec import parse_spec
from tests.optimisation.instances import BUDGETS, two_types
from tests.support import ROOT

BASE = {**BUDGETS, "absorptive_cap_pct_gdp": None}
PRI3 = pd.Series({"A": 0.5, "B": 0.3, "C": 0.2})
COUNTRIES3 = pd.DataFrame({"country": ["Aland", "Bland", "Cland"], "gdp": [1e12, 1e12, 1e12]}, index=["A", "B", "C"])

DEBT_ON = {"column": "gdp", "tiers": [{"name": "t", "above_pct": 50, "investment_cap_musd": 5, "min_grant_share": 0.3}]}

# a spec that switches each family on, naming country C wherever the family names countries
SWITCH_ON = {
    "aid_budget": {},
    "investment_budget": {},
    "annual_ceilings": {
        "programme": {
            "start_year": 2026,
            "years": 2,
            "ceilings": {"aid": [100, 50], "investment": 100},
            "profiles": {"g": "1", "i": "0.5;0.5"},
        }
    },
    "country_floors": {"country_floors": {"A": {"musd": 1}, "C": {"musd": 2, "share": 0.01}}},
    "country_caps": {"country_caps": {"B": {"musd": 30, "pool": "aid"}, "C": {"share": 0.9, "pct_gdp": 1}}},
    "type_floors": {"type_floors": {"g": {"musd": 1}, "i": {"share": 0.1, "pool": "investment"}}},
    "type_caps": {"type_caps": {"g": {"share": 0.9}, "i": {"musd": 100}}},
    "must_fund": {"must_fund": [{"country": "A", "project_type": "g"}, {"country": "C", "project_type": "i"}]},
    "must_not": {"must_not": [{"country": "B", "project_type": "g"}, {"country": "C", "project_type": "g"}]},
    "linking": {
        "linking": [
            {"lhs_type": "g", "ratio": 0.1, "rhs_type": "i"},
            {"lhs_type": "i", "ratio": 0.1, "rhs_type": "g", "countries": ["B", "C"]},
            {"lhs_type": "i", "ratio": 0.2, "rhs_type": "g", "countries": ["C"]},
        ]
    },
    "equity_floor": {"equity_floor": 0.2},
    "absorptive_gdp": {"absorptive_cap_pct_gdp": 16},
    "capacity": {"country_capacity_scale": {"C": 2.0, "A": 0.5}},
    "min_size": {"discrete": True},
    "zones": {"zones": {"lead": ["i"], "joined": {"g": 0.5}, "countries": ["B", "C"]}},
    # the test table has no debt column: the rule reads gdp (1e12, above every threshold); one rule
    # switches both of its families on
    "debt_loan_caps": {"debt_rule": DEBT_ON},
    "grant_shares": {"debt_rule": DEBT_ON},
}

# a spec (on countries A, B) in which each family is part of the conflict
CONFLICT = {
    # floors on aid: 10 + 16 = 26 > aid budget 25
    "aid_budget": {"country_floors": {"A": {"musd": 10, "pool": "aid"}, "B": {"musd": 16, "pool": "aid"}}},
    # floors on investment: 20 + 21 = 41 > investment budget 40
    "investment_budget": {
        "country_floors": {"A": {"musd": 20, "pool": "investment"}, "B": {"musd": 21, "pool": "investment"}}
    },
    # aid disbursed over two years at most 5 + 5 = 10 < A's aid floor of 20
    "annual_ceilings": {
        "programme": {
            "start_year": 2026,
            "years": 2,
            "ceilings": {"aid": 5, "investment": 100},
            "profiles": {"g": "1", "i": "1"},
        },
        "country_floors": {"A": {"musd": 20, "pool": "aid"}},
    },
    "country_floors": {"country_floors": {"A": {"musd": 40}, "B": {"musd": 40}}},
    # A capped at 5 but A x i must get 10
    "country_caps": {
        "country_caps": {"A": {"musd": 5}},
        "must_fund": [{"country": "A", "project_type": "i", "min_musd": 10}],
    },
    # g (all aid) at least 30 > aid budget 25
    "type_floors": {"type_floors": {"g": {"musd": 30}}},
    "type_caps": {
        "type_caps": {"i": {"musd": 5}},
        "must_fund": [{"country": "B", "project_type": "i", "min_musd": 10}],
    },
    "must_fund": {
        "must_fund": [{"country": "B", "project_type": "g"}],
        "must_not": [{"country": "B", "project_type": "g"}],
    },
    "must_not": {
        "must_fund": [{"country": "A", "project_type": "i"}],
        "must_not": [{"country": "A", "project_type": "i"}],
    },
    # g >= 2 i and i >= g in A allow only 0, but A x i must get 8
    "linking": {
        "linking": [
            {"lhs_type": "g", "ratio": 2, "rhs_type": "i", "countries": ["A"]},
            {"lhs_type": "i", "ratio": 1, "rhs_type": "g", "countries": ["A"]},
        ],
        "must_fund": [{"country": "A", "project_type": "i"}],
    },
    # A may get nothing, B must get 5: A is below an equal share
    "equity_floor": {
        "equity_floor": 1.0,
        "must_not": [{"country": "A", "project_type": "g"}, {"country": "A", "project_type": "i"}],
        "must_fund": [{"country": "B", "project_type": "g", "min_musd": 5}],
    },
    # B's GDP is US$ 100M (set below), so 16% allows 16 < a floor of 20
    "absorptive_gdp": {"absorptive_cap_pct_gdp": 16, "country_floors": {"B": {"musd": 20}}},
    # A can absorb 20 + 30 = 50 < 60
    "capacity": {"budget_aid_musd": 100, "budget_investment_musd": 100, "country_floors": {"A": {"musd": 60}}},
    # A x g must get 2, i.e. one project of at least 4, but g is capped at 3
    "min_size": {
        "discrete": True,
        "type_caps": {"g": {"musd": 3}},
        "must_fund": [{"country": "A", "project_type": "g", "min_musd": 2}],
    },
    # g only alongside i in A, but A x i is ruled out and A x g must get 4
    "zones": {
        "zones": {"lead": ["i"], "joined": {"g": 0.5}, "countries": ["A"]},
        "must_not": [{"country": "A", "project_type": "i"}],
        "must_fund": [{"country": "A", "project_type": "g"}],
    },
    # no loans to A (gdp above the threshold) but A x i must get 8
    "debt_loan_caps": {
        "debt_rule": {"column": "gdp", "tiers": [{"name": "t", "above_pct": 50, "investment_cap_musd": 0}]},
        "must_fund": [{"country": "A", "project_type": "i"}],
    },
    # all grants in A and B, but A x i (all loans) must get 8
    "grant_shares": {
        "debt_rule": {"column": "gdp", "tiers": [{"name": "t", "above_pct": 50, "min_grant_share": 1.0}]},
        "must_fund": [{"country": "A", "project_type": "i"}],
    },
}


@pytest.fixture(scope="module")
def types():
    return two_types(min_sizes=(4.0, 8.0))


def _model(types, extra, pri=PRI3, countries=COUNTRIES3):
    return AllocationModel(pri, countries, types, {**BASE, **extra})


# ----------------------------------------------------------------------------- the registry itself


def test_every_family_is_described_once():
    groups = [f.group for f in FAMILIES]
    assert len(set(groups)) == len(groups)
    assert len({f.row_order for f in FAMILIES}) == len(FAMILIES)
    assert "definition" not in groups
    for f in FAMILIES:
        assert re.fullmatch(r"[a-z][a-z_]*", f.group), f
        assert f.label.strip() and f.label == f.label.strip(), f
        assert f.verb in ("raise", "lower", "relax", "allow spending on"), f
        assert f.penalty >= 1.0, f
        assert f.spec_fields and all(fld in opt.AllocationSpec.model_fields for fld in f.spec_fields), f
    assert sorted(BUILD_ORDER, key=lambda f: f.row_order) == list(BUILD_ORDER)
    assert set(BUDGET_GROUPS) == {"aid", "investment"}


def test_group_tables_derive_from_the_registry():
    from optimisation.result import GROUP_LABELS as labels_from_result
    from optimisation.result import RELAXABLE_GROUPS as relaxable_from_result

    assert labels_from_result is GROUP_LABELS and relaxable_from_result is RELAXABLE_GROUPS
    assert list(GROUP_LABELS) == [f.group for f in FAMILIES] == list(RELAXABLE_GROUPS)
    assert {f.group: f.verb for f in FAMILIES} == GROUP_VERBS
    assert opt.GROUP_LABELS is GROUP_LABELS


def test_the_model_core_names_no_family():
    """The core assembles families; no group id appears in its modules (a new family needs no
    edit there). The tables' assumptions sheet lists spec fields, some named like their group
    (equity_floor): those are fields, not groups."""
    core = ["build.py", "prepare.py", "solving.py", "diagnose.py", "model.py", "tables.py", "result.py"]
    text = {m: (ROOT / "optimisation" / m).read_text(encoding="utf-8") for m in core}
    fields = set(opt.AllocationSpec.model_fields)
    found = [
        f"{m}: '{f.group}'"
        for m, t in text.items()
        for f in FAMILIES
        if (f"'{f.group}'" in t or f'"{f.group}"' in t) and not (m == "tables.py" and f.group in fields)
    ]
    assert not found, found


def test_every_family_has_its_test_specs():
    assert set(SWITCH_ON) == set(GROUP_LABELS) == set(CONFLICT)


# ----------------------------------------------------------------------------- rows


@pytest.mark.parametrize("group", list(GROUP_LABELS))
def test_family_builds_named_rows(types, group):
    fam = BY_GROUP[group]
    m = _model(types, SWITCH_ON[group])
    rows = m.rows_of(group)
    names = [r.name for r in m.built.cons]
    assert len(names) == len(set(names)), "row names must be unique"
    assert all(re.fullmatch(r"[A-Za-z0-9_]+", n) for n in names)
    if fam.on_variable_bounds:
        assert rows == []
        caps = {cp: m.prep.capacity[cp] for cp in m.pairs}
        assert caps["C", "g"] == 40 and caps["A", "i"] == 15  # the spec's scales, on the segment bounds
        return
    assert rows, f"{group}: the spec switches it on, so it has rows"
    # the diagnosis's verb for the group fits its rows: an upper limit is raised (or spending
    # allowed), a lower limit lowered (or relaxed)
    senses = {r.sense for r in rows}
    assert len(senses) == 1
    allowed = ("raise", "allow spending on") if senses == {LE} else ("lower", "relax")
    assert fam.verb in allowed, (group, fam.verb)
    for r in rows:
        assert r.group == group and r.label and r.expr
        assert fam.meaning(r, float("nan"), False).startswith(f"{r.label}: not ")
        action = fam.relax_action(r, 2.5)
        assert r.label in action and "US$ 2.5M" in action
    res = m.solve(marginals=False)
    assert res.ok, res.message
    table = res.constraints
    assert set(table.loc[table["group"] == group, "label"]) == {r.label for r in rows}
    assert (table["meaning"].str.len() > 0).all()


def test_rows_come_in_build_order(types):
    spec: dict = {}
    for g in GROUP_LABELS:
        spec.update(SWITCH_ON[g])
    m = _model(types, spec)
    assert {r.group for r in m.built.cons} == set(GROUP_LABELS) - {"capacity"} | {"definition"}
    order = {f.group: f.row_order for f in FAMILIES}
    seen = [order[r.group] for r in m.built.cons if r.group in order]
    assert seen == sorted(seen)
    assert [r.name for r in m.built.cons[:2]] == ["def_aid", "def_investment"]


# ----------------------------------------------------------------------------- restriction


@pytest.mark.parametrize("group", list(GROUP_LABELS))
def test_family_restricts_to_a_sub_shortlist(types, group):
    """Entries naming C are dropped for the shortlist A, B (each reported once); the rest stay;
    the restricted spec builds for A, B, and the full one does not when it names C."""
    fam = BY_GROUP[group]
    spec = parse_spec({**BASE, **SWITCH_ON[group]})
    _, gone = fam.restrict(spec.model_dump(), ["A", "B"])
    assert all("C" in key for key in gone)
    restricted, dropped = restrict_spec(spec, ["A", "B"])
    assert dropped == gone
    names_c = "C" in str({f: spec.model_dump()[f] for f in fam.spec_fields})
    assert bool(gone) == names_c
    if not names_c:
        assert restricted is spec
    else:
        assert "C" not in str({f: restricted.model_dump()[f] for f in fam.spec_fields})
        with pytest.raises(InputError, match=r"'C' is not a shortlisted country"):
            AllocationModel(PRI3[["A", "B"]], COUNTRIES3, types, spec)
    sub = AllocationModel(PRI3[["A", "B"]], COUNTRIES3, types, restricted)
    full = _model(types, SWITCH_ON[group])
    kept = {r.label for r in full.rows_of(group) if "Cland" not in r.label}
    assert {r.label for r in sub.rows_of(group)} == kept


def test_restriction_keys_name_the_entries():
    spec = parse_spec(
        {
            **BASE,
            "country_caps": {"C": {"musd": 1}},
            "country_floors": {"A": {"musd": 1}},
            "must_not": [{"country": "C", "project_type": "g"}],
            "linking": [
                {"lhs_type": "g", "ratio": 1, "rhs_type": "i", "countries": ["C"]},
                {"lhs_type": "i", "ratio": 1, "rhs_type": "g", "countries": ["A", "C"]},
            ],
            "country_capacity_scale": {"C": 2},
        }
    )
    out, dropped = restrict_spec(spec, ["A", "B"])
    assert sorted(dropped) == [
        "country_capacity_scale[C]",
        "country_caps[C]",
        "linking[0] in C",
        "linking[1] in C",
        "must_not C x g",
    ]
    assert out.country_floors.keys() == {"A"} and out.country_caps == {} and out.must_not == []
    # a link left with no country is dropped (an empty list would mean every country)
    assert [ln.countries for ln in out.linking] == [["A"]]


# ----------------------------------------------------------------------------- diagnosis


@pytest.mark.parametrize("group", list(GROUP_LABELS))
def test_family_appears_in_the_diagnosis_when_it_conflicts(types, group):
    fam = BY_GROUP[group]
    countries = COUNTRIES3.loc[["A", "B"]].copy()
    if group == "absorptive_gdp":
        countries.loc["B", "gdp"] = 1e8
    res = opt.solve(PRI3[["A", "B"]], countries, types, {**BASE, **CONFLICT[group]})
    assert res.status == "infeasible"
    d = res.diagnosis
    assert group in d.conflicting_groups, d.message
    assert fam.label in d.message
    assert {"group": group, "label": fam.label} in [{k: c[k] for k in ("group", "label")} for c in d.conflicts()]
    amount = d.by_group[group]
    if amount is not None:
        assert f"{fam.verb} the {fam.label} by US$ " in d.message


def test_row_names_stay_unique_when_solver_safe_names_collide(types):
    """'A.B' and 'A_B' both become A_B in a solver name: the second row gets a suffix."""
    pri = pd.Series({"A.B": 0.5, "A_B": 0.5})
    countries = pd.DataFrame({"gdp": [1e12, 1e12]}, index=["A.B", "A_B"])
    m = AllocationModel(pri, countries, types, {**BASE, "country_caps": {"A.B": {"musd": 9}, "A_B": {"musd": 9}}})
    names = [r.name for r in m.rows_of("country_caps")]
    assert names == ["country_caps_A_B_musd_total", "country_caps_A_B_musd_total_2"]
