"""The Data page's as-of control (issue 10 item 2), driven by AppTest: blank = latest data, a date
replays the ranking exactly as the library does, a bad date is refused with the field named and the
scenario kept, and the sidebar shows the date."""

from __future__ import annotations

import json

from fulcrum.pipeline import rank_scenario
from fulcrum.scenario import parse_scenario, scenario_to_json
from tests.app.apptest import goto, new_app, shown_ranking, table_of, wkey


def _sidebar_text(at) -> str:
    return " ".join(str(c.value) for c in at.sidebar.caption)


def _set_as_of(at, value: str):
    at.text_input(key=wkey("as_of", at)).set_value(value)
    at.run()
    assert not at.exception
    return at


def test_default_is_latest_data_and_the_sidebar_says_so():
    at = goto(new_app(), "Data")
    assert at.text_input(key=wkey("as_of", at)).value == ""
    assert "Data: latest data" in _sidebar_text(at)
    assert at.session_state["scenario"].data.as_of is None


def test_a_date_re_ranks_as_the_library_says(default_scenario):
    # the default scenario plus a Factbook trade snapshot, whose flag the Data page must show
    doc0 = json.loads(scenario_to_json(default_scenario))
    doc0["criteria"].append({"id": "china_import_share", "weight": 1.0})
    base = parse_scenario(doc0)
    at = _set_as_of(goto(new_app(base), "Data"), "2022-06-30")
    sc = at.session_state["scenario"]
    assert sc.data.as_of == "2022-06-30"
    assert "Data: as of 2022-06-30" in _sidebar_text(at)
    # the flags are shown on the Data page: the scenario uses the Factbook trade snapshot
    assert any("NOT REPLAYABLE to 2022-06-30: china_import_share" in w.value for w in at.warning)
    # each criterion's caption gives the years the replay used (WDI GDP: 2020 values on that date)
    gdp = table_of(at, "crit_table").set_index("id").loc["gdp"]
    assert "NY.GDP.MKTP.CD" in gdp["source"] and gdp["year"] == "2020", gdp.to_dict()
    doc = json.loads(scenario_to_json(base))
    doc["data"]["as_of"] = "2022-06-30"
    expected = rank_scenario(parse_scenario(doc)).ranking
    latest = rank_scenario(base).ranking
    at = goto(at, "Ranking")
    shown = shown_ranking(at)
    assert list(shown["alternative"]) == list(expected["alternative"])
    assert list(expected["alternative"]) != list(latest["alternative"])
    # clearing the field goes back to the latest data
    at = _set_as_of(goto(at, "Data"), "")
    assert at.session_state["scenario"].data.as_of is None


def test_a_bad_date_is_refused_and_the_scenario_kept():
    at = _set_as_of(goto(new_app(), "Data"), "2022-02-30")
    assert at.session_state["scenario"].data.as_of is None
    assert any("data.as_of" in e.value and "not a calendar date" in e.value for e in at.error)
    assert at.text_input(key=wkey("as_of", at)).value == ""
    at = _set_as_of(at, "1900-01-01")
    assert any("before the data starts" in e.value for e in at.error)
    assert at.session_state["scenario"].data.as_of is None
