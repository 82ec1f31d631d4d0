"""As-of replay cost: ``rank_scenario`` on scenarios/default.json with the latest data and with
``data.as_of`` (first replay of a date, then a re-rank on the same date, as the app does on every
slider move). Ratios against the latest-data ranking measured in this run.

Usage: .venv/bin/python bench/bench_as_of.py [--repeats 15]
No asserts: the figures go into the closing note.
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fulcrum.pipeline import rank_scenario  # noqa: E402
from fulcrum.scenario import parse_scenario  # noqa: E402
from mcda import data as mdata  # noqa: E402


def median_ms(doc: dict, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        rank_scenario(parse_scenario(doc))
        times.append(time.perf_counter() - start)
    return 1e3 * statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=15)
    args = ap.parse_args()
    doc = json.loads((ROOT / "scenarios" / "default.json").read_text(encoding="utf-8"))
    rank_scenario(parse_scenario(doc))  # imports and the parsed tables, once
    latest = median_ms(doc, args.repeats)
    dated = copy.deepcopy(doc)
    dated["data"]["as_of"] = "2022-06-30"
    mdata.dated_tables()
    start = time.perf_counter()
    rank_scenario(parse_scenario(dated))
    first = 1e3 * (time.perf_counter() - start)
    again = median_ms(dated, args.repeats)
    print(f"rank_scenario, latest data:           {latest:7.1f} ms (baseline)")
    print(f"rank_scenario, as of 2022-06-30 first: {first:7.1f} ms  ratio {first / latest:.2f}")
    print(f"rank_scenario, as of 2022-06-30 again: {again:7.1f} ms  ratio {again / latest:.2f}")


if __name__ == "__main__":
    main()
