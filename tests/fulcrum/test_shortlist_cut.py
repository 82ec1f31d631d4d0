"""RankingOutcome.shortlist is cut once per shortlist table (issue 12 target 6): a caller's changes stay its
own, and a replaced table (as fulcrum.tracks does) is cut again."""

from __future__ import annotations

import dataclasses

import pandas as pd


def _cut(table: pd.DataFrame) -> pd.DataFrame:
    s = table[table["status"] == "shortlisted"]
    return s.set_index("alternative")[["rank", "score", "priority", "position"]]


def test_a_callers_changes_stay_its_own(default_outcome):
    out = dataclasses.replace(default_outcome)
    first = out.shortlist
    first["score"] = -1.0
    first.loc[first.index[0], "priority"] = 2.0
    pd.testing.assert_frame_equal(out.shortlist, _cut(out.shortlist_table))


def test_a_replaced_table_is_cut_again(default_outcome):
    out = dataclasses.replace(default_outcome)
    before = out.shortlist
    table = out.shortlist_table.copy()
    first = table.index[table["status"] == "shortlisted"][0]
    table.loc[first, "status"] = "excluded"
    out.shortlist_table = table
    assert len(out.shortlist) == len(before) - 1
    pd.testing.assert_frame_equal(out.shortlist, _cut(table))
