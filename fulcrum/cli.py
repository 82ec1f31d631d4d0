"""The console command: ``fulcrum rank|ahp|weights|smaa|sweep|run|solve|app|compare|library`` (and the historical
``python -m mcda ...`` / ``python -m optimisation solve ...``, same options, outputs and exit codes).

Exit status: 0 ok, 2 bad input (one line on stderr naming file, row and column, or field),
3 the allocation is proven infeasible, 4 the solver failed or was stopped, 1 an internal error
(one line; ``FULCRUM_DEBUG=1`` for the traceback). Subcommands import only what they need, so
``rank`` on a large CSV does not pay for PuLP, openpyxl or matplotlib.

Python warnings raised while a command runs (a chart font without a glyph, a numpy overflow) are
captured (:func:`run_guarded`): a failing command prints its one error line and nothing else; a
successful one prints each distinct warning as one ``warning:`` line after its documented output.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import warnings
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NoReturn

from mcda.errors import InputError

if TYPE_CHECKING:
    from mcda.cli import Subparsers

EXIT_BAD_INPUT = 2
EXIT_INFEASIBLE = 3
EXIT_SOLVER_FAILED = 4
RUN_EPILOG = (
    "Exit status: 0 ok (allocation optimal, or stopped at the time limit with every constraint "
    "re-checked); 2 bad input; 3 the allocation is proven infeasible (diagnosis in summary.json); "
    "4 the solver failed or was stopped before it found a feasible allocation (no allocation.csv)."
)

#: subcommands of ``python -m mcda`` (the ranking toolkit's historical command line, then ``weights``)
MCDA_COMMANDS = ("rank", "ahp", "run", "smaa", "weights", "sweep")
#: every subcommand of ``fulcrum``
ALL_COMMANDS = ("rank", "ahp", "weights", "smaa", "sweep", "run", "solve", "app", "compare", "library")


def cmd_run(args: argparse.Namespace) -> int:
    from mcda.cli_executor import executor_options

    opts = executor_options(args)  # bad --scheduler / --chunk-size: exit 2 before any work
    if len(args.scenario) > 1:
        return cmd_run_batch(args, opts)
    from fulcrum.frontier import frontier_chunks
    from fulcrum.run import run_scenario_to_dir

    try:  # one scenario runs here; its budget frontier's points go to the executor
        if "executor" in opts:
            frontier_chunks([], opts["chunk_size"])  # a bad --chunk-size: exit 2 before any work
            opts["progress"] = _chunk_progress
        result = run_scenario_to_dir(args.scenario[0], args.out, with_allocation=not args.no_allocation, **opts)
    finally:
        if "executor" in opts:
            opts["executor"].close()
    for path in result.files:
        print(path)
    from fulcrum.asof import stdout_lines

    for line in stdout_lines(result.outcome.as_of, result.outcome.data_notes):
        print(line)
    from fulcrum.tracks import track_picks_lines

    for line in track_picks_lines(result.outcome):  # over tracks: what each track picked
        print(line)
    if result.infeasible:
        print(f"mcda run: allocation infeasible: {result.message}", file=sys.stderr)
        return EXIT_INFEASIBLE
    if result.solver_failed:
        print(f"mcda run: allocation not solved: {result.message}", file=sys.stderr)
        return EXIT_SOLVER_FAILED
    return 0


def _chunk_progress(done: int, total: int) -> None:
    """A long study's progress on stderr, one line per chunk finished."""
    print(f"progress: {done} of {total} chunks done", file=sys.stderr, flush=True)


