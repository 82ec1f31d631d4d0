"""Tracks with quotas (issue 10 item 1): scenario, overlap rule, reasons, exports, allocation, SMAA per track."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from fulcrum.pipeline import rank_scenario
from fulcrum.scenario import load_scenario, parse_scenario, scenario_to_json
from mcda.errors import InputError
from mcda.shortlist import cut_order, id_order, track_picks

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "scenarios" / "examples" / "two_tracks.json"
SIZE = [{"id": "gdp", "weight": 3, "transform": "log"}, {"id": "population", "weight": 1, "transform": "log"}]


def _doc() -> dict:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


def _same_criteria_doc(k1: int = 2, k2: int = 2) -> dict:
    """Two tracks ranking on the same criteria: the second must skip the first's picks."""
    return {
        "name": "same twice",
        "tracks": [
            {"name": "Size A", "criteria": SIZE, "shortlist": {"top_k": k1}},
            {"name": "Size B", "criteria": SIZE, "shortlist": {"top_k": k2}},
        ],
    }


@pytest.fixture(scope="module")
def example():
    return rank_scenario(load_scenario(EXAMPLE))


def test_quota_per_track_and_final_order(example):
    t = example.shortlist_table
    sl = t[t["status"] == "shortlisted"].sort_values("position")
    assert len(sl) == 4 and list(sl["position"]) == [1, 2, 3, 4]
    assert list(sl["track"]) == ["Large economies"] * 2 + ["Need and alignment"] * 2
    for o in example.tracks:  # each track's picks are the first eligible of its own ranking, quota many
        own = o.shortlist_table
        picks = own[own["status"] == "shortlisted"]
        assert len(picks) == o.scenario.shortlist.top_k
        assert set(picks["alternative"]) == set(sl.loc[sl["track"] == o.track, "alternative"])
    assert set(t.loc[t["status"] != "shortlisted", "track"]) == {""}


def test_overlap_rule_later_track_takes_its_next():
    out = rank_scenario(parse_scenario(_same_criteria_doc()))
    own = out.tracks[0].ranking.sort_values("rank")["alternative"].tolist()  # the same ranking in both tracks
    t = out.shortlist_table.set_index("alternative")
    assert t.loc[own[:2], "track"].tolist() == ["Size A", "Size A"]
    assert t.loc[own[2:4], "track"].tolist() == ["Size B", "Size B"]  # the 3rd and 4th, not the 1st and 2nd again
    assert (t["status"] == "shortlisted").sum() == 4
    first_b = t.loc[own[2], "reason"]
    assert "picked by track 'Size B'" in first_b and "in place of" in first_b
    assert "already picked by track 'Size A'" in first_b and own[0] in first_b and own[1] in first_b
    view_b = out.tracks[1].shortlist_table.set_index("alternative")
    assert view_b.loc[own[0], "status"] == "below cut"
    assert view_b.loc[own[0], "reason"] == "picked by track 'Size A'"


def test_per_track_reasons_for_countries_not_picked(example):
    t = example.shortlist_table.set_index("alternative")
    mex = t.loc["MEX", "reason"]  # excluded in track 1 by the US-dependence filter, eligible in track 2
    assert "track 'Large economies': filter us_export_share < 75 fails" in mex
    assert "track 'Need and alignment': rank" in mex and t.loc["MEX", "status"] == "below cut"
    ven = t.loc["VEN", "reason"]  # excluded in both tracks by the stability filter
    assert t.loc["VEN", "status"] == "excluded" and ven.count("filter wgi_pv > -1 fails") == 2


def _loop_picks(ranks, eligible, quotas, ids):
    """The overlap rule written as a plain loop over one sample."""
    n = len(ids)
    track, position, taken = [-1] * n, [0] * n, 0
    for t, (r, el, k) in enumerate(zip(ranks, eligible, quotas, strict=True)):
        order = sorted((j for j in range(n) if el[j]), key=lambda j: (r[j], ids[j]))
        got = 0
        for j in order:
            if got == k:
                break
            if track[j] < 0:
                taken += 1
                got += 1
                track[j], position[j] = t, taken
    return track, position


