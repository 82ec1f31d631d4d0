"""Run every benchmark script in turn (`make bench`); each prints its own figures and ratios."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = [
    "bench_ranking.py",
    "bench_allocation.py",
    "bench_funding.py",
    "bench_subnational.py",
    "bench_robustness.py",
    "bench_data_uncertainty.py",
    "bench_app.py",
    "bench_outranking.py",
    "bench_as_of.py",
    "bench_programme.py",
    "bench_frontier.py",
]


def main() -> int:
    failed = []
    for name in SCRIPTS:
        print(f"\n===== {name} =====", flush=True)
        rc = subprocess.call([sys.executable, str(HERE / name)], cwd=HERE.parent)
        if rc:
            failed.append(name)
    if failed:
        print("\nfailed: " + ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
