"""AppTest edge cases: a demanding planner trying to break the app.

Standard: bad input gets a readable notice naming what to fix, the rest of the page keeps working,
the previous state is kept, and no NaN reaches a ranking. Each test drives the app the way a planner
would and compares what is shown with the library's answer for the same inputs.
"""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from fulcrum.pipeline import rank_scenario
from fulcrum.scenario import parse_scenario, scenario_to_json
from tests.app.apptest import PAGES, edit_table, goto, new_app, run, shown_ranking, table_of
from tests.support.shipped import SHIPPED


def button(at: AppTest, label: str):
    return at.button[[b.label for b in at.button].index(label)]


def scenario_doc() -> dict:
    return SHIPPED.doc("default")


def only(doc: dict, ids) -> dict:
    """Keep only these criteria, adding any the scenario lacks with weight 1 and the criteria file's direction
    (and a missing-data policy that names none of the others)."""
    have = {c["id"]: c for c in doc["criteria"]}
    doc["criteria"] = [have.get(i, {"id": i, "weight": 1.0}) for i in ids]
    doc["data"]["missing"] = "impute:median"
    return doc


def assert_shows_library_ranking(at: AppTest, sc) -> None:
    goto(at, "Ranking")
    lib = rank_scenario(sc).ranking
    shown = shown_ranking(at)
    assert not shown["score"].isna().any()
    assert list(shown["alternative"]) == list(lib["alternative"])
    np.testing.assert_allclose(shown["score"].to_numpy(float), lib["score"].to_numpy(float), rtol=0, atol=0)


# ------------------------------------------------------------------ methods and normalisations
def test_wpm_chosen_after_minmax_gets_its_own_normalisation():
    """WPM takes max/sum only: switching from WSM (minmax) must not carry 'minmax' over and be refused."""
    doc = scenario_doc()
    only(doc, ("gdp", "population", "hdi", "dist_beijing"))
    doc["method"] = {"name": "wsm", "normalization": "minmax", "options": {}}
    at = goto(new_app(parse_scenario(doc)), "Ranking")
    at.selectbox(key="w:method").set_value("wpm")
    run(at)
    assert not at.error, [e.value for e in at.error]
    sc = at.session_state["scenario"]
    assert (sc.method.name, sc.method.normalization) == ("wpm", None)
    assert any("fixed by this method" in c.value for c in at.caption)
    doc["method"] = {"name": "wpm", "normalization": None, "options": {}}
    assert_shows_library_ranking(at, parse_scenario(doc))


def test_wpm_on_negative_governance_scores_is_refused_with_the_column_named():
    at = goto(new_app(), "Ranking")
    before = shown_ranking(at)
    at.selectbox(key="w:method").set_value("wpm")
    run(at)
    assert any("wgi_" in e.value and "> 0" in e.value for e in at.error), [e.value for e in at.error]
    assert at.session_state["scenario"].method.name == "topsis"
    assert at.selectbox(key="w:method").value == "topsis"
    assert shown_ranking(at).equals(before)


# ------------------------------------------------------------------ criteria on the Data page
def crit_row(at: AppTest, cid: str) -> int:
    """Row of criterion ``cid`` in the Data page's criteria table (what the browser's edit refers to)."""
    return list(table_of(at, "crit_table")["id"]).index(cid)


def crit_edit(at: AppTest, cid: str, **cells) -> AppTest:
    """Edit criterion ``cid``'s row of the criteria table (use / direction / scale), as a planner does."""
    return edit_table(at, "crit_table", {crit_row(at, cid): cells})


def crit_shown(at: AppTest, cid: str) -> dict:
    return table_of(at, "crit_table").set_index("id").loc[cid].to_dict()


def test_last_criterion_cannot_be_switched_off():
    doc = scenario_doc()
    only(doc, ("gdp",))
    at = goto(new_app(parse_scenario(doc)), "Data")
    crit_edit(at, "gdp", use=False)
    assert any("At least one criterion must stay switched on" in w.value for w in at.warning)
    assert crit_shown(at, "gdp")["use"]
    assert [c.id for c in at.session_state["scenario"].criteria] == ["gdp"]


