"""Every registered method's batched form (its own, or the generic fallback) equals its single calls.

Issue 9: SMAA, sweeps, pair swaps, stability intervals and funding acceptability must work for
every method in the registry, not only the four that once had a hand-written batched form. The
tests iterate over ``mcda.methods.METHODS``, so a method added later is covered without editing
this file. The reference is always the single call ``method.scores(problem, w)`` (the published
-example tests pin that one), never the batched code's own output.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mcda.errors import InputError
from mcda.methods import METHODS, RankingMethod, get_method, loop_batch_scores, register_method
from mcda.methods import registry as reg
from mcda.problem import DecisionProblem
from mcda.robustness import (
    AroundWeights,
    BatchScorer,
    batch_scores,
    pair_swap,
    ranks_from_scores,
    smaa,
    stability_intervals,
    weight_sweep,
)
from mcda.weight_check import weight_matrix
from tests.support import ROOT

# option sets that change the maths of the batched form (the defaults of every method are added)
VARIANTS = [
    ("topsis", {"normalization": "minmax"}),
    ("wsm", {"normalization": "vector"}),
    ("wsm", {"normalization": "max"}),
    ("wsm", {"normalization": "sum"}),
    ("wpm", {"normalization": "sum"}),
    ("vikor", {"v": 0.2}),
    ("promethee2", {"preference": "linear", "p": 30.0, "q": 5.0}),
    ("ahp", {"mode": "ideal"}),
    ("electre3", {"thresholds": {"C1": {"q": 0.5, "p": 5.0, "v": 20.0}, "C2": {"q": 0.01, "p": 0.05, "v": 0.08}}}),
]
CASES = [(name, {}) for name in METHODS] + [(n, o) for n, o in VARIANTS if n in METHODS]


def _id(case: tuple[str, dict]) -> str:
    name, opts = case
    return name + "".join(f"-{k}={v}" for k, v in opts.items())


def _problem(seed: int, n: int, m: int) -> DecisionProblem:
    rng = np.random.default_rng(seed)
    X = rng.uniform(0.5, 100.0, (n, m)) * rng.choice([1e-3, 1.0, 1e3], m)  # > 0: every method applies
    types = np.where(rng.random(m) < 0.4, -1, 1)
    types[0] = 1
    types[-1] = -1  # benefit and cost criteria both present
    return DecisionProblem.from_arrays(X, types)


def _weights(seed: int, m: int, s: int = 120) -> np.ndarray:
    rng = np.random.default_rng(seed)
    W = rng.dirichlet(np.ones(m), s)
    W[0, : m // 2] = 0.0  # some zero weights
    W[1] = 0.0
    W[1, m - 1] = 1.0  # all weight on a cost criterion
    W[2] = 0.0
    W[2, 0] = 1.0  # all weight on a benefit criterion (COPRAS: every cost weight 0)
    return W


@pytest.mark.parametrize("seed,n,m", [(1, 33, 15), (2, 7, 3), (3, 60, 6)])
@pytest.mark.parametrize("case", CASES, ids=_id)
def test_batched_scores_equal_single_call_scores(case, seed, n, m):
    name, opts = case
    problem = _problem(seed, n, m)
    W = _weights(seed + 100, m)
    method = get_method(name, **opts)
    single = np.array([method.scores(problem, w) for w in W])
    batched = BatchScorer(problem, method).scores(W)
    assert batched.shape == single.shape
    np.testing.assert_allclose(batched, single, rtol=0, atol=1e-12)
    # unnormalised rows are normalised as the single call normalises them
    np.testing.assert_allclose(BatchScorer(problem, method).scores(W[:5] * 7.5), single[:5], rtol=0, atol=1e-12)


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_generic_fallback_equals_single_call_scores(case):
    """The per-row fallback (what a method without a vectorised form gets) is exact too."""
    name, opts = case
    problem = _problem(4, 20, 5)
    W = weight_matrix(_weights(5, 5, 30), 5)  # validated and normalised, as BatchScorer passes them
    method = get_method(name, **opts)
    prepared = method.prepare(problem)
    single = np.array([method.scores(problem, w) for w in W])
    np.testing.assert_allclose(loop_batch_scores(method, prepared, W), single, rtol=0, atol=1e-12)


@pytest.mark.parametrize("name", list(METHODS))
def test_every_builtin_method_has_a_vectorised_form(name):
    assert get_method(name).has_batch_form, f"{name} is scored row by row; write its batch_scores"


@pytest.mark.parametrize("name", list(METHODS))
def test_smaa_works_for_every_registered_method(name):
    problem = _problem(6, 9, 4)
    method = get_method(name)
    res = smaa(problem, AroundWeights(problem, [0.4, 0.3, 0.2, 0.1], 30), n_samples=400, seed=3, method=name)
    np.testing.assert_allclose(res.acceptability.sum(axis=1), 1.0, atol=1e-12)
    # the rank acceptabilities are the shares of the single-call ranks of the same weight samples
    W = AroundWeights(problem, [0.4, 0.3, 0.2, 0.1], 30).draw(400, np.random.default_rng(3))
    R = np.array([ranks_from_scores(method.scores(problem, w), method.higher_is_better) for w in W])
    counts = np.stack([(r == R).sum(axis=0) for r in range(1, 10)], axis=1) / 400
    np.testing.assert_allclose(res.acceptability.to_numpy(), counts, atol=1e-12)
    assert res.method == method.label


@pytest.mark.parametrize("name", list(METHODS))
def test_sweeps_pair_swaps_and_stability_work_for_every_registered_method(name):
    problem = _problem(7, 8, 3)
    w = np.array([0.5, 0.3, 0.2])
    method = get_method(name)
    sw = weight_sweep(problem, w, points=11, method=name)
    base = sw[sw["is_base"]].drop_duplicates(["criterion", "alternative"])
    single = pd.Series(method.scores(problem, w), index=problem.alternatives)
    for _, row in base.iterrows():
        assert row["score"] == pytest.approx(single[row["alternative"]], abs=1e-12)
    a, b = problem.alternatives[:2]
    ps = pair_swap(problem, w, a, b, method=name, grid=21)
    assert len(ps) == 3
    st = stability_intervals(problem, w, k=3, method=name, grid=21)
    assert ((st["lower"] <= st["weight"] + 1e-12) & (st["weight"] <= st["upper"] + 1e-12)).all()


def test_funding_acceptability_works_for_every_registered_method():
    """At the planner's fixed weights every sample re-shortlists the pipeline's own shortlist."""

    from fulcrum.funding import funding_acceptability
    from fulcrum.pipeline import rank_scenario
    from fulcrum.scenario import Scenario, load_scenario
    from mcda.robustness import FixedWeights

    doc = load_scenario(ROOT / "scenarios" / "default.json").model_dump()
    positive = ("gdp", "population", "hdi", "poverty_rate", "china_import_share", "dist_beijing")  # values > 0
    doc["criteria"] = [c for c in doc["criteria"] if c["id"] in positive]
    for name in METHODS:
        doc["method"] = {"name": name, "normalization": None, "options": {}}
        outcome = rank_scenario(Scenario.model_validate(doc))
        res = funding_acceptability(outcome, FixedWeights(outcome.problem, outcome.weights), n_samples=2, seed=0)
        s = res.summary.set_index("country")
        assert sorted(s.index[s["share_shortlisted"] == 1.0]) == sorted(outcome.shortlist.index), name
        assert res.n_solved == 2, name


def test_cli_smaa_runs_every_registered_method(tmp_path):
    import contextlib
    import io

    from fulcrum.cli import mcda_main as main

    rng = np.random.default_rng(8)
    pd.DataFrame(rng.uniform(1, 10, (6, 3)), index=[f"A{i}" for i in range(6)], columns=["c1", "c2", "c3"]).rename_axis(
        "id"
    ).to_csv(tmp_path / "m.csv")
    pd.DataFrame(
        {"criterion": ["c1", "c2", "c3"], "direction": ["benefit", "cost", "benefit"], "weight": [1, 1, 2]}
    ).to_csv(tmp_path / "c.csv", index=False)
    for name in METHODS:
        out = tmp_path / f"{name}.csv"
        with contextlib.redirect_stdout(io.StringIO()):
            assert (
                main(
                    [
                        "smaa",
                        str(tmp_path / "m.csv"),
                        "--criteria",
                        str(tmp_path / "c.csv"),
                        "--method",
                        name,
                        "--samples",
                        "50",
                        "--out",
                        str(out),
                    ]
                )
                == 0
            ), name
        acc = pd.read_csv(out).set_index("alternative")
        np.testing.assert_allclose(acc.sum(axis=1), 1.0, atol=1e-12)


def test_a_method_registered_later_without_a_batched_form_uses_the_fallback():
    """A plug-in that implements only _compute works in SMAA (and equals its single calls)."""

    class Sum(RankingMethod):
        name = "sum_test"
        description = "test only: weighted sum of raw values"
        contribution_meaning = "w_j x_ij"

        def _compute(self, X, types, w, cids):
            contrib = X * types * w
            return {"score": contrib.sum(axis=1), "contrib": contrib}

    register_method("sum_test", Sum)
    try:
        problem = _problem(9, 6, 3)
        m = get_method("sum_test")
        assert not m.has_batch_form
        sc = BatchScorer(problem, "sum_test")
        assert not sc.vectorised
        W = _weights(10, 3, 450)  # more rows than one fallback block
        np.testing.assert_allclose(sc.scores(W), np.array([m.scores(problem, w) for w in W]), rtol=0, atol=1e-12)
        res = smaa(problem, n_samples=300, seed=1, method="sum_test")
        np.testing.assert_allclose(res.acceptability.sum(axis=1), 1.0)
    finally:
        reg.METHODS.pop("sum_test")
        reg._FACTORIES.pop("sum_test")


def test_unknown_method_and_bad_weight_rows_are_input_errors():
    problem = _problem(11, 5, 3)
    with pytest.raises(InputError, match="unknown method"):
        BatchScorer(problem, "electre")
    with pytest.raises(InputError, match=r"weight vector #2: weight -1 is negative"):
        batch_scores(problem, np.array([[1.0, 1, 1], [1, -1, 1]]), method="copras")
