"""`python -m mcda smaa`: SMAA-2 rank acceptability matrix of a CSV decision matrix.

Registered by the console (:mod:`fulcrum.cli`) through ``add_parser(subparsers)``. Top-level imports stay light
(argparse only); numpy and pandas are imported inside the handler.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mcda.limits import LIMITS_HELP

if TYPE_CHECKING:
    from mcda.cli import Subparsers

SMAA_EPILOG = (
    """\
MATRIX: CSV (or XLSX) whose first column is the alternative id and whose other columns are criteria.
CRITERIA: CSV with columns criterion,direction,weight (direction: benefit or cost).

Weights sampled:
  without --spread  uniform on the simplex (every weight vector >= 0 summing to 1 equally likely):
                    the weights in CRITERIA are IGNORED (only the directions are used).
  --spread P        around the CRITERIA weights: each weight is multiplied by an independent
                    factor drawn uniformly from [1 - P/100, 1 + P/100], then the vector is rescaled
                    to sum 1 (0 <= P <= 100; P = 0 reproduces the CRITERIA weights; a criterion
                    weighted 0 stays 0).

Criterion values sampled (--uncertainty FILE): FILE is a CSV with columns id,criterion,sd and
optionally year: per alternative and criterion the standard deviation its source states (e.g.
the shipped datasets/uncertainty.csv: World Bank WGI standard errors). Those values are drawn
from a normal distribution with that sd around the value in MATRIX; all other values stay exact.
--widen R (default 0, off) widens each sd to sd * (1 + R * years since the newest year stated
for that criterion). Each id and criterion must exist in MATRIX; sd a number >= 0.