def test_reenabled_criterion_uses_the_direction_shown():
    at = goto(new_app(), "Data")
    crit_edit(at, "gdp", direction="cost")
    crit_edit(at, "gdp", use=False)
    assert crit_shown(at, "gdp")["direction"] == "cost"  # an unused criterion shows the direction it had
    crit_edit(at, "gdp", use=True)
    sc = at.session_state["scenario"]
    assert crit_shown(at, "gdp")["direction"] == "cost"
    assert next(c for c in sc.criteria if c.id == "gdp").direction == "cost"
    assert rank_scenario(sc).criteria.at["gdp", "direction"] == "cost"


def test_log_transform_control_ranks_on_the_log():
    at = goto(new_app(), "Data")
    crit_edit(at, "hdi", scale="log scale")
    assert not at.error, [e.value for e in at.error]
    sc = at.session_state["scenario"]
    assert next(c for c in sc.criteria if c.id == "hdi").transform == "log"
    assert crit_shown(at, "hdi")["scale"] == "log scale"
    doc = scenario_doc()
    for c in doc["criteria"]:
        if c["id"] == "hdi":
            c["transform"] = "log"
    expected = parse_scenario(doc)
    assert any("natural log" in n for n in rank_scenario(expected).notes)
    assert_shows_library_ranking(at, expected)


def test_log_of_negative_values_is_refused_naming_the_cell():
    at = goto(new_app(), "Data")
    crit_edit(at, "wgi_ge", scale="log scale")
    assert any("wgi_ge" in e.value and "log" in e.value and "row " in e.value for e in at.error), [
        e.value for e in at.error
    ]
    assert next(c for c in at.session_state["scenario"].criteria if c.id == "wgi_ge").transform == "none"
    assert crit_shown(at, "wgi_ge")["scale"] == "linear"


def test_missing_policy_error_names_the_cell_and_the_data_page_still_fixes_it():
    doc = scenario_doc()
    doc["data"]["missing"] = "error"
    at = new_app(parse_scenario(doc))
    for page in [p for p in PAGES if p != "Library & compare"]:  # the library page ranks nothing until asked
        goto(at, page)
        assert at.header[0].value.startswith(page.split(" ")[0])
        assert any("row ATG, column poverty_national" in e.value and "missing" in e.value for e in at.error), page
    goto(at, "Data")
    at.selectbox(key="w:missing").set_value("impute:median")
    run(at)
    assert not at.error, [e.value for e in at.error]
    doc["data"]["missing"] = "impute:median"
    assert_shows_library_ranking(at, parse_scenario(doc))


# ------------------------------------------------------------------ shortlist
def open_filters(at) -> None:
    """Open the Ranking page's "Filters and manual exclusions" expander (its widgets are drawn while it is open)."""
    at.session_state["filters_open"] = True
    run(at)


def _add_filter(at, col, op, value, reason="test"):
    open_filters(at)
    at.selectbox(key="flt_col").set_value(col)
    at.selectbox(key="flt_op").set_value(op)
    at.text_input(key="flt_value").input(value)
    at.text_input(key="flt_reason").input(reason)
    run(at)
    button(at, "Add filter").click()
    return run(at)


def test_filter_with_text_value_on_numeric_column_is_refused_readably():
    at = goto(new_app(), "Ranking")
    n_before = len(at.session_state["scenario"].shortlist.filters)
    _add_filter(at, "gdp", ">", "abc")
    assert any("'abc' is not a number" in w.value for w in at.warning), [w.value for w in at.warning]
    assert not any("np.float64" in e.value for e in at.error)
    assert len(at.session_state["scenario"].shortlist.filters) == n_before


def test_filter_that_excludes_everyone_is_explained_on_every_page():
    at = goto(new_app(), "Ranking")
    _add_filter(at, "gdp", ">", "1e15", "only giants")
    assert any("The shortlist is empty" in w.value for w in at.warning)
    assert "empty" in at.sidebar.markdown[-1].value
    goto(at, "Allocation")
    assert any("nothing to fund" in w.value for w in at.warning)
    assert "solve" not in [b.key for b in at.button]
    goto(at, "Robustness")
    assert not at.error, [e.value for e in at.error]
    assert any("shortlist is empty" in i.value for i in at.info)
    for page in PAGES:
        goto(at, page)


def test_top_k_above_the_eligible_count_is_explained():
    at = goto(new_app(), "Ranking")
    at.number_input(key="w:topk").set_value(30)
    run(at)
    sc = at.session_state["scenario"]
    n = len(rank_scenario(sc).shortlist)
    assert n < 30
    assert any(f"only {n} pass" in i.value for i in at.info), [i.value for i in at.info]
    goto(at, "Robustness")
    assert any(f"All {n} eligible" in i.value for i in at.info)
    assert not at.error