def test_track_picks_vectorised_equals_a_loop():
    rng = np.random.default_rng(7)
    n, s = 9, 300
    ids = id_order([f"A{i}" for i in range(n)])
    ranks = [rng.integers(1, 5, size=(s, n)) for _ in range(3)]  # many ties
    eligible = [rng.random(n) > 0.2 for _ in range(3)]
    quotas = [2, 3, 1]
    track, position = track_picks(ranks, eligible, quotas, ids)
    for row in range(s):
        lt, lp = _loop_picks([r[row] for r in ranks], eligible, quotas, ids)
        assert track[row].tolist() == lt and position[row].tolist() == lp
    one_t, one_p = track_picks([r[0] for r in ranks], eligible, quotas, ids)  # a single ranking (1-D)
    assert one_t.tolist() == track[0].tolist() and one_p.tolist() == position[0].tolist()
    # one track is the plain cut
    t1, _ = track_picks([ranks[0]], [eligible[0]], [2], ids)
    first = cut_order(ranks[0], eligible[0], ids)[:, :2]
    assert all(set(np.flatnonzero(t1[i] == 0)) == set(first[i]) for i in range(s))


def test_shortlist_csv_has_track_column_only_with_tracks(cli, tmp_path, default_outcome):
    from fulcrum.report import shortlist_export

    assert "track" not in shortlist_export(default_outcome).columns  # the shipped scenarios: unchanged
    r = cli("mcda", "run", str(EXAMPLE), "--out", str(tmp_path / "o"))
    assert r.returncode == 0, r.stderr
    sl = pd.read_csv(tmp_path / "o" / "shortlist.csv", keep_default_na=False)
    assert list(sl.columns) == [
        "alternative",
        "name",
        "rank",
        "score",
        "status",
        "reason",
        "position",
        "priority",
        "track",
    ]
    assert len(sl) == 33 and sl["alternative"].is_unique
    rk = pd.read_csv(tmp_path / "o" / "ranking.csv")
    assert list(rk.columns[:2]) == ["track", "alternative"] and list(rk["track"].unique()) == [
        "Large economies",
        "Need and alignment",
    ]
    assert len(rk) == 66
    summary = json.loads((tmp_path / "o" / "summary.json").read_text())
    assert [t["picked"] for t in summary["tracks"]] == [["BRA", "ARG"], ["HND", "BOL"]]
    assert "track 'Large economies' (quota 2) picked: BRA, ARG" in r.stdout
    md = (tmp_path / "o" / "report.md").read_text()
    assert "## Track 1: Large economies" in md and "## Track 2: Need and alignment" in md
    html = (tmp_path / "o" / "report.html").read_text()
    assert "Track 1: Large economies" in html and "Track 2: Need and alignment" in html
    book = pd.read_excel(io.BytesIO((tmp_path / "o" / "results.xlsx").read_bytes()), sheet_name=None)
    assert {"ranking 1 Large economies", "ranking 2 Need and alignment", "shortlist"} <= set(book)
    assert "track" in book["shortlist"].columns


def test_allocation_over_tracks_priorities_by_track(example):
    from fulcrum.allocate import model_for_outcome, solve_for_outcome
    from mcda.shortlist import priorities

    sl = example.shortlist
    assert sl["priority"].sum() == pytest.approx(1.0)
    table = example.shortlist_table.set_index("alternative")
    n = len(sl)
    for o in example.tracks:  # within a track: its own rule on its own scores, scaled by its share of picks
        ids = list(table.index[table["track"] == o.track])
        scores = o.ranking.set_index("alternative")["score"]
        own = priorities(scores.loc[ids], scores, o.higher_is_better, o.scenario.shortlist.priority)
        assert sl.loc[ids, "priority"].to_numpy() == pytest.approx(own.to_numpy() * len(ids) / n)
    model = model_for_outcome(example)
    assert sorted(model.prep.priority.index) == sorted(sl.index)
    res = solve_for_outcome(example)
    assert res.ok and set(res.by_country.index) == set(sl.index)


