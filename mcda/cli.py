"""Command line: `python -m mcda rank|ahp|run|smaa ...` (batch use and a stable interface).

Bad input exits with status 2 and one line on stderr naming file, row and column; no traceback.
Heavy libraries (pymcdm, openpyxl, pulp) are imported only by the commands that need them.
"""
from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from pathlib import Path

from mcda.errors import InputError

EXIT_BAD_INPUT = 2
EXIT_INFEASIBLE = 3
EXIT_SOLVER_FAILED = 4
RUN_EPILOG = ("Exit status: 0 ok (allocation optimal, or stopped at the time limit with every constraint "
              "re-checked); 2 bad input; 3 the allocation is proven infeasible (diagnosis in summary.json); "
              "4 the solver failed or was stopped before it found a feasible allocation (no allocation.csv).")

RANK_EPILOG = """\
MATRIX: CSV (or XLSX) whose first column is the alternative id and whose other columns are criteria.
CRITERIA: CSV with columns criterion,direction,weight (direction: benefit or cost; weights >= 0,
normalised to sum 1). Output CSV columns: alternative,score,rank (rank 1 = best; ties share the
lower rank). For VIKOR the score is Q and LOWER IS BETTER (SPOTIS too: lower is better); for every
other method a higher score is better.
Exit status: 0 ok, 2 bad input (one line on stderr naming file, row and column).

Methods:
{methods}
"""


def _fail(prog: str, err: Exception, prefix: str | None = None) -> int:
    msg = str(err)
    if prefix and not msg.startswith(prefix):
        msg = f"{prefix}: {msg}"
    print(f"{prog}: error: {msg}", file=sys.stderr)
    return EXIT_BAD_INPUT


def problem_from_files(matrix_path, criteria_path, missing: str):
    """Validated DecisionProblem and the criteria table from a MATRIX and a CRITERIA file.

    Errors from the matrix are prefixed with its file name, so one line names file, row, column.
    """
    from mcda.io import read_criteria, read_matrix
    from mcda.problem import DecisionProblem

    matrix = read_matrix(matrix_path)
    crit = read_criteria(criteria_path)
    absent = [c for c in crit.index if c not in matrix.columns]
    if absent:
        raise InputError(f"criterion '{absent[0]}' is in the criteria file but not a column of the matrix",
                         where=str(criteria_path), hint=f"Matrix columns: {', '.join(map(str, matrix.columns))}.")
    try:
        return DecisionProblem(matrix, crit, missing=missing), crit
    except InputError as e:
        raise InputError(e.one_line(), where=str(matrix_path)) from None


def write_table(out, dest: str | None, problem) -> int:
    """Write a result table to DEST (stdout when None or '-') and the missing-data notes to stderr."""
    out.to_csv(sys.stdout if dest in (None, "-") else dest, index=False)
    for line in problem.missing_report.lines()[1:]:
        print(f"note: {line}", file=sys.stderr)
    return 0


def cmd_rank(args: argparse.Namespace) -> int:
    import numpy as np
    import pandas as pd

    from mcda.methods import get_method, rank_scores

    problem, crit = problem_from_files(args.matrix, args.criteria, args.missing)
    opts = {}
    if args.normalization:
        opts["normalization"] = args.normalization
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
        res = analyse(mat, method=args.method, allow_extended_scale=args.extended_scale, **opts)
    except InputError as e:
        raise InputError(e.one_line(), where=str(args.judgements)) from None
    print(json.dumps(res.to_dict(), indent=2))
    if res.cr is not None and res.cr > 0.10:
        print(f"warning: consistency ratio {res.cr:.3f} is above 0.10; revisit the judgements listed under "
              "'inconsistent_pairs'", file=sys.stderr)
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from mcda.report import run_scenario_to_dir

    result = run_scenario_to_dir(args.scenario, args.out, with_allocation=not args.no_allocation)
    for path in result.files:
        print(path)
    if result.infeasible:
        print(f"mcda run: allocation infeasible: {result.message}", file=sys.stderr)
        return EXIT_INFEASIBLE
    if getattr(result, "solver_failed", False):
        print(f"mcda run: allocation not solved: {result.message}", file=sys.stderr)
        return EXIT_SOLVER_FAILED
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m mcda", description="Fulcrum ranking toolkit (MCDM).")
    sub = p.add_subparsers(dest="command", required=True)

    from mcda.methods import METHODS  # light: pymcdm is imported only by methods that use it

    methods_help = "\n".join(f"  {k:<11} {v}" for k, v in METHODS.items())
    r = sub.add_parser("rank", help="rank the alternatives of a CSV decision matrix",
                       formatter_class=argparse.RawDescriptionHelpFormatter, epilog=RANK_EPILOG.format(methods=methods_help))
    r.add_argument("matrix", help="decision matrix CSV/XLSX (first column = alternative id)")
    r.add_argument("--criteria", required=True, help="CSV with columns criterion,direction,weight")
    r.add_argument("--method", default="topsis",
                   help="topsis (default), ahp, vikor (score = Q, lower is better), promethee2, wsm, wpm, ... (list below)")
    r.add_argument("--normalization", choices=["vector", "minmax"], default=None,
                   help="normalisation for TOPSIS (default vector, as Hwang & Yoon) and methods that take one")
    r.add_argument("--missing", default="error",
                   help="missing-data policy: error (default), drop_criterion, drop_alternative, impute:median|mean|min|max|worst")
    r.add_argument("--sort", action="store_true", help="sort output rows by rank (default: input order)")
    r.add_argument("--out", help="output CSV (default: stdout)")
    r.set_defaults(func=cmd_rank)

    a = sub.add_parser("ahp", help="priorities and consistency of a pairwise judgement matrix")
    a.add_argument("judgements", help="square CSV: header row and first column are the item names; cells like 3 or 1/3")
    a.add_argument("--method", choices=["eigen", "geometric"], default="eigen")
    a.add_argument("--ri-table", default=None,
                   help="random-index table for CR: saaty1980 (default), saaty2005, alonso_lamata2006, tummala_ling1998, donegan_dodd1991")
    a.add_argument("--extended-scale", action="store_true", help="allow values outside Saaty's 1/9..9 scale")
    a.set_defaults(func=cmd_ahp)

    u = sub.add_parser("run", help="run a scenario file end to end and write CSV, XLSX and a report", epilog=RUN_EPILOG)
    u.add_argument("scenario", help="scenario JSON file")
    u.add_argument("--out", required=True, help="output folder (created if missing)")
    u.add_argument("--no-allocation", action="store_true", help="rank and shortlist only; skip the allocation")
    u.set_defaults(func=cmd_run)

    # Commands contributed by other modules (e.g. robustness: smaa) register here if present.
    for mod in ("mcda.cli_smaa",):
        try:
            importlib.import_module(mod).add_parser(sub)
        except ModuleNotFoundError as e:
            if e.name != mod:
                raise
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    prog = f"python -m mcda {args.command}"
    try:
        return args.func(args)
    except BrokenPipeError:  # output piped into `head` and the reader closed early: not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except InputError as e:
        return _fail(prog, e)
    except (OSError, json.JSONDecodeError) as e:
        return _fail(prog, e)
    except Exception as e:  # noqa: BLE001 - a bug, not bad input: one line, full trace on request
        if os.environ.get("FULCRUM_DEBUG"):
            raise
        print(f"{prog}: internal error: {type(e).__name__}: {e} (set FULCRUM_DEBUG=1 for the traceback)", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
