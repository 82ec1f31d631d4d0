"""``data.as_of`` (issue 10 item 2): the scenario field, the replayed ranking, and the date and its flags in
every output (stdout, summary.json, report.md, report.html, the XLSX notes sheet).
"""

from __future__ import annotations

import copy
import io
import json

import openpyxl
import pytest

from fulcrum.pipeline import load_dataset, rank_scenario
from fulcrum.scenario import parse_scenario
from mcda.errors import InputError
from tests.hostile.generate import AS_OF_BAD


def with_as_of(doc: dict, day: object) -> dict:
    d = copy.deepcopy(doc)
    d["data"]["as_of"] = day
    return d


def write(tmp_path, doc: dict, name: str = "s.json"):
    p = tmp_path / name
    p.write_text(json.dumps(doc), encoding="utf-8")
    return p


@pytest.mark.parametrize("tag", sorted(AS_OF_BAD))
def test_a_bad_as_of_exits_2_with_one_line_naming_the_field(tag, default_doc, tmp_path, cli):
    p = write(tmp_path, with_as_of(default_doc, AS_OF_BAD[tag]))
    ran = cli("mcda", "run", p, "--out", tmp_path / "out")
    assert ran.returncode == 2, ran.stderr
    assert len(ran.stderr.strip().splitlines()) == 1
    assert "data.as_of" in ran.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("day", "words"),
    [("2022-02-30", "not a calendar date"), ("1900-01-01", "before the data starts"), ("2999-01-01", "future")],
)
def test_the_message_says_what_is_wrong(day, words, default_doc):
    with pytest.raises(InputError, match=words) as e:
        rank_scenario(parse_scenario(with_as_of(default_doc, day)))
    assert "data.as_of" in str(e.value)


def test_as_of_on_an_own_data_file_is_refused(tmp_path):
    (tmp_path / "d.csv").write_text("id,x\nA,1\nB,2\n", encoding="utf-8")
    doc = {
        "data": {"dataset": "d.csv", "as_of": "2022-06-30"},
        "criteria": [{"id": "x", "direction": "benefit", "weight": 1}],
    }
    sc = parse_scenario(doc, base_dir=tmp_path)
    with pytest.raises(InputError, match="shipped country data only") as e:
        load_dataset(sc)
    assert e.value.where == "data.as_of"


def test_without_as_of_the_data_is_the_shipped_table(default_doc):
    sc = parse_scenario(default_doc)
    assert sc.data.as_of is None
    out = rank_scenario(sc)
    assert out.as_of is None
    assert out.data_notes[0].startswith("Data: latest data")


def test_the_paper_date_replays_2022_facts_into_the_ranking(shipped):
    doc = with_as_of(shipped.doc("paper_2022"), "2022-06-30")
    out = rank_scenario(parse_scenario(doc))
    c = out.countries
    assert c.loc["URY", "partnership_level"] == 2  # strategic in 2022 (comprehensive strategic from Nov 2023)
    assert c.loc["HND", "prc_relations"] == 0 and c.loc["PAN", "bri_mou"] == 1
    assert c.loc["ARG", "gdp_year"] == 2020  # WDI 2021 values count from 2022-07-01
    latest = shipped.outcome("paper_2022")
    assert list(out.shortlist.index) != list(latest.shortlist.index)


