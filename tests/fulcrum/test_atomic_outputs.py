"""Outputs are replaced as a whole (issue 8, item 7): after a kill, a full disk or a concurrent run,
``--out DIR`` holds the complete previous set of files or the complete new set — never a mix, never a
truncated file — and a second run into a folder being written stops with exit 2 and one line.

The kill and full-disk sweeps interrupt a real ``python -m mcda run`` process before each of its
file-system steps in turn (tests/fulcrum/kill_support.py: an audit hook counts the steps; SIGKILL, or
ENOSPC, at step N). "Previous set" is a complete run of scenarios/default.json, "new set" a complete
run of scenarios/paper_2022_single_track.json (same file names, different contents); files are compared byte for
byte (results.xlsx by its members, without the timestamp part). No assertion depends on time:
timeouts are hang guards only.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.fulcrum.kill_support import snapshot
from tests.support import ROOT
from tests.support.cli import run_cli

PAPER = ROOT / "scenarios" / "paper_2022_single_track.json"
DEFAULT = ROOT / "scenarios" / "default.json"
LEFTOVER = re.compile(r"^\.out\.fulcrum-(lock|tmp-\d+-[0-9a-f]{8}|old-\d+-[0-9a-f]{8})$")
HANG_GUARD = 600  # seconds; a hang guard, never an assertion about speed


def _env(**extra: str) -> dict:
    return dict(os.environ, PYTHONDONTWRITEBYTECODE="1", PYTHONPATH=str(ROOT), **extra)


def _cli(*args):
    """A command run in this process (tests/support/cli.py): what it writes is what a process writes, as
    the sweeps check (their final run, in a process of its own, must equal the reference set made here);
    a real process is started where being one is the point (a kill, a pause, two runs at once)."""
    return run_cli(*args)


@pytest.fixture(scope="module")
def refs(tmp_path_factory):
    """(previous set folder, its files, new set folder, its files): complete runs of two scenarios."""
    d = tmp_path_factory.mktemp("refs")
    for sc, name in ((DEFAULT, "prev"), (PAPER, "new")):
        r = _cli("mcda", "run", sc, "--out", d / name)
        assert r.returncode == 0, r.stderr
    prev, new = snapshot(d / "prev")["files"], snapshot(d / "new")["files"]
    assert set(prev) == set(new) and all(prev[k] != new[k] for k in prev)  # same names, every file differs
    return d / "prev", prev, d / "new", new


def _sweep(tmp_path: Path, prev_dir: Path, action: str, argv: list, **env: str):
    """Run the helper's sweep into tmp_path/w/out (starting from prev_dir); its records and the final run."""
    watch = tmp_path / "w"
    watch.mkdir()
    shutil.copytree(prev_dir, watch / "out")
    records = tmp_path / "records.jsonl"
    r = subprocess.run(
        [sys.executable, "-m", "tests.fulcrum.kill_support", *map(str, argv)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
        env=_env(
            SWEEP="1",
            ACTION=action,
            WATCH=str(watch),
            OUT=str(watch / "out"),
            PREV=str(prev_dir),
            RECORDS=str(records),
            **env,
        ),
    )
    lines = [json.loads(x) for x in records.read_text(encoding="utf-8").splitlines()]
    return [x for x in lines if "i" in x], {x["injected"]: x["step"] for x in lines if "injected" in x}, r, watch


def test_kill_at_every_step_leaves_the_previous_or_the_new_set(tmp_path, refs):
    prev_dir, prev, _, new = refs
    recs, _, final, watch = _sweep(tmp_path, prev_dir, "kill", ["mcda", "run", PAPER, "--out", tmp_path / "w" / "out"])
    kills = [r for r in recs if r["signal"] == 9]
    assert len(kills) >= 40, f"only {len(kills)} kill points: the sweep did not reach the writes"
    assert recs[-1]["signal"] is None and recs[-1]["exit"] == 0 and len(recs) == len(kills) + 1
    outcome = {"previous": 0, "new": 0}
    for r in kills:
        assert r["exists"], f"kill {r['i']}: the folder is gone"
        assert r["files"] in (prev, new), f"kill {r['i']}: a mix of old and new files: {r['files']}"
        outcome["previous" if r["files"] == prev else "new"] += 1
        bad = [n for n in r["beside"] if not LEFTOVER.match(n)]
        assert not bad, f"kill {r['i']}: unexpected files beside the folder: {bad}"
    assert outcome["previous"] > 0 and outcome["new"] > 0, outcome
    print(f"\n{len(kills)} kill points: {outcome}")
    # the run after all those kills cleans every leftover and writes the complete new set
    assert final.returncode == 0, final.stderr
    assert snapshot(watch / "out") == {"exists": True, "files": new, "beside": []}


def test_kill_at_every_step_of_the_two_rename_fallback(tmp_path, refs):
    """Without renameat2(RENAME_EXCHANGE) the folder is briefly absent between two renames; a kill there
    leaves the previous set under a hidden name that the next run puts back (see the next test)."""
    prev_dir, prev, _, new = refs
    recs, _, final, watch = _sweep(
        tmp_path, prev_dir, "kill", ["mcda", "run", PAPER, "--out", tmp_path / "w" / "out"], FORCE_FALLBACK="1"
    )
    kills = [r for r in recs if r["signal"] == 9]
    assert len(kills) >= 40
    absent = 0
    for r in kills:
        assert all(LEFTOVER.match(n) for n in r["beside"]), r["beside"]
        if r["exists"]:
            assert r["files"] in (prev, new), f"kill {r['i']}: a mix: {r['files']}"
        else:
            absent += 1
            assert sum(".fulcrum-old-" in n for n in r["beside"]) == 1, r["beside"]
    assert absent == 1  # exactly one step: between the two renames
    print(
        f"\n{len(kills)} kill points (fallback): previous {sum(r['files'] == prev for r in kills)}, "
        f"new {sum(r['files'] == new for r in kills)}, folder absent (repaired by the next run) {absent}"
    )
    assert final.returncode == 0, final.stderr
    assert snapshot(watch / "out") == {"exists": True, "files": new, "beside": []}


def test_the_next_run_puts_back_a_folder_a_kill_left_under_its_hidden_name(tmp_path, refs):
    from fulcrum.atomic import atomic_output_dir
    from mcda.errors import InputError

    prev_dir, prev, _, _ = refs
    shutil.copytree(prev_dir, tmp_path / ".out.fulcrum-old-123-0badcafe")  # killed between the renames:
    (tmp_path / ".out.fulcrum-tmp-123-deadbeef").mkdir()  # DIR absent, both halves beside
    (tmp_path / ".out.fulcrum-tmp-123-deadbeef" / "ranking.csv").write_text("half")
    # even a run that then fails on its own input repairs DIR first
    with pytest.raises(InputError, match="boom"), atomic_output_dir(tmp_path / "out"):
        raise InputError("boom")
    assert snapshot(tmp_path / "out") == {"exists": True, "files": prev, "beside": []}


def test_full_disk_at_every_step_keeps_the_previous_set(tmp_path, refs):
    prev_dir, prev, _, new = refs
    recs, steps, final, watch = _sweep(
        tmp_path, prev_dir, "enospc", ["mcda", "run", PAPER, "--out", tmp_path / "w" / "out"]
    )
    refused = 0
    for r in recs[:-1]:
        step = steps[r["i"]]
        if r["exit"] == 0:  # ENOSPC from mkdir(exist_ok=True) of a folder that exists is ignored by pathlib
            assert step.startswith("os.mkdir") and r["files"] == new, (step, r)
            continue
        refused += 1
        assert r["exit"] == 2, (step, r)
        lines = r["stderr"].strip().splitlines()
        assert len(lines) == 1 and "No space left on device" in lines[0] and "Traceback" not in r["stderr"], (
            step,
            lines,
        )
        assert r["files"] == prev, f"full disk at {step}: the previous outputs changed"
        assert r["beside"] == [], f"full disk at {step}: left {r['beside']}"
    assert refused >= 30, refused
    print(f"\n{len(recs) - 1} full-disk points, {refused} refused with exit 2")
    assert final.returncode == 0 and snapshot(watch / "out")["files"] == new


def _mount_tmpfs(path: Path, size_kb: int) -> bool:
    path.mkdir()
    try:
        r = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(path)], capture_output=True, timeout=60
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return r.returncode == 0