def test_exclusion_without_reason_is_refused():
    at = goto(new_app(), "Ranking")
    open_filters(at)
    at.selectbox(key="excl_id").set_value("BRA")
    at.text_input(key="excl_reason").input("   ")
    run(at)
    button(at, "Exclude").click()
    run(at)
    assert any("needs a country and a reason" in w.value for w in at.warning)
    assert at.session_state["scenario"].shortlist.exclusions == []


# ------------------------------------------------------------------ weights
def test_blank_expert_name_is_refused():
    at = goto(new_app(), "Weights")
    at.radio(key="w:mode").set_value("ahp")
    run(at)
    at.text_input(key="w:exp:0:name").input("  ")
    run(at)
    assert any("An expert needs a name" in w.value for w in at.warning)
    assert at.session_state["scenario"].weights.ahp.experts[0].name.strip()
    assert at.text_input(key="w:exp:0:name").value.strip()


def test_group_slider_to_zero_for_the_only_weighted_group_is_refused():
    doc = scenario_doc()
    doc["criteria"] += [{"id": "dist_beijing", "weight": 1.0}, {"id": "coastline", "weight": 1.0}]
    for c in doc["criteria"]:
        c["weight"] = 1.0 if c["id"] in ("dist_beijing", "coastline") else 0.0
    at = goto(new_app(parse_scenario(doc)), "Weights")
    at.slider(key="w:grp:geographic").set_value(0.0)
    run(at)
    assert any("all weights are zero" in e.value for e in at.error)
    assert at.slider(key="w:grp:geographic").value == pytest.approx(2.0)
    assert {c.id: c.weight for c in at.session_state["scenario"].criteria}["coastline"] == 1.0


# ------------------------------------------------------------------ robustness
def test_robustness_with_one_criterion_explains_instead_of_nan():
    doc = scenario_doc()
    only(doc, ("coastline",))
    at = goto(new_app(parse_scenario(doc)), "Robustness")
    assert any("at least two criteria" in i.value for i in at.info)
    assert "rb_run_sweep" not in [b.key for b in at.button]


# ------------------------------------------------------------------ allocation
def test_share_cap_follows_the_shortlist():
    at = goto(new_app(), "Allocation")
    at.checkbox(key="w:alloc:cap:on").check()
    run(at)
    goto(at, "Ranking")
    at.number_input(key="w:topk").set_value(7)
    run(at)
    goto(at, "Allocation")
    sc = at.session_state["scenario"]
    shortlist = list(rank_scenario(sc).shortlist.index)
    assert len(shortlist) == 7 and set(sc.allocation.country_caps) == set(shortlist)
    assert any("now covers the current shortlist" in i.value for i in at.info)
    at.button(key="solve").click()
    run(at)
    assert not at.error, [e.value for e in at.error]
    assert at.success


def test_empty_project_type_selection_is_refused():
    at = goto(new_app(), "Allocation")
    before = at.session_state["scenario"].allocation.project_types
    at.multiselect(key="w:alloc:types").set_value([])
    run(at)
    assert any("Keep at least one project type" in w.value for w in at.warning)
    assert at.session_state["scenario"].allocation.project_types == before
    assert len(at.multiselect(key="w:alloc:types").value) > 0


def test_equity_floor_above_a_tight_share_cap_is_explained():
    at = goto(new_app(), "Allocation")
    at.checkbox(key="w:alloc:equity:on").check()
    run(at)
    at.slider(key="w:alloc:equity:val").set_value(1.0)
    run(at)
    at.checkbox(key="w:alloc:cap:on").check()
    run(at)
    at.slider(key="w:alloc:cap:val").set_value(0.05)
    run(at)
    at.button(key="solve").click()
    run(at)
    refused = [e.value for e in at.error if "cap" in e.value]
    explained = [w.value for w in at.warning if "equity floor" in w.value and "Smallest relaxation" in w.value]
    assert refused or explained, ([e.value for e in at.error], [w.value for w in at.warning])
    assert not any(s.value.startswith("optimal: benefit 0;") for s in at.success) or explained


def test_money_left_unspent_is_said_at_the_top():
    doc = scenario_doc()
    doc["allocation"]["budget_investment_musd"] = 5_000_000.0  # far beyond absorptive capacity
    at = goto(new_app(parse_scenario(doc)), "Allocation")
    at.button(key="solve").click()
    run(at)
    res_used = [w.value for w in at.warning if w.value.startswith("Only US$")]
    assert res_used, [w.value for w in at.warning]
    assert "5,000,362.0M" in res_used[0] or "5,000," in res_used[0]


