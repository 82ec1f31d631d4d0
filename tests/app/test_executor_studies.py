"""AppTest: the "Run long studies on…" setting (ui/executor_setting.py) reaches every long study the app runs:
weight sweeps (Robustness page) and the budget frontier (Allocation page) run through the executor it names and
give the plain tables; the address is kept when the planner leaves the page; an address that cannot be used
is a notice, tried once, with the studies run here; an executor that fails half-way is a notice, and the study
is run here with the same numbers."""

from __future__ import annotations

import numpy as np
import pytest

from fulcrum.allocate import model_for_outcome
from fulcrum.pipeline import scenario_method
from mcda import robustness as rb
from mcda.executor import LocalProcesses
from optimisation.model import efficient_frontier
from tests.app.apptest import goto, new_app, run
from ui.text import plain

CACHE = "_robustness_cache"


@pytest.fixture
def mapped(monkeypatch):
    """The name of every chunk function sent to local processes (they still run there)."""
    sent: list[str] = []
    real = LocalProcesses.map

    def spy(self, fn, items, args=(), progress=None):
        sent.append(fn.__name__)
        return real(self, fn, items, args, progress)

    monkeypatch.setattr(LocalProcesses, "map", spy)
    return sent


class Broken:
    """An executor whose cluster went away after it was connected."""

    name = "Dask cluster at tcp://gone:8786"

    def map(self, *a, **k):
        raise OSError("connection closed by the scheduler")

    def close(self) -> None:
        pass


def _robustness(where: str):
    at = goto(new_app(), "Robustness")
    at.text_input(key="rb_scheduler").set_value(where)
    return run(at)


def _sweep(at):
    at.button(key="rb_run_sweep").click()
    run(at)
    return next(v for k, v in at.session_state[CACHE].items() if k[0] == "sweep")


def _plain_sweep(out):
    w = out.weights
    return rb.weight_sweep(out.problem, w, criteria=list(w.index)[:3], method=scenario_method(out))


def _same(a, b) -> None:
    assert a.to_csv(index=False) == b.to_csv(index=False)
    for c in ("weight", "score", "rank"):
        assert a[c].to_numpy().tobytes() == b[c].to_numpy().tobytes(), c


def _frontier_shown(at, monkeypatch):
    """Open the frontier on the Allocation page (solved first); the table the chart was drawn from."""
    from ui import charts

    drawn = []
    real = charts.line
    monkeypatch.setattr(charts, "line", lambda df, *a, **k: drawn.append(df) or real(df, *a, **k))
    goto(at, "Allocation")
    at.button(key="solve").click()
    run(at)
    at.session_state["frontier_open"] = True
    run(at)
    assert drawn, "the frontier chart is drawn"
    return drawn[-1]


def _plain_frontier(out):
    f = efficient_frontier(model_for_outcome(out))
    return f[f["status"].isin(["optimal", "feasible"])]


def test_the_setting_is_kept_when_the_planner_leaves_the_page():
    at = _robustness("processes:1")
    conn = at.session_state["_rb_executor"]
    goto(at, "Allocation")
    goto(at, "Robustness")
    assert at.text_input(key="rb_scheduler").value == "processes:1"  # was: empty, the setting silently lost
    assert any("1 local process." in c.value for c in at.caption), [c.value for c in at.caption]
    assert at.session_state["_rb_executor"] is conn  # connected once


def test_sweeps_run_on_local_processes_and_give_the_plain_table(mapped, shipped):
    at = _robustness("processes:2")
    got = _sweep(at)
    assert mapped == ["sweep_chunk"]
    _same(got, _plain_sweep(shipped.outcome("default")))


def test_the_frontier_runs_where_the_setting_says_and_draws_the_plain_table(mapped, shipped, monkeypatch):
    from ui import compute

    compute._frontier.clear()
    at = _robustness("processes:2")
    shown = _frontier_shown(at, monkeypatch)
    assert mapped == ["frontier_chunk"]
    assert any("solved in chunks on: 2 local processes" in c.value for c in at.caption)
    want = _plain_frontier(shipped.outcome("default"))
    for c in ("budget_total_musd", "objective"):
        np.testing.assert_array_equal(shown[c].to_numpy(float), want[c].to_numpy(float))


