"""The budget frontier on the one executor (fulcrum.frontier): its points in chunks give the plain frontier's
table byte for byte in this process, in local processes and on a Dask cluster (LocalCluster), whatever the
chunk size; each point equals a cold solve of that budget alone; `optimisation solve --frontier` and
`fulcrum run ONE.json` write the same files whatever runs the points, and refuse bad options (exit 2)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from fulcrum.allocate import model_for_outcome, solve_for_outcome
from fulcrum.frontier import FRONTIER_CHUNK, frontier_chunks, outcome_frontier
from fulcrum.pipeline import rank_scenario
from fulcrum.scenario import load_scenario
from mcda.errors import InputError
from mcda.executor import InProcess, LocalProcesses, make_executor
from optimisation.model import FRONTIER_COLUMNS, efficient_frontier, frontier_table
from tests.golden.golden import canonicalize

ROOT = Path(__file__).resolve().parents[2]
PROGRAMME = ROOT / "scenarios" / "examples" / "programme.json"  # a MILP: projects with minimum sizes
NUMERIC = [c for c in FRONTIER_COLUMNS if c != "status"]


def table_bytes(df) -> bytes:
    """The CSV a command writes plus every number's bits (the CSV rounds nothing, but be exact)."""
    assert list(df.columns) == list(FRONTIER_COLUMNS)
    return df.to_csv(index=False).encode() + b"".join(df[c].to_numpy(dtype=float).tobytes() for c in NUMERIC)


@pytest.fixture(scope="module")
def programme_outcome():
    return rank_scenario(load_scenario(PROGRAMME))


@pytest.fixture(scope="module")
def plain(shipped):
    return outcome_frontier(shipped.outcome("default"))


def test_plain_path_is_the_library_frontier_of_the_model(default_outcome, plain):
    """No executor: today's table (one model, every point in turn), unchanged."""
    assert table_bytes(plain) == table_bytes(efficient_frontier(model_for_outcome(default_outcome)))
    assert len(plain) == 20 and (plain["status"] == "optimal").all()


@pytest.mark.parametrize("name", ["default", "programme"])
def test_each_point_is_a_cold_solve_of_its_budget(shipped, programme_outcome, name):
    """Point i of the frontier = the same model built afresh and solved at that budget alone (every column,
    exactly), and its objective = the plain solve of the scenario with those budgets to 1e-9."""
    out = shipped.outcome("default") if name == "default" else programme_outcome
    model = model_for_outcome(out)
    assert model.is_milp == (name == "programme")
    front = efficient_frontier(model)
    aid, inv = model.budgets
    for i, f in enumerate(front["factor"]):
        alone = efficient_frontier(model_for_outcome(out), [f])
        for c in NUMERIC[:-1]:  # the slope needs a previous point
            a, b = front[c].iloc[i], alone[c].iloc[0]
            assert a == b or (np.isnan(a) and np.isnan(b)), (i, c, a, b)
        cold = solve_for_outcome(out, budget_aid=aid * f, budget_investment=inv * f, diagnose=False)
        assert cold.status == front["status"].iloc[i] == "optimal"
        assert abs(cold.objective - front["objective"].iloc[i]) <= 1e-9 * max(1.0, abs(cold.objective))


def _into(seen: list):
    return lambda done, total: seen.append((done, total))


def test_chunks_in_process_and_in_local_processes_give_the_plain_table(default_outcome, plain):
    want = table_bytes(plain)
    for size in (1, 3, FRONTIER_CHUNK, 7, 20, 25):
        seen: list[tuple[int, int]] = []
        got = outcome_frontier(default_outcome, executor=InProcess(), chunk_size=size, progress=_into(seen))
        assert table_bytes(got) == want, size
        n = -(-20 // size)
        assert seen == [(k, n) for k in range(1, n + 1)]  # one report per chunk as it finishes
    got = outcome_frontier(default_outcome, executor=LocalProcesses(2), chunk_size=3)
    assert table_bytes(got) == want


def test_a_milp_frontier_in_local_processes_gives_the_plain_table(programme_outcome):
    plain = outcome_frontier(programme_outcome)
    got = outcome_frontier(programme_outcome, executor=LocalProcesses(2), chunk_size=6)
    assert table_bytes(got) == table_bytes(plain)


@pytest.mark.parametrize("processes", [False, True])
def test_dask_local_cluster_gives_the_plain_table(default_outcome, plain, processes):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=processes, dashboard_address=None) as cl:
        ex = make_executor(cl.scheduler_address)
        try:
            got = outcome_frontier(default_outcome, executor=ex, chunk_size=4)
        finally:
            ex.close()
    assert table_bytes(got) == table_bytes(plain)


