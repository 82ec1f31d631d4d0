"""Weight sweeps on the one executor (mcda.executor): criteria in chunks give the plain sweep's table byte for
byte, in this process, in local processes and on a Dask cluster (LocalCluster); `mcda sweep` writes the
same file whatever runs it, and refuses bad --scheduler / --chunk-size values with one line (exit 2)."""

from __future__ import annotations

import numpy as np
import pytest

from mcda.errors import InputError
from mcda.executor import InProcess, LocalProcesses, make_executor
from mcda.problem import DecisionProblem
from mcda.robustness_sweep import weight_sweep


@pytest.fixture(scope="module")
def problem():
    X = np.random.default_rng(4).uniform(1, 10, (9, 5))
    return DecisionProblem.from_arrays(X, [1, -1, 1, 1, -1], alternatives=[f"a{i}" for i in range(9)])


W = np.array([0.3, 0.1, 0.25, 0.15, 0.2])


def table_bytes(df) -> bytes:
    return df.to_csv(index=False).encode() + b"".join(df[c].to_numpy().tobytes() for c in ("weight", "score", "rank"))


def test_chunks_in_process_and_in_local_processes_give_the_plain_table(problem):
    plain = weight_sweep(problem, W, points=21, method="vikor")
    seen = []
    chunked = weight_sweep(
        problem, W, points=21, method="vikor", executor=InProcess(), chunk_size=2, progress=lambda f, m: seen.append(f)
    )
    assert table_bytes(chunked) == table_bytes(plain)
    assert seen == [1 / 3, 2 / 3, 1.0]  # one report per chunk as it finishes (5 criteria in chunks of 2)
    there = weight_sweep(problem, W, points=21, method="vikor", executor=LocalProcesses(2))
    assert table_bytes(there) == table_bytes(plain)


def test_dask_local_cluster_gives_the_plain_table(problem):
    distributed = pytest.importorskip("distributed")
    plain = weight_sweep(problem, W, points=15, criteria=["C1", "C3"])
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cl:
        ex = make_executor(cl.scheduler_address)
        try:
            res = weight_sweep(problem, W, points=15, criteria=["C1", "C3"], executor=ex)
        finally:
            ex.close()
    assert table_bytes(res) == table_bytes(plain)


def test_bad_chunk_size_is_bad_input(problem):
    with pytest.raises(InputError) as e:
        weight_sweep(problem, W, executor=InProcess(), chunk_size=0)
    assert e.value.where == "chunk_size"


def test_cli_sweep_same_file_on_every_executor(five_files, cli):
    d, m, c = five_files
    base = ["mcda", "sweep", m, "--criteria", c, "--points", 11]
    r = cli(*base, "--out", d / "plain.csv")
    assert r.returncode == 0, r.stderr
    text = (d / "plain.csv").read_text()
    assert text.startswith("criterion,weight,base_weight,is_base,alternative,score,rank\n")
    # 11 points per criterion plus the planner's weight where it is not one of them (quality: 0.5 is): 35 x 5 rows
    assert len(text.splitlines()) == 1 + (12 + 11 + 12) * 5
    for i, where in enumerate(["inprocess", "processes:2"]):
        r = cli(*base, "--scheduler", where, "--chunk-size", 2, "--out", d / f"{i}.csv")
        assert r.returncode == 0, r.stderr
        assert (d / f"{i}.csv").read_bytes() == (d / "plain.csv").read_bytes()
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cl:
        r = cli(*base, "--scheduler", cl.scheduler_address, "--out", d / "dask.csv")
    assert r.returncode == 0, r.stderr
    assert (d / "dask.csv").read_bytes() == (d / "plain.csv").read_bytes()


@pytest.mark.parametrize(
    ("extra", "where"),
    [
        (["--scheduler", "tcp://127.0.0.1:9"], "scheduler"),
        (["--scheduler", "nowhere"], "scheduler"),
        (["--chunk-size", "2"], "--chunk-size"),
        (["--scheduler", "inprocess", "--chunk-size", "0"], "chunk_size"),
        (["--points", "1"], "points"),
        (["--only", "nope"], "criteria"),
    ],
)
def test_cli_sweep_bad_options_exit_2_with_one_line(five_files, cli, monkeypatch, extra, where):
    monkeypatch.setattr("mcda.executor.CONNECT_TIMEOUT_S", 1.0)
    d, m, c = five_files
    r = cli("mcda", "sweep", m, "--criteria", c, *extra, "--out", d / "x.csv")
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and where in lines[0], r.stderr
    assert not (d / "x.csv").exists()
