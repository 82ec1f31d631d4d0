"""Data-uncertainty SMAA over tracks (issue 10, gap 2): per track and for the FINAL shortlist.

The final-shortlist acceptability with the values sampled is checked against an independent Monte-Carlo
loop written here: per sample, each track's values drawn (the documented stream: a track's weights, then
its normals), a fresh DecisionProblem scored by the track's method, ranks counted by hand, and the overlap
rule written out (each track in order takes its first quota of eligible countries not already picked)."""

from __future__ import annotations

import copy
import json

import numpy as np
import pandas as pd
import pytest

from fulcrum.pipeline import method_of, rank_scenario
from fulcrum.scenario import parse_scenario
from fulcrum.tracks import samplers_around, track_acceptability
from fulcrum.uncertainty import scenario_tracks_smaa, track_values
from mcda.errors import InputError
from mcda.problem import DecisionProblem
from tests.support import ROOT

PAPER = ROOT / "scenarios" / "paper_2022.json"


def _doc() -> dict:
    """The paper's two tracks, each with a WGI criterion (the values that carry a stated sd)."""
    doc = json.loads(PAPER.read_text(encoding="utf-8"))
    doc["tracks"][0]["criteria"].append({"id": "wgi_ge", "direction": "benefit", "weight": 1})
    doc["tracks"][1]["criteria"].append({"id": "wgi_pv", "direction": "benefit", "weight": 1})
    doc["robustness"] = {"data_uncertainty": "shipped", "samples": 300, "seed": 4, "weight_spread": 30}
    return doc


@pytest.fixture(scope="module")
def outcome():
    sc = parse_scenario(_doc(), source="test", base_dir=PAPER.parent)
    return rank_scenario(sc)


def _ranks(scores: np.ndarray, higher: bool) -> np.ndarray:
    s = np.round(scores if higher else -scores, 12)
    return np.array([1 + int((s > v).sum()) for v in s])


def test_final_acceptability_with_values_equals_an_independent_loop(outcome):
    vals = track_values(outcome, "shipped")
    assert all(v is not None and v.n_cells > 0 for v in vals)
    n, seed = 300, 4
    got = track_acceptability(outcome, spread=30.0, n_samples=n, seed=seed, values=vals).table.set_index("alternative")
    rng = np.random.default_rng(seed)
    draws = []
    for sm, v in zip(samplers_around(outcome, 30.0), vals, strict=True):
        W = sm.draw(n, rng)
        draws.append((W, rng.standard_normal((n, v.n_cells))))
    final = {}
    for s in range(n):
        taken: list[str] = []
        for o, v, (W, Z) in zip(outcome.tracks, vals, draws, strict=True):
            Xs = v.base.copy()
            rows, cols = np.nonzero(v.sd > 0)
            for q, (i, j) in enumerate(zip(rows, cols, strict=True)):
                Xs[i, j] += v.sd[i, j] * Z[s, q]
            p = DecisionProblem(
                pd.DataFrame(Xs, index=pd.Index(o.problem.alternatives), columns=o.problem.criterion_ids),
                o.problem.criteria,
            )
            m = method_of(o.scenario)
            r = dict(zip(o.problem.alternatives, _ranks(m.scores(p, W[s]), m.higher_is_better), strict=True))
            tab = o.shortlist_table
            eligible = [a for a in tab.loc[tab["status"] != "excluded", "alternative"] if a in r]
            picks = [a for a in sorted(eligible, key=lambda a: (r[a], a)) if a not in taken][
                : o.scenario.shortlist.top_k
            ]
            taken += picks
        for a in taken:
            final[a] = final.get(a, 0) + 1
    ref = pd.Series(final, dtype=float) / n
    both = pd.concat([got["final"], ref.rename("ref")], axis=1).fillna(0.0)
    assert (both["final"] - both["ref"]).abs().max() <= 1 / n, both[both["final"] != both["ref"]]
    # the data matter: the weights-only run gives other shares
    exact = track_acceptability(outcome, spread=30.0, n_samples=n, seed=seed).table.set_index("alternative")["final"]
    assert (exact.reindex(both.index).fillna(0) - both["final"]).abs().max() > 0.02


def test_per_track_smaa_uses_each_tracks_quota_and_values(outcome):
    ts = scenario_tracks_smaa(outcome, track_values(outcome, "shipped"))
    assert [name for name, _, _ in ts.per_track] == [o.track for o in outcome.tracks]
    for (_, res, k), o in zip(ts.per_track, outcome.tracks, strict=True):
        assert k == o.scenario.shortlist.top_k
        assert list(res.acceptability.index) == list(o.problem.alternatives)
        assert res.confidence_top_k is not None and res.confidence_top_k.name == f"confidence_top_{k}"
    assert ts.per_track[0][1].measured_criteria == ("wgi_ge",) and ts.per_track[1][1].measured_criteria == ("wgi_pv",)
    assert abs(ts.final.table["final"].sum() - 4.0) < 1e-9  # four places in every sample


def test_mcda_run_writes_per_track_and_final_tables(cli, tmp_path):
    f = tmp_path / "sc.json"
    f.write_text(json.dumps(_doc()), encoding="utf-8")
    out = tmp_path / "out"
    r = cli("mcda", "run", str(f), "--out", str(out), "--no-allocation")
    assert r.returncode == 0, r.stderr
    sm = pd.read_csv(out / "smaa.csv", keep_default_na=False)
    assert list(sm.columns[:2]) == ["track", "alternative"]
    assert list(dict.fromkeys(sm["track"])) == [t["name"] for t in _doc()["tracks"]]
    fin = pd.read_csv(out / "smaa_final.csv")
    assert "final" in fin.columns and abs(fin["final"].sum() - 4.0) < 1e-9
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "per track and for the final shortlist" in md and "Criteria carrying measured uncertainty: wgi_pv" in md
    r2 = cli("mcda", "run", str(f), "--out", str(out), "--no-allocation")  # a re-run replaces its own files
    assert r2.returncode == 0, r2.stderr


def test_a_track_error_names_the_track(tmp_path):
    doc = copy.deepcopy(_doc())
    doc["tracks"][0]["criteria"][-1]["transform"] = "log"  # wgi_ge carries an sd in its own units
    doc["tracks"][0]["criteria"][-1]["id"] = "wgi_ge"
    with pytest.raises(InputError, match=r"track .Large economies.*transform"):
        o = rank_scenario(parse_scenario(doc, source="test", base_dir=PAPER.parent))
        track_values(o, "shipped")