@pytest.mark.parametrize("free_share", [0.0, 0.9])
def test_a_real_full_disk_keeps_the_previous_set(tmp_path, refs, free_share):
    """A small tmpfs (when this machine lets the tests mount one, e.g. as root) holding the paper scenario's
    set; a run of the default scenario (whose report.html is larger) with no free space at all, and with
    90% of what its files need. Writing in place would leave a truncated report.html beside new CSVs."""
    _, _, held_dir, held = refs
    need = sum(p.stat().st_size for p in held_dir.iterdir()) * 11 // 10
    disk = tmp_path / "disk"
    if not _mount_tmpfs(disk, (2 * need) // 1024 + 256):
        pytest.skip("cannot mount a tmpfs here (needs root); the ENOSPC sweep above covers every step")
    try:
        shutil.copytree(held_dir, disk / "out")
        free = shutil.disk_usage(disk).free
        (disk / "ballast").write_bytes(b"\0" * max(0, free - int(need * free_share)))
        r = _cli("mcda", "run", DEFAULT, "--out", disk / "out")
        assert r.returncode == 2, (r.returncode, r.stderr)
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and "No space left on device" in lines[0], lines
        assert snapshot(disk / "out") == {"exists": True, "files": held, "beside": ["ballast"]}
    finally:
        subprocess.run(["umount", str(disk)], capture_output=True, timeout=60)


def test_a_fresh_process_killed_after_the_swap(tmp_path, refs):
    """The same in a process of its own (no fork, so no doubt about the sweep's method): killed just after the
    exchange, the folder is the new set and the previous one lies under a hidden name until the next run."""
    prev_dir, prev, _, new = refs
    watch = tmp_path / "w"
    watch.mkdir()
    shutil.copytree(prev_dir, watch / "out")
    r = subprocess.run(
        [sys.executable, "-m", "tests.fulcrum.kill_support", "mcda", "run", str(PAPER), "--out", str(watch / "out")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
        env=_env(ACTION="kill", AT="cleanup", WATCH=str(watch)),
    )
    assert r.returncode == -9, (r.returncode, r.stderr)
    s = snapshot(watch / "out")
    assert s["files"] == new
    assert s["beside"] and all(LEFTOVER.match(n) for n in s["beside"])  # the lock and a hidden folder
    r = _cli("mcda", "run", DEFAULT, "--out", watch / "out")  # the next run cleans them up
    assert r.returncode == 0, r.stderr
    assert snapshot(watch / "out") == {"exists": True, "files": prev, "beside": []}


def test_a_second_run_into_a_folder_being_written_stops_with_one_line(tmp_path, refs):
    prev_dir, prev, _, new = refs
    watch = tmp_path / "w"
    watch.mkdir()
    shutil.copytree(prev_dir, watch / "out")
    paused, resume = tmp_path / "paused", tmp_path / "resume"
    first = subprocess.Popen(
        [sys.executable, "-m", "tests.fulcrum.kill_support", "mcda", "run", str(PAPER), "--out", str(watch / "out")],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(ACTION="pause", AT="tmp", WATCH=str(watch), PAUSED=str(paused), RESUME=str(resume)),
    )
    try:
        # wait until the first run is half-way through writing (lock held, temporary folder made)
        deadline = time.monotonic() + HANG_GUARD
        while not paused.exists():
            assert first.poll() is None, first.communicate()
            assert time.monotonic() < deadline, "the first run never reached its pause"
            time.sleep(0.02)
        for module, args in (("mcda", ["run", DEFAULT]), ("optimisation", ["solve", DEFAULT])):
            second = _cli(module, *args, "--out", watch / "out")
            assert second.returncode == 2, (second.returncode, second.stderr)
            lines = second.stderr.strip().splitlines()
            assert len(lines) == 1 and "another Fulcrum run is writing this folder" in lines[0], lines
            assert snapshot(watch / "out")["files"] == prev
    finally:
        resume.touch()
        _, err = first.communicate(timeout=HANG_GUARD)
    assert first.returncode == 0, err
    assert snapshot(watch / "out") == {"exists": True, "files": new, "beside": []}


def test_a_lock_held_by_someone_else_refuses_the_run(tmp_path, refs):
    """The lock is an flock on a file beside the folder: whoever holds it, the run refuses and changes nothing."""
    prev_dir, prev, _, _ = refs
    shutil.copytree(prev_dir, tmp_path / "out")
    with open(tmp_path / ".out.fulcrum-lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        r = _cli("mcda", "run", PAPER, "--out", tmp_path / "out")
    assert r.returncode == 2 and "another Fulcrum run" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert snapshot(tmp_path / "out")["files"] == prev


def test_two_runs_started_together_leave_one_complete_set(tmp_path, refs):
    _, prev, _, new = refs
    out = tmp_path / "out"
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "mcda", "run", str(sc), "--out", str(out)],
            cwd=ROOT,
            env=_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for sc in (DEFAULT, PAPER)
    ]
    results = [(p.communicate(timeout=HANG_GUARD)[1], p.returncode) for p in procs]
    for err, code in results:
        assert code == 0 or (code == 2 and "another Fulcrum run" in err and len(err.strip().splitlines()) == 1), (
            code,
            err,
        )
    assert any(code == 0 for _, code in results)
    s = snapshot(out)
    assert s["files"] in (prev, new) and s["beside"] == []


def test_a_folder_with_files_fulcrum_did_not_write_is_not_replaced(tmp_path, refs):
    prev_dir, prev, _, _ = refs
    out = tmp_path / "out"
    shutil.copytree(prev_dir, out)
    (out / "my notes.txt").write_text("keep me")
    r = _cli("mcda", "run", PAPER, "--out", out)
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1
    assert "did not write (my notes.txt)" in r.stderr
    assert (out / "my notes.txt").read_text() == "keep me"
    assert {k: v for k, v in snapshot(out)["files"].items() if k != "my notes.txt"} == prev


@pytest.mark.parametrize("out", [".", ".."])
def test_the_current_folder_is_never_replaced(tmp_path, out):
    (tmp_path / "work").mkdir()
    r = run_cli("mcda", "run", PAPER, "--out", out, cwd=tmp_path / "work")
    assert r.returncode == 2 and "current folder" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert os.listdir(tmp_path / "work") == []


def test_solve_replaces_its_folder_as_a_whole(tmp_path, refs):
    """`optimisation solve` (with --frontier and --mps inside DIR) writes its own complete set; a full disk
    at the swap leaves the previous set and exits 2."""
    prev_dir, prev, _, _ = refs
    out = tmp_path / "out"
    shutil.copytree(prev_dir, out)
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.fulcrum.kill_support",
            "optimisation",
            "solve",
            str(PAPER),
            "--out",
            str(out),
            "--frontier",
            "--mps",
            str(out / "model.mps"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
        env=_env(ACTION="enospc", AT="exchange", WATCH=str(tmp_path)),
    )
    assert r.returncode == 2 and "No space left on device" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert snapshot(out) == {"exists": True, "files": prev, "beside": []}
    r = _cli("optimisation", "solve", PAPER, "--out", out, "--frontier", "--mps", out / "model.mps")
    assert r.returncode == 0, r.stderr
    assert sorted(os.listdir(out)) == ["allocation.csv", "frontier.csv", "model.mps", "summary.json"]
    assert f"wrote {out}/allocation.csv" in r.stdout  # the final paths, not the temporary folder's


def test_kill_at_every_step_of_rank_out_file(tmp_path):
    """`rank --out FILE` alone: a temporary file beside it, then os.replace — old bytes or new bytes."""
    m, c = ROOT / "tests/golden/inputs/matrix.csv", ROOT / "tests/golden/inputs/criteria.csv"
    prev_dir, new_dir = tmp_path / "prev", tmp_path / "new"
    prev_dir.mkdir()
    new_dir.mkdir()
    assert _cli("mcda", "rank", m, "--criteria", c, "--method", "vikor", "--out", prev_dir / "r.csv").returncode == 0
    assert _cli("mcda", "rank", m, "--criteria", c, "--out", new_dir / "r.csv").returncode == 0
    prev, new = snapshot(prev_dir)["files"], snapshot(new_dir)["files"]
    assert prev != new
    recs, _, final, watch = _sweep(
        tmp_path, prev_dir, "kill", ["mcda", "rank", m, "--criteria", c, "--out", tmp_path / "w" / "out" / "r.csv"]
    )
    kills = [r for r in recs if r["signal"] == 9]
    assert len(kills) >= 4
    tmp_name = re.compile(r"^\.r\.csv\.\d+-[0-9a-f]{8}\.fulcrum-tmp\.csv$")
    for r in kills:
        shown = {k: v for k, v in r["files"].items() if not k.startswith(".")}
        assert shown in (prev, new), f"kill {r['i']}: {shown}"
        assert all(tmp_name.match(k) for k in r["files"] if k.startswith(".")), r["files"]
    assert final.returncode == 0
    assert snapshot(watch / "out")["files"] == new  # and the next write removed the killed runs' temp files
