"""The short CSV route of mcda.export (``_plain_csv_text``) writes exactly what pandas' ``to_csv`` writes.

The command line's ``rank`` on a large matrix writes through it; goldens cover the shipped outputs, these
cases cover the value kinds a table can hold (floats of every magnitude, ints, text) and the fallbacks.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mcda.export import _plain_csv_text, csv_text


def pandas_text(df: pd.DataFrame) -> str:
    return df.to_csv(index=False, lineterminator="\n")


def floats(rng: np.random.Generator, n: int) -> np.ndarray:
    """Floats over the whole float64 range: every exponent, subnormals, signed zeros, round numbers."""
    mant = rng.uniform(-1.0, 1.0, n)
    exps = rng.integers(-330, 308, n).astype(float)
    x = mant * 10.0**exps
    special = np.array(
        [0.0, -0.0, 1.0, -1.0, 0.1, 1e16, 1e-5, 1e-4, 9999999999999998.0, 5e-324, 1.7976931348623157e308]
    )
    return np.concatenate([x[np.isfinite(x)], special, rng.random(n), np.round(rng.random(n), 3)])


def test_floats_ints_and_text_match_pandas_byte_for_byte() -> None:
    rng = np.random.default_rng(12)
    x = floats(rng, 20_000)
    n = len(x)
    df = pd.DataFrame(
        {
            "alternative": pd.array([f"ALT {i:06d} é" for i in range(n)], dtype="str"),
            "score": x,
            "rank": rng.integers(-(2**62), 2**62, n),
            "label": np.array([f"x{i}" for i in range(n)], dtype=object),
        }
    )
    fast = _plain_csv_text(df)
    assert fast is not None
    assert fast == pandas_text(df)


def test_empty_frame_writes_the_header_only() -> None:
    df = pd.DataFrame({"a": pd.Series([], dtype=float), "b": pd.Series([], dtype=np.int64)})
    assert _plain_csv_text(df) == pandas_text(df) == "a,b\n"


@pytest.mark.parametrize(
    "df",
    [
        pd.DataFrame({"a": ["x,y", "z"], "b": [1.0, 2.0]}),  # a comma: quoted
        pd.DataFrame({"a": ['say "hi"', "z"], "b": [1.0, 2.0]}),  # a quote: quoted and doubled
        pd.DataFrame({"a": ["two\nlines", "z"], "b": [1.0, 2.0]}),  # a line break: quoted
        pd.DataFrame({"a": ["x", None], "b": [1.0, 2.0]}),  # missing text: written empty
        pd.DataFrame({"a": ["x", "y"], "b": [1.0, np.nan]}),  # NaN: written empty
        pd.DataFrame({"a": ["x", "y"], "b": [1.0, np.inf]}),  # inf
        pd.DataFrame({"a": ["x", "y"], "b": [True, False]}),  # bool
        pd.DataFrame({"a": ["x", "y"], "b": np.array([1.5, 2.5], dtype=np.float32)}),  # float32 digits differ
        pd.DataFrame({"a": ["x", "y"], "b": pd.array([1, None], dtype="Int64")}),  # nullable int
        pd.DataFrame({"a": ["x", 3], "b": [1.0, 2.0]}),  # object column holding a number
        pd.DataFrame({"a,b": ["x", "y"], "c": [1.0, 2.0]}),  # a header name that needs quotes
        pd.DataFrame({"a": ["", "y"]}),  # one column: a lone empty field is written ""
    ],
)
def test_what_needs_quoting_or_na_text_is_left_to_pandas(df: pd.DataFrame) -> None:
    assert _plain_csv_text(df) is None
    assert csv_text(df) == pandas_text(df)  # nothing formula-like here: pandas writes it as it always did


def test_csv_text_neutralises_formulas_on_the_short_route() -> None:
    df = pd.DataFrame({"alternative": ["=cmd", "-2", "ok"], "score": [0.5, 0.25, 0.125], "rank": [1, 2, 3]})
    assert csv_text(df) == "alternative,score,rank\n'=cmd,0.5,1\n'-2,0.25,2\nok,0.125,3\n"
