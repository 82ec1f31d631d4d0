"""The Data page's criteria table (ui/criteria_table.py), driven by AppTest with the edits a browser sends:
what it shows is the scenario, one edit is one validated scenario change, and every rule the old
checkboxes and select boxes enforced still holds (issue 12 target 6 replaced them by this one table)."""

from __future__ import annotations

import copy
import json

import numpy as np

from fulcrum.pipeline import load_dataset, rank_scenario
from fulcrum.scenario import parse_scenario, scenario_to_json
from mcda.data import load_criteria
from tests.app.apptest import edit_table, goto, new_app, run, shown_ranking, table_of, wkey
from ui.text import plain

TABLE = "crit_table"


def ids(at) -> list[str]:
    return list(table_of(at, TABLE)["id"])


def row(at, cid: str) -> dict:
    return table_of(at, TABLE).set_index("id").loc[cid].to_dict()


def edit(at, **rows) -> None:
    """``edit(at, gdp={"use": False})``: the cells of these criteria's rows, in one edit."""
    order = ids(at)
    edit_table(at, TABLE, {order.index(cid): cells for cid, cells in rows.items()})


def scenario(at):
    return at.session_state["scenario"]


def criteria(at) -> list[str]:
    return [c.id for c in scenario(at).criteria]


def assert_ranking_is_library(at, doc: dict) -> None:
    lib = rank_scenario(parse_scenario(doc)).ranking
    goto(at, "Ranking")
    shown = shown_ranking(at)
    assert list(shown["alternative"]) == list(lib["alternative"])
    np.testing.assert_array_equal(shown["score"].to_numpy(float), lib["score"].to_numpy(float))
    goto(at, "Data")


def test_the_table_shows_the_scenario_and_the_data(default_scenario):
    at = goto(new_app(), "Data")
    t = table_of(at, TABLE).set_index("id")
    meta = load_criteria()
    data, _ = load_dataset(default_scenario)
    # one row per criterion of the data, grouped as the criteria file groups them
    assert sorted(t.index) == sorted(c for c in meta.index if c in data.columns)
    groups = list(t["group"])
    assert [g for i, g in enumerate(groups) if i == 0 or g != groups[i - 1]] == list(dict.fromkeys(groups))
    used = {c.id: c for c in default_scenario.criteria}
    for cid, r in t.iterrows():
        assert bool(r["use"]) == (cid in used), cid
        if cid in used:
            assert r["direction"] == used[cid].direction, cid
            assert r["scale"] == {"none": "linear", "log": "log scale"}[used[cid].transform], cid
        else:  # a criterion not in use shows the criteria file's direction, linear
            assert (r["direction"], r["scale"]) == (meta.at[cid, "direction"], "linear"), cid
        have = int(data[cid].notna().sum())
        assert r["values"] == f"{have}/{len(data)}", cid
        assert r["missing"] == ", ".join(data.index[data[cid].isna()]), cid
        assert (r["criterion"], r["source"]) == (meta.at[cid, "label"], meta.at[cid, "source"]), cid
    # only use, direction and scale can be edited
    ed = next(d for d in at.data_editor if d.key.startswith(TABLE))
    assert ed.editing_mode == "fixed"


def test_unticking_and_ticking_a_criterion_ranks_as_the_library(default_scenario):
    at = goto(new_app(), "Data")
    edit(at, bri_mou={"use": False})
    doc = json.loads(scenario_to_json(default_scenario))
    doc["criteria"] = [c for c in doc["criteria"] if c["id"] != "bri_mou"]
    assert criteria(at) == [c["id"] for c in doc["criteria"]]
    assert not row(at, "bri_mou")["use"]
    assert_ranking_is_library(at, doc)
    # ticking one on: weight 1, with the direction and scale its row shows
    assert (row(at, "gdp_per_capita")["direction"], row(at, "gdp_per_capita")["scale"]) == ("cost", "linear")
    edit(at, gdp_per_capita={"use": True})
    doc["criteria"].append({"id": "gdp_per_capita", "direction": "cost", "weight": 1.0, "transform": "none"})
    assert criteria(at) == [c["id"] for c in doc["criteria"]]
    assert row(at, "gdp_per_capita")["use"]
    assert_ranking_is_library(at, doc)


def test_a_direction_change_is_used_by_the_ranking(default_scenario):
    at = goto(new_app(), "Data")
    edit(at, hdi={"direction": "benefit"})
    doc = json.loads(scenario_to_json(default_scenario))
    next(c for c in doc["criteria"] if c["id"] == "hdi")["direction"] = "benefit"
    assert next(c for c in scenario(at).criteria if c.id == "hdi").direction == "benefit"
    assert row(at, "hdi")["direction"] == "benefit"
    assert_ranking_is_library(at, doc)


