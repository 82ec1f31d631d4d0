"""The ``solve`` command: ``fulcrum solve`` / ``python -m optimisation solve SCENARIO.json --out DIR
[--budget-aid X] [--budget-investment Y] [--mps FILE] [--lp FILE] [--frontier [--scheduler WHERE] [--chunk-size N]]``.

Exit 0 when optimal (or stopped at the time limit with an allocation re-checked against every
constraint), 3 when proven infeasible (diagnosis in summary.json and on stderr), 2 on bad input
(one line naming the field), 4 when the solver failed or was stopped before it found a feasible
allocation (no allocation.csv; says so on stderr), 1 on an internal error. Never a traceback.
DIR (and a --mps/--lp file inside it) is replaced as a whole (:mod:`fulcrum.atomic`); a model file
elsewhere is replaced atomically on its own. ``main`` is ``python -m optimisation`` (its own
messages, kept unchanged); ``fulcrum solve`` registers the same parser through ``add_parser``.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from mcda.errors import InputError

if TYPE_CHECKING:
    from mcda.cli import Subparsers

EXIT_INFEASIBLE = 3
EXIT_SOLVER_FAILED = 4
EXIT_STATUS_HELP = (
    "Exit status: 0 allocation written (optimal, or stopped at the time limit with every "
    "constraint re-checked); 2 bad input; 3 proven infeasible (diagnosis in summary.json); "
    "4 the solver failed or was stopped before it found a feasible allocation (no "
    "allocation.csv); 1 internal error."
)


def add_parser(sub: Subparsers) -> argparse.ArgumentParser:
    """Register ``solve`` on an argparse subparsers object."""
    s = sub.add_parser("solve", help="rank a scenario, then allocate its budget", epilog=EXIT_STATUS_HELP)
    s.add_argument("scenario", help="scenario JSON file with an 'allocation' section")
    s.add_argument("--out", required=True, help="output folder (allocation.csv, summary.json)")
    s.add_argument("--budget-aid", type=str, default=None, help="override the aid budget (US$M)")
    s.add_argument("--budget-investment", type=str, default=None, help="override the investment budget (US$M)")
    s.add_argument("--mps", default=None, help="also write the model as MPS (objective sense included)")
    s.add_argument("--lp", default=None, help="also write the model as an LP file")
    s.add_argument("--frontier", action="store_true", help="also write DIR/frontier.csv")
    from fulcrum.frontier import FRONTIER_CHUNK
    from mcda.cli_executor import add_executor_arguments

    add_executor_arguments(
        s,
        "budget frontier's points (with --frontier)",
        FRONTIER_CHUNK,
        f"with --scheduler: budget-frontier points per chunk (default {FRONTIER_CHUNK})",
    )
    s.set_defaults(func=run_solve)
    return s


def _parser() -> argparse.ArgumentParser:
    from fulcrum.cli import OneLineParser  # a usage error is one line, exit 2

    ap = OneLineParser(
        prog="python -m optimisation", description="Fulcrum budget allocation (US$ millions).", epilog=EXIT_STATUS_HELP
    )
    add_parser(ap.add_subparsers(dest="command", required=True))
    return ap


def _budget(text: str | None, flag: str) -> float | None:
    """A budget override from the command line, by the allocation spec's one budget rule."""
    from optimisation.spec import check_budget

    return None if text is None else check_budget(text, where=flag)


def _model_path(flag: str, value: str | None, out: Path) -> tuple[str | None, Path | None]:
    """(name inside --out, None) for a model file written directly in DIR, else (None, its path)."""
    if not value:
        return None, None
    p = Path(os.path.realpath(value))
    if p.parent == out:
        return p.name, None
    if out in p.parents:
        raise InputError(
            "is in a subfolder of --out; a run replaces that folder as a whole",
            where=f"{flag} {value}",
            hint="Write the model directly in the --out folder or outside it.",
        )
    return None, p


def run_solve(args: argparse.Namespace) -> int:
    """The solve command (exit status: module docstring)."""
    opts = _frontier_options(args)  # bad --scheduler / --chunk-size: exit 2 before any work
    try:
        return _solve(args, opts)
    finally:
        if "executor" in opts:
            opts["executor"].close()


