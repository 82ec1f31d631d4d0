"""mcda.executor: chunked studies give the same bytes in this process, in local processes and on a
Dask cluster (dask.distributed.LocalCluster); a bad scheduler is a one-line exit 2, not a hang."""

import sys

import numpy as np
import pytest

from mcda.errors import InputError
from mcda.executor import DaskCluster, InProcess, LocalProcesses, make_executor, plan
from mcda.problem import DecisionProblem
from mcda.robustness import AroundWeights
from mcda.robustness_smaa import smaa


@pytest.fixture(scope="module")
def problem():
    X = np.random.default_rng(0).uniform(1, 10, (12, 5))
    return DecisionProblem.from_arrays(X, [1, -1, 1, 1, -1], alternatives=[f"a{i:02d}" for i in range(12)])


def _bytes(res):
    return (
        res.acceptability.to_numpy().tobytes()
        + res.central_weights.to_numpy().tobytes()
        + res.confidence.to_numpy().tobytes()
    )


def test_plan_is_fixed_by_samples_chunk_size_and_seed():
    a, b = plan(10, 7, 4), plan(10, 7, 4)
    assert [(c.index, c.start, c.size) for c in a] == [(0, 0, 4), (1, 4, 4), (2, 8, 2)]
    draws = [c.rng().random(3) for c in a]
    assert all(np.array_equal(x, c.rng().random(3)) for x, c in zip(draws, b, strict=True))
    assert not np.array_equal(draws[0], draws[1])  # each chunk its own stream
    assert np.array_equal(draws[0], np.random.default_rng(7).random(3))  # chunk 0: the plain run's generator
    for bad in (0, -1, 2.5, True):
        with pytest.raises(InputError, match="chunk size"):
            plan(10, 7, bad)
    with pytest.raises(InputError, match="seed"):
        plan(10, "x", 4)


def test_one_chunk_is_the_plain_run(problem):
    plain = smaa(problem, n_samples=3000, seed=5)
    chunked = smaa(problem, n_samples=3000, seed=5, executor=InProcess(), chunk_size=10_000)
    assert _bytes(plain) == _bytes(chunked)


def test_local_processes_give_the_in_process_bytes(problem):
    kw = {"n_samples": 9000, "seed": 3, "chunk_size": 2000, "sampler": AroundWeights(problem, np.full(5, 0.2), 40)}
    here = smaa(problem, executor=InProcess(), **kw)
    there = smaa(problem, executor=LocalProcesses(2), **kw)
    assert _bytes(here) == _bytes(there)
    assert _bytes(here) != _bytes(smaa(problem, executor=InProcess(), **{**kw, "chunk_size": 3000}))


@pytest.mark.parametrize("processes", [False, True])
def test_dask_local_cluster_gives_the_in_process_bytes(problem, processes):
    distributed = pytest.importorskip("distributed")
    kw = {"n_samples": 7000, "seed": 11, "chunk_size": 1500}
    here = smaa(problem, executor=InProcess(), **kw)
    seen = []
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=processes, dashboard_address=None
    ) as cluster:
        ex = make_executor(cluster.scheduler_address)
        try:
            res = smaa(problem, executor=ex, progress=lambda f, msg: seen.append(f), **kw)
        finally:
            ex.close()
    assert _bytes(here) == _bytes(res)
    assert seen[-1] == 1.0 and len(seen) == 1 + 5  # start, then one report per chunk as it finishes


def test_bad_scheduler_is_bad_input_without_hanging():
    pytest.importorskip("distributed")
    with pytest.raises(InputError, match=r"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9") as e:
        DaskCluster("tcp://127.0.0.1:9", timeout_s=1.0)
    assert e.value.where == "scheduler"


@pytest.mark.parametrize("where", ["tcp://", "tcp://hostonly", "processes:0", "processes:x", "slurm", "http://a:1"])
def test_bad_executor_names_are_bad_input(where):
    with pytest.raises(InputError) as e:
        make_executor(where)
    assert e.value.where == "scheduler"


def test_without_dask_a_scheduler_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(InputError, match="dask is not installed") as e:
        make_executor("tcp://127.0.0.1:8786")
    assert "fulcrum[dask]" in (e.value.hint or "")


def test_default_executor_names():
    assert isinstance(make_executor(None), InProcess) and isinstance(make_executor("inprocess"), InProcess)
    assert make_executor("processes:3").workers == 3


def test_cli_scheduler_same_file_on_every_executor(five_files, cli):
    distributed = pytest.importorskip("distributed")
    d, m, c = five_files
    base = ["mcda", "smaa", m, "--criteria", c, "--samples", 5000, "--seed", 2, "--chunk-size", 1200]
    r = cli(*base, "--scheduler", "inprocess", "--out", d / "a.csv")
    assert r.returncode == 0, r.stderr
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cl:
        r = cli(*base, "--scheduler", cl.scheduler_address, "--out", d / "b.csv")
    assert r.returncode == 0, r.stderr
    assert (d / "a.csv").read_bytes() == (d / "b.csv").read_bytes()
    # one chunk: the plain command's file
    r = cli("mcda", "smaa", m, "--criteria", c, "--samples", 1000, "--seed", 2, "--out", d / "p.csv")
    r2 = cli("mcda", "smaa", m, "--criteria", c, "--samples", 1000, "--seed", 2, "--scheduler", "inprocess",
             "--out", d / "q.csv")  # fmt: skip
    assert r.returncode == r2.returncode == 0
    assert (d / "p.csv").read_bytes() == (d / "q.csv").read_bytes()


@pytest.mark.parametrize(
    ("extra", "where"),
    [
        (["--scheduler", "tcp://127.0.0.1:9"], "scheduler"),
        (["--scheduler", "nowhere"], "scheduler"),
        (["--chunk-size", "100"], "--chunk-size"),
        (["--scheduler", "inprocess", "--chunk-size", "0"], "chunk_size"),
    ],
)
def test_cli_bad_scheduler_options_exit_2_with_one_line(five_files, cli, monkeypatch, extra, where):
    monkeypatch.setattr("mcda.executor.CONNECT_TIMEOUT_S", 1.0)
    d, m, c = five_files
    r = cli("mcda", "smaa", m, "--criteria", c, "--samples", 100, *extra, "--out", d / "x.csv")
    assert r.returncode == 2
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and where in lines[0], r.stderr
    assert not (d / "x.csv").exists()


def test_local_worker_processes_run_their_kernels_on_one_thread(monkeypatch):
    """Processes x threads never exceeds the cores: each local worker runs SMAA's slices on one thread."""
    import os

    import mcda.robustness_smaa as rs

    monkeypatch.delenv("FULCRUM_THREADS", raising=False)
    assert LocalProcesses(workers=2).map(os.getenv, ["FULCRUM_THREADS", "FULCRUM_THREADS"]) == ["1", "1"]
    assert "FULCRUM_THREADS" not in os.environ  # this process keeps its own setting
    monkeypatch.setenv("FULCRUM_THREADS", "1")
    assert rs.threads() == 1 and rs._pool() is None
    monkeypatch.setenv("FULCRUM_THREADS", "3")
    assert rs.threads() == 3
