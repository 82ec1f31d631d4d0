"""`python -m mcda sweep`: one-at-a-time weight sweeps of a CSV decision matrix (mcda.robustness_sweep).

Each criterion's weight moves from 0 to 1 while the others keep their proportions; the output is the
long table of every alternative's score and rank at each point. With ``--scheduler`` the criteria go in
chunks to the one executor (mcda.executor): the same file whatever runs them.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from mcda.limits import LIMITS_HELP

if TYPE_CHECKING:
    from mcda.cli import Subparsers

SWEEP_EPILOG = (
    """\
MATRIX: CSV (or XLSX) whose first column is the alternative id and whose other columns are criteria.
CRITERIA: CSV with columns criterion,direction,weight: the planner's weights, the base of every sweep.

Output CSV: criterion,weight,base_weight,is_base,alternative,score,rank — for each swept criterion,
POINTS weights evenly over [0, 1] plus the planner's own (is_base True), every alternative's score
and rank there (rank 1 = best; ties, scores equal to 12 decimals, share the better rank).
Exit status: 0 ok, 2 bad input (one line on stderr naming file, row and column, or the option).
"""
    + LIMITS_HELP
    + "\n"
)


def cmd_sweep(args: argparse.Namespace) -> int:
    from mcda.cli import problem_from_files, write_table
    from mcda.cli_executor import executor_options
    from mcda.robustness_sweep import weight_sweep

    opts = executor_options(args)  # bad --scheduler / --chunk-size: exit 2 before reading anything
    try:
        problem, crit = problem_from_files(args.matrix, args.criteria, args.missing)
        weights = crit["weight"].reindex(problem.criterion_ids).to_numpy(dtype=float)
        table = weight_sweep(
            problem,
            weights,
            criteria=args.only,
            points=args.points,
            method=args.method,
            normalization=args.normalization,
            **opts,
        )
    finally:
        if "executor" in opts:
            opts["executor"].close()
    return write_table(table, args.out, problem)


def add_parser(subparsers: Subparsers) -> argparse.ArgumentParser:
    from mcda.cli_executor import add_executor_arguments
    from mcda.cli_smaa import _int
    from mcda.methods import METHODS

    s = subparsers.add_parser(
        "sweep",
        help="one-at-a-time weight sweeps: every alternative's score and rank as each weight moves from 0 to 1",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=SWEEP_EPILOG,
    )
    s.add_argument("matrix", help="decision matrix CSV/XLSX (first column = alternative id)")
    s.add_argument("--criteria", required=True, help="CSV with columns criterion,direction,weight")
    s.add_argument("--method", default="topsis", help="ranking method: " + ", ".join(METHODS) + " (default topsis)")
    s.add_argument(
        "--normalization",
        choices=["vector", "minmax", "max", "sum"],
        default=None,
        help="TOPSIS: vector (default) or minmax; WSM: minmax (default), vector, max, sum",
    )
    s.add_argument("--points", type=_int, default=101, help="weights per criterion, evenly over 0-1 (default 101)")
    s.add_argument(
        "--only", nargs="+", default=None, metavar="CRITERION", help="sweep these criteria only (default: every one)"
    )
    s.add_argument(
        "--missing",
        default="error",
        help="missing-data policy: error (default), drop_criterion, drop_alternative, impute:median|mean|min|max|worst",
    )
    add_executor_arguments(s, "criteria", 1)
    s.add_argument("--out", required=True, help="output CSV (- for stdout)")
    s.set_defaults(func=cmd_sweep)
    return s
