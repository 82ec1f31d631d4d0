"""`python -m mcda rank` and `ahp`: outputs, and bad input -> exit 2 with one line naming file/row/column."""

import json

import pandas as pd
import pytest


@pytest.fixture
def files(tmp_path):
    m = tmp_path / "m.csv"
    m.write_text("id,price,quality\nA,10,5\nB,20,9\nC,15,7\n")
    c = tmp_path / "c.csv"
    c.write_text("criterion,direction,weight\nprice,cost,1\nquality,benefit,2\n")
    return tmp_path, m, c


def test_rank_writes_alternative_score_rank(files, cli):
    d, m, c = files
    out = d / "out.csv"
    r = cli("mcda", "rank", m, "--criteria", c, "--out", out)
    assert r.returncode == 0, r.stderr
    df = pd.read_csv(out)
    assert list(df.columns) == ["alternative", "score", "rank"]
    assert sorted(df["rank"]) == [1, 2, 3]
    # B has the best quality by far and weight 2/3 on quality: it must win under TOPSIS.
    assert df.set_index("alternative").loc["B", "rank"] == 1


def test_vikor_rank_one_has_lowest_q(files, cli):
    _d, m, c = files
    r = cli("mcda", "rank", m, "--criteria", c, "--method", "vikor")
    assert r.returncode == 0, r.stderr
    from io import StringIO

    df = pd.read_csv(StringIO(r.stdout))
    assert df.loc[df["rank"] == 1, "score"].iloc[0] == df["score"].min()


def test_help_says_vikor_lower_is_better(cli):
    r = cli("mcda", "rank", "--help")
    assert "LOWER IS BETTER" in r.stdout


BAD_MATRICES = {
    "text": ("id,price,quality\nA,10,5\nB,abc,9\nC,15,7\n", "row B, column price: value 'abc' is not a number"),
    "nan": ("id,price,quality\nA,10,5\nB,,9\nC,15,7\n", "row B, column price: value is missing"),
    "zero": ("id,price,quality\nA,0,5\nB,0,9\nC,0,7\n", "criterion price is zero for every alternative"),
    "constant": ("id,price,quality\nA,4,5\nB,4,9\nC,4,7\n", "criterion price has the same value (4)"),
    "dup": ("id,price,quality\nA,1,5\nA,4,9\nC,3,7\n", "duplicate alternative id(s): A"),
    "extra": ("id,price,quality,colour\nA,1,5,1\nB,4,9,2\nC,3,7,3\n", "unknown criterion: colour"),
    "empty": ("", "file is empty"),
    "header_only": ("id,price,quality\n", "no data rows"),
}


@pytest.mark.parametrize("case", sorted(BAD_MATRICES))
def test_bad_matrix_exit_2_one_line(files, case, cli):
    d, _, c = files
    text, msg = BAD_MATRICES[case]
    m = d / f"{case}.csv"
    m.write_text(text)
    r = cli("mcda", "rank", m, "--criteria", c)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.stderr
    assert msg in lines[0] and str(m) in lines[0]


BAD_CRITERIA = {
    "negative": (
        "criterion,direction,weight\nprice,cost,-1\nquality,benefit,2\n",
        "line 2, column weight: weight -1 is negative",
    ),
    "zero_sum": ("criterion,direction,weight\nprice,cost,0\nquality,benefit,0\n", "all weights are zero"),
    "direction": (
        "criterion,direction,weight\nprice,lower,1\nquality,benefit,2\n",
        "line 2, column direction: direction 'lower'",
    ),
    "text_weight": (
        "criterion,direction,weight\nprice,cost,heavy\nquality,benefit,2\n",
        "weight 'heavy' is not a number",
    ),
    "unknown": (
        "criterion,direction,weight\nprice,cost,1\nquality,benefit,2\nsize,benefit,1\n",
        "criterion 'size' is in the criteria file but not a column",
    ),
    "columns": ("name,dir,w\nprice,cost,1\n", "missing column(s): criterion, direction, weight"),
}


@pytest.mark.parametrize("case", sorted(BAD_CRITERIA))
def test_bad_criteria_exit_2_one_line(files, case, cli):
    d, m, _ = files
    text, msg = BAD_CRITERIA[case]
    c = d / f"{case}.csv"
    c.write_text(text)
    r = cli("mcda", "rank", m, "--criteria", c)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert msg in r.stderr and str(c) in r.stderr


def test_missing_file_and_unknown_method(files, cli):
    d, m, c = files
    r = cli("mcda", "rank", d / "nope.csv", "--criteria", c)
    assert r.returncode == 2 and "file not found" in r.stderr
    r = cli("mcda", "rank", m, "--criteria", c, "--method", "nosuch")
    assert r.returncode == 2 and "nosuch" in r.stderr and "Traceback" not in r.stderr


def test_missing_policy_option(files, cli):
    d, _, c = files
    m = d / "nan.csv"
    m.write_text("id,price,quality\nA,10,5\nB,,9\nC,15,7\n")
    r = cli("mcda", "rank", m, "--criteria", c, "--missing", "drop_alternative")
    assert r.returncode == 0, r.stderr
    assert "B" not in r.stdout.split() and "Dropped alternatives" in r.stderr


def test_ahp_cli_prints_priorities_and_cr(tmp_path, cli):
    # Consistent 3x3 matrix built from w = (0.6, 0.3, 0.1): a_ij = w_i / w_j, so priorities are exactly w,
    # lambda_max = n = 3 and CI = CR = 0 (Saaty 1980, ch. 2: a consistent matrix has lambda_max = n).
    j = tmp_path / "j.csv"
    j.write_text(",A,B,C\nA,1,2,6\nB,1/2,1,3\nC,1/6,1/3,1\n")
    r = cli("mcda", "ahp", j)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["priorities"] == pytest.approx({"A": 0.6, "B": 0.3, "C": 0.1})
    assert out["lambda_max"] == pytest.approx(3.0) and out["cr"] == pytest.approx(0.0, abs=1e-12)
    assert "ri_table" in out and "ci" in out


def test_ahp_cli_bad_matrix(tmp_path, cli):
    j = tmp_path / "j.csv"
    j.write_text(",A,B\nA,1,3\nB,3,1\n")
    r = cli("mcda", "ahp", j)
    assert r.returncode == 2 and "Traceback" not in r.stderr and str(j) in r.stderr


def test_ahp_cli_reads_semicolon_csv_with_decimal_commas(tmp_path, cli):
    # Same consistent matrix as above, exported by a comma-decimal Excel: ';' separators, '0,5' decimals.
    j = tmp_path / "j.csv"
    j.write_text(";A;B;C\nA;1;2;6\nB;0,5;1;3\nC;1/6;1/3;1\n")
    r = cli("mcda", "ahp", j)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["priorities"] == pytest.approx({"A": 0.6, "B": 0.3, "C": 0.1})