def test_every_output_states_the_date_and_flags_what_is_not_replayable(default_doc, tmp_path, cli):
    doc = with_as_of(default_doc, "2018-06-30")
    # the default scenario's criteria plus a Factbook snapshot (china_import_share) and static geography
    doc["criteria"] += [{"id": c, "weight": 1.0} for c in ("china_import_share", "dist_beijing", "coastline")]
    p = write(tmp_path, doc)
    ran = cli("mcda", "run", p, "--out", tmp_path / "out")
    assert ran.returncode == 0, ran.stderr
    out = tmp_path / "out"
    # china_import_share (Factbook snapshot), dist_beijing and coastline (static), bri_mou (dated events)
    assert "note: Data as of 2018-06-30" in ran.stdout
    assert "NOT REPLAYABLE to 2018-06-30: china_import_share" in ran.stdout
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["data_as_of"] == "2018-06-30"
    assert any(n.startswith("NOT REPLAYABLE") and "china_import_share" in n for n in summary["data_notes"])
    assert any(n.startswith("Static") and "dist_beijing" in n for n in summary["data_notes"])
    # Dominica's, the Dominican Republic's, El Salvador's and Antigua's BRI MoUs are known only by year (2018)
    uncertain = [n for n in summary["data_notes"] if n.startswith("UNCERTAIN")]
    assert uncertain and all(c in uncertain[0] for c in ("ATG", "DMA", "DOM", "SLV"))
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "Data as of 2018-06-30" in md and "NOT REPLAYABLE" in md and "UNCERTAIN" in md
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<strong>Data:</strong> as of 2018-06-30" in html
    assert "<li class=warning>NOT REPLAYABLE" in html
    wb = openpyxl.load_workbook(io.BytesIO((out / "results.xlsx").read_bytes()), read_only=True)
    rows = list(wb["notes"].iter_rows(values_only=True))
    assert ("data", "as of 2018-06-30") in rows
    assert any(str(v).startswith("NOT REPLAYABLE") for _, v in rows)


def test_solve_states_the_date_too(default_doc, tmp_path, cli):
    p = write(tmp_path, with_as_of(default_doc, "2022-06-30"))
    ran = cli("optimisation", "solve", p, "--out", tmp_path / "out")
    assert ran.returncode == 0, ran.stderr
    assert "note: Data as of 2022-06-30" in ran.stdout
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["data_as_of"] == "2022-06-30"


def test_latest_data_is_stated_and_nothing_is_flagged(default_doc, tmp_path, cli):
    ran = cli("mcda", "run", write(tmp_path, default_doc), "--out", tmp_path / "out")
    assert ran.returncode == 0
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["data_as_of"] is None
    assert summary["data_notes"] == [
        "Data: latest data (no as-of date set); China-relations statuses as of the latest dated event."
    ]
    assert "<strong>Data:</strong> latest data" in (tmp_path / "out" / "report.html").read_text(encoding="utf-8")


def test_unga_columns_say_votes_end_in_2019(default_doc):
    doc = copy.deepcopy(default_doc)
    doc["criteria"].append({"id": "unga_agree_chn", "weight": 1})
    out = rank_scenario(parse_scenario(doc))
    assert any("through 2019" in n for n in out.data_notes)


def test_the_example_scenario_replays_with_replayable_criteria_only():
    from fulcrum.scenario import load_scenario
    from tests.support import ROOT

    out = rank_scenario(load_scenario(ROOT / "scenarios" / "examples" / "as_of_2022.json"))
    assert out.as_of is not None and out.as_of.on.isoformat() == "2022-06-30"
    assert not any(n.startswith(("NOT REPLAYABLE", "Static")) for n in out.data_notes)
    assert any("through 2019" in n for n in out.data_notes)


def test_tracks_replay_on_the_date_and_state_it_once():
    from tests.support import ROOT

    doc = json.loads((ROOT / "scenarios" / "examples" / "two_tracks.json").read_text(encoding="utf-8"))
    doc["data"]["as_of"] = "2022-06-30"
    out = rank_scenario(parse_scenario(doc))
    assert out.as_of is not None and all(t.as_of.on == out.as_of.on for t in out.tracks)
    heads = [n for n in out.notes if n.startswith("Data as of 2022-06-30")]
    assert len(heads) == 1 and out.data_notes[0] == heads[0]
    assert any(n.startswith("NOT REPLAYABLE") and "us_export_share" in n for n in out.data_notes)
    assert out.tracks[0].countries.loc["HND", "prc_relations"] == 0
