"""Run several command-line cases in one child process (``python -m tests.hostile.isolated JOBS.json``).

The parent starts this child with an address-space limit and an overall timeout; here each case
gets its own alarm, so a case that blocks (a FIFO, a device) is interrupted and reported as
``timeout`` without holding up the rest. Results are JSON lines on stdout: id, code, out, err.
"""

from __future__ import annotations

import json
import signal
import sys
from pathlib import Path

from tests.support.cli import run_cli

PER_CASE_S = 30


class _Timeout(BaseException):
    pass


def _alarm(signum, frame):  # pragma: no cover - only on a hang
    raise _Timeout()


def main(path: str) -> None:
    jobs = json.loads(Path(path).read_text(encoding="utf-8"))
    signal.signal(signal.SIGALRM, _alarm)
    real_out = sys.stdout
    for job in jobs:
        signal.alarm(PER_CASE_S)
        try:
            r = run_cli(job["module"], *job["argv"], cwd=".")
            code, out, err = r.returncode, r.stdout, r.stderr
        except _Timeout:
            code, out, err = "timeout", "", ""
        except BaseException as e:  # noqa: BLE001 - MemoryError and friends are the finding
            code, out, err = f"escaped {type(e).__name__}", "", repr(e)[:2000]
        finally:
            signal.alarm(0)
        real_out.write(
            json.dumps({"id": job["id"], "code": code, "out": out[-5000:], "err": err[-5000:]}, ensure_ascii=True)
            + "\n"
        )
        real_out.flush()


if __name__ == "__main__":
    main(sys.argv[1])
