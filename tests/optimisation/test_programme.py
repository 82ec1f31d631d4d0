"""The multi-year programme and its pipeline (optimisation/programme.py, optimisation/pipeline.py),
on the hand-solvable instance of tests/optimisation/instances.py.

Instance (US$ millions): type g all aid, bands 10 @ 1 then 10 @ 0.5; type i all investment, one band
30 @ 1; priorities A 0.6, B 0.4; budgets aid 25, investment 40; no GDP cap. Objective coefficients:
A-g 0.6 then 0.3, B-g 0.4 then 0.2, A-i 0.6, B-i 0.4. Without a programme the optimum is 33.5
(tests/optimisation/test_handsolved.py): g: A 15, B 10; i: A 30, B 10.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from optimisation.model import AllocationModel
from tests.optimisation.instances import BASE, PRI, raises

REL = 1e-6


def approx(v: float):
    return pytest.approx(v, rel=REL, abs=1e-6)


def programme(years: int, aid, inv=100.0, carry=False, g="0.5;0.5", i="1") -> dict:
    return {
        "start_year": 2026,
        "years": years,
        "ceilings": {"aid": aid, "investment": inv},
        "carry_over": carry,
        "profiles": {"g": g, "i": i},
    }


def pipe(*rows: tuple) -> pd.DataFrame:
    cols = ["project_id", "country", "project_type", "pool", "commitment_musd", "start_year_min"]
    cols += ["disbursement", "requires", "must"]
    return pd.DataFrame([dict(zip(cols, r, strict=True)) for r in rows], columns=cols)


def solve(types, countries, prog: dict, pipeline: pd.DataFrame | None = None, solver: str = "cbc", **extra):
    spec = {**BASE, "solver": solver, "programme": prog, **extra}
    if pipeline is not None:
        spec["pipeline"] = "pipe.csv"
    return AllocationModel(PRI, countries, types, spec, pipeline=pipeline).solve()


def per_year(res) -> dict:
    return res.programme["per_year"]


def check_properties(res, prog: dict) -> None:
    """Disbursements add up to each pair's money; yearly totals within the ceilings (no carry-over)."""
    d = res.programme["disbursements"]
    tot = d.groupby(["country", "project_type"])["musd"].sum()
    alloc = res.allocation.set_index(["country", "project_type"])["total_musd"]
    for key, v in alloc.items():
        assert float(tot.get(key, 0.0)) == approx(v)
    if not prog.get("carry_over"):
        for k, (t, row) in enumerate(per_year(res).items()):
            for pool in ("aid", "investment"):
                c = prog["ceilings"][pool]
                cap = c[k] if isinstance(c, list) else c
                assert row[f"{pool}_musd"] <= cap + 1e-6, (t, pool)
    assert set(d["year"]) <= set(range(prog["start_year"], prog["start_year"] + prog["years"]))


@pytest.mark.parametrize("solver", ["cbc", "highs"])
def test_three_year_programme_hand_solved(types, countries, solver):
    """Aid ceilings 5, 10, 10; g disburses 0.5;0.5 (starts 2026 or 2027), i all in its start year.

    g's commitments z26, z27: 2026: 0.5 z26 <= 5; 2027: 0.5 z26 + 0.5 z27 <= 10; 2028: 0.5 z27 <= 10.
    So g in total <= 20 (the 2027 row); the aid budget 25 no longer binds. Best 20 of g: A-g first
    band 10 (0.6) and B-g first band 10 (0.4) = 10. Investment as before: A-i 30, B-i 10 = 22.
    Optimum 32. One more US$1M of the 2027 aid ceiling allows US$2M more g, into A-g's second band
    (0.3): shadow price 0.6. Aid used 20, aid budget shadow price 0."""
    prog = programme(3, [5, 10, 10])
    res = solve(types, countries, prog, solver=solver)
    assert res.status == "optimal"
    assert res.objective == approx(32.0)
    assert res.by_pool["aid"] == approx(20.0)
    cons = res.constraints.set_index("name")
    assert cons.loc["ceiling_aid_2027", "shadow_price"] == approx(0.6)
    assert cons.loc["budget_aid", "shadow_price"] == approx(0.0)
    assert per_year(res)["2027"]["aid_musd"] == approx(10.0)
    check_properties(res, prog)


