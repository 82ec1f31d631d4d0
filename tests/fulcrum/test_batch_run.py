"""A batch of scenarios (``fulcrum run A.json B.json --out DIR``) through the one executor (mcda.executor):
every scenario's folder holds the bytes ``fulcrum run A.json --out DIR/A`` writes, whether the batch ran in
this process, in local processes or on a Dask cluster (dask.distributed.LocalCluster)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fulcrum.batch import out_names, run_batch
from mcda.errors import InputError
from mcda.executor import InProcess, LocalProcesses, make_executor
from tests.golden.golden import canonicalize

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = [str(ROOT / "scenarios" / "default.json"), str(ROOT / "scenarios" / "paper_2022.json")]


def folder_bytes(d: Path, tmp: Path) -> dict[str, bytes]:
    """Every file of an output folder; results.xlsx by its cells (the zip's timestamps differ run to run)."""
    c = tmp / f"canon-{len(list(tmp.iterdir()))}"
    shutil.copytree(d, c)
    canonicalize(c)
    return {p.name: p.read_bytes() for p in sorted(c.iterdir())}


@pytest.fixture(scope="module")
def single(tmp_path_factory):
    """Each scenario run alone, as `fulcrum run X.json --out DIR/X` writes it."""
    from tests.support.cli import run_cli

    d = tmp_path_factory.mktemp("single")
    for s in SCENARIOS:
        r = run_cli("fulcrum", "run", s, "--out", d / Path(s).stem)
        assert r.returncode == 0, r.stderr
    return d


def check_same(batch_dir: Path, single_dir: Path, tmp: Path) -> None:
    for s in SCENARIOS:
        name = Path(s).stem
        want = folder_bytes(single_dir / name, tmp)
        got = folder_bytes(batch_dir / name, tmp)
        assert list(got) == list(want)
        for f in want:
            assert got[f] == want[f], f"{name}/{f} differs"


def test_batch_cli_in_process_writes_each_single_run(single, tmp_path, cli):
    r = cli("fulcrum", "run", *SCENARIOS, "--out", tmp_path / "out")
    assert r.returncode == 0, r.stderr
    check_same(tmp_path / "out", single, tmp_path)
    assert "progress: 2 of 2 chunks done" in r.stderr
    printed = [ln for ln in r.stdout.splitlines() if ln.endswith("ranking.csv")]
    assert printed == [str(tmp_path / "out" / n / "ranking.csv") for n in ("default", "paper_2022")]


def test_local_processes_and_chunks_give_the_same_files(single, tmp_path):
    ex = LocalProcesses(2)
    seen = []
    runs = run_batch(SCENARIOS, tmp_path / "out", executor=ex, progress=lambda d, t: seen.append((d, t)))
    assert [r.code for _, r in runs] == [0, 0]
    assert seen == [(1, 2), (2, 2)]
    check_same(tmp_path / "out", single, tmp_path)
    run_batch(SCENARIOS, tmp_path / "one", executor=InProcess(), chunk_size=2)  # one chunk of two
    check_same(tmp_path / "one", single, tmp_path)


def test_dask_local_cluster_gives_the_same_files(single, tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cl:
        ex = make_executor(cl.scheduler_address)
        try:
            runs = run_batch(SCENARIOS, tmp_path / "out", executor=ex)
        finally:
            ex.close()
    assert [r.code for _, r in runs] == [0, 0]
    check_same(tmp_path / "out", single, tmp_path)


def test_a_failing_scenario_does_not_stop_the_others(tmp_path, cli):
    bad = tmp_path / "broken.json"
    bad.write_text('{"name": "x", "criteria": []}')
    r = cli("fulcrum", "run", bad, SCENARIOS[0], "--out", tmp_path / "out", "--no-allocation")
    assert r.returncode == 2
    err = [ln for ln in r.stderr.splitlines() if not ln.startswith("progress:")]
    assert len(err) == 1 and err[0].startswith(f"mcda run: {bad}: error: ")
    assert (tmp_path / "out" / "default" / "ranking.csv").exists()
    assert not (tmp_path / "out" / "broken").exists()


def test_two_scenarios_with_one_name_are_refused(tmp_path):
    with pytest.raises(InputError, match="same folder 'default'"):
        out_names([SCENARIOS[0], str(tmp_path / "default.json")])


def test_one_scenario_keeps_the_plain_contract(tmp_path, cli):
    r = cli("fulcrum", "run", SCENARIOS[0], "--out", tmp_path / "o", "--no-allocation", "--scheduler", "inprocess")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "o" / "ranking.csv").exists() and "progress:" not in r.stderr
