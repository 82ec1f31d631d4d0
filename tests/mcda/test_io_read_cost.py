"""The CSV reader does each pass over the bytes once (issue 12 item 2) and keeps its guarantees.

A valid UTF-8 file is not decoded a second time before pandas parses it (the whole-file decode runs
only when something failed, to name the first undecodable line); the upper bound on data rows is
one count of line feeds, plus one of carriage returns only when the file holds one — breaks written
as a lone CR (old Mac files, or a file built to slip past the row limit) are still counted.
"""

from __future__ import annotations

import pytest

import mcda.io as mio
from mcda.errors import InputError


@pytest.mark.parametrize(
    "data,bound",
    [
        (b"a,b\n1,2\n3,4\n", 2),
        (b"a,b\r\n1,2\r\n3,4\r\n", 2),
        (b"a,b\r1,2\r3,4\r5,6\r", 3),
        (b"a,b\n1,2\r3,4\r5,6\r7,8\r", 3),
        (b"a,b", 0),
    ],
)
def test_line_bound_counts_every_kind_of_line_break(data, bound):
    assert mio._line_bound(data) == bound


def test_a_valid_file_is_not_decoded_whole_before_parsing(tmp_path, monkeypatch):
    f = tmp_path / "m.csv"
    f.write_text("alternative,c1,c2\nA,1,2\nB,3,4\n", encoding="utf-8")

    def boom(*a, **k):
        raise AssertionError("the whole file was decoded although it is valid UTF-8")

    monkeypatch.setattr(mio, "_check_utf8", boom)
    df = mio.read_matrix(f)
    assert list(df.index) == ["A", "B"]


@pytest.mark.parametrize(
    "body,line",
    [
        (b"alternative,c1,c2\nA,1,2\nB,3,\xff4\n", 3),
        (b"alternative,c1,c2\nA,1,2\nB\xfe,3,4\n", 3),
        (b"alternative,c\xff1,c2\nA,1,2\n", 1),
        (b'alternative,c1,c2\nA,1,2\nB,3,4\nC,5,6\n"x\xfe",7,8\n', 5),
    ],
)
def test_bytes_that_are_not_utf8_are_named_by_line(tmp_path, body, line):
    f = tmp_path / "m.csv"
    f.write_bytes(body)
    with pytest.raises(InputError, match=f"not UTF-8 text \\(first undecodable byte on line {line}\\)"):
        mio.read_matrix(f)


def test_lone_cr_rows_beyond_the_limit_are_refused_before_parsing(tmp_path, monkeypatch):
    f = tmp_path / "m.csv"
    f.write_bytes(b"alternative,c1\n" + b"".join(b"A%d,%d\r" % (i, i) for i in range(30)))

    def no_parse(*a, **k):
        raise AssertionError("parsed although the row bound was already above the limit")

    monkeypatch.setattr(mio.pd, "read_csv", no_parse)
    with pytest.raises(InputError):
        mio.read_matrix(f, max_rows=10, max_rows_what="smaa")
