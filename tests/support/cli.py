"""Run the console commands (``python -m mcda|optimisation ...``) for a test: in this process by
default, in a fresh interpreter where the process boundary is what is tested.

:func:`run_cli` runs the module's ``__main__`` with :mod:`runpy`, as ``python -m`` does, with the
``sys.argv``, working folder and environment of a fresh process (the caller's warning filters stay in
force, so a test can turn a warning into an error around it), and returns what a subprocess would:
the exit status (``SystemExit``; an exception that escapes is printed as a traceback with status 1,
as the interpreter would), stdout and stderr.
It saves the 1-2 s an interpreter start with pandas/PuLP/matplotlib imports costs per call.

:func:`run_process` is the real thing (``subprocess.run``), for what only a process shows: an exit
by signal, a closed pipe, import cost, two runs at once, a kill.
"""

from __future__ import annotations

import contextlib
import io
import os
import runpy
import subprocess
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

from tests.support import ROOT


@dataclass(frozen=True)
class Ran:
    """What a finished command gave: like :class:`subprocess.CompletedProcess` (text mode)."""

    returncode: int
    stdout: str
    stderr: str


def _exit_code(code: object, err: io.StringIO) -> int:
    """The status a process exits with for ``sys.exit(code)``."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=err)  # sys.exit("message"): the interpreter prints it and exits 1
    return 1


def run_cli(module: str, *args: object, cwd: str | Path | None = None, env: dict[str, str] | None = None) -> Ran:
    """``python -m module *args`` run in this process; ``cwd``/``env`` as for a subprocess (env: overrides)."""
    out, err = io.StringIO(), io.StringIO()
    argv = [module, *map(str, args)]
    old_argv, old_cwd = sys.argv, os.getcwd()
    code = 0
    try:
        sys.argv = argv
        os.chdir(cwd if cwd is not None else ROOT)
        with mock.patch.dict(os.environ, env or {}), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                runpy.run_module(module, run_name="__main__", alter_sys=False)
            except SystemExit as e:
                code = _exit_code(e.code, err)
            except Exception:  # noqa: BLE001 - what `python -m` does with an escaped exception (an
                # interrupt, an alarm's exception or another BaseException propagates to the caller)
                traceback.print_exc(file=err)
                code = 1
    finally:
        sys.argv = old_argv
        os.chdir(old_cwd)
    return Ran(code, out.getvalue(), err.getvalue())


def run_process(
    module: str,
    *args: object,
    cwd: str | Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 600,
    python_flags: tuple[str, ...] = (),
) -> subprocess.CompletedProcess:
    """``python [flags] -m module *args`` in a fresh interpreter (text mode; ``timeout`` is a hang guard)."""
    return subprocess.run(
        [sys.executable, *python_flags, "-m", module, *map(str, args)],
        cwd=cwd if cwd is not None else ROOT,
        env=dict(os.environ, **(env or {})),
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