def test_carry_over_hand_solved(types, countries):
    """Aid ceilings 10, 2, 10; g 0.5;0.5. Without carry-over the 2027 row 0.5 (z26 + z27) <= 2 caps g
    at 4: A-g 4 (0.6 x 4 = 2.4) + investment 22 = 24.4. With carry-over (room r26, r27 >= 0):
    0.5 z26 + r26 <= 10; 0.5 z26 + 0.5 z27 + r27 - r26 <= 2; 0.5 z27 - r27 <= 10; the three rows sum to
    z26 + z27 <= 22 (reached: z26 = 2, z27 = 20, r26 = 9, r27 = 0), under the aid budget 25. g 22:
    A-g 10 (6) + B-g 10 (4) + A-g second band 2 (0.6) = 10.6; optimum 32.6."""
    off = solve(types, countries, programme(3, [10, 2, 10]))
    assert off.objective == approx(24.4)
    on = solve(types, countries, programme(3, [10, 2, 10], carry=True))
    assert on.objective == approx(32.6)
    assert on.by_pool["aid"] == approx(22.0)
    yearly = per_year(on)
    assert sum(v["aid_musd"] for v in yearly.values()) == approx(22.0)
    # cumulative disbursement never exceeds cumulative ceilings
    cum, cap = 0.0, 0.0
    for k, v in enumerate(yearly.values()):
        cum += v["aid_musd"]
        cap += [10, 2, 10][k]
        assert cum <= cap + 1e-6
    check_properties(on, {**programme(3, [10, 2, 10]), "carry_over": True})


@pytest.mark.parametrize("solver", ["cbc", "highs"])
def test_pipeline_hand_solved(types, countries, solver):
    """Two years, g and i disburse in their start year. Aid ceilings 5 (2026) and 20 (2027).
    PB: B x g, aid, 12, no earlier than 2027, must fund. PX: B x i, 8, must not. PA: A x g, 4, requires PX.

    PA cannot be funded (PX is excluded). PB puts 12 into B-g in 2027: its first band 10 (0.4) and 2 of its
    second (0.2) = 4.4. Aid left: budget 25 - 12 = 13 (2026 room 5, 2027 room 8): A-g first band 10 (6)
    and 3 more at 0.3 (A-g second band beats B-g's 0.2) = 6.9. Investment as before 22. Optimum
    33.3 = 33.5 - 0.2 (the must-fund project costs 0.2). The aid budget's shadow price is 0.3."""
    p = pipe(
        ("PB", "B", "g", "aid", 12, 2027, "1", "", "fund"),
        ("PX", "B", "i", "investment", 8, 2026, "", "", "not"),
        ("PA", "A", "g", "aid", 4, 2026, "", "PX", ""),
    )
    res = solve(types, countries, programme(2, [5, 20], g="1"), p, solver=solver)
    assert res.status == "optimal" and res.is_milp
    assert res.objective == approx(33.3)
    alloc = res.allocation.set_index(["country", "project_type"])["total_musd"]
    assert alloc[("A", "g")] == approx(13.0) and alloc[("B", "g")] == approx(12.0)
    pr = res.programme["projects"].set_index("project_id")
    assert list(res.programme["projects"].columns) == [
        "project_id",
        "selected",
        "start_year",
        "commitment_musd",
        "why_not_selected",
        "source",
    ]
    assert bool(pr.loc["PB", "selected"]) and int(pr.loc["PB", "start_year"]) == 2027
    assert not pr.loc["PA", "selected"] and "requires PX" in pr.loc["PA", "why_not_selected"]
    assert not pr.loc["PX", "selected"] and "must = not" in pr.loc["PX", "why_not_selected"]
    d = res.programme["disbursements"]
    pb = d[d["project_id"] == "PB"]
    assert pb["musd"].sum() == approx(12.0) and set(pb["year"]) == {2027} and set(pb["pool"]) == {"aid"}
    assert list(d.columns) == ["country", "project_type", "project_id", "pool", "year", "musd"]
    assert res.shadow_prices["aid budget"] == approx(0.3)
    check_properties(res, programme(2, [5, 20], g="1"))


def test_why_a_project_lost_names_the_ceiling(types, countries):
    """One year, aid ceiling 5: A-g's first band takes it (0.6 per US$1M, the ceiling's shadow price).
    PQ (B x g, 6 aid) does not fit: funding it costs 6 x 0.6 = 3.6 at the ceiling (the LP with binaries
    fixed is degenerate, so the value it puts on money in B-g may lie anywhere in [0.4, 0.6]); projects.csv
    names the 2026 aid disbursement ceiling and its cost 3.6."""
    p = pipe(("PQ", "B", "g", "aid", 6, 2026, "1", "", ""))
    res = solve(types, countries, programme(1, 5, g="1"), p)
    assert res.objective == approx(3.0 + 22.0)
    why = res.programme["projects"].set_index("project_id").loc["PQ", "why_not_selected"]
    assert "aid disbursement ceiling 2026" in why and "3.6" in why, why


