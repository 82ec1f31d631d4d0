"""AHP judgement matrices: building from a full matrix, a pairwise list, or CSV; every bad input."""

import numpy as np
import pandas as pd
import pytest

from mcda.ahp import analyse, from_judgements, parse_judgement, read_judgements_csv, validate_matrix
from mcda.errors import InputError

N3 = ["econ", "pol", "geo"]


def full(rows, names=N3):
    return pd.DataFrame(rows, index=names, columns=names)


def test_fractions_and_numbers_parse():
    assert parse_judgement("1/3") == pytest.approx(1 / 3)
    assert parse_judgement(" 2 / 4 ") == 0.5
    assert parse_judgement("7") == 7.0
    assert parse_judgement(0.25) == 0.25
    with pytest.raises(InputError, match="not a number"):
        parse_judgement("three")
    with pytest.raises(InputError, match="divides by zero"):
        parse_judgement("1/0")


def test_pairwise_list_fills_reciprocals_and_keeps_item_order():
    m = from_judgements([("econ", "pol", 3), ("econ", "geo", "5"), ("geo", "pol", "1/2")], items=N3)
    assert list(m.index) == N3 and list(m.columns) == N3
    assert m.loc["pol", "econ"] == pytest.approx(1 / 3)
    assert m.loc["pol", "geo"] == pytest.approx(2.0)
    np.testing.assert_allclose(m.to_numpy() * m.to_numpy().T, 1.0)
    np.testing.assert_array_equal(np.diag(m.to_numpy()), 1.0)


def test_pairwise_mapping_and_inferred_names():
    m = from_judgements({("a", "b"): 2, ("b", "c"): 2, ("a", "c"): 4})
    assert list(m.index) == ["a", "b", "c"]
    assert m.loc["c", "a"] == 0.25


def test_pairwise_errors_name_the_problem():
    with pytest.raises(InputError, match="unknown item 'eco'"):
        from_judgements([("eco", "pol", 3)], items=N3)
    with pytest.raises(InputError, match=r"2 pair\(s\) not judged: \(econ, geo\), \(pol, geo\)"):
        from_judgements([("econ", "pol", 3)], items=N3)
    with pytest.raises(InputError, match="not reciprocal"):
        from_judgements([("econ", "pol", 3), ("pol", "econ", 3), ("econ", "geo", 1), ("pol", "geo", 1)], items=N3)
    with pytest.raises(InputError, match="given twice with different values"):
        from_judgements([("econ", "pol", 3), ("econ", "pol", 5), ("econ", "geo", 1), ("pol", "geo", 1)], items=N3)
    with pytest.raises(InputError, match="not a positive number"):
        from_judgements([("econ", "pol", -3), ("econ", "geo", 1), ("pol", "geo", 1)], items=N3)
    with pytest.raises(InputError, match=r"\(econ, econ\) = 2"):
        from_judgements([("econ", "econ", 2)], items=N3)


def test_reciprocity_error_names_the_pair():
    m = full([[1, 3, 5], [1 / 3, 1, 2], [1 / 5, 2, 1]])  # (pol, geo) = 2 and (geo, pol) = 2
    with pytest.raises(InputError) as e:
        validate_matrix(m)
    assert "(pol, geo)" in str(e.value) and "(geo, pol)" in str(e.value) and "not reciprocal" in str(e.value)


def test_reciprocity_tolerates_rounded_entries_and_returns_exact_reciprocal():
    m = validate_matrix(full([[1, 3, 5], [0.333, 1, 2], [0.2, 0.5, 1]]))
    a = m.to_numpy()
    np.testing.assert_allclose(a * a.T, 1.0, rtol=0, atol=1e-14)
    assert m.loc["econ", "pol"] == pytest.approx(np.sqrt(3 / 0.333))


def test_scale_bounds_and_extended_scale():
    m = full([[1, 12, 5], [1 / 12, 1, 2], [1 / 5, 1 / 2, 1]])
    with pytest.raises(InputError, match=r"\(econ, pol\) = 12 is outside Saaty's scale 1/9..9"):
        analyse(m)
    r = analyse(m, allow_extended_scale=True, warn=False)
    assert r.priorities.idxmax() == "econ"
    # 1/9 typed as 0.111 is on the scale (1 % tolerance)
    validate_matrix(full([[1, 9, 1], [0.111, 1, 1 / 9], [1, 9, 1]]))