def test_negative_budget_is_clamped_and_discrete_mode_solves():
    at = goto(new_app(), "Allocation")
    at.number_input(key="w:alloc:budget_aid_musd").set_value(-10.0)
    run(at)
    assert at.session_state["scenario"].allocation.budget_aid_musd >= 0
    at.checkbox(key="w:alloc:discrete:on").check()
    run(at)
    assert at.session_state["scenario"].allocation.discrete is True
    at.button(key="solve").click()
    run(at)
    assert at.success and not at.error, [e.value for e in at.error]


# ------------------------------------------------------------------ uploads and scenario files
def _xlsx_with_text_cell() -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    for r in (["id", "a", "b"], ["AAA", 1, "x"], ["BBB", 2, 3]):
        wb.active.append(r)
    b = io.BytesIO()
    wb.save(b)
    return b.getvalue()


@pytest.mark.parametrize(
    "name,data,needle",
    [
        ("empty.csv", b"", "empty"),
        ("garbage.csv", bytes(range(256)) * 4, "UTF-8"),
        ("garbage.xlsx", b"PK\x03\x04garbage" + bytes(range(200)), "Excel"),
        ("utf16.csv", "id,a,b\nAAA,1,2\nBBB,3,4\n".encode("utf-16"), "UTF-8"),
        ("textcell.xlsx", None, "row AAA, column b"),
        ("dup.csv", b"id,a\nAAA,1\nAAA,2\n", "AAA"),
    ],
)
def test_bad_uploads_keep_the_old_data(name, data, needle):
    from ui import upload
    from ui.state import default_scenario

    data = _xlsx_with_text_cell() if data is None else data
    state: dict = {"scenario": default_scenario()}
    before = scenario_to_json(state["scenario"])
    assert not upload.handle_upload(name, data, state)
    assert scenario_to_json(state["scenario"]) == before
    kind, msg = state[upload.NOTICE]
    assert kind == "error" and name in msg and needle in msg and "unchanged" in msg, msg


def test_semicolon_decimal_comma_csv_is_read():
    from ui import upload

    state: dict = {}
    assert upload.handle_upload("semi.csv", b"id;size;risk\nAAA;1,5;2\nBBB;2,5;3\nCCC;2,0;1\n", state), state.get(
        upload.NOTICE
    )
    assert rank_scenario(state["scenario"]).problem.matrix.loc["BBB", "size"] == 2.5


@pytest.mark.parametrize(
    "text,needle",
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "JSON object"),
        ('{"schema_version": 2, "criteria": [{"id": "gdp", "weight": 1}]}', "schema_version 2"),
        ('{"criteria": [{"id": "gdp", "weight": 1}], "shortlsit": {}}', "did you mean 'shortlist'"),
        ('{"criteria": [{"id": "nope", "weight": 1}]}', "nope"),
    ],
)
def test_malformed_scenario_files_keep_the_current_scenario(text, needle):
    from ui.pages.scenarios import load_scenario_text

    at = goto(new_app(), "Weights")
    at.slider(key="w:wt:hdi").set_value(3.5)
    run(at)
    before = scenario_to_json(at.session_state["scenario"])
    state = {"scenario": at.session_state["scenario"]}  # what the upload callback sees
    assert not load_scenario_text(text, "bad.json", state)
    assert scenario_to_json(state["scenario"]) == before
    at.session_state["notice"] = state["notice"]
    goto(at, "Ranking")
    assert any(needle in e.value and "unchanged" in e.value for e in at.error), [e.value for e in at.error]
    assert scenario_to_json(at.session_state["scenario"]) == before
    assert_shows_library_ranking(at, at.session_state["scenario"])


# ------------------------------------------------------------------ odd page orders
def test_odd_page_orders_with_state_left_over():
    at = new_app()
    goto(at, "Allocation")
    at.button(key="solve").click()
    run(at)
    goto(at, "Weights")
    at.radio(key="w:mode").set_value("objective")
    run(at)
    goto(at, "Allocation")
    assert any("Inputs changed since the last solve" in i.value for i in at.info)
    goto(at, "Data")
    crit_edit(at, "gdp", use=False)
    goto(at, "Robustness")
    goto(at, "Weights")
    at.radio(key="w:mode").set_value("ahp")
    run(at)
    goto(at, "Scenarios & export")
    sc = at.session_state["scenario"]
    assert sc.weights.mode == "ahp" and "gdp" not in [c.id for c in sc.criteria]
    assert not at.error, [e.value for e in at.error]
    assert_shows_library_ranking(at, sc)


