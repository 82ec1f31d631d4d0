"""Adversarial inputs to the robustness library: bad seeds are bad input (never numpy's bare
ValueError), degenerate problems give exact answers, and funding acceptability counts the samples
it cannot allocate instead of stopping."""

import numpy as np
import pytest

from fulcrum.funding import funding_acceptability
from mcda.errors import InputError
from mcda.problem import DecisionProblem
from mcda.robustness import UniformSimplex
from mcda.robustness_smaa import shortlist_acceptability, smaa


@pytest.fixture
def problem():
    return DecisionProblem.from_arrays(
        np.array([[10.0, 5, 3], [20, 9, 4], [15, 7, 9], [12, 4, 2]]),
        [-1, 1, 1],
        alternatives=["A", "B", "C", "D"],
        criterion_ids=["price", "quality", "speed"],
    )


@pytest.mark.parametrize("seed", [-1, "abc", 1.5, True])
def test_bad_seed_is_input_error(problem, seed):
    with pytest.raises(InputError, match="seed"):
        smaa(problem, n_samples=10, seed=seed)
    with pytest.raises(InputError, match="seed"):
        shortlist_acceptability(problem, k=2, n_samples=10, seed=seed)


def test_good_seeds_still_work(problem):
    a = smaa(problem, n_samples=50, seed=7).acceptability
    b = smaa(problem, n_samples=50, seed=np.random.default_rng(7)).acceptability
    assert np.allclose(np.asarray(a), np.asarray(b))
    assert smaa(problem, n_samples=5, seed=None).n_samples == 5


def test_cli_negative_seed_exits_2(tmp_path, cli):
    m = tmp_path / "m.csv"
    m.write_text("id,price,quality\nA,10,5\nB,20,9\nC,15,7\n")
    c = tmp_path / "c.csv"
    c.write_text("criterion,direction,weight\nprice,cost,1\nquality,benefit,2\n")
    r = cli("mcda", "smaa", m, "--criteria", c, "--seed", "-1", "--out", tmp_path / "a.csv")
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1 and "seed" in r.stderr


@pytest.mark.parametrize("method", ["topsis", "wsm", "vikor", "promethee2"])
def test_one_criterion_simplex_is_a_point(method):
    """One criterion: every weight sample is (1,), so the ranking is the order of the values."""
    p = DecisionProblem.from_arrays(
        np.array([[10.0], [20.0], [15.0]]), [-1], alternatives=["A", "B", "C"], criterion_ids=["price"]
    )
    res = smaa(p, n_samples=100, seed=0, method=method)
    acc = np.asarray(res.acceptability)
    assert np.array_equal(acc, np.array([[1.0, 0, 0], [0, 0, 1], [0, 1, 0]]))  # cost: A 10 < C 15 < B 20


def test_two_alternatives_are_complementary(problem):
    """With two alternatives, rank-1 acceptability of one is rank-2 acceptability of the other."""
    p = DecisionProblem.from_arrays(
        np.array([[10.0, 5], [20, 9]]), [-1, 1], alternatives=["A", "B"], criterion_ids=["price", "quality"]
    )
    acc = np.asarray(smaa(p, n_samples=2000, seed=1).acceptability)
    assert acc.shape == (2, 2)
    assert acc[0, 0] == pytest.approx(acc[1, 1]) and acc[0, 1] == pytest.approx(acc[1, 0])
    assert 0 < acc[0, 0] < 1  # each wins on one criterion, so each wins under some weights


@pytest.fixture(scope="module")
def outcome(shipped):
    return shipped.outcome("default")


def test_funding_counts_samples_whose_shortlist_the_inputs_do_not_fit(outcome):
    """The poverty-scaled types scaled by china_import_share instead, with missing_need = error: the
    value is blank only for BRB, which the planner's shortlist leaves out. Samples that shortlist BRB
    used to raise InputError and end the whole study; they are now counted and left out, the others solved."""
    base = set(outcome.shortlist.index)
    assert "BRB" not in base
    spec = {
        "budget_aid_musd": 362,
        "budget_investment_musd": 638,
        "missing_need": "error",
        "type_params": {
            p: {"need_indicator": "china_import_share", "need_transform": "ratio_to_mean"}
            for p in ("rural_poverty", "solar_pv", "agri_tech", "rural_ecommerce")
        },
    }
    res = funding_acceptability(
        outcome, UniformSimplex(outcome.problem), n_samples=60, seed=2, spec=spec, keep_samples=True
    )
    per_sample = res.samples.groupby("sample").agg(
        has_brb=("country", lambda s: "BRB" in set(s)), solved=("solved", "first")
    )
    assert per_sample["has_brb"].any() and (~per_sample["has_brb"]).any()
    assert (per_sample["solved"] == ~per_sample["has_brb"]).all()
    assert res.n_infeasible == int(per_sample["has_brb"].sum()) and res.n_solved + res.n_infeasible == 60
    assert any("do not fit" in n and "BRB" in n for n in res.notes)
    # inputs wrong for the planner's own shortlist still raise (a need column blank for one of its countries)
    countries = outcome.countries.loc[list(base)]
    blank = next(c for c in ("poverty_rate", "poverty_national", "us_export_share") if countries[c].isna().any())
    with pytest.raises(InputError, match="blank"):
        funding_acceptability(
            outcome,
            n_samples=3,
            seed=0,
            spec={
                "budget_aid_musd": 362,
                "budget_investment_musd": 638,
                "missing_need": "error",
                "type_params": {"rural_poverty": {"need_indicator": blank, "need_transform": "ratio_to_mean"}},
            },
        )


def test_funding_counts_samples_made_infeasible_by_a_small_country(outcome):
    """infrastructure must get 950; it absorbs 200 per country, so 5 countries give 1000 unless one
    is Dominica, whose 16%-of-GDP cap (~US$ 116M) leaves at most 916: those samples are infeasible."""
    spec = {"budget_aid_musd": 362, "budget_investment_musd": 1200, "type_floors": {"infrastructure": {"musd": 950}}}
    res = funding_acceptability(
        outcome, UniformSimplex(outcome.problem), n_samples=40, seed=2, spec=spec, keep_samples=True
    )
    per_sample = res.samples.groupby("sample").agg(
        has_dma=("country", lambda s: "DMA" in set(s)), solved=("solved", "first")
    )
    assert per_sample["has_dma"].any()
    assert (per_sample["solved"] == ~per_sample["has_dma"]).all()
    assert 0 < res.n_infeasible < 40 and res.n_solved + res.n_infeasible == 40
    assert any("infeasible" in n for n in res.notes)


def test_weight_sweep_needs_two_criteria():
    import numpy as np

    from mcda.problem import DecisionProblem
    from mcda.robustness import weight_sweep

    p = DecisionProblem.from_arrays(np.array([[1.0], [2.0], [3.0]]), [1])
    with pytest.raises(InputError, match="at least two criteria"):
        weight_sweep(p, np.array([1.0]))
