"""The ranking library's commands: `rank`, `ahp`, `weights` and `smaa` (mcda/cli_smaa.py).

This module builds their parsers (``add_rank``, ``add_ahp``, ``add_weights``; ``mcda.cli_smaa.add_parser``) and
handlers; the console command that runs
them, with the scenario commands beside them, is :mod:`fulcrum.cli` (``fulcrum ...``,
``python -m mcda ...``). Bad input raises InputError, which the console turns into exit status 2
and one line on stderr naming file, row and column; no traceback. Heavy libraries (pymcdm,
openpyxl, pulp) are imported only by the commands that need them.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any, TypeAlias

from mcda.errors import InputError
from mcda.limits import LIMITS_HELP

if TYPE_CHECKING:  # pandas and the problem class are imported by the commands that need them
    import pandas as pd

    from mcda.problem import DecisionProblem

#: what ``ArgumentParser.add_subparsers`` returns (argparse gives it no public name)
Subparsers: TypeAlias = "argparse._SubParsersAction[Any]"

RANK_EPILOG = """\
MATRIX: CSV (or XLSX) whose first column is the alternative id and whose other columns are criteria.
CRITERIA: CSV with columns criterion,direction,weight (direction: benefit or cost; weights >= 0,
normalised to sum 1). Output CSV columns: alternative,score,rank (rank 1 = best; ties share the
lower rank). For VIKOR the score is Q and LOWER IS BETTER (SPOTIS too: lower is better); for every
other method a higher score is better.
Exit status: 0 ok, 2 bad input (one line on stderr naming file, row and column).
{limits}

Methods:
{methods}
"""

WEIGHTS_EPILOG = """\
MATRIX: CSV (or XLSX) whose first column is the alternative id and whose other columns are criteria.
CRITERIA: CSV with columns criterion,direction (benefit or cost); a weight column may be present
and is ignored: the weights are computed from the data. As for `rank`, every matrix column is
a criterion listed in CRITERIA. Output CSV: criterion,weight (weights sum to 1), in matrix order.

