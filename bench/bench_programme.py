"""Programme benchmarks (issue 11): the example programme (5 years, the illustrative pipeline) against the
same allocation as one period, and a large envelope programme's build time against its solve time.
Prints seconds and ratios (same process); never asserts on time."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fulcrum.allocate import model_for_outcome
from fulcrum.pipeline import rank_scenario
from fulcrum.scenario import load_scenario
from optimisation.model import AllocationModel

ROOT = Path(__file__).resolve().parents[1]


def _timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def example() -> None:
    """The example programme vs its one-period spec (same shortlist)."""
    outcome = rank_scenario(load_scenario(ROOT / "scenarios" / "examples" / "programme.json"))
    spec = outcome.scenario.allocation.model_dump()
    one = {k: v for k, v in spec.items() if k not in ("programme", "pipeline")}
    m1, b1 = _timed(lambda: model_for_outcome(outcome, one))
    _, s1 = _timed(lambda: m1.solve(marginals=False))
    m5, b5 = _timed(lambda: model_for_outcome(outcome, spec))
    r5, s5 = _timed(lambda: m5.solve(marginals=False))
    print(f"example programme: build {b5:.3f} s, solve {s5:.3f} s (status {r5.status}, MILP {r5.is_milp})")
    print(f"one period:        build {b1:.3f} s, solve {s1:.3f} s")
    print(f"ratio programme/one-period solve: {s5 / s1:.1f}x")


def envelope(n_countries: int = 200, n_types: int = 20, years: int = 5) -> None:
    """A large envelope programme (4 bands per pair; no pipeline): build time against solve time."""
    pri, countries, types, spec = envelope_inputs(n_countries, n_types, years)
    m, b = _timed(lambda: AllocationModel(pri, countries, types, spec))
    n_vars = len(m.built.prob.variables())
    r, s = _timed(lambda: m.solve(diagnose=False, marginals=False))
    print(f"envelope {n_countries} x {n_types} x 4 bands x {years} years: {n_vars:,} variables")
    print(f"build {b:.2f} s, solve {s:.2f} s (status {r.status}); build/solve ratio {b / s:.2f}")


def envelope_inputs(n_countries: int = 200, n_types: int = 20, years: int = 5) -> tuple:
    """(priorities, countries, project types, spec) of the large envelope programme (also bench_frontier.py)."""
    rng = np.random.default_rng(7)
    types = pd.DataFrame(
        {
            "aid_share": rng.uniform(0, 1, n_types).round(3),
            "impact_per_musd": 1.0,
            "segment_breaks_musd": "25;50;75;100",
            "segment_marginals": "0.875;0.625;0.375;0.125",
            "min_size_musd": 0.0,
            "need_indicator": "none",
            "need_transform": "none",
        },
        index=pd.Index([f"t{j}" for j in range(n_types)], name="project_type"),
    )
    ids = [f"C{i:03d}" for i in range(n_countries)]
    countries = pd.DataFrame({"country": ids, "gdp": 1e12}, index=ids)
    pri = pd.Series(rng.uniform(0.1, 1, n_countries), index=ids)
    spec = {
        "budget_aid_musd": 20000,
        "budget_investment_musd": 30000,
        "absorptive_cap_pct_gdp": None,
        "solver": "highs",
        "programme": {
            "start_year": 2026,
            "years": years,
            "ceilings": {"aid": 4000, "investment": 6000},
            "profiles": dict.fromkeys(types.index, "0.3;0.5;0.2"),
        },
    }
    return pri, countries, types, spec


if __name__ == "__main__":
    example()
    envelope(*(int(a) for a in sys.argv[1:4]))
