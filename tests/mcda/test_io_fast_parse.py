"""The reader skips two costly parse options only where they cannot change a cell (issue 12 item 2).

``skipinitialspace`` is dropped when the file holds no space or tab; the id column's ``dtype=str`` is
left to pandas' inference when the first id is plainly text, and the table is read again as text when
the inference says otherwise. Every case here is compared with the full options' parse.
"""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import mcda.io as mio


def full_parse(data: bytes, sep: str = ",") -> pd.DataFrame:
    """The parse with every option on: what the reader did before the short cuts."""
    header = data.decode("utf-8-sig").splitlines()[0]
    cols = [c.strip() for c in header.split(sep)]
    return mio._read_csv(data, sep, cols, True, False)


def mixed_ids(n: int) -> bytes:
    """Text ids, then numeric ids past pandas' first parse chunk (mixed types across chunks)."""
    rows = [f"A{i}" for i in range(n)] + [f"{i:05d}" for i in range(n)]
    return ("id,a,b\n" + "".join(f"{r},{i},{i % 7}\n" for i, r in enumerate(rows))).encode()


CASES = {
    "text ids": b"id,a,b\nALT1,1,2\nALT2,3,4\n",
    "numeric ids with zeros": b"id,a,b\n01,1,2\n002,3,4\n",
    "text then numbers": b"id,a,b\nX,1,2\n1,3,4\n1e3,5,6\n",
    "bool ids": b"id,a,b\nTrue,1,2\nFalse,3,4\n",
    "NA-like ids": b"id,a,b\nNA,1,2\nnan,NA,4\nNone,5,\n",
    "spaces after commas": b"id,a,b\nA, 1, NA\nB,  3,4\n",
    "space inside an id": b"id,a,b\nCosta Rica,1,2\nPeru,3,4\n",
    "tab after a comma": b"id,a,b\nA,\t1,2\nB,3,4\n",
    "leading space on a line": b"id,a,b\n A,1,2\nB,3,4\n",
    "quoted ids": b'id,a,b\n"x,y",1,2\n"z",3,4\n',
    "byte-order mark": b"\xef\xbb\xbfid,a,b\nA,1,2\nB,3,4\n",
    "blank first id": b"id,a,b\n,1,2\nB,3,4\n",
    "mixed across chunks": mixed_ids(150_000),
}


@pytest.mark.parametrize("name", list(CASES))
def test_short_parse_equals_the_full_parse(name: str) -> None:
    data = CASES[name]
    header = data.decode("utf-8-sig").splitlines()[0]
    cols = [c.strip() for c in header.split(",")]
    spaced = b" " in data or b"\t" in data
    got = mio._read_csv(data, ",", cols, spaced, mio._first_id_is_text(data, ","))
    pd.testing.assert_frame_equal(got, full_parse(data))


def test_mixed_ids_raise_no_warning_and_keep_their_text(tmp_path) -> None:
    f = tmp_path / "m.csv"
    f.write_bytes(mixed_ids(150_000))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # pandas' DtypeWarning of the first, inferred read must not escape
        df = mio.read_table(f, "decision matrix")
    assert df["id"].iloc[-1] == "149999" and df["id"].iloc[150_000] == "00000"


def test_first_id_hint() -> None:
    assert mio._first_id_is_text(b"id,a\nALT,1\n", ",")
    assert not mio._first_id_is_text(b"id,a\n01,1\n", ",")
    assert not mio._first_id_is_text(b"id,a\ntrue,1\n", ",")
    assert not mio._first_id_is_text(b"id,a\n,1\n", ",")
    assert not mio._first_id_is_text(b"id,a\n", ",")
