"""Per-criterion ``data.missing`` over tracks (issue 10, gap 3): a policy naming a criterion only one track
uses applies to that track and does not break the other; a policy naming a criterion no track uses is
still an error naming ``data.missing`` (exit 2 from the console)."""

from __future__ import annotations

import json

import pytest

from fulcrum.pipeline import rank_scenario
from fulcrum.scenario import parse_scenario
from fulcrum.tracks import track_input
from mcda.errors import InputError
from tests.support import ROOT

PAPER = ROOT / "scenarios" / "paper_2022.json"


def _doc(missing: dict) -> dict:
    doc = json.loads(PAPER.read_text(encoding="utf-8"))
    doc["data"]["missing"] = missing
    return doc


def _rank(doc: dict):
    return rank_scenario(parse_scenario(doc, source="test", base_dir=PAPER.parent))


def test_a_policy_for_one_tracks_criterion_applies_to_that_track_only():
    """poverty_national is a criterion of track 2 only; dropping its blanks there must rank track 1 as
    before (this raised 'missing-data policy given for unknown criterion' in track 1 before the fix)."""
    base = _rank(_doc({"default": "impute:median"}))
    o = _rank(_doc({"default": "impute:median", "poverty_national": "drop_alternative"}))
    t1, t2 = o.tracks
    assert t1.ranking.equals(base.tracks[0].ranking)  # track 1 untouched
    ranked_before = set(base.tracks[1].ranking["alternative"])
    data = base.tracks[1].countries
    blank = {str(a) for a in data.index[data["poverty_national"].isna()]} & ranked_before
    assert blank, "the 2022 data has countries without a national poverty rate"
    assert set(t2.ranking["alternative"]) == ranked_before - blank  # dropped in track 2, and only there


def test_track_input_keeps_the_default_and_its_own_policies():
    sc = parse_scenario(
        _doc({"default": "impute:median", "poverty_national": "impute:worst", "gdp": "drop_alternative"}),
        source="test",
        base_dir=PAPER.parent,
    )
    assert track_input(sc, 0).data.missing == {"default": "impute:median", "gdp": "drop_alternative"}
    assert track_input(sc, 1).data.missing == {"default": "impute:median", "poverty_national": "impute:worst"}
    assert track_input(sc, 1).base_dir == sc.base_dir


def test_a_policy_for_a_criterion_no_track_uses_is_an_error(cli, tmp_path):
    doc = _doc({"default": "impute:median", "nope": "impute:worst"})
    with pytest.raises(InputError, match="no track uses: 'nope'") as e:
        _rank(doc)
    assert e.value.where == "data.missing"
    f = tmp_path / "s.json"
    f.write_text(json.dumps(doc), encoding="utf-8")
    r = cli("mcda", "run", str(f), "--out", str(tmp_path / "o"), "--no-allocation")
    assert r.returncode == 2 and "data.missing" in r.stderr and len(r.stderr.strip().splitlines()) == 1