def test_smaa_per_track_equals_a_plain_loop(example):
    from fulcrum.pipeline import method_of
    from fulcrum.tracks import track_acceptability, universe

    res = track_acceptability(example, spread=30, n_samples=200, seed=3, keep_samples=True)
    alts = universe(example.tracks)
    ids = id_order(alts)
    quotas = [o.scenario.shortlist.top_k for o in example.tracks]
    eligible = [
        np.array(
            [a in set(o.shortlist_table.loc[o.shortlist_table["status"] != "excluded", "alternative"]) for a in alts]
        )
        for o in example.tracks
    ]
    final = np.zeros(len(alts))
    by_track = [np.zeros(len(alts)) for _ in example.tracks]
    for s in range(200):
        ranks = []
        for t, o in enumerate(example.tracks):  # one single ranking call per sample and track
            m = method_of(o.scenario)
            r = m.rank(o.problem, res.weights[t][s]).set_index("alternative")["rank"]
            ranks.append(np.array([int(r[a]) for a in alts]))
        lt, _ = _loop_picks(ranks, eligible, quotas, ids)
        for j, t in enumerate(lt):
            if t >= 0:
                final[j] += 1
                by_track[t][j] += 1
    tab = res.table.set_index("alternative").loc[alts]
    assert tab["final"].to_numpy() == pytest.approx(final / 200)
    for t, o in enumerate(example.tracks):
        assert tab[f"picked_by:{o.track}"].to_numpy() == pytest.approx(by_track[t] / 200)
    assert tab["final"].sum() == pytest.approx(4.0)  # every sample fills both quotas


@pytest.mark.parametrize(
    "edit, field",
    [
        (lambda d: d["tracks"][0].pop("name"), "field tracks[0].name"),
        (lambda d: d["tracks"][1].update(name=d["tracks"][0]["name"]), "field tracks"),
        (lambda d: d.update(tracks=[]), "field tracks"),
        (lambda d: d.update(criteria=d["tracks"][0]["criteria"]), "field criteria"),
        (lambda d: d.update(method={"name": "vikor"}), "field method"),
        (lambda d: d["tracks"][1]["shortlist"].update(top_k=30), "tracks[1].shortlist.top_k"),
        (lambda d: d["tracks"][1]["criteria"][0].update(id="nope"), "tracks[1].criteria[0].id"),
        (lambda d: d["tracks"][0]["shortlist"]["filters"][0].update(column="nope"), "tracks[0].shortlist.filters[0]"),
        (lambda d: d["tracks"][0].update(name="a\x1bb"), "tracks[0].name"),
    ],
)
def test_bad_tracks_exit_2_naming_the_field(cli, tmp_path, edit, field):
    d = _doc()
    edit(d)
    p = tmp_path / "s.json"
    p.write_text(json.dumps(d))
    r = cli("mcda", "run", str(p), "--out", str(tmp_path / "o"))
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1
    assert field in r.stderr, r.stderr


def test_round_trip_and_unchanged_document_without_tracks(default_scenario):
    sc = load_scenario(EXAMPLE)
    again = parse_scenario(scenario_to_json(sc))
    assert scenario_to_json(again) == scenario_to_json(sc)
    assert "criteria" not in json.loads(scenario_to_json(sc))
    assert "tracks" not in json.loads(scenario_to_json(default_scenario))
    doc = copy.deepcopy(sc.model_dump(mode="json"))  # the app edits a dump and parses it back
    doc["tracks"][0]["shortlist"]["top_k"] = 3
    assert parse_scenario(doc).tracks[0].shortlist.top_k == 3
    with pytest.raises(ValueError):
        default_scenario.track_scenario(0)


def test_quota_larger_than_eligible_names_the_track():
    d = _same_criteria_doc(k1=20, k2=20)
    d["data"] = {"candidates": ["BRA", "ARG", "MEX"]}
    with pytest.raises(InputError) as e:
        rank_scenario(parse_scenario(d))
    assert e.value.where == "tracks[0].shortlist.top_k" and "quota of 20" in str(e.value)


def test_a_track_left_short_by_overlaps_says_so():
    d = _same_criteria_doc(k1=2, k2=2)
    d["data"] = {"candidates": ["BRA", "ARG", "MEX"]}
    out = rank_scenario(parse_scenario(d))
    assert (out.shortlist_table["status"] == "shortlisted").sum() == 3
    assert any("Track 'Size B' picked 1 of its quota of 2" in n for n in out.notes)