def test_diagonal_positive_square_and_names():
    with pytest.raises(InputError, match=r"diagonal judgement \(pol, pol\) = 2"):
        validate_matrix(full([[1, 3, 5], [1 / 3, 2, 2], [1 / 5, 1 / 2, 1]]))
    with pytest.raises(InputError, match=r"\(econ, pol\) = -3 is not positive"):
        validate_matrix(full([[1, -3, 5], [-1 / 3, 1, 2], [1 / 5, 1 / 2, 1]]))
    with pytest.raises(InputError, match=r"not square \(2 rows x 3 columns\)"):
        validate_matrix(pd.DataFrame([[1, 2, 3], [1, 1, 1]], index=["a", "b"], columns=["a", "b", "c"]))
    with pytest.raises(InputError, match="in rows only: geo; in columns only: geog"):
        validate_matrix(pd.DataFrame(np.ones((3, 3)), index=N3, columns=["econ", "pol", "geog"]))
    with pytest.raises(InputError, match=r"judgement \(econ, geo\) is missing"):
        validate_matrix(full([[1, 3, None], [1 / 3, 1, 2], [np.nan, 1 / 2, 1]]))


def test_columns_in_other_order_are_aligned_to_rows():
    m = full([[1, 3, 5], [1 / 3, 1, 2], [1 / 5, 1 / 2, 1]])
    shuffled = m[["geo", "econ", "pol"]]
    np.testing.assert_allclose(validate_matrix(shuffled).to_numpy(), validate_matrix(m).to_numpy())


def test_array_input_with_names():
    r = analyse(np.array([[1, 2], [0.5, 1]]), names=["a", "b"])
    assert r.priorities.to_dict() == pytest.approx({"a": 2 / 3, "b": 1 / 3})


# --- CSV ---------------------------------------------------------------------------------------


def write(tmp_path, text, name="j.csv"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_csv_reads_fractions_and_blank_mirror_cells(tmp_path):
    p = write(tmp_path, "criterion,econ,pol,geo\necon,1,3,5\npol,,1,2\ngeo,1/5,,\n")
    m = read_judgements_csv(p)
    assert list(m.index) == N3
    assert m.loc["pol", "econ"] == pytest.approx(1 / 3)
    assert m.loc["geo", "pol"] == pytest.approx(0.5)
    assert m.loc["geo", "geo"] == 1.0


def test_csv_rows_in_any_order(tmp_path):
    p = write(tmp_path, ",econ,pol,geo\ngeo,1/5,1/2,1\necon,1,3,5\npol,1/3,1,2\n")
    m = read_judgements_csv(p)
    assert m.loc["econ", "geo"] == 5.0 and list(m.index) == N3


@pytest.mark.parametrize(
    "text, where, what",
    [
        (",econ,pol,geo\necon,1,3,x\npol,,1,2\ngeo,,,1\n", "line 2, column geo", "'x' is not a number"),
        (",econ,pol,geo\necon,1,3,5\npol,,1,2\n", "j.csv", "not square: 3 item(s) in the header but 2 data row(s)"),
        (",econ,pol,geo\necon,1,3,5\npolitics,,1,2\ngeo,,,1\n", "line 3", "row item 'politics' is not in the header"),
        (
            ",econ,pol,geo\necon,1,3,\npol,,1,2\ngeo,,,1\n",
            "line 2, column geo",
            "(econ, geo) and its mirror are both blank",
        ),
        (",econ,pol,geo\necon,1,3,5\npol,3,1,2\ngeo,,,1\n", "line 2, column pol", "not reciprocal"),
        (",econ,pol,geo\necon,1,3,5\npol,,1,2\ngeo,,,1\necon,1,1,1\n", "j.csv", "not square"),
        ("", "j.csv", "file is empty"),
    ],
)
def test_csv_errors_name_file_line_and_column(tmp_path, text, where, what):
    p = write(tmp_path, text)
    with pytest.raises(InputError) as e:
        read_judgements_csv(p)
    msg = str(e.value)
    assert str(p) in msg and where in msg and what in msg, msg


def test_csv_scale_checked_here_only_on_request(tmp_path):
    p = write(tmp_path, ",a,b\na,1,12\nb,,1\n")
    m = read_judgements_csv(p)  # structural checks only; analyse applies the scale rule
    with pytest.raises(InputError, match="outside Saaty's scale"):
        analyse(m)
    with pytest.raises(InputError, match=r"line 2, column b: judgement \(a, b\) = 12 is outside"):
        read_judgements_csv(p, check_scale=True)


def test_csv_missing_file(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        read_judgements_csv(tmp_path / "nope.csv")
