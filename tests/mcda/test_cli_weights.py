"""`fulcrum weights` / `python -m mcda weights`: objective criterion weights from the command line.

Entropy: the fighter-aircraft decision matrix of Hwang & Yoon (1981), Multiple Attribute Decision
Making, Springer LNEMS 186 (4 aircraft x 6 attributes; qualitative ratings on the interval scale
low = 3, average = 5, high = 7, very high = 9), weighted by their entropy method
(p_ij = x_ij / sum_i x_ij, E_j = -sum_i p_ij ln p_ij / ln m, w_j = (1 - E_j) / sum_k (1 - E_k)).
The expected weights are computed below in plain Python from that formula, independently of the
library; the book's own four-decimal hand values could not be checked against the book here, so
they are not used.

CRITIC (Diakoulaki, Mavrotas & Papayannakis 1995, Computers & OR 22(7):763-770,
C_j = sigma_j * sum_k (1 - r_jk) on min-max normalised columns): a three-criterion benefit-only
case computed by hand below (independent of the cost-criterion fix made elsewhere).
"""

from __future__ import annotations

import io
import math

import pandas as pd
import pytest

from fulcrum.cli import ALL_COMMANDS, MCDA_COMMANDS, build_parser
from tests.support.cli import run_cli

AIRCRAFT = """aircraft,speed,range,payload,cost,reliability,maneuverability
A1,2.0,1500,20000,5.5,5,9
A2,2.5,2700,18000,6.5,3,5
A3,1.8,2000,21000,4.5,7,7
A4,2.2,1800,20000,5.0,5,5
"""
AIRCRAFT_CRITERIA = """criterion,direction
speed,benefit
range,benefit
payload,benefit
cost,cost
reliability,benefit
maneuverability,benefit
"""


def _entropy_by_hand(csv_text: str) -> dict[str, float]:
    """Hwang & Yoon's entropy weights in plain Python (lists and math.log, no numpy, no library code)."""
    rows = [line.split(",") for line in csv_text.strip().splitlines()]
    names, data = rows[0][1:], [[float(v) for v in r[1:]] for r in rows[1:]]
    m = len(data)
    div = []
    for j in range(len(names)):
        col = [r[j] for r in data]
        total = math.fsum(col)
        e = -math.fsum((x / total) * math.log(x / total) for x in col) / math.log(m)
        div.append(1.0 - e)
    return {n: d / math.fsum(div) for n, d in zip(names, div, strict=False)}


#: entropy weights of the fighter-aircraft example, by the formula (see the module docstring)
HWANG_YOON_ENTROPY = _entropy_by_hand(AIRCRAFT)


def weights_cli(tmp_path, matrix: str, criteria: str, method: str, module: str = "mcda", *extra: str):
    m, c = tmp_path / "m.csv", tmp_path / "c.csv"
    m.write_text(matrix)
    c.write_text(criteria)
    r = run_cli(module, "weights", m, "--criteria", c, "--method", method, *extra)
    return r.returncode, r.stdout, r.stderr


@pytest.mark.parametrize("module", ["mcda", "fulcrum"])
def test_entropy_weights_of_hwang_and_yoon_aircraft_example(tmp_path, module):
    code, out, err = weights_cli(tmp_path, AIRCRAFT, AIRCRAFT_CRITERIA, "entropy", module)
    assert code == 0, err
    w = pd.read_csv(io.StringIO(out))
    assert list(w.columns) == ["criterion", "weight"]
    assert list(w["criterion"]) == list(HWANG_YOON_ENTROPY)
    for c, expected in HWANG_YOON_ENTROPY.items():
        assert w.set_index("criterion").at[c, "weight"] == pytest.approx(expected, rel=1e-9), c
    assert w["weight"].sum() == pytest.approx(1.0, abs=1e-12)


def test_critic_weights_benefit_only_hand_computed(tmp_path):
    # min-max normalised columns: c1 = (0, .5, 1), c2 = (1, .5, 0), c3 = (0, 1, 0)
    # sigma1 = sigma2 = s, sigma3 = s * sqrt(4/3) (any ddof: it cancels); r12 = -1, r13 = r23 = 0
    # C1 = C2 = s * (0 + 2 + 1) = 3s; C3 = s * sqrt(4/3) * (1 + 1 + 0) = 2.3094s
    matrix = "id,c1,c2,c3\nA,10,200,3\nB,15,150,7\nC,20,100,3\n"
    crit = "criterion,direction,weight\nc1,benefit,\nc2,benefit,\nc3,benefit,\n"  # weights blank: ignored
    code, out, err = weights_cli(tmp_path, matrix, crit, "critic")
    assert code == 0, err
    w = pd.read_csv(io.StringIO(out)).set_index("criterion")["weight"]
    c3 = 2 * math.sqrt(4 / 3)
    total = 3 + 3 + c3
    assert w.to_dict() == pytest.approx({"c1": 3 / total, "c2": 3 / total, "c3": c3 / total}, abs=1e-12)


def test_equal_weights_to_an_out_file_ignore_the_criteria_weights(tmp_path):
    out = tmp_path / "w.csv"
    code, _, err = weights_cli(
        tmp_path,
        "id,range,cost\nA,1,2\nB,3,4\n",
        "criterion,direction,weight\nrange,benefit,9\ncost,cost,1\n",
        "equal",
        "mcda",
        "--out",
        str(out),
    )
    assert code == 0, err
    assert out.read_text() == "criterion,weight\nrange,0.5\ncost,0.5\n"


@pytest.mark.parametrize("method,needle", [("magic", "invalid choice"), ("entropy", "criterion 'nope'")])
def test_bad_method_or_criterion_is_exit_2_with_one_line(tmp_path, method, needle):
    code, _, err = weights_cli(tmp_path, AIRCRAFT, "criterion,direction\nnope,benefit\n", method)
    assert code == 2 and needle in err
    assert len(err.strip().splitlines()) == 1, err  # a usage error too: one line


def test_weights_is_registered_after_the_historical_commands():
    assert MCDA_COMMANDS[:5] == ("rank", "ahp", "run", "smaa", "weights")  # then sweep (issue 12)
    assert ALL_COMMANDS.index("weights") < ALL_COMMANDS.index("solve")
    text = build_parser("python -m mcda", MCDA_COMMANDS).format_help()
    assert "weights" in text