Methods:
{methods}
Exit status: 0 ok, 2 bad input (one line on stderr naming file, row and column).
{limits}
"""


def problem_from_files(
    matrix_path: str,
    criteria_path: str,
    missing: str,
    *,
    weights: bool = True,
    max_rows: int | None = None,
    max_rows_what: str = "this command",
) -> tuple[DecisionProblem, pd.DataFrame]:
    """Validated DecisionProblem and the criteria table from a MATRIX and a CRITERIA file
    (:func:`mcda.io.read_problem`, the reader the app's upload uses too)."""
    from mcda.io import read_problem

    pf = read_problem(
        matrix_path, criteria_path, missing, weights=weights, max_rows=max_rows, max_rows_what=max_rows_what
    )
    return pf.problem, pf.criteria


def write_table(out: pd.DataFrame, dest: str | None, problem: DecisionProblem) -> int:
    """Write a result table to DEST (stdout when None or '-'; a file atomically, formula-safe: mcda.export)
    and the missing-data notes to stderr."""
    from mcda.export import to_csv

    to_csv(out, dest)
    for line in problem.missing_report.lines()[1:]:
        print(f"note: {line}", file=sys.stderr)
    return 0


def cmd_rank(args: argparse.Namespace) -> int:
    import numpy as np
    import pandas as pd

    from mcda.methods import get_method, rank_scores

    problem, crit = problem_from_files(args.matrix, args.criteria, args.missing)
    opts: dict[str, Any] = {}
    if args.normalization:
        opts["normalization"] = args.normalization
    if getattr(args, "thresholds", None) is not None:  # ELECTRE III's q/p/v per criterion from a CSV
        from mcda.methods.electre3 import read_thresholds

        if args.method not in ("electre3", "electre_iii"):
            raise InputError("--thresholds is for --method electre3", where="--thresholds")
        opts["thresholds"] = read_thresholds(args.thresholds)
    method = get_method(args.method, **opts)
    weights = crit["weight"].reindex(problem.criterion_ids).to_numpy(dtype=float)
    try:  # the method normalises the weights (scaled first, so huge weights cannot overflow the sum)
        scores = method.scores(problem, weights)
    except InputError as e:  # e.g. WPM on a value <= 0: name the matrix file as well as the column
        raise InputError(e.one_line(), where=str(args.matrix)) from None
    # the library's ranking rule: scores equal to 12 decimals tie (pandas' rank would split them)
    rank = rank_scores(scores, method.higher_is_better).astype(np.int64)
    out = pd.DataFrame({"alternative": problem.matrix.index, "score": scores, "rank": rank})
    if args.sort:
        out = out.sort_values(["rank", "alternative"], kind="stable")
    return write_table(out, args.out, problem)


def cmd_ahp(args: argparse.Namespace) -> int:
    from mcda.ahp import analyse, read_judgements_csv

    # check the 1/9..9 scale while reading, so an off-scale judgement is named by line and column
    mat = read_judgements_csv(args.judgements, check_scale=not args.extended_scale)
    try:
        opts = {"ri_table": args.ri_table} if args.ri_table else {}
        # warn=False: the consistency warning is this command's own one-line `warning:` below
        res = analyse(mat, method=args.method, allow_extended_scale=args.extended_scale, warn=False, **opts)
    except InputError as e:
        raise InputError(e.one_line(), where=str(args.judgements)) from None
    print(json.dumps(res.to_dict(), indent=2))
    if res.cr is not None and res.cr > 0.10:
        print(
            f"warning: consistency ratio {res.cr:.3f} is above 0.10; revisit the judgements listed under "
            "'inconsistent_pairs'",
            file=sys.stderr,
        )
    return 0


def cmd_weights(args: argparse.Namespace) -> int:
    import pandas as pd

    from mcda.weights import objective

    problem, _crit = problem_from_files(args.matrix, args.criteria, args.missing, weights=False)
    w = objective(problem, args.method)
    out = pd.DataFrame({"criterion": list(w.index), "weight": w.to_numpy(dtype=float)})
    return write_table(out, args.out, problem)


def add_weights(sub: Subparsers) -> argparse.ArgumentParser:
    """Register ``weights`` (objective criterion weights computed from the data) on a subparsers object."""
    from mcda.weights import OBJECTIVE_METHODS

    methods_help = "\n".join(f"  {k:<8} {v}" for k, v in OBJECTIVE_METHODS.items())
    w = sub.add_parser(
        "weights",
        help="objective criterion weights from the data (entropy, CRITIC, std, equal)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=WEIGHTS_EPILOG.format(methods=methods_help, limits=LIMITS_HELP),
    )
    w.add_argument("matrix", help="decision matrix CSV/XLSX (first column = alternative id)")
    w.add_argument(
        "--criteria", required=True, help="CSV with columns criterion,direction (a weight column is ignored)"
    )
    w.add_argument("--method", required=True, choices=list(OBJECTIVE_METHODS), help="objective weighting method")
    w.add_argument(
        "--missing",
        default="error",
        help="missing-data policy: error (default), drop_criterion, drop_alternative, impute:median|mean|min|max|worst",
    )
    w.add_argument("--out", help="output CSV (default: stdout)")
    w.set_defaults(func=cmd_weights)
    return w


def add_rank(sub: Subparsers) -> argparse.ArgumentParser:
    """Register ``rank`` on an argparse subparsers object."""
    from mcda.methods import METHODS  # light: pymcdm is imported only by methods that use it

    methods_help = "\n".join(f"  {k:<11} {v}" for k, v in METHODS.items())
    r = sub.add_parser(
        "rank",
        help="rank the alternatives of a CSV decision matrix",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=RANK_EPILOG.format(methods=methods_help, limits=LIMITS_HELP),
    )
    r.add_argument("matrix", help="decision matrix CSV/XLSX (first column = alternative id)")
    r.add_argument("--criteria", required=True, help="CSV with columns criterion,direction,weight")
    r.add_argument(
        "--method",
        default="topsis",
        help="topsis (default), ahp, vikor (score = Q, lower is better), promethee2, wsm, wpm, ... (list below)",
    )
    r.add_argument(
        "--normalization",
        choices=["vector", "minmax"],
        default=None,
        help="normalisation for TOPSIS (default vector, as Hwang & Yoon) and methods that take one",
    )
    r.add_argument(
        "--missing",
        default="error",
        help="missing-data policy: error (default), drop_criterion, drop_alternative, impute:median|mean|min|max|worst",
    )
    r.add_argument(
        "--thresholds",
        metavar="FILE",
        help="electre3 only: CSV criterion,q,p,v (indifference, preference, veto in the criterion's units; "
        "* = every other criterion; blank = default)",
    )
    r.add_argument("--sort", action="store_true", help="sort output rows by rank (default: input order)")
    r.add_argument("--out", help="output CSV (default: stdout)")
    r.set_defaults(func=cmd_rank)
    return r


def add_ahp(sub: Subparsers) -> argparse.ArgumentParser:
    """Register ``ahp`` on an argparse subparsers object."""
    a = sub.add_parser(
        "ahp",
        help="priorities and consistency of a pairwise judgement matrix",
        epilog="Exit status: 0 ok, 2 bad input (one line on stderr naming file, line and column). " + LIMITS_HELP,
    )
    a.add_argument("judgements", help="square CSV: header row and first column are the item names; cells like 3 or 1/3")
    a.add_argument("--method", choices=["eigen", "geometric"], default="eigen")
    a.add_argument(
        "--ri-table",
        default=None,
        help="random-index table for CR: saaty1980 (default), saaty2005, alonso_lamata2006, tummala_ling1998, "
        "donegan_dodd1991",
    )
    a.add_argument("--extended-scale", action="store_true", help="allow values outside Saaty's 1/9..9 scale")
    a.set_defaults(func=cmd_ahp)
    return a