def cmd_run_batch(args: argparse.Namespace, opts: dict[str, Any]) -> int:
    """Several scenarios (fulcrum.batch): each into OUT/<name>/, on the executor; the first failure's status."""
    from fulcrum.batch import run_batch

    try:
        runs = run_batch(
            args.scenario,
            args.out,
            executor=opts.get("executor"),
            chunk_size=opts.get("chunk_size"),
            with_allocation=not args.no_allocation,
            progress=_chunk_progress,
        )
    finally:
        if "executor" in opts:
            opts["executor"].close()
    code = 0
    for folder, run in runs:
        for name in run.files:
            print(folder / name)
        for line in run.lines:
            print(line)
        if run.code:  # its message says what went wrong: error, internal error, allocation infeasible / not solved
            print(f"mcda run: {run.scenario}: {run.message}", file=sys.stderr)
            code = code or run.code
    return code


def add_run(sub: Subparsers) -> argparse.ArgumentParser:
    u = sub.add_parser("run", help="run a scenario file end to end and write CSV, XLSX and a report")
    from mcda.limits import LIMITS_HELP

    u.epilog = (
        "A scenario's data.dataset is 'default' (the shipped data) or a file inside the scenario file's "
        "folder; text with control characters, NUL or unpaired surrogates is refused (scenarios/README.md). "
        + RUN_EPILOG
        + " "
        + LIMITS_HELP
    )
    u.add_argument("scenario", nargs="+", help="scenario JSON file; several: a batch, each written to OUT/<file name>/")
    u.add_argument("--out", required=True, help="output folder (created if missing)")
    u.add_argument("--no-allocation", action="store_true", help="rank and shortlist only; skip the allocation")
    from fulcrum.frontier import FRONTIER_CHUNK
    from mcda.cli_executor import add_executor_arguments

    add_executor_arguments(
        u,
        "scenarios of a batch (one scenario: its budget frontier's points)",
        1,
        "with --scheduler: scenarios per chunk of a batch (default 1); one scenario: budget-frontier points "
        f"per chunk (default {FRONTIER_CHUNK})",
    )
    u.set_defaults(func=cmd_run)
    return u


def cmd_app(args: argparse.Namespace) -> int:
    """Start the Streamlit app on 127.0.0.1 (``--host`` to expose it)."""
    import subprocess
    from pathlib import Path

    app = Path(__file__).resolve().parent.parent / "app.py"
    if not app.exists():
        raise InputError(
            "app.py not found next to the fulcrum package",
            where=str(app),
            hint="Run the app from a checkout of the repository.",
        )
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.address",
        args.host,
        "--server.port",
        str(args.port),
    ]
    return subprocess.call(cmd, cwd=app.parent)


def add_app(sub: Subparsers) -> argparse.ArgumentParser:
    a = sub.add_parser("app", help="start the planner's app (Streamlit) on this machine")
    a.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    a.add_argument("--port", type=int, default=8501, help="port (default 8501)")
    a.set_defaults(func=cmd_app)
    return a


def _lazy(module: str, name: str) -> Callable:
    """A registrar that imports its module only when its parser is built (``rank`` imports no solve code)."""

    def register(sub: Subparsers) -> argparse.ArgumentParser:
        import importlib

        return getattr(importlib.import_module(module), name)(sub)

    return register