def test_funding_acceptability_over_the_final_shortlist(example):
    from fulcrum.funding import funding_acceptability
    from fulcrum.tracks import samplers_around, track_acceptability

    res = funding_acceptability(example, samplers_around(example, 30), n_samples=40, seed=5, keep_samples=True)
    acc = track_acceptability(example, spread=30, n_samples=40, seed=5).table.set_index("alternative")
    fs = res.summary.set_index("country")
    # the same draws: the share shortlisted is the share in the final shortlist over tracks
    assert fs.loc[acc.index, "share_shortlisted"].to_numpy() == pytest.approx(acc["final"].to_numpy())
    assert set(fs.index[fs["base_shortlisted"]]) == {"BRA", "ARG", "HND", "BOL"}
    per_sample = res.samples.groupby("sample")["priority"].sum()
    assert per_sample.to_numpy() == pytest.approx(1.0)  # priorities by track sum to 1 in every sample
    assert any(c.startswith("w_Large economies:") for c in res.samples.columns)
    with pytest.raises(InputError, match="one weight sampler per track"):
        funding_acceptability(example, samplers_around(example, 30)[:1], n_samples=5)


def _funding_bytes(res) -> bytes:
    return (
        b"".join(f.to_csv().encode() for f in (res.summary, res.samples, res.shortlist_counts))
        + "\n".join(res.notes).encode()
    )


def test_funding_over_tracks_runs_on_every_executor_with_the_same_bytes(example):
    """Chunks with their own seeds, each drawing every track's weights and solving on models of its own: the
    same bytes in this process, on local processes and on a Dask cluster; one chunk is the plain run."""
    from fulcrum.funding import funding_acceptability
    from fulcrum.tracks import samplers_around
    from mcda.executor import InProcess, LocalProcesses, make_executor

    samplers = samplers_around(example, 30)
    kw = {"n_samples": 36, "seed": 7, "keep_samples": True, "chunk_size": 15}
    here = funding_acceptability(example, samplers, executor=InProcess(), **kw)
    there = funding_acceptability(example, samplers, executor=LocalProcesses(2), **kw)
    assert _funding_bytes(here) == _funding_bytes(there)
    assert here.n_samples == 36 and here.samples["sample"].max() == 35 and here.method == there.method
    # one chunk: the plain run in this process (the chunk's generator is the study's)
    one = funding_acceptability(example, samplers, executor=InProcess(), **{**kw, "chunk_size": 100})
    plain = funding_acceptability(example, samplers, n_samples=36, seed=7, keep_samples=True)
    assert _funding_bytes(one) == _funding_bytes(plain)
    # chunks are really drawn on their own: 3 chunks are not the plain run's draws, but each chunk is the plain
    # run seeded with that chunk's seed, its samples numbered on from the chunks before it
    assert not here.samples.filter(like="w_").equals(plain.samples.filter(like="w_"))
    import pandas as pd

    from mcda.executor import plan

    parts = []
    for c in plan(36, 7, 15):
        part = funding_acceptability(example, samplers, n_samples=c.size, seed=c.seed, keep_samples=True).samples
        parts.append(part.assign(sample=part["sample"] + c.start))
    expected = pd.concat(parts, ignore_index=True)
    pd.testing.assert_frame_equal(here.samples.reset_index(drop=True), expected, check_exact=True)
    distributed = pytest.importorskip("distributed")
    seen: list[float] = []
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cl:
        ex = make_executor(cl.scheduler_address)
        try:
            res = funding_acceptability(example, samplers, executor=ex, progress=lambda f, m: seen.append(f), **kw)
        finally:
            ex.close()
    assert _funding_bytes(res) == _funding_bytes(here) and seen[-1] == 1.0


def test_funding_over_tracks_on_an_executor_checks_the_samplers_first(example):
    from fulcrum.funding import funding_acceptability
    from fulcrum.tracks import samplers_around
    from mcda.executor import LocalProcesses

    with pytest.raises(InputError, match="one weight sampler per track"):
        funding_acceptability(example, samplers_around(example, 30)[:1], n_samples=5, executor=LocalProcesses(2))