def test_must_fund_above_the_ceilings_is_infeasible_and_names_them(types, countries):
    """PB needs 12 of aid in 2026, the only year, whose aid ceiling is 5: the diagnosis asks to raise the
    annual disbursement ceilings by US$ 7M."""
    p = pipe(("PB", "B", "g", "aid", 12, 2026, "1", "", "fund"))
    res = solve(types, countries, programme(1, 5, g="1"), p)
    assert res.status == "infeasible"
    text = str(res.message) + " " + " ".join(str(c) for c in res.diagnosis.conflicts())
    assert "annual disbursement ceilings" in text, text
    assert any(abs(r["by_musd"] - 7.0) < 1e-5 for r in res.diagnosis.relaxations), res.diagnosis.relaxations


def test_projects_count_in_their_own_pool(types, countries):
    """An investment-pool project of type g (all aid by its share) counts in the investment pool: 8 of
    investment goes to B-g, the aid budget (25) still funds g elsewhere."""
    p = pipe(("PI", "B", "g", "investment", 8, 2026, "1", "", "fund"))
    res = solve(types, countries, programme(1, 100, g="1"), p)
    assert res.status == "optimal"
    assert res.by_pool["investment"] == approx(40.0) and res.by_pool["aid"] == approx(25.0)
    d = res.programme["disbursements"]
    assert d.loc[d["project_id"] == "PI", "pool"].tolist() == ["investment"]


def test_requires_and_start_years_hold_on_generated_pipelines(types, countries):
    """Properties on 8 generated programmes: a funded project's required projects are funded, it starts no
    earlier than start_year_min and ends within the programme, its disbursements sum to its commitment;
    yearly totals stay within the ceilings; pair money = its disbursements."""
    for seed in range(8):
        rng = np.random.default_rng(seed)
        years = int(rng.integers(2, 5))
        aid = [float(x) for x in rng.uniform(4, 15, years)]
        rows = []
        for k in range(6):
            t = str(rng.choice(["g", "i"]))
            n = int(rng.integers(1, 3))
            shares = ";".join(["0.5", "0.5"] if n == 2 else ["1"])
            req = f"P{k - 1}" if k and rng.random() < 0.4 else ""
            rows.append(
                (
                    f"P{k}",
                    str(rng.choice(["A", "B"])),
                    t,
                    "aid" if t == "g" else "investment",
                    float(rng.uniform(1, 9)),
                    int(rng.integers(2026, 2026 + years - n + 1)),
                    shares,
                    req,
                    "",
                )
            )
        prog = programme(years, aid, inv=20.0)
        res = solve(types, countries, prog, pipe(*rows))
        assert res.status == "optimal", seed
        check_properties(res, prog)
        pr = res.programme["projects"].set_index("project_id")
        d = res.programme["disbursements"]
        for pid, r in zip(pr.index, rows, strict=True):
            if not pr.loc[pid, "selected"]:
                assert pr.loc[pid, "why_not_selected"], (seed, pid)
                continue
            assert int(pr.loc[pid, "start_year"]) >= r[5]
            if r[7]:
                assert pr.loc[r[7], "selected"], (seed, pid)
            assert d.loc[d["project_id"] == pid, "musd"].sum() == approx(r[4])
            assert d.loc[d["project_id"] == pid, "year"].max() <= 2026 + years - 1


GOOD = ("P1", "A", "g", "aid", 5, 2026, "0.5;0.5", "", "")