def test_an_address_that_cannot_be_used_is_a_notice_tried_once_and_the_studies_run_here(shipped, monkeypatch):
    import mcda.executor as mex

    monkeypatch.setattr(mex, "CONNECT_TIMEOUT_S", 1.0)
    tries = []
    real = mex.make_executor
    monkeypatch.setattr(mex, "make_executor", lambda w=None: tries.append(w) or real(w))
    at = _robustness("tcp://127.0.0.1:9")
    assert any("cannot reach the Dask scheduler" in e.value for e in at.error), [e.value for e in at.error]
    got = _sweep(at)  # the rest of the page works: the sweep runs here
    _same(got, _plain_sweep(shipped.outcome("default")))
    assert tries == ["tcp://127.0.0.1:9"], "not tried again on every rerun"
    from ui import compute

    compute._frontier.clear()
    shown = _frontier_shown(at, monkeypatch)
    assert any("cannot be used, so this runs here" in e.value for e in at.error), [e.value for e in at.error]
    np.testing.assert_array_equal(
        shown["objective"].to_numpy(float), _plain_frontier(shipped.outcome("default"))["objective"].to_numpy(float)
    )
    assert tries == ["tcp://127.0.0.1:9"]
    goto(at, "Robustness")
    at.text_input(key="rb_scheduler").set_value("tcp://127.0.0.1:9 ")  # entered again: tried again
    run(at)
    assert len(tries) == 2


def test_an_executor_that_fails_half_way_is_a_notice_and_the_study_runs_here(shipped, monkeypatch):
    at = _robustness("processes:1")
    at.session_state["_rb_executor"] = ("processes:1", Broken())  # its cluster goes away after connecting
    got = _sweep(at)
    warn = plain(" ".join(w.value for w in at.warning))
    assert "could not run on Dask cluster at tcp://gone:8786" in warn and "run here instead" in warn, warn
    assert "OSError" in warn
    _same(got, _plain_sweep(shipped.outcome("default")))
    assert "_rb_executor" not in at.session_state  # dropped; the next run connects again
    run(at)
    assert isinstance(at.session_state["_rb_executor"][1], LocalProcesses)

    from ui import compute

    compute._frontier.clear()
    at.session_state["_rb_executor"] = ("processes:1", Broken())
    shown = _frontier_shown(at, monkeypatch)
    assert any("could not run on Dask cluster" in w.value for w in at.warning)
    assert not any("solved in chunks on" in c.value for c in at.caption)  # it ran here: not said otherwise
    np.testing.assert_array_equal(
        shown["objective"].to_numpy(float), _plain_frontier(shipped.outcome("default"))["objective"].to_numpy(float)
    )


def test_funding_over_tracks_runs_on_local_processes_with_the_in_process_numbers(mapped):
    """Over tracks too: the chunks go to the processes the setting names, and the table is the one the same
    chunks give in this process."""
    from pathlib import Path

    from fulcrum.funding import funding_acceptability
    from fulcrum.pipeline import rank_scenario
    from fulcrum.scenario import load_scenario
    from fulcrum.tracks import samplers_around
    from mcda.executor import InProcess

    example = Path(__file__).resolve().parents[2] / "scenarios" / "examples" / "two_tracks.json"
    at = goto(new_app(load_scenario(example)), "Robustness")
    at.text_input(key="rb_scheduler").set_value("processes:2")
    run(at)
    at.select_slider(key="rb_nf").set_value(100)
    run(at)
    at.button(key="rb_run_fund").click()
    run(at)
    assert mapped == ["tracks_funding_chunk"]
    got = next(v for k, v in at.session_state[CACHE].items() if k[0] == "funding")
    out = rank_scenario(load_scenario(example))
    kind, spread = at.radio(key="rb_kind").value, at.slider(key="rb_spread").value
    samplers = samplers_around(out, None if kind.startswith("anywhere") else float(spread))
    seed = int(at.number_input(key="rb_seed").value)
    here = funding_acceptability(out, samplers, n_samples=100, seed=seed, executor=InProcess())
    assert got.summary.to_csv() == here.summary.to_csv() and got.n_samples == 100
    assert any("share_funded" in d.value.columns for d in at.dataframe)