def test_direction_or_scale_of_a_criterion_not_in_use_is_refused():
    at = goto(new_app(), "Data")
    before = scenario_to_json(scenario(at))
    for cells in ({"direction": "benefit"}, {"scale": "log scale"}):
        edit(at, gdp_per_capita=cells)
        # named as its row shows it (the label), not by its id
        assert any(plain(w.value).startswith("GDP per capita is switched off") for w in at.warning), [
            w.value for w in at.warning
        ]
        assert scenario_to_json(scenario(at)) == before
        assert (row(at, "gdp_per_capita")["direction"], row(at, "gdp_per_capita")["scale"]) == ("cost", "linear")
    # ticked together with a direction in the same edit: switched on with that direction
    edit(at, gdp_per_capita={"use": True, "direction": "benefit"})
    assert next(c for c in scenario(at).criteria if c.id == "gdp_per_capita").direction == "benefit"


def test_an_edit_is_applied_whole_or_not_at_all():
    """Two rows in one edit (a paste, two quick clicks): one of them rejected by the ranking rejects both."""
    at = goto(new_app(), "Data")
    before = scenario_to_json(scenario(at))
    key = next(d for d in at.data_editor if d.key.startswith(TABLE)).key
    edit(at, bri_mou={"use": False}, wgi_ge={"scale": "log scale"})  # log of negative estimates: refused
    # a new table (a new key): the browser drops the refused cells instead of showing them over the scenario
    assert next(d for d in at.data_editor if d.key.startswith(TABLE)).key != key
    assert any("Change not applied" in e.value and "wgi_ge" in e.value for e in at.error), [e.value for e in at.error]
    assert scenario_to_json(scenario(at)) == before
    assert row(at, "bri_mou")["use"] and row(at, "wgi_ge")["scale"] == "linear"  # the table shows the scenario
    # and the next edit is applied as usual
    edit(at, bri_mou={"use": False})
    assert "bri_mou" not in criteria(at)


def test_an_edit_sent_by_a_table_since_redrawn_is_ignored():
    """A browser still showing an earlier table (a rerun interrupted) sends its edit: it must not be applied."""
    at = goto(new_app(), "Data")
    old = next(d for d in at.data_editor if d.key.startswith(TABLE))
    old_states = copy.deepcopy(at._tree.get_widget_states())
    edit(at, bri_mou={"use": False})
    assert "bri_mou" not in criteria(at)
    after = scenario_to_json(scenario(at))
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    ws = WidgetState(id=old.proto.id)
    ws.string_value = json.dumps(
        {"edited_rows": {str(ids(at).index("wgi_pv")): {"use": False}}, "added_rows": [], "deleted_rows": []}
    )
    old_states.widgets.append(ws)
    at._run(old_states)
    assert not at.exception
    assert scenario_to_json(scenario(at)) == after


def test_switching_off_drops_its_missing_data_override(default_scenario):
    doc = json.loads(scenario_to_json(default_scenario))
    doc["data"]["missing"] = {"default": "impute:median", "bri_mou": "impute:min"}
    at = goto(new_app(parse_scenario(doc)), "Data")
    edit(at, bri_mou={"use": False})
    assert "bri_mou" not in criteria(at)
    assert scenario(at).data.missing == {"default": "impute:median"}


def test_a_criterion_switched_on_under_ahp_gets_judgements_and_ranks():
    at = goto(new_app(), "Weights")
    at.radio(key=wkey("mode", at)).set_value("ahp")
    run(at)
    goto(at, "Data")
    edit(at, gdp_growth={"use": True})
    assert not at.error, [e.value for e in at.error]
    sc = scenario(at)
    assert "gdp_growth" in criteria(at) and sc.weights.mode == "ahp"
    judged = {x for e in sc.weights.ahp.experts for j in e.within.values() for p in j for x in (p.a, p.b)}
    assert "gdp_growth" in judged
    assert_ranking_is_library(at, json.loads(scenario_to_json(sc)))


def test_a_refusal_names_the_criterion_and_the_country_as_the_pages_do():
    """The library says ``wgi_ge`` and ``ARG``; the planner reads the label and the country's name, id kept."""
    at = goto(new_app(), "Data")
    edit(at, wgi_ge={"scale": "log scale"})
    errors = [plain(e.value) for e in at.error]
    msg = next(e for e in errors if "Change not applied" in e)
    assert "Government effectiveness (wgi_ge) cannot be ranked on a log scale" in msg, msg
    countries = load_dataset(parse_scenario(scenario_to_json(scenario(at))))[0]
    named_countries = [f"{name} ({iso})" for iso, name in countries["country"].items() if f"{name} ({iso}) has" in msg]
    assert len(named_countries) == 1, msg  # e.g. "Argentina (ARG) has -0.38"
    assert msg.count("Government effectiveness") == 1 and "Keep wgi_ge on the linear scale" in msg  # named once
    assert "row ARG, column wgi_ge:" in msg or "column wgi_ge" not in msg  # cell coordinates stay the table's ids