def test_chunk_boundaries_are_fixed_by_the_points_and_the_chunk_size():
    assert frontier_chunks([0.5, 1.0, 1.5], 2) == [[0.5, 1.0], [1.5]]
    assert [len(c) for c in frontier_chunks(list(range(20)))] == [FRONTIER_CHUNK] * (20 // FRONTIER_CHUNK)
    assert frontier_chunks([], 3) == []


@pytest.mark.parametrize("bad", [0, -1, 2.5, True, "3"])
def test_bad_chunk_size_is_bad_input(default_outcome, bad):
    with pytest.raises(InputError) as e:
        outcome_frontier(default_outcome, executor=InProcess(), chunk_size=bad)
    assert e.value.where == "chunk_size"


def test_bad_factors_are_refused_before_any_chunk_is_sent(default_outcome):
    class NoMap(InProcess):
        def map(self, *a, **k):  # pragma: no cover - must not be reached
            raise AssertionError("a chunk was sent")

    with pytest.raises(InputError) as e:
        outcome_frontier(default_outcome, factors=[0.5, float("nan")], executor=NoMap())
    assert e.value.where == "allocation.frontier"


def test_no_points_is_an_empty_table_with_the_columns(default_outcome):
    """(Was a KeyError: a table built from no rows had no 'objective' column.)"""
    for df in (efficient_frontier(model_for_outcome(default_outcome), []), frontier_table([])):
        assert list(df.columns) == list(FRONTIER_COLUMNS) and df.empty
    assert outcome_frontier(default_outcome, factors=[], executor=InProcess()).empty


# ---------------------------------------------------------------------------------------------- command line


def test_cli_solve_writes_the_same_frontier_on_every_executor(tmp_path, cli):
    scen = ROOT / "scenarios" / "default.json"
    r = cli("optimisation", "solve", scen, "--out", tmp_path / "plain", "--frontier")
    assert r.returncode == 0, r.stderr
    want = (tmp_path / "plain" / "frontier.csv").read_bytes()
    r = cli(
        "fulcrum", "solve", scen, "--out", tmp_path / "p", "--frontier", "--scheduler", "processes:2", "--chunk-size", 6
    )
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "p" / "frontier.csv").read_bytes() == want
    assert "progress: 4 of 4 chunks done" in r.stderr
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cl:
        r = cli(
            "optimisation", "solve", scen, "--out", tmp_path / "d", "--frontier", "--scheduler", cl.scheduler_address
        )
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "d" / "frontier.csv").read_bytes() == want
    for name in ("allocation.csv", "summary.json"):  # the rest of DIR as without --scheduler
        assert (tmp_path / "d" / name).read_bytes() == (tmp_path / "plain" / name).read_bytes()


def _canon(d: Path, tmp: Path) -> dict[str, bytes]:
    c = tmp / f"canon-{d.name}"
    shutil.copytree(d, c)
    canonicalize(c)
    return {p.name: p.read_bytes() for p in sorted(c.iterdir())}


def test_cli_run_of_one_scenario_sends_its_frontier_to_the_executor(tmp_path, cli, monkeypatch):
    """`fulcrum run ONE.json --scheduler ...`: the frontier's points in chunks (a report per chunk); every file
    (report.html draws the frontier) the same as the plain run's."""
    import fulcrum.frontier as fr

    scen = ROOT / "scenarios" / "default.json"
    r = cli("fulcrum", "run", scen, "--out", tmp_path / "plain")
    assert r.returncode == 0, r.stderr
    sent = []
    real = fr.frontier_chunk
    monkeypatch.setattr(fr, "frontier_chunk", lambda c, job: sent.append(len(c)) or real(c, job))
    r = cli("fulcrum", "run", scen, "--out", tmp_path / "ip", "--scheduler", "inprocess", "--chunk-size", 8)
    assert r.returncode == 0, r.stderr
    assert sent == [8, 8, 4] and "progress: 3 of 3 chunks done" in r.stderr
    assert _canon(tmp_path / "ip", tmp_path) == _canon(tmp_path / "plain", tmp_path)


@pytest.mark.parametrize(
    ("argv", "where"),
    [
        (["solve", "{s}", "--scheduler", "inprocess"], "--scheduler"),  # no --frontier: nothing to run there
        (["solve", "{s}", "--frontier", "--scheduler", "inprocess", "--chunk-size", "0"], "chunk_size"),
        (["solve", "{s}", "--frontier", "--chunk-size", "3"], "--chunk-size"),
        (["solve", "{s}", "--frontier", "--scheduler", "slurm://queue"], "scheduler"),
        (["solve", "{s}", "--frontier", "--scheduler", "tcp://127.0.0.1:9"], "scheduler"),
        (["run", "{s}", "--scheduler", "inprocess", "--chunk-size", "-2"], "chunk_size"),  # was ignored: exit 0
    ],
)
def test_cli_bad_frontier_options_exit_2_with_one_line(tmp_path, cli, monkeypatch, argv, where):
    monkeypatch.setattr("mcda.executor.CONNECT_TIMEOUT_S", 1.0)
    scen = str(ROOT / "scenarios" / "default.json")
    r = cli("fulcrum", *[scen if a == "{s}" else a for a in argv], "--out", tmp_path / "o")
    assert r.returncode == 2, (r.returncode, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and where in lines[0], r.stderr
    assert not (tmp_path / "o").exists()