def test_smaa_on_uploaded_data_with_fewer_rows_than_top_k():
    """The default top_k (5) carried over to a 4-row upload: SMAA's top-k column must not crash the page."""
    from ui import upload

    state: dict = {}
    assert upload.handle_upload("four.csv", b"id,size,risk\nAAA,10,1\nBBB,20,3\nCCC,15,2\nDDD,5,4\n", state)
    assert state["scenario"].shortlist.top_k > 4
    at = goto(new_app(state["scenario"]), "Robustness")
    at.button(key="rb_run_smaa").click()
    run(at)
    assert not at.error, [e.value for e in at.error]
    summary = at.dataframe[0].value
    assert "top_4" in summary.columns and not summary["top_4"].isna().any()
    assert any("All 4 eligible" in i.value for i in at.info)
    goto(at, "Ranking")
    assert any("only 4 pass" in i.value for i in at.info)


def test_uploaded_non_country_ids_get_no_empty_map_and_a_readable_why_chart():
    from ui import upload

    state: dict = {}
    assert upload.handle_upload("four.csv", b"id,size,risk\nAAA,10,1\nBBB,20,3\nCCC,15,2\nDDD,5,4\n", state)
    at = goto(new_app(state["scenario"]), "Ranking")
    specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    assert "geoshape" not in json.dumps(specs)
    assert any("No map" in i.value for i in at.info)
    why = [s for s in specs if "Why each country" in json.dumps(s.get("title", ""))]
    # 4 rows: room for title, legend and axis on top of the rows (the plot area used to collapse to ~0 px)
    assert why and why[0]["height"] >= 130 + 4 * 20
    assert not shown_ranking(at)["score"].isna().any()


def test_share_cap_too_small_for_the_shortlist_is_flagged_before_solving():
    at = goto(new_app(), "Ranking")
    at.number_input(key="w:topk").set_value(2)
    run(at)
    goto(at, "Allocation")
    at.checkbox(key="w:alloc:cap:on").check()
    run(at)
    at.slider(key="w:alloc:cap:val").set_value(0.3)
    run(at)
    assert any("2 countries × 30% = 60%" in w.value and "at least 50%" in w.value for w in at.warning), [
        w.value for w in at.warning
    ]
    at.slider(key="w:alloc:cap:val").set_value(0.5)
    run(at)
    assert not any("cannot hold the whole" in w.value for w in at.warning)
    at.button(key="solve").click()
    run(at)
    assert at.success and not at.error, [e.value for e in at.error]


def test_the_upload_and_the_command_line_read_files_the_same_way(tmp_path):
    """One reader from files to a validated problem (mcda.io.read_problem): a bad cell gets the same
    message from `mcda rank` and from the app's upload (file name, row, column), and a good file
    gives the same criteria and the same problem."""
    import subprocess
    import sys

    from mcda.io import read_problem
    from ui import upload

    m, c = tmp_path / "m.csv", tmp_path / "c.csv"
    m.write_text("id,size,risk\nAAA,10,1\nBBB,abc,3\nCCC,15,2\n")
    c.write_text("criterion,direction,weight\nsize,benefit,1\nrisk,cost,2\n")
    r = subprocess.run(
        [sys.executable, "-m", "mcda", "rank", str(m), "--criteria", str(c)], capture_output=True, text=True
    )
    assert r.returncode == 2
    cli_message = r.stderr.strip().split(f"{m}: ", 1)[1]
    state: dict = {}
    assert not upload.handle_upload("m.csv", m.read_bytes(), state, ("c.csv", c.read_bytes()))
    assert f"m.csv: {cli_message}" in state[upload.NOTICE][1]

    m.write_text("id,size,risk\nAAA,10,1\nBBB,20,3\nCCC,15,2\n")
    assert upload.handle_upload("m.csv", m.read_bytes(), state, ("c.csv", c.read_bytes()))
    sc = state["scenario"]
    pf = read_problem(m, c)
    assert [(x.id, x.direction, x.weight) for x in sc.criteria] == [
        (i, r["direction"], r["weight"]) for i, r in pf.criteria.iterrows()
    ]
