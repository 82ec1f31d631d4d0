"""Run a Fulcrum command and interrupt it at a chosen file-system step (a test helper, not a test).

    WATCH=DIR ACTION=kill|enospc|pause AT=N python -m tests.fulcrum.kill_support mcda run SCENARIO --out DIR/out

A Python audit hook (PEP 578) counts, in order, every step that changes something under ``WATCH``
(opening a file for writing, a rename, a removal, a mkdir, a chmod, an rmtree) and every
``fulcrum.output`` event (the steps of :mod:`fulcrum.atomic`: locked, tmp, synced, exchange,
rename, cleanup, done). Just before step ``AT``:

* ``kill``: the process sends itself SIGKILL — no cleanup handler runs, nothing is flushed, as ``kill -9``;
* ``enospc``: the step fails with ``OSError(ENOSPC)`` (only steps that can run out of space: creating
  or opening a file for writing, mkdir, rename, the folder exchange) — a full disk at that step;
* ``pause``: the process creates the file ``$PAUSED`` and waits until ``$RESUME`` exists (a run caught
  in the middle of writing, for the concurrency test).

``SWEEP=1`` tries every step in one go: at the first counted step the process forks one child per
step N = 1, 2, ... (each child is interrupted at its step N; the parent waits for it), puts the
folder ``$OUT`` back to a copy of ``$PREV`` before each child, and appends one JSON line per child
to ``$RECORDS``: the step, how the child ended, its stderr, and :func:`snapshot` of the folder.
The sweep ends with the first child that passes every step uninterrupted; the parent then resets
``$OUT`` to ``$PREV`` once more and completes the run itself. Leftovers of killed children (hidden
temporary folders, the lock file) are kept, so each run starts from what the previous kill left.
``AT`` may also name a ``fulcrum.output`` step (``AT=exchange``): interrupt at the first step of that name.
``FORCE_FALLBACK=1`` disables the one-step folder exchange, to exercise the two-rename fallback.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import runpy
import shutil
import signal
import sys
import time
import zipfile
from pathlib import Path

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
_PATH_EVENTS = {"os.rename", "os.remove", "os.rmdir", "os.mkdir", "os.chmod", "shutil.rmtree"}
_CAN_FILL = {"open", "os.mkdir", "os.rename"}  # steps a full disk can fail
_CAN_FILL_FULCRUM = {"exchange", "rename"}


def digest(path: Path) -> str:
    """sha256 of a file; for an XLSX, of its members' contents without docProps/core.xml (the timestamps)."""
    if path.suffix == ".xlsx":
        h = hashlib.sha256()
        try:
            with zipfile.ZipFile(path) as z:
                for n in sorted(z.namelist()):
                    if n != "docProps/core.xml":
                        h.update(n.encode() + b"\0" + z.read(n))
        except zipfile.BadZipFile:
            return "corrupt:" + hashlib.sha256(path.read_bytes()).hexdigest()
        return "xlsx:" + h.hexdigest()
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(out: Path) -> dict:
    """What a reader finds: does the folder exist, its files with digests, and what else lies beside it."""
    out = Path(out)
    files = {p.name: digest(p) for p in sorted(out.iterdir())} if out.is_dir() else None
    beside = sorted(n for n in os.listdir(out.parent) if n != out.name)
    return {"exists": out.is_dir(), "files": files, "beside": beside}


def _reset(out: Path, prev: Path) -> None:
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(prev, out)