Output CSV: alternative,rank_1,rank_2,...,rank_n — the share of samples in which each alternative
takes each rank (rank 1 = best; ties, scores equal to 12 decimals, share the better rank); every
row sums to 1. Rows are in input order. The same --seed gives the same numbers.
With --uncertainty two columns follow: confidence (SMAA-2 confidence factor: the share of value
samples in which the alternative ranks first at its central weights; blank if it never ranks
first) and holistic; a note on stderr names the criteria sampled.
Exit status: 0 ok, 2 bad input (one line on stderr naming file, row and column).
"""
    + LIMITS_HELP
    + "\n"
)


def cmd_smaa(args: argparse.Namespace) -> int:
    from mcda.cli import write_table
    from mcda.io import read_problem
    from mcda.limits import MAX_SMAA_ALTERNATIVES
    from mcda.robustness_sampling import AroundWeights, UniformSimplex, WeightSampler
    from mcda.robustness_smaa import smaa

    pf = read_problem(args.matrix, args.criteria, args.missing, max_rows=MAX_SMAA_ALTERNATIVES, max_rows_what="smaa")
    problem, crit = pf.problem, pf.criteria
    sampler: WeightSampler
    if args.spread is None:
        sampler = UniformSimplex(problem)
    else:
        weights = crit["weight"].reindex(problem.criterion_ids)
        sampler = AroundWeights(problem, weights, args.spread)
    values = None
    if args.uncertainty is not None:
        values = uncertainty_from_file(problem, pf.matrix, args.uncertainty, args.widen)
    elif args.widen:
        from mcda.errors import InputError

        raise InputError("--widen needs --uncertainty FILE", where="--widen")
    opts = _executor_options(args)
    try:
        res = smaa(
            problem,
            sampler,
            n_samples=args.samples,
            seed=args.seed,
            method=args.method,
            normalization=args.normalization,
            values=values,
            **opts,
        )
    finally:
        if "executor" in opts:
            opts["executor"].close()
    if values is None:
        return write_table(res.to_csv_frame(), args.out, problem)
    import sys

    out = res.to_csv_frame()
    out["confidence"] = res.confidence.to_numpy()
    out["holistic"] = res.holistic.to_numpy()
    code = write_table(out, args.out, problem)
    print(f"note: {values.describe()}.", file=sys.stderr)
    for line in values.notes:
        print(f"note: {line}", file=sys.stderr)
    return code


def _executor_options(args: argparse.Namespace) -> dict[str, Any]:
    """--scheduler / --chunk-size: run the samples in chunks on an executor (mcda.executor)."""
    if args.scheduler is None:
        if args.chunk_size is not None:
            from mcda.errors import InputError

            raise InputError(
                "--chunk-size needs --scheduler (inprocess, processes[:N] or tcp://host:port)", where="--chunk-size"
            )
        return {}
    from mcda.executor import make_executor

    return {"executor": make_executor(args.scheduler), "chunk_size": args.chunk_size}


def uncertainty_from_file(problem: Any, matrix: Any, path: str, widen: float) -> Any:
    """The validated value uncertainty of ``problem`` from an uncertainty CSV (ids and criteria known to
    the matrix as read; rows for alternatives or criteria dropped by the missing-data policy are ignored)."""
    from mcda.io import read_uncertainty
    from mcda.robustness_values import value_uncertainty

    table = read_uncertainty(path)
    return value_uncertainty(
        problem,
        table,
        known_ids=[str(i) for i in matrix.index],
        known_criteria=[str(c) for c in matrix.columns],
        widen_rate=widen,
        source=Path(path).name,
        where=str(path),
    )


def _nonneg_float(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None


def add_parser(subparsers: Subparsers) -> argparse.ArgumentParser:
    s = subparsers.add_parser(
        "smaa",
        help="SMAA-2 rank acceptability: how often each alternative takes each rank under sampled weights",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=SMAA_EPILOG,
        description="Rank acceptability indices (SMAA-2, Lahdelma & Salminen 2001) by batched scoring of "
        "sampled weight vectors.",
    )
    s.add_argument("matrix", help="decision matrix CSV/XLSX (first column = alternative id)")
    s.add_argument(
        "--criteria",
        required=True,
        help="CSV with columns criterion,direction,weight (weights used only with --spread)",
    )
    from mcda.methods import METHODS  # the registry: every method is batched (light: no pymcdm)

    s.add_argument(
        "--method",
        default="topsis",
        help="ranking method: " + ", ".join(METHODS) + " (default topsis; any registered method)",
    )
    s.add_argument(
        "--normalization",
        choices=["vector", "minmax", "max", "sum"],
        default=None,
        help="TOPSIS: vector (default) or minmax; WSM: minmax (default), vector, max, sum",
    )
    s.add_argument("--samples", type=_int, default=10_000, help="number of weight samples (default 10000)")
    s.add_argument("--seed", type=_int, default=0, help="random seed (default 0); same seed, same numbers")
    s.add_argument(
        "--spread",
        type=_nonneg_float,
        default=None,
        metavar="P",
        help="sample around the CRITERIA weights, each +-P%% then rescaled (0-100); "
        "without it weights are uniform on the simplex and the CRITERIA weights are ignored",
    )
    s.add_argument(
        "--missing",
        default="error",
        help="missing-data policy: error (default), drop_criterion, drop_alternative, impute:median|mean|min|max|worst",
    )
    s.add_argument(
        "--uncertainty",
        default=None,
        metavar="FILE",
        help="also sample the criterion values: CSV id,criterion,sd[,year] of stated standard deviations "
        "(normal); values without a row stay exact",
    )
    s.add_argument(
        "--widen",
        type=_nonneg_float,
        default=0.0,
        metavar="R",
        help="with --uncertainty: widen each sd by R per year of the value's age (default 0 = off)",
    )
    from mcda.cli_executor import add_executor_arguments

    add_executor_arguments(s, "samples", 50_000)  # each chunk draws with its own seed
    s.add_argument("--out", required=True, help="output CSV (- for stdout)")
    s.set_defaults(func=cmd_smaa)
    return s
