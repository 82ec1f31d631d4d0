"""Adversarial files through the command line: spreadsheet exports as planners really produce them.

Each bad file: exit status 2, ONE line on stderr naming the file (and row/column where there is
one), never a traceback. Each awkward-but-valid file (semicolons, BOM, trailing blanks, numeric
ids) ranks exactly like its plain comma-separated twin.
"""

import subprocess
import sys
from io import StringIO

import pandas as pd
import pytest

from tests.support import ROOT
from tests.support.cli import run_cli

CRITERIA = "criterion,direction,weight\nprice,cost,1\nquality,benefit,2\n"
PLAIN = "id,price,quality\nA,10.5,5\nB,20,9\nC,15,7\n"


def one_error_line(r, *needles):
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr and "internal error" not in r.stderr, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    for n in needles:
        assert n in lines[0], (n, lines[0])
    return lines[0]


@pytest.fixture
def crit(tmp_path):
    c = tmp_path / "c.csv"
    c.write_text(CRITERIA)
    return c


def rank_text(tmp_path, crit, text, name="m.csv", *extra, binary=False):
    m = tmp_path / name
    (m.write_bytes if binary else m.write_text)(text)
    return run_cli("mcda", "rank", m, "--criteria", crit, *extra), m


def ranked(r):
    assert r.returncode == 0, r.stderr
    return pd.read_csv(StringIO(r.stdout), dtype={"alternative": str}, keep_default_na=False).set_index("alternative")


@pytest.mark.parametrize(
    "text",
    [
        "id;price;quality\nA;10,5;5\nB;20;9\nC;15;7\n",  # Excel CSV in a decimal-comma locale
        "\ufeffid,price,quality\nA,10.5,5\nB,20,9\nC,15,7\n",  # UTF-8 byte-order mark
        "id,price,quality\nA,10.5,5\nB,20,9\nC,15,7\n,,\n,,\n\n",  # trailing blank rows as Excel writes them
        "id,price,quality,\nA,10.5,5,\nB,20,9,\nC,15,7,\n",  # trailing separator on every line
        "id, price , quality\nA,10.5,5\nB,20,9\nC,15,7\n",  # spaces around column names
    ],
    ids=["semicolon_decimal_comma", "bom", "blank_rows", "trailing_separator", "spaced_header"],
)
def test_spreadsheet_export_variants_rank_like_the_plain_file(tmp_path, crit, text):
    base, _ = rank_text(tmp_path, crit, PLAIN, "plain.csv")
    r, _ = rank_text(tmp_path, crit, text)
    pd.testing.assert_frame_equal(ranked(r), ranked(base))


def test_semicolon_file_with_thousands_dots_and_decimal_commas(tmp_path, crit):
    r, _ = rank_text(tmp_path, crit, "id;price;quality\nA;1.010,5;5\nB;2.000;9\nC;1.500,25;7\n")
    # '2.000' next to '1.010,5' is ambiguous (2.0 or 2000?): refused, naming the cell
    one_error_line(r, "m.csv", "row B", "column price", "'2.000'", "ambiguous")
    r, _ = rank_text(tmp_path, crit, "id;price;quality\nA;1.010,5;5\nB;2.000,0;9\nC;1.500,25;7\n")
    plain, _ = rank_text(tmp_path, crit, "id,price,quality\nA,1010.5,5\nB,2000,9\nC,1500.25,7\n", "p.csv")
    pd.testing.assert_frame_equal(ranked(r), ranked(plain))


def test_numeric_and_na_ids_are_kept_as_written(tmp_path, crit):
    r, _ = rank_text(tmp_path, crit, "id,price,quality\n01,10,5\n02,20,9\nNA,15,7\n")
    out = ranked(r)
    assert sorted(out.index) == ["01", "02", "NA"]  # not 1, 2 and a missing id


@pytest.mark.parametrize(
    "text,needles",
    [
        ("id,price,price\nA,10,5\nB,20,9\nC,15,7\n", ["line 1", "'price' appears twice"]),
        ("id,price,,quality\nA,10,1,5\nB,20,,9\nC,15,,7\n", ["line 1", "column 3 has values but no name"]),
        ("id,price,quality\nA,10,5,7\nB,20,9\nC,15,7\n", ["line 2", "more values than the header"]),
        ("id,price,quality\nA,10,5\nB,20,9,4\nC,15,7\n", ["line 3 has 4 values", "3 columns"]),
        ("id,price,quality\nA,1e999,5\nB,20,9\nC,15,7\n", ["row A", "column price", "infinite"]),
    ],
)
def test_malformed_matrix_is_one_line_naming_the_place(tmp_path, crit, text, needles):
    r, m = rank_text(tmp_path, crit, text)
    one_error_line(r, str(m), *needles)


@pytest.mark.parametrize(
    "name,content",
    [
        ("m.xlsx", b"this is text, not a workbook\n"),
        ("m.xlsx", bytes(range(256)) * 4),
        ("m.csv", bytes(range(128, 256)) * 4),
    ],
)
def test_non_table_files_are_bad_input_not_internal_errors(tmp_path, crit, name, content):
    r, m = rank_text(tmp_path, crit, content, name, binary=True)
    one_error_line(r, str(m))