@pytest.mark.parametrize(
    ("rows", "drop", "where", "words"),
    [
        ([GOOD], "must", "pipe.csv", "missing column(s): must"),
        ([("P1", "A", "x", "aid", 5, 2026, "", "", "")], None, "line 2, column project_type", "unknown"),
        ([("P1", "A", "g", "aid", -5, 2026, "", "", "")], None, "line 2, column commitment_musd", "> 0"),
        ([("P1", "A", "g", "aid", 5, 2026, "0.3;0.5", "", "")], None, "line 2, column disbursement", "sum to 0.8"),
        ([("P1", "A", "g", "aid", 5, 2030, "", "", "")], None, "line 2, column start_year_min", "outside"),
        ([("P1", "A", "g", "aid", 5, 2027, "0.5;0.5", "", "")], None, "column start_year_min", "end after"),
        ([("P1", "A", "g", "gift", 5, 2026, "", "", "")], None, "line 2, column pool", "pool"),
        ([("P1", "A", "g", "aid", 5, 2026, "", "", "maybe")], None, "line 2, column must", "must"),
        ([("P1", "A", "g", "aid", 5, 2026, "", "P9", "")], None, "line 2, column requires", "unknown project"),
        ([GOOD, ("P1", "B", "g", "aid", 5, 2026, "", "", "")], None, "line 3, column project_id", "twice"),
        ([("P1", "A", "g", "aid", "ten", 2026, "", "", "")], None, "column commitment_musd", "not a number"),
        (
            [
                ("P1", "A", "g", "aid", 5, 2026, "", "P3", ""),
                ("P2", "A", "g", "aid", 5, 2026, "", "P1", ""),
                ("P3", "A", "g", "aid", 5, 2026, "", "P2", ""),
            ],
            None,
            "column requires",
            "cycle",
        ),
        (
            [("P1", "A", "g", "aid", 5, 2026, "", "P2", "fund"), ("P2", "A", "g", "aid", 5, 2026, "", "", "not")],
            None,
            "line 2, column must",
            "must 'not'",
        ),
    ],
)
def test_bad_pipelines_name_file_line_and_column(types, countries, rows, drop, where, words):
    p = pipe(*rows)
    if drop:
        p = p.drop(columns=[drop])
    msg = raises(where, solve, types, countries, programme(2, 10), p)
    assert words in msg, msg


@pytest.mark.parametrize(
    ("extra", "where"),
    [
        ({"profiles": {"g": "0.5;0.4"}}, "allocation.programme.profiles[g]"),
        ({"profiles": {"zz": "1"}}, "allocation.programme.profiles[zz]"),
        ({"profiles": {"g": "0.2;0.2;0.6"}}, "allocation.programme.profiles[g]"),
        ({"ceilings": {"aid": [1, 2, 3], "investment": 1}}, "allocation.programme"),
        ({"years": 0}, "allocation.programme.years"),
        ({"start_year": "2026"}, "allocation.programme.start_year"),
        ({"carry_over": "yes"}, "allocation.programme.carry_over"),
        ({"ceilings": {"aid": -1, "investment": 1}}, "allocation.programme.ceilings.aid"),
    ],
)
def test_bad_programme_fields_name_the_field(types, countries, extra, where):
    prog = {**programme(2, 10), **extra}
    raises(where, solve, types, countries, prog)


def test_a_pipeline_needs_a_programme_and_its_table(types, countries):
    spec = {**BASE, "pipeline": "pipe.csv"}
    raises("a pipeline needs a programme", AllocationModel, PRI, countries, types, spec)
    spec = {**BASE, "programme": programme(2, 10), "pipeline": "pipe.csv"}
    raises("allocation.pipeline", AllocationModel, PRI, countries, types, spec)


def test_without_a_programme_nothing_changes(types, countries):
    res = AllocationModel(PRI, countries, types, dict(BASE)).solve()
    assert res.programme is None and res.objective == approx(33.5)
    from optimisation.spec import parse_spec

    assert "programme" not in parse_spec(dict(BASE)).model_dump()


def test_projects_off_the_shortlist_cannot_be_funded_and_say_why(types, countries):
    """A project in country C (known to the data, not shortlisted) and one requiring it are listed as not
    selected with the reason; a must-fund one among them is not applied, with a note (as a must-fund
    pair off a sampled shortlist is dropped)."""
    p = pipe(
        ("PC", "C", "g", "aid", 5, 2026, "1", "", "fund"),
        ("PD", "A", "g", "aid", 5, 2026, "1", "PC", ""),
    )
    spec = {**BASE, "programme": programme(1, 100, g="1"), "pipeline": "pipe.csv"}
    res = AllocationModel(PRI, countries, types, spec, pipeline=p, known_countries=["A", "B", "C"]).solve()
    pr = res.programme["projects"].set_index("project_id")
    assert "C is not on the shortlist" in pr.loc["PC", "why_not_selected"]
    assert "requires PC" in pr.loc["PD", "why_not_selected"]
    assert any("Must-fund project PC is not applied" in n for n in res.notes)
    raises(
        "unknown country 'Z'",
        AllocationModel,
        PRI,
        countries,
        types,
        spec,
        pipeline=p.assign(country="Z"),
        known_countries=["A", "B", "C"],
    )
