"""``rank --method electre3 --thresholds FILE`` (issue 10, gap 4b): the CSV criterion,q,p,v gives the same
scores as the library with those thresholds (the Pereira 2017 example); bad files exit 2 naming file and line."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from tests.mcda.test_methods_published import E3_W, E3_X, _electre3_by_hand

IDS = [f"A{i}" for i in range(1, 7)]


@pytest.fixture
def files(tmp_path):
    m = pd.DataFrame(E3_X, index=pd.Index(IDS, name="id"), columns=["C1", "C2", "C3", "C4"])
    m.to_csv(tmp_path / "m.csv")
    pd.DataFrame({"criterion": m.columns, "direction": "benefit", "weight": E3_W}).to_csv(
        tmp_path / "c.csv", index=False
    )
    return tmp_path


def _rank(cli, d, body: str, method: str = "electre3"):
    (d / "t.csv").write_text(body, encoding="utf-8")
    m, c, t = (str(d / f) for f in ("m.csv", "c.csv", "t.csv"))
    return cli("mcda", "rank", m, "--criteria", c, "--method", method, "--thresholds", t)


def test_thresholds_file_gives_the_published_example(cli, files):
    r = _rank(cli, files, "criterion,q,p,v\n*,0.3,0.5,0.7\n")
    assert r.returncode == 0, r.stderr
    out = pd.read_csv(io.StringIO(r.stdout))
    _, S = _electre3_by_hand(E3_X, E3_W, 0.3, 0.5, 0.7)
    phi = (S.sum(axis=1) - S.sum(axis=0)) / 5  # net credibility flow from the hand-derived matrix
    np.testing.assert_allclose(out["score"].to_numpy(), phi, atol=1e-9)
    # per criterion, blank = default: C4 without a veto (blank v) changes the credibilities and the scores
    r2 = _rank(cli, files, "criterion,q,p,v\nC1,0.3,0.5,0.7\nC2,0.3,0.5,0.7\nC3,0.3,0.5,0.7\nC4,0.3,0.5,\n")
    assert r2.returncode == 0, r2.stderr
    assert not np.allclose(pd.read_csv(io.StringIO(r2.stdout))["score"], phi)


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ("criterion,q,p,v\n*,0.6,0.5,0.7\n", "line 2"),
        ("criterion,q,p,v\n*,0.3,x,0.7\n", "line 2, column p"),
        ("criterion,q,p,v\nC1,0.3,0.5,0.7\nC1,0.3,0.5,0.7\n", "line 3"),
        ("crit,q,p,v\n*,0.3,0.5,0.7\n", "columns must be criterion,q,p,v"),
        ("criterion,q,p,v\nnope,0.3,0.5,0.7\n", "unknown criterion nope"),
    ],
)
def test_bad_thresholds_files_exit_2_naming_the_place(cli, files, body, where):
    r = _rank(cli, files, body)
    assert r.returncode == 2 and where in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr


def test_thresholds_need_electre3(cli, files):
    r = _rank(cli, files, "criterion,q,p,v\n*,0.3,0.5,0.7\n", method="topsis")
    assert r.returncode == 2 and "--thresholds" in r.stderr