def _registrars() -> dict[str, Callable]:
    return {
        "rank": _lazy("mcda.cli", "add_rank"),
        "ahp": _lazy("mcda.cli", "add_ahp"),
        "weights": _lazy("mcda.cli", "add_weights"),
        "smaa": _lazy("mcda.cli_smaa", "add_parser"),
        "sweep": _lazy("mcda.cli_sweep", "add_parser"),  # issue 12: weight sweeps on the executor
        "run": add_run,
        "solve": _lazy("fulcrum.cli_solve", "add_parser"),
        "app": add_app,
        "compare": _lazy("fulcrum.cli_library", "add_compare"),  # issue 13: two scenarios side by side
        "library": _lazy("fulcrum.cli_library", "add_library"),  # issue 13: the scenario library
    }


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage error is ONE line on stderr (exit 2) like every other bad input."""

    def error(self, message: str) -> NoReturn:  # argparse's hook
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {one_line(message)} (see {self.prog} --help)\n")


def build_parser(
    prog: str = "fulcrum",
    commands: Sequence[str] = ALL_COMMANDS,
    description: str = "Fulcrum: rank partner countries and allocate a budget.",
) -> argparse.ArgumentParser:
    p = OneLineParser(prog=prog, description=description)
    sub = p.add_subparsers(dest="command", required=True)
    reg = _registrars()
    for name in commands:
        reg[name](sub)
    return p


def one_line(text: object) -> str:
    """Text on one line: line breaks inside a message (a library's, a path's) become spaces."""
    return re.sub(r"\s*[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+\s*", " ", str(text)).strip()


def run_guarded(call: Callable[[], int], error_prefix: str, internal_prefix: str) -> int:
    """Run a command with the exit-code contract: bad input (InputError, OSError such as a missing or
    read-only path, a JSON error) exit 2 with ONE line ``error_prefix + message``; a bug exit 1 with one
    line (``FULCRUM_DEBUG=1`` re-raises it). Python warnings are captured: dropped when the command
    fails, printed once each as ``warning:`` lines when it succeeds."""
    code: int
    with warnings.catch_warnings(record=True) as caught:
        try:
            code = call()
        except BrokenPipeError:  # output piped into `head` and the reader closed early: not an error
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            return 0
        except KeyboardInterrupt:
            print(f"{error_prefix}interrupted", file=sys.stderr)
            return 130
        except (InputError, OSError, json.JSONDecodeError) as e:
            print(f"{error_prefix}{one_line(e)}", file=sys.stderr)
            return EXIT_BAD_INPUT
        except Exception as e:  # a bug, not bad input: one line, full trace on request
            if os.environ.get("FULCRUM_DEBUG"):
                raise
            print(
                f"{internal_prefix}{type(e).__name__}: {one_line(e)} (set FULCRUM_DEBUG=1 for the traceback)",
                file=sys.stderr,
            )
            return 1
    if code == 0:
        seen = set()
        for w in caught:
            if issubclass(w.category, (DeprecationWarning, PendingDeprecationWarning, FutureWarning)):
                continue
            text = one_line(w.message)
            if text not in seen:
                seen.add(text)
                print(f"warning: {text}", file=sys.stderr)
    return code


def main(
    argv: list[str] | None = None,
    prog: str = "fulcrum",
    commands: Sequence[str] = ALL_COMMANDS,
    description: str = "Fulcrum: rank partner countries and allocate a budget.",
) -> int:
    """The ``fulcrum`` console command (``[project.scripts]``): parse, run, map errors to exit codes.

    Parameters
    ----------
    argv : list of str, optional
        The arguments (default ``sys.argv[1:]``).
    prog, commands, description
        The program name, the subcommands offered and the help text (``python -m mcda`` offers
        the ranking ones).

    Returns
    -------
    int
        The exit status: 0 ok, 2 bad input (one line on stderr), 3 allocation infeasible, 4 solver
        failed or stopped, 1 internal error. A usage error exits 2 through argparse.
    """
    from mcda.rank_kernels import one_shot

    one_shot()  # a one-shot process: SMAA's compiled kernels only for a study large enough to repay their load
    parser = build_parser(prog, _asked_for(argv, commands), description)
    args = parser.parse_args(argv)
    prog = f"{prog} {args.command}"
    return run_guarded(lambda: args.func(args), f"{prog}: error: ", f"{prog}: internal error: ")


def _asked_for(argv: list[str] | None, commands: Sequence[str]) -> Sequence[str]:
    """The subcommand named first, alone (only its parser is built and imported); every one for help or a typo."""
    first = (sys.argv[1:] if argv is None else argv)[:1]
    return tuple(first) if first and first[0] in commands else commands


def mcda_main(argv: list[str] | None = None) -> int:
    """``python -m mcda``: the ranking commands and ``run``, as before the product layer existed."""
    return main(argv, prog="python -m mcda", commands=MCDA_COMMANDS, description="Fulcrum ranking toolkit (MCDM).")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