def test_folder_instead_of_file(tmp_path, crit, cli):
    one_error_line(cli("mcda", "rank", tmp_path, "--criteria", crit), str(tmp_path), "folder")


def test_xlsx_input_keeps_text_ids_and_names_cells(tmp_path, crit, cli):
    m = tmp_path / "m.xlsx"
    pd.DataFrame({"id": ["01", "B", "C"], "price": [10.5, 20, 15], "quality": [5, 9, 7]}).to_excel(m, index=False)
    out = ranked(cli("mcda", "rank", m, "--criteria", crit))
    assert sorted(out.index) == ["01", "B", "C"]
    pd.DataFrame({"id": ["A", "B", "C"], "price": [10.5, "ten", 15], "quality": [5, 9, 7]}).to_excel(m, index=False)
    one_error_line(cli("mcda", "rank", m, "--criteria", crit), str(m), "row B", "column price", "'ten'")


@pytest.mark.parametrize(
    "text,needles",
    [
        ("criterion;direction;weight\nprice;cost;0,5\nquality;benefit;1\n", None),
        ("criterion,direction,weight\nprice,cost,1\nquality,benefit,2\n,,\n", None),
        (
            "criterion,direction,weight\nprice,cost,\nquality,benefit,2\n",
            ["line 2, column weight", "weight is missing"],
        ),
        ("criterion,direction,weight\nprice,cost,1\n,benefit,2\n", ["line 3, column criterion", "name is missing"]),
        (
            "criterion,direction,weight\nprice,,1\nquality,benefit,2\n",
            ["line 2, column direction", "direction is missing"],
        ),
    ],
)
def test_criteria_file_variants(tmp_path, text, needles, cli):
    m = tmp_path / "m.csv"
    m.write_text(PLAIN)
    c = tmp_path / "c.csv"
    c.write_text(text)
    r = cli("mcda", "rank", m, "--criteria", c)
    if needles is None:
        assert r.returncode == 0, r.stderr
    else:
        one_error_line(r, str(c), *needles)


def test_method_error_names_the_matrix_file(tmp_path, crit):
    r, m = rank_text(tmp_path, crit, "id,price,quality\nA,-1,5\nB,20,9\nC,15,7\n", "m.csv", "--method", "wpm")
    one_error_line(r, str(m), "column price", "values > 0")


def test_unknown_method_option_lists_the_options(tmp_path, crit):
    r, _ = rank_text(tmp_path, crit, PLAIN, "m.csv", "--method", "vikor", "--normalization", "minmax")
    one_error_line(r, "vikor does not take option(s) normalization", "its options are: v")


def test_huge_weights_rank_like_equal_weights(tmp_path, cli):
    m = tmp_path / "m.csv"
    m.write_text(PLAIN)
    c1, c2 = tmp_path / "c1.csv", tmp_path / "c2.csv"
    c1.write_text("criterion,direction,weight\nprice,cost,1e308\nquality,benefit,1e308\n")
    c2.write_text("criterion,direction,weight\nprice,cost,1\nquality,benefit,1\n")
    pd.testing.assert_frame_equal(
        ranked(cli("mcda", "rank", m, "--criteria", c1)), ranked(cli("mcda", "rank", m, "--criteria", c2))
    )


def test_cli_ties_follow_the_library_rule(tmp_path, cli):
    # B and C are mirror images under equal weights: TOPSIS scores equal up to round-off -> same rank
    m = tmp_path / "m.csv"
    m.write_text("id,x,y\nA,3,3\nB,1,2\nC,2,1\n")
    c = tmp_path / "c.csv"
    c.write_text("criterion,direction,weight\nx,benefit,1\ny,benefit,1\n")
    out = ranked(cli("mcda", "rank", m, "--criteria", c))
    assert out.loc["B", "rank"] == out.loc["C", "rank"] == 2


def test_ahp_off_scale_judgement_named_by_line_and_column(tmp_path, cli):
    j = tmp_path / "j.csv"
    j.write_text(",A,B\nA,1,30\nB,,1\n")
    one_error_line(cli("mcda", "ahp", j), str(j), "line 2, column B", "outside Saaty's scale", "--extended-scale")
    assert cli("mcda", "ahp", j, "--extended-scale").returncode == 0


def test_output_piped_into_a_closed_reader_is_not_an_error(tmp_path, crit):
    m = tmp_path / "m.csv"
    m.write_text("id,price,quality\n" + "".join(f"A{i},{i % 97 + 1},{i % 89 + 1}\n" for i in range(20000)))
    p = subprocess.Popen(
        [sys.executable, "-m", "mcda", "rank", str(m), "--criteria", str(crit)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    p.stdout.readline()
    p.stdout.close()  # like `| head -1`
    err = p.stderr.read().decode()
    assert p.wait() == 0 and "error" not in err, err
