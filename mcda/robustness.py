"""Robustness analysis of a ranking against uncertain weights (one import for the app and reports).

Everything here works on a validated :class:`mcda.problem.DecisionProblem`, computes in numpy
and returns DataFrames; long computations take ``progress=callable(fraction, message)``.

Batched scoring (:mod:`mcda.robustness_batch`)
    ``batch_scores(problem, W, method="topsis", normalization=None) -> (s x n) ndarray`` and
    ``batch_ranks``; ``BatchScorer`` to normalise once and score many blocks. TOPSIS (vector,
    minmax), WSM, PROMETHEE II, VIKOR are vectorised; equal to the single-call scores to 1e-12.
Weight samplers (:mod:`mcda.robustness_sampling`), all seeded
    ``UniformSimplex``, ``AroundWeights(spread=P%)``, ``IntervalWeights``, ``OrdinalWeights``,
    ``FixedWeights``; ``make_sampler(problem, kind, ...)``.
SMAA-2 (:mod:`mcda.robustness_smaa`)
    ``smaa(problem, sampler, n_samples, seed, method, ...) -> SMAAResult`` with
    ``.acceptability`` (alternative x rank_1..rank_n), ``.central_weights``, ``.confidence``,
    ``.holistic``, ``.expected_rank``, ``.top_k(k)``, ``.summary(k)``, ``.long()``;
    ``shortlist_acceptability(problem, k, eligible, sampler, ...)`` — share of samples in which
    each alternative is in the top-k of the *eligible* ones (the shortlist rule).
Sweeps (:mod:`mcda.robustness_sweep`)
    ``weight_sweep`` (long DataFrame: criterion, weight, alternative, score, rank),
    ``stability_intervals`` (per criterion, the weight range keeping the top-k set),
    ``pair_swap`` (per criterion, the weight change at which two alternatives swap).
Funding acceptability lives in :mod:`optimisation.funding` (it needs the allocation model).
Scenario helpers (here)
    ``scenario_method(outcome)`` — the scenario's method object (pass it as ``method=``),
    ``eligible_alternatives(outcome)`` — the candidates not excluded by the shortlist's filters
    and exclusions (pass as ``eligible=`` to ``stability_intervals``).

Example
-------
>>> from mcda.robustness import smaa, AroundWeights
>>> res = smaa(problem, AroundWeights(problem, weights, spread=20), n_samples=10_000, seed=1)
>>> res.acceptability          # rows sum to 1

For a scenario run (``outcome = mcda.pipeline.rank_scenario(scenario)``)::

    m = scenario_method(outcome)
    smaa(outcome.problem, AroundWeights(outcome.problem, outcome.weights, 20), method=m, progress=cb)
    stability_intervals(outcome.problem, outcome.weights, k=outcome.scenario.shortlist.top_k,
                        eligible=eligible_alternatives(outcome), method=m)
"""
from __future__ import annotations

from mcda.robustness_batch import (
    BATCH_METHODS,
    BatchScorer,
    batch_ranks,
    batch_scores,
    ranks_from_scores,
    validate_weight_matrix,
)
from mcda.robustness_sampling import (
    SAMPLER_KINDS,
    AroundWeights,
    FixedWeights,
    IntervalWeights,
    OrdinalWeights,
    UniformSimplex,
    WeightSampler,
    make_sampler,
    uniform_simplex,
)
from mcda.robustness_smaa import SMAAResult, linear_meta_weights, shortlist_acceptability, smaa
from mcda.robustness_sweep import pair_swap, stability_intervals, sweep_vectors, weight_sweep



def scenario_method(outcome):
    """The ranking method object of a scenario run, with its options (as ``rank_scenario`` builds it)."""
    from mcda.methods import get_method

    sc = outcome.scenario
    opts = dict(sc.method.options)
    if sc.method.normalization is not None:
        opts["normalization"] = sc.method.normalization
    return get_method(sc.method.name, **opts)


def eligible_alternatives(outcome) -> list:
    """Alternatives of a scenario run that may be shortlisted (not removed by a filter or an exclusion)."""
    t = outcome.shortlist_table
    return list(t.loc[t["status"] != "excluded", "alternative"])


__all__ = [
    "scenario_method", "eligible_alternatives",
    "BATCH_METHODS", "BatchScorer", "batch_scores", "batch_ranks", "ranks_from_scores", "validate_weight_matrix",
    "SAMPLER_KINDS", "WeightSampler", "UniformSimplex", "AroundWeights", "IntervalWeights", "OrdinalWeights",
    "FixedWeights", "make_sampler", "uniform_simplex",
    "SMAAResult", "smaa", "linear_meta_weights", "shortlist_acceptability",
    "weight_sweep", "stability_intervals", "pair_swap", "sweep_vectors",
]
