"""`python -m mcda run` exports the library's ranking as it is: ranking.csv and the XLSX "ranking"
sheet agree with ``fulcrum.pipeline.rank_scenario(...).ranking`` row by row, best first (issue 8,
item 21: exports sorted in ascending score order were caught only by an app test).

Checked for the shipped scenarios and for methods where lower is better (VIKOR's Q, SPOTIS), so
"sort by score" cannot pass for both kinds. The expected order is also derived here from the
scores and the method's direction, independently of the library's own row order.
"""

import contextlib
import io
import json

import numpy as np
import pandas as pd
import pytest

from fulcrum.pipeline import rank_scenario
from fulcrum.scenario import parse_scenario
from tests.support import ROOT


def _variant(base: str, method: dict | None) -> dict:
    d = json.loads((ROOT / "scenarios" / f"{base}.json").read_text(encoding="utf-8"))
    if method is not None:
        d["method"] = method
    d.pop("allocation", None)  # the ranking exports are what is checked; no solve needed
    return d


CASES = {
    "default": ("default", None),
    "paper_2022_single_track": ("paper_2022_single_track", None),
    "vikor": ("default", {"name": "vikor", "normalization": None, "options": {}}),
    "spotis": ("paper_2022_single_track", {"name": "spotis", "normalization": None, "options": {}}),
    "promethee2": ("default", {"name": "promethee2", "normalization": None, "options": {}}),
}


@pytest.fixture(scope="module", params=sorted(CASES))
def run(request, tmp_path_factory):
    from fulcrum.cli import mcda_main as main

    base, method = CASES[request.param]
    doc = _variant(base, method)
    d = tmp_path_factory.mktemp(request.param)
    path = d / "scenario.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    out = d / "out"
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert main(["run", str(path), "--out", str(out)]) == 0
    return rank_scenario(parse_scenario(doc)), out


def _check(table: pd.DataFrame, outcome):
    lib = outcome.ranking
    assert len(table) == len(lib) == 33
    # best first: rank 1 on top, ranks never decrease down the file
    assert table["rank"].iloc[0] == 1 and table["rank"].is_monotonic_increasing
    # the order follows the scores in the method's direction (derived here, not from the library)
    s = table["score"].to_numpy(dtype=float)
    assert (np.diff(s) <= 1e-12).all() if outcome.higher_is_better else (np.diff(s) >= -1e-12).all()
    # row by row equal to the library's ranking (rank ascending, ties by id)
    want = lib.sort_values(["rank", "alternative"], kind="stable").reset_index(drop=True)
    assert table["alternative"].tolist() == want["alternative"].tolist()
    np.testing.assert_array_equal(table["rank"].to_numpy(dtype=int), want["rank"].to_numpy(dtype=int))
    np.testing.assert_allclose(
        table["score"].to_numpy(dtype=float), want["score"].to_numpy(dtype=float), rtol=1e-12, atol=1e-15
    )


def test_ranking_csv_matches_the_library(run):
    outcome, out = run
    _check(pd.read_csv(out / "ranking.csv", keep_default_na=False, na_values=[""]), outcome)


def test_xlsx_ranking_sheet_matches_the_library(run):
    outcome, out = run
    _check(pd.read_excel(out / "results.xlsx", sheet_name="ranking", keep_default_na=False, na_values=[""]), outcome)