def main() -> None:
    import warnings

    warnings.simplefilter("ignore")
    action = os.environ.get("ACTION", "kill")
    at_env = os.environ.get("AT", "0")
    named = None if at_env.isdigit() else at_env  # AT=exchange: the first fulcrum.output step of that name
    at = int(at_env) if named is None else -1
    watch = os.path.realpath(os.environ["WATCH"])
    sweep = os.environ.get("SWEEP") == "1"
    records = open(os.environ["RECORDS"], "a", encoding="utf-8") if sweep else None  # noqa: SIM115 - open for the
    # whole run, opened before the hook exists
    state = {"count": 0, "at": at, "i": at, "busy": False, "swept": False, "child": False, "last": ""}

    def under(p) -> bool:
        if isinstance(p, bytes):
            p = os.fsdecode(p)
        return isinstance(p, (str, os.PathLike)) and os.path.realpath(os.fspath(p)).startswith(watch + os.sep)

    def counted(event: str, args: tuple) -> bool:
        if event == "fulcrum.output":
            return True
        if event == "open" and args and under(args[0]):
            mode, flags = (args[1] if len(args) > 1 else None), (args[2] if len(args) > 2 else 0)
            return bool(
                (isinstance(mode, str) and set(mode) & set("wax+")) or (isinstance(flags, int) and flags & _WRITE_FLAGS)
            )
        if event == "os.remove" and len(args) > 1 and isinstance(args[1], int) and args[1] >= 0:
            return True  # shutil.rmtree removing a file relative to a folder descriptor
        return event in _PATH_EVENTS and bool(args) and under(args[0])

    def fire(event: str, args: tuple) -> None:
        """Step ``at`` reached: interrupt as ACTION says."""
        if action == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        elif action == "enospc":
            if event in _CAN_FILL or (event == "fulcrum.output" and args[0] in _CAN_FILL_FULCRUM):
                if records is not None:
                    records.write(json.dumps({"injected": state["i"], "step": state["last"]}) + "\n")
                    records.flush()
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            state["at"] += 1  # this step cannot fail for lack of space: fail the next one that can
        elif action == "pause":
            Path(os.environ["PAUSED"]).touch()
            while not Path(os.environ["RESUME"]).exists():
                time.sleep(0.02)

    def run_sweep() -> None:
        out, prev = Path(os.environ["OUT"]), Path(os.environ["PREV"])
        i = 1
        while True:
            _reset(out, prev)
            errpath = Path(os.environ["RECORDS"] + f".stderr.{i}")
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:  # the child: interrupted at its step i (this step is step 1)
                fd = os.open(errpath, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
                os.dup2(fd, 2)
                os.close(fd)
                state.update(count=1, at=i, i=i, busy=False, swept=True, child=True)
                return
            _, status = os.waitpid(pid, 0)
            rec = {
                "i": i,
                "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
                "exit": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
                "stderr": errpath.read_text(encoding="utf-8", errors="replace"),
                **snapshot(out),
            }
            records.write(json.dumps(rec) + "\n")
            records.flush()
            if action == "enospc":
                with open(os.environ["RECORDS"], encoding="utf-8") as fh:
                    interrupted = any(json.loads(line).get("injected") == i for line in fh)
            else:
                interrupted = rec["signal"] is not None
            if not interrupted:  # ran past every step: the sweep is complete
                break
            i += 1
        _reset(out, prev)
        state.update(count=1, at=0)

    def hook(event: str, args: tuple) -> None:
        if state["busy"] or not counted(event, args):
            return
        if sweep and not state["swept"]:
            state["busy"] = state["swept"] = True
            try:
                run_sweep()
            finally:
                state["busy"] = False
        else:
            state["count"] += 1
        state["last"] = f"{event} {' '.join(map(str, args[:2]))}"
        if state["count"] == state["at"] or (named and event == "fulcrum.output" and args[0] == named):
            fire(event, args)

    if os.environ.get("FORCE_FALLBACK") == "1":
        import fulcrum.atomic

        fulcrum.atomic._exchange = lambda a, b: False
    sys.addaudithook(hook)
    module, sys.argv = sys.argv[1], sys.argv[1:]
    try:
        runpy.run_module(module, run_name="__main__", alter_sys=True)
        code = 0
    except SystemExit as e:
        if not state["child"]:
            raise
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    if state["child"]:  # a sweep's child: skip the interpreter's teardown (the parent does it once)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


if __name__ == "__main__":
    main()
