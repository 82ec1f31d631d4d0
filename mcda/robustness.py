"""Robustness analysis of a ranking against uncertain weights (one import for the app and reports).

Everything here works on a validated :class:`mcda.problem.DecisionProblem`, computes in numpy
and returns DataFrames; long computations take ``progress=callable(fraction, message)``.

Batched scoring (:mod:`mcda.robustness_batch`)
    ``batch_scores(problem, W, method="topsis", normalization=None) -> (s x n) ndarray`` and
    ``batch_ranks``; ``BatchScorer`` to prepare once and score many blocks. Every registered
    method has a batched form (its own vectorised one, or the generic per-row fallback); equal
    to the single-call scores to 1e-12.
Weight samplers (:mod:`mcda.robustness_sampling`), all seeded
    ``UniformSimplex``, ``AroundWeights(spread=P%)``, ``IntervalWeights``, ``OrdinalWeights``,
    ``FixedWeights``; ``make_sampler(problem, kind, ...)``.
SMAA-2 (:mod:`mcda.robustness_smaa`)
    ``smaa(problem, sampler, n_samples, seed, method, ...) -> SMAAResult`` with
    ``.acceptability`` (alternative x rank_1..rank_n), ``.central_weights``, ``.confidence``,
    ``.holistic``, ``.expected_rank``, ``.top_k(k)``, ``.summary(k)``, ``.long()``;
    ``shortlist_acceptability(problem, k, eligible, sampler, ...)`` — share of samples in which
    each alternative is in the top-k of the *eligible* ones (the shortlist rule).
Data uncertainty (:mod:`mcda.robustness_values`)
    ``value_uncertainty(problem, table)`` -> ``ValueUncertainty`` (per-cell stated sd, normal);
    ``smaa(..., values=...)`` then samples the criterion values too.
Sweeps (:mod:`mcda.robustness_sweep`)
    ``weight_sweep`` (long DataFrame: criterion, weight, alternative, score, rank),
    ``stability_intervals`` (per criterion, the weight range keeping the top-k set),
    ``pair_swap`` (per criterion, the weight change at which two alternatives swap).
Funding acceptability and the scenario helpers (``scenario_method(outcome)``,
``eligible_alternatives(outcome)``) live in the product layer above this library
(:mod:`fulcrum.funding`, :mod:`fulcrum.pipeline`): they need the scenario and the allocation model.

Example
-------
>>> from mcda.robustness import smaa, AroundWeights
>>> res = smaa(problem, AroundWeights(problem, weights, spread=20), n_samples=10_000, seed=1)
>>> res.acceptability          # rows sum to 1

For a scenario run (``outcome = fulcrum.pipeline.rank_scenario(scenario)``, helpers from
:mod:`fulcrum.pipeline`)::

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
from mcda.robustness_values import ValueUncertainty, value_uncertainty

__all__ = [
    "BATCH_METHODS",
    "SAMPLER_KINDS",
    "AroundWeights",
    "BatchScorer",
    "FixedWeights",
    "IntervalWeights",
    "OrdinalWeights",
    "SMAAResult",
    "UniformSimplex",
    "ValueUncertainty",
    "WeightSampler",
    "batch_ranks",
    "batch_scores",
    "linear_meta_weights",
    "make_sampler",
    "pair_swap",
    "ranks_from_scores",
    "shortlist_acceptability",
    "smaa",
    "stability_intervals",
    "sweep_vectors",
    "uniform_simplex",
    "validate_weight_matrix",
    "value_uncertainty",
    "weight_sweep",
]
