"""Every registered ranking method's default options are the ones the README states (issue 8,
item 21: changing VIKOR's default v from 0.5 to 0.4 broke no test).

Three ways to pin them: ``options()`` of the default-built method equals the values in the
README table "Ranking methods and their defaults" (the one place they are documented); the
table lists exactly the registered methods; and the default-built method *behaves* as one built
with the documented values, and differently from one built with another value (so a default
changed in ``__init__`` but still reported by ``options()`` as the old one is caught too).
A method added to the registry needs its row in the README table, nothing here.
"""

import re

import numpy as np
import pytest

from mcda.methods import METHODS, get_method
from mcda.problem import DecisionProblem
from tests.support import ROOT


def _readme_defaults() -> dict[str, dict]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Ranking methods and their defaults", 1)[1].split("\n## ", 1)[0]
    out = {}
    for line in section.splitlines():
        m = re.match(r"^\|\s*`([a-z0-9_]+)`\s*\|\s*([^|]*)\|", line)
        if not m:
            continue
        opts = {}
        for part in m.group(2).split(","):
            if "=" in part:
                k, v = (x.strip() for x in part.split("=", 1))
                try:
                    opts[k] = float(v)
                except ValueError:
                    opts[k] = v
        out[m.group(1)] = opts
    return out


# what README.md ("Ranking methods and their defaults") states
DOCUMENTED = _readme_defaults()
# another value of each option, which must change the scores on the test data
OTHER = {
    ("topsis", "normalization"): "minmax",
    ("vikor", "v"): 0.4,
    ("promethee2", "preference"): "vshape",
    ("wsm", "normalization"): "vector",
    ("wpm", "normalization"): "sum",
    ("ahp", "mode"): "ideal",
}


def test_every_registered_method_is_covered():
    assert set(METHODS) == set(DOCUMENTED)


def test_the_readme_table_pins_the_historic_defaults():
    """The defaults as they stood when this test was written (issue 8, item 21)."""
    historic = {
        "topsis": {"normalization": "vector"},
        "vikor": {"v": 0.5},
        "promethee2": {"preference": "usual"},
        "wsm": {"normalization": "minmax"},
        "wpm": {"normalization": "max"},
        "copras": {},
        "edas": {},
        "mabac": {},
        "spotis": {},
        "ahp": {"mode": "distributive", "nonpositive": "rescale"},
    }
    assert {k: DOCUMENTED[k] for k in historic} == historic


@pytest.mark.parametrize("name", sorted(DOCUMENTED))
def test_default_options_are_the_documented_ones(name):
    assert get_method(name).options() == DOCUMENTED[name]


@pytest.fixture(scope="module")
def problem():
    rng = np.random.default_rng(21)
    X = rng.random((9, 4)) * [10, 1, 100, 5] + [1, 0.5, 2, 1]  # > 0 for WPM/COPRAS/EDAS
    return DecisionProblem.from_arrays(X, [1, -1, 1, 1])


W = np.array([0.4, 0.3, 0.2, 0.1])


@pytest.mark.parametrize("name", sorted(DOCUMENTED))
def test_default_behaves_as_the_documented_options(name, problem):
    np.testing.assert_array_equal(
        get_method(name).scores(problem, W), get_method(name, **DOCUMENTED[name]).scores(problem, W)
    )


@pytest.mark.parametrize("name,option", sorted(OTHER))
def test_another_value_changes_the_scores(name, option, problem):
    """So the equality above pins the default (the option is not ignored)."""
    extra = {"p": 0.5} if (name, option) == ("promethee2", "preference") else {}
    other = get_method(name, **{**DOCUMENTED[name], option: OTHER[name, option], **extra}).scores(problem, W)
    assert not np.allclose(other, get_method(name).scores(problem, W))


def test_cli_rank_default_normalization_is_topsis_vector(tmp_path):
    """`mcda rank` without --normalization uses the documented TOPSIS default (vector)."""
    import contextlib
    import io

    import pandas as pd

    from fulcrum.cli import mcda_main as main

    rng = np.random.default_rng(5)
    X = rng.random((6, 3)) + 0.1
    pd.DataFrame(X, index=[f"A{i}" for i in range(6)], columns=["c1", "c2", "c3"]).rename_axis("id").to_csv(
        tmp_path / "m.csv"
    )
    pd.DataFrame(
        {"criterion": ["c1", "c2", "c3"], "direction": ["benefit", "cost", "benefit"], "weight": [1, 1, 2]}
    ).to_csv(tmp_path / "c.csv", index=False)
    with contextlib.redirect_stdout(io.StringIO()):
        assert (
            main(
                [
                    "rank",
                    str(tmp_path / "m.csv"),
                    "--criteria",
                    str(tmp_path / "c.csv"),
                    "--out",
                    str(tmp_path / "r.csv"),
                ]
            )
            == 0
        )
    got = pd.read_csv(tmp_path / "r.csv").set_index("alternative")["score"]
    p = DecisionProblem.from_arrays(
        X, [1, -1, 1], alternatives=[f"A{i}" for i in range(6)], criterion_ids=["c1", "c2", "c3"]
    )
    want = get_method("topsis", normalization="vector").scores(p, np.array([0.25, 0.25, 0.5]))
    np.testing.assert_allclose(got.loc[p.alternatives].to_numpy(), want, rtol=1e-9)