def _frontier_options(args: argparse.Namespace) -> dict:
    """--scheduler / --chunk-size for the frontier's points (mcda.cli_executor's rules; only with --frontier)."""
    from mcda.cli_executor import executor_options

    if args.scheduler is not None and not args.frontier:
        raise InputError("--scheduler runs the budget frontier's points; it needs --frontier", where="--scheduler")
    opts = executor_options(args)
    if "executor" in opts:
        from fulcrum.cli import _chunk_progress
        from fulcrum.frontier import frontier_chunks

        try:
            frontier_chunks([], opts["chunk_size"])
        except InputError:
            opts["executor"].close()
            raise
        opts["progress"] = _chunk_progress
    return opts


def _solve(args: argparse.Namespace, opts: dict) -> int:
    """Rank, solve, write DIR (and the frontier with ``opts``: executor, chunk size, progress)."""
    from fulcrum.allocate import model_for_outcome, spec_of
    from fulcrum.atomic import atomic_output_dir, resolve_out
    from fulcrum.outputs import write_outputs
    from fulcrum.pipeline import rank_scenario
    from fulcrum.scenario import load_scenario
    from mcda.export import atomic_file, to_csv

    aid = _budget(args.budget_aid, "--budget-aid")
    inv = _budget(args.budget_investment, "--budget-investment")
    scenario = load_scenario(args.scenario)
    spec = spec_of(scenario, where=str(args.scenario))
    if aid is not None or inv is not None:
        spec = spec.with_budgets(aid, inv)
    out = Path(os.path.realpath(args.out))
    models = {flag: _model_path(flag, value, out) for flag, value in (("--mps", args.mps), ("--lp", args.lp))}
    inside = [name for name, _ in models.values() if name]
    resolve_out(args.out, also=inside)  # refuse an unusable --out before the work, not after
    outcome = rank_scenario(scenario)
    model = model_for_outcome(outcome, spec)
    priorities = model.prep.priority
    # DIR (with any model file inside it) is written into a temporary folder swapped in as a whole;
    # a model file elsewhere is written atomically on its own
    with atomic_output_dir(args.out, also=inside) as tmp:
        for flag, (name, outside) in models.items():
            try:
                if name:
                    model.write_model(tmp / name)
                elif outside is not None:
                    with atomic_file(outside, make_parents=True) as t:
                        model.write_model(t)
            except InputError as e:  # name the flag, not the temporary file
                raise InputError(e.message, where=f"{flag} {getattr(args, flag[2:])}", hint=e.hint) from None
            except OSError as e:
                raise InputError(
                    f"cannot write the model file: {e.strerror or e}",
                    where=f"{flag} {getattr(args, flag[2:])}",
                    hint="Choose a folder you can write to.",
                ) from None
        result = model.solve()
        from fulcrum.asof import summary_fields

        extra = {"scenario": str(args.scenario), "priorities": priorities.round(6).to_dict()}
        extra.update(summary_fields(outcome.as_of, outcome.data_notes))
        from fulcrum.tracks import track_picks_lines, tracks_extra

        extra.update(tracks_extra(outcome) or {})
        paths = {k: Path(args.out) / p.name for k, p in write_outputs(result, tmp, extra).items()}
        if args.frontier and result.ok:  # the plain path, or the points in chunks on --scheduler
            from fulcrum.frontier import outcome_frontier

            to_csv(outcome_frontier(outcome, spec, **opts), tmp / "frontier.csv")
    from fulcrum.asof import stdout_lines

    for line in stdout_lines(outcome.as_of, outcome.data_notes):
        print(line)
    if result.status == "infeasible":
        print(result.message, file=sys.stderr)
        print(f"diagnosis written to {paths['summary']}", file=sys.stderr)
        return EXIT_INFEASIBLE
    if not result.ok:  # the solver failed or was stopped: not a statement about the model
        print(f"allocation not solved: {result.message}", file=sys.stderr)
        return EXIT_SOLVER_FAILED
    print(result.message)
    for line in track_picks_lines(outcome):
        print(line)
    print(f"wrote {paths['allocation']} and {paths['summary']}")
    return 0


def main(argv: list[str] | None = None) -> int:
    from fulcrum.cli import run_guarded  # the console's exit-code contract (bad input, incl. OSError, is 2)

    args = _parser().parse_args(argv)
    if args.command != "solve":
        return 2
    return run_guarded(lambda: run_solve(args), "error: ", "internal error: ")
