"""AppTest checks of the Streamlit app: every page loads, and what it shows is exactly what the
libraries return for the same inputs (the app computes nothing itself)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from fulcrum.pipeline import rank_scenario, scenario_method
from fulcrum.scenario import load_scenario, parse_scenario, scenario_to_json
from tests.app.apptest import PAGES, goto, new_app, shown_ranking, wkey


def test_every_page_loads_without_exception():
    at = new_app()
    for page in PAGES:
        goto(at, page)
        assert at.header, f"{page}: no header rendered"
        assert at.header[0].value.startswith(page.split(" ")[0]), at.header[0].value
        assert not at.error, f"{page}: " + "; ".join(e.value for e in at.error)


def test_ranking_page_shows_the_library_ranking(default_scenario):
    at = goto(new_app(), "Ranking")
    lib = rank_scenario(default_scenario).ranking
    shown = shown_ranking(at)
    assert list(shown["alternative"]) == list(lib["alternative"])
    np.testing.assert_array_equal(shown["rank"].to_numpy(), lib["rank"].to_numpy())
    np.testing.assert_allclose(shown["score"].to_numpy(float), lib["score"].to_numpy(float), rtol=0, atol=0)


def test_weight_slider_changes_ranking_as_the_library_says(default_scenario):
    at = goto(new_app(), "Weights")
    before = rank_scenario(default_scenario).ranking
    at.slider(key="w:wt:gdp").set_value(8.0)
    at.run()
    assert not at.exception
    # the library's answer for the same inputs
    doc = json.loads(scenario_to_json(default_scenario))
    for c in doc["criteria"]:
        if c["id"] == "gdp":
            c["weight"] = 8.0
    expected = rank_scenario(parse_scenario(doc)).ranking
    assert not np.allclose(
        expected["score"].to_numpy(), before.set_index("alternative").loc[expected["alternative"], "score"].to_numpy()
    )
    # the normalised weights panel shows the library's normalised weights
    assert at.session_state["scenario"].criteria[[c.id for c in default_scenario.criteria].index("gdp")].weight == 8.0
    goto(at, "Ranking")
    shown = shown_ranking(at)
    assert list(shown["alternative"]) == list(expected["alternative"])
    np.testing.assert_array_equal(shown["rank"].to_numpy(), expected["rank"].to_numpy())
    np.testing.assert_allclose(shown["score"].to_numpy(float), expected["score"].to_numpy(float), rtol=0, atol=0)


def test_group_slider_rescales_its_criteria_proportionally(default_scenario):
    from mcda.data import load_criteria

    group = load_criteria()["group"]
    members = {c.id: c.weight for c in default_scenario.criteria if group[c.id] == "political"}
    assert len(members) >= 2, "the default scenario has several political criteria"
    total = sum(members.values())
    at = goto(new_app(), "Weights")
    at.slider(key="w:grp:political").set_value(2 * total)  # each political criterion's weight doubles
    at.run()
    sc = at.session_state["scenario"]
    w = {c.id: c.weight for c in sc.criteria}
    for cid, before in members.items():
        assert w[cid] == pytest.approx(2 * before)
        assert at.slider(key=wkey(f"wt:{cid}", at)).value == pytest.approx(2 * before)
    assert at.slider(key=wkey("grp:political", at)).value == pytest.approx(2 * total)


def test_all_zero_weights_are_refused_and_previous_state_kept(default_scenario):
    at = goto(new_app(), "Weights")
    at.radio(key="w:mode").set_value("direct")
    # set every slider to zero: the last one is refused by the library (all weights zero)
    ids = [c.id for c in default_scenario.criteria]
    for cid in ids:
        at.slider(key=f"w:wt:{cid}").set_value(0.0)
        at.run()
    assert not at.exception
    sc = at.session_state["scenario"]
    assert sum(c.weight for c in sc.criteria) > 0
    assert any("all weights are zero" in e.value for e in at.error)


def _economic_judgements(sc):
    e = sc.weights.ahp.experts[0]
    return [(j.a, j.b, j.value) for j in e.within["economic"]]


def test_ahp_editor_cr_equals_the_library():
    from mcda.ahp import analyse, from_judgements

    at = goto(new_app(), "Weights")
    at.radio(key="w:mode").set_value("ahp")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    sc = at.session_state["scenario"]
    assert sc.weights.mode == "ahp"
    items = list(dict.fromkeys(x for a, b, _ in _economic_judgements(sc) for x in (a, b)))
    assert len(items) >= 3
    a, b, c = items[:3]
    # an intransitive set: a > b (5), b > c (5), but c > a (3)
    for x, y, v in ((a, b, 5), (b, c, 5), (a, c, 1 / 3)):
        at.select_slider(key=f"w:j:0:economic:{x}:{y}").set_value(v)
        at.run()
        assert not at.exception
    sc = at.session_state["scenario"]
    lib = analyse(
        from_judgements(_economic_judgements(sc), items),
        sc.weights.ahp.method,
        ri_table=sc.weights.ahp.ri_table,
        warn=False,
    )
    shown = [m for m in at.metric if m.label == "CR — within economic"]
    assert shown, [m.label for m in at.metric]
    assert shown[0].value == f"{lib.cr:.3f}"
    assert lib.cr > 0.10
    warnings = [w.value for w in at.warning if "revisit" in w.value]
    assert warnings, "no warning naming the judgement to revisit"
    top = lib.inconsistent_pairs.iloc[0]
    labels = at.session_state["scenario"]  # noqa: F841 - labels come from criteria metadata
    from mcda.data import load_criteria

    lab = load_criteria()["label"]
    assert lab.get(top.item_a, top.item_a) in warnings[0] and lab.get(top.item_b, top.item_b) in warnings[0]
    # the ranking uses the library's AHP weights for the same scenario
    out = rank_scenario(sc)
    goto(at, "Ranking")
    shown_rank = shown_ranking(at)
    assert list(shown_rank["alternative"]) == list(out.ranking["alternative"])


def test_ahp_several_experts_are_combined_by_the_library():
    at = goto(new_app(), "Weights")
    at.radio(key="w:mode").set_value("ahp")
    at.run()
    at.button[[b.label for b in at.button].index("Add expert")].click()
    at.run()
    sc = at.session_state["scenario"]
    assert len(sc.weights.ahp.experts) == 2
    # expert 2 (now selected) judges the first group pair differently
    g = sc.weights.ahp.experts[1].groups[0]
    at.select_slider(key=f"w:j:1::{g.a}:{g.b}").set_value(9)
    at.run()
    assert not at.exception
    sc = at.session_state["scenario"]
    out = rank_scenario(sc)
    assert out.ahp.expert_consistency is not None
    goto(at, "Ranking")
    np.testing.assert_allclose(
        shown_ranking(at)["score"].to_numpy(float), out.ranking["score"].to_numpy(float), rtol=0, atol=0
    )


def test_method_and_normalisation_choice(default_scenario):
    at = goto(new_app(), "Ranking")
    at.radio(key="w:norm").set_value("minmax")
    at.run()
    doc = json.loads(scenario_to_json(default_scenario))
    doc["method"]["normalization"] = "minmax"
    expected = rank_scenario(parse_scenario(doc)).ranking
    np.testing.assert_allclose(
        shown_ranking(at)["score"].to_numpy(float), expected["score"].to_numpy(float), rtol=0, atol=0
    )
    at.selectbox(key="w:method").set_value("vikor")
    at.run()
    assert not at.exception
    doc["method"] = {"name": "vikor", "normalization": None, "options": {}}
    expected = rank_scenario(parse_scenario(doc)).ranking
    assert list(shown_ranking(at)["alternative"]) == list(expected["alternative"])


def test_map_and_charts_use_no_network():
    app = new_app()
    app.session_state["compare_open"] = True  # rank correlations and the GAIA plane: drawn when opened
    app.session_state["gaia_open"] = True
    at = goto(app, "Ranking")
    specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    assert len(specs) >= 4  # map, contributions, rank correlations, GAIA plane
    text = json.dumps(specs)
    assert "geoshape" in text
    assert "http://" not in text and "https://" not in text.replace("https://vega.github.io/schema", "")


def test_bad_upload_shows_notice_and_keeps_old_data(tmp_path):
    from ui import upload
    from ui.state import default_scenario

    state: dict = {}
    before = scenario_to_json(default_scenario())
    ok = upload.handle_upload("mydata.csv", b"id,gdp,poverty\nAAA,1,2\nBBB,x,3\n", state)
    assert not ok
    assert scenario_to_json(state["scenario"]) == before
    kind, msg = state[upload.NOTICE]
    assert kind == "error"
    assert "mydata.csv" in msg and "BBB" in msg and "gdp" in msg, msg
    first = state[upload.NOTICE]
    # a file that is not a table at all
    assert not upload.handle_upload("notes.txt", b"hello", state)
    assert scenario_to_json(state["scenario"]) == before
    # the notice is shown on the Data page and the old data stays in use
    at = new_app()
    at.session_state[upload.NOTICE] = first
    goto(at, "Data")
    assert any("rejected" in e.value and "BBB" in e.value for e in at.error)
    assert at.session_state["scenario"].data.dataset == "default"


def test_good_upload_is_ranked_by_the_library():
    from ui import upload

    state: dict = {}
    ok = upload.handle_upload("mine.csv", b"id,name,size,risk\nAAA,Alpha,10,1\nBBB,Beta,20,3\nCCC,Gamma,15,2\n", state)
    assert ok, state.get(upload.NOTICE)
    sc = state["scenario"]
    assert [c.id for c in sc.criteria] == ["size", "risk"]
    assert rank_scenario(sc).ranking["alternative"].tolist()[0] == "BBB"


def test_saved_scenario_loads_back_exactly(tmp_path):
    from ui.pages.scenarios import load_scenario_text

    at = goto(new_app(), "Weights")
    at.slider(key="w:wt:hdi").set_value(3.5)
    at.run()
    goto(at, "Scenarios & export")
    at.text_input(key="w:name").input("My test scenario").run()
    saved = scenario_to_json(at.session_state["scenario"])
    assert '"My test scenario"' in saved and "3.5" in saved
    # the same file the command line runs
    path = tmp_path / "saved.json"
    path.write_text(saved, encoding="utf-8")
    cli = rank_scenario(load_scenario(path))
    # load it into a fresh session
    state: dict = {}
    assert load_scenario_text(saved, "saved.json", state)
    assert scenario_to_json(state["scenario"]) == saved
    at2 = new_app()
    at2.session_state["scenario"] = state["scenario"]
    goto(at2, "Ranking")
    np.testing.assert_allclose(
        shown_ranking(at2)["score"].to_numpy(float), cli.ranking["score"].to_numpy(float), rtol=0, atol=0
    )


def test_bad_scenario_file_keeps_current_scenario():
    from ui.pages.scenarios import load_scenario_text
    from ui.state import default_scenario

    state: dict = {"scenario": default_scenario()}
    before = scenario_to_json(state["scenario"])
    assert not load_scenario_text('{"criteria": [{"id": "gdp", "wieght": 1}]}', "typo.json", state)
    assert scenario_to_json(state["scenario"]) == before
    kind, msg = state["notice"][-1]
    assert kind == "error" and "wieght" in msg


def test_robustness_smaa_equals_the_library(default_scenario):
    from mcda import robustness as rb

    at = goto(new_app(), "Robustness")
    at.button(key="rb_run_smaa").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    shown = at.dataframe[0].value
    out = rank_scenario(default_scenario)
    lib = rb.smaa(
        out.problem,
        rb.AroundWeights(out.problem, out.weights, spread=20),
        n_samples=5000,
        seed=1,
        method=scenario_method(out),
    ).summary(default_scenario.shortlist.top_k)
    assert list(shown.index) == list(lib.index)
    np.testing.assert_allclose(shown["rank_1"].to_numpy(float), lib["rank_1"].to_numpy(float), rtol=0, atol=0)
    assert at.get("vega_lite_chart"), "no acceptability heatmap"


def test_solve_gives_the_library_allocation(default_scenario):
    from optimisation.model import AllocationModel
    from optimisation.priorities import priorities_from_shortlist
    from optimisation.spec import parse_spec
    from ui.pages.allocation import EXAMPLE_SPEC

    at = goto(new_app(), "Allocation")
    if default_scenario.allocation is None:  # "Set up an allocation" fills the example budgets
        at.button[0].click()
        at.run()
    at.number_input(key="w:alloc:budget_aid_musd").set_value(250.0)
    at.run()
    at.button(key="solve").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    doc = json.loads(scenario_to_json(default_scenario))
    base = doc["allocation"] if doc.get("allocation") else EXAMPLE_SPEC
    doc["allocation"] = dict(base, budget_aid_musd=250.0)
    sc = parse_scenario(doc)
    out = rank_scenario(sc)
    spec = parse_spec(sc.allocation.model_dump())
    # built independently of the app's code path, from the library's parts
    res = AllocationModel(
        priorities_from_shortlist(out.shortlist, spec.priority_transform), out.countries, None, spec
    ).solve()
    assert next(m.value for m in at.metric) == f"{res.objective:,.2f}"

    # the allocation table (country x project type) is drawn when its expander is opened (ui/lazy.py)
    def table():
        cols = {"country", "country_name", "project_type", "total_musd", "benefit"}
        return [d.value for d in at.dataframe if cols <= set(d.value.columns)]

    assert not table()
    at.session_state["alloc_table_open"] = True
    at.run()
    shown = table()[0]
    exp = res.allocation
    np.testing.assert_allclose(shown["total_musd"].to_numpy(float), exp["total_musd"].to_numpy(float), rtol=0, atol=0)
    assert list(shown["country"]) == list(exp["country"])


def test_infeasible_allocation_shows_conflicts_and_relaxation(default_scenario, default_outcome):
    doc = json.loads(scenario_to_json(default_scenario))
    first = str(default_outcome.shortlist.index[0])  # the library's first pick, whoever it is
    name = default_outcome.countries.loc[first, "country"]
    doc["allocation"] = {"budget_aid_musd": 10, "budget_investment_musd": 10, "country_floors": {first: {"musd": 100}}}
    at = new_app()
    at.session_state["scenario"] = parse_scenario(doc)
    goto(at, "Allocation")
    at.button(key="solve").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("No allocation possible" in e.value for e in at.error)
    text = " ".join(m.value for m in at.markdown)
    assert "Why:" in text and "Smallest relaxation" in text and f"{name} ({first}) floor" in text
