"""`python -m mcda smaa`: output format, seeding, spread semantics, and exit codes."""

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from tests.support import ROOT


@pytest.fixture
def files(tmp_path):
    m = tmp_path / "m.csv"
    m.write_text("id,price,quality,speed\nA,10,5,3\nB,20,9,4\nC,15,7,9\nD,12,4,2\n")
    c = tmp_path / "c.csv"
    c.write_text("criterion,direction,weight\nprice,cost,1\nquality,benefit,2\nspeed,benefit,1\n")
    return tmp_path, m, c


def test_writes_rank_acceptability_rows_summing_to_one(files, cli):
    d, m, c = files
    out = d / "acc.csv"
    r = cli("mcda", "smaa", m, "--criteria", c, "--samples", 2000, "--seed", 3, "--out", out)
    assert r.returncode == 0, r.stderr
    df = pd.read_csv(out)
    assert list(df.columns) == ["alternative", "rank_1", "rank_2", "rank_3", "rank_4"]
    assert list(df["alternative"]) == ["A", "B", "C", "D"]
    np.testing.assert_allclose(df.iloc[:, 1:].sum(axis=1), 1.0, atol=1e-9)
    # same seed -> same file; other seed -> different numbers
    out2, out3 = d / "acc2.csv", d / "acc3.csv"
    cli("mcda", "smaa", m, "--criteria", c, "--samples", 2000, "--seed", 3, "--out", out2)
    cli("mcda", "smaa", m, "--criteria", c, "--samples", 2000, "--seed", 4, "--out", out3)
    assert out.read_text() == out2.read_text() and out.read_text() != out3.read_text()


def test_zero_spread_puts_all_mass_on_the_rank_command_result(files, cli):
    d, m, c = files
    for extra in ([], ["--method", "wsm"], ["--normalization", "minmax"]):
        r = cli("mcda", "smaa", m, "--criteria", c, "--spread", 0, "--samples", 50, "--out", d / "a.csv", *extra)
        assert r.returncode == 0, r.stderr
        rk = cli("mcda", "rank", m, "--criteria", c, "--out", d / "r.csv", *extra)
        assert rk.returncode == 0, rk.stderr
        acc = pd.read_csv(d / "a.csv").set_index("alternative")
        ranks = pd.read_csv(d / "r.csv").set_index("alternative")["rank"]
        for a, r_ in ranks.items():
            assert acc.loc[a, f"rank_{r_}"] == 1.0


def test_uniform_ignores_the_weights_and_spread_uses_them(files, cli):
    d, m, c = files
    c2 = d / "c2.csv"
    c2.write_text("criterion,direction,weight\nprice,cost,5\nquality,benefit,1\nspeed,benefit,1\n")
    cli("mcda", "smaa", m, "--criteria", c, "--out", d / "u1.csv", "--samples", 500)
    cli("mcda", "smaa", m, "--criteria", c2, "--out", d / "u2.csv", "--samples", 500)
    assert (d / "u1.csv").read_text() == (d / "u2.csv").read_text()
    cli("mcda", "smaa", m, "--criteria", c, "--out", d / "s1.csv", "--samples", 500, "--spread", 30)
    cli("mcda", "smaa", m, "--criteria", c2, "--out", d / "s2.csv", "--samples", 500, "--spread", 30)
    assert (d / "s1.csv").read_text() != (d / "s2.csv").read_text()


def test_help_says_the_weights_are_ignored_without_spread(cli):
    r = cli("mcda", "smaa", "--help")
    assert r.returncode == 0
    text = " ".join(r.stdout.split())
    assert "CRITERIA weights are IGNORED" in text or "the weights in CRITERIA are IGNORED" in text
    assert "--spread" in text and "uniform on the simplex" in text


@pytest.mark.parametrize(
    "args,needle",
    [
        (["--spread", "-5"], "spread"),
        (["--spread", "120"], "spread"),
        (["--samples", "0"], "samples"),
        (
            ["--method", "vikor", "--normalization", "vector"],
            "does not take",
        ),  # (was --method ahp: batched now, issue 9)
        (["--method", "nosuch"], "unknown method"),
        (["--normalization", "sum"], "normalisation"),
    ],
)
def test_bad_input_exits_2_with_one_line(files, args, needle, cli):
    d, m, c = files
    r = cli("mcda", "smaa", m, "--criteria", c, "--out", d / "x.csv", *args)
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and needle in r.stderr


def test_bad_files_exit_2(files, cli):
    d, m, c = files
    r = cli("mcda", "smaa", d / "missing.csv", "--criteria", c, "--out", d / "x.csv")
    assert r.returncode == 2 and "missing.csv" in r.stderr and "Traceback" not in r.stderr
    bad = d / "bad.csv"
    bad.write_text("id,price,quality,speed\nA,10,x,3\nB,20,9,4\n")
    r = cli("mcda", "smaa", bad, "--criteria", c, "--out", d / "x.csv")
    assert r.returncode == 2 and "row A" in r.stderr and "quality" in r.stderr
    r = cli("mcda", "smaa", m, "--criteria", c, "--out", d / "x.csv", "--samples", "lots")
    assert r.returncode == 2  # argparse usage error


def test_help_does_not_import_heavy_libraries():
    r = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "mcda", "smaa", "--help"], cwd=ROOT, capture_output=True, text=True
    )
    assert r.returncode == 0
    names = [line.rsplit("|", 1)[-1].strip() for line in r.stderr.splitlines() if "|" in line]
    for heavy in ("pymcdm", "pulp", "scipy.stats", "streamlit"):
        assert heavy not in names
