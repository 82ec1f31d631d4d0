"""AppTest checks of issue 8 ("Trust and safety"), app side: user text is shown as text, the app
never shows a raw traceback, sliders show what is used after any sequence of reruns, the method
comparison agrees with the ranking above it, renaming keeps a solved allocation, and the
contribution chart says what its bars add up to.

Rapid reruns are reproduced without a browser: the browser sends the values its widgets *show*,
and when it sends a request before the previous run's output reached it, those are the values of
two runs ago. ``send`` runs the app with such a snapshot (``stale``) plus the one widget the
planner is moving, exactly as Streamlit's server receives it.
"""

from __future__ import annotations

import copy
import io
import json
import re

import numpy as np
import pandas as pd
import pytest
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest

from fulcrum.scenario import parse_scenario, scenario_to_json
from tests.app.apptest import PAGES, goto, new_app, run, shown_ranking, wkey
from tests.support.shipped import SHIPPED

HOSTILE = [
    "![x](http://evil.example/a.png)",
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "[link](javascript:alert(1))",
]
# Markdown/HTML that would render (an image, a tag, a link) if it reached Markdown unescaped
UNESCAPED = re.compile(r"(?<!\\)!(?<!\\)\[|(?<!\\)<(img|script|b )|(?<!\\)\]\((http|javascript)")


# ------------------------------------------------------------------ helpers


def stale(at: AppTest):
    """The widget values the page shows now, as the browser would send them later."""
    return copy.deepcopy(at._tree.get_widget_states())


def send(at: AppTest, states, **changes) -> AppTest:
    """Run the app with the browser's widget ``states`` (possibly stale), after setting the widgets
    with these element ids to these values (sliders: a float)."""
    states = copy.deepcopy(states)
    for wid, v in changes.items():
        for w in states.widgets:
            if w.id == wid:
                w.double_array_value.data[:] = [float(v)]
                break
        else:
            raise KeyError(wid)
    at._run(states)
    assert not at.exception, [e.value for e in at.exception]
    return at


def weights(at: AppTest) -> dict[str, float]:
    return {c.id: float(c.weight) for c in at.session_state["scenario"].criteria}


def default_doc() -> dict:
    return SHIPPED.doc("default")


# ------------------------------------------------------------------ 10: no raw traceback
UPLOAD = b"id,name,size,risk\nAAA,Alpha,10,1\nBBB,Beta,20,3\nCCC,Gamma,15,2\n"


def test_upload_in_the_same_rerun_as_a_candidate_change_keeps_the_page():
    """The sequence that replaced the page with KeyError 'st.session_state has no key "w:candidates"':
    the upload's callback reset the widget keys, then the candidates callback of the same rerun read
    its key. Now the upload wins, the candidate change (for the old data) is dropped, no traceback."""
    at = goto(new_app(), "Data")
    all_ids = list(at.multiselect(key=wkey("candidates", at)).value)
    at.multiselect(key=wkey("candidates", at)).set_value(all_ids[:-1])
    at.file_uploader(key="upload_matrix").set_value(("mine.csv", UPLOAD, "text/csv"))
    run(at)
    sc = at.session_state["scenario"]
    assert sc.name == "mine (uploaded)" and sc.data.candidates is None
    assert any("Loaded mine.csv" in s.value for s in at.success), [s.value for s in at.success]
    assert sorted(at.multiselect(key=wkey("candidates", at)).value) == ["AAA", "BBB", "CCC"]
    # the candidates of the new data can be changed as usual
    at.multiselect(key=wkey("candidates", at)).set_value(["AAA", "BBB"])
    run(at)
    assert at.session_state["scenario"].data.candidates == ["AAA", "BBB"]


def test_stale_candidates_sent_after_an_upload_are_ignored():
    """A rerun interrupted by the upload: the browser's next request still carries the old data's
    candidate list. It belongs to a widget of the replaced scenario and must not be applied."""
    at = goto(new_app(), "Data")
    shown_before_upload = stale(at)
    cid = at.multiselect(key=wkey("candidates", at)).id
    at.file_uploader(key="upload_matrix").set_value(("mine.csv", UPLOAD, "text/csv"))
    run(at)
    # the browser replays the old page's multiselect with one country removed
    states = copy.deepcopy(shown_before_upload)
    for w in states.widgets:
        if w.id == cid:
            del w.string_array_value.data[-1]
    at._run(states)
    assert not at.exception, [e.value for e in at.exception]
    sc = at.session_state["scenario"]
    assert sc.data.dataset != "default" and sc.data.candidates is None
    assert not at.error, [e.value for e in at.error]


def test_a_page_that_raises_shows_one_readable_message_and_the_app_keeps_working(monkeypatch):
    from ui.pages import ranking

    at = goto(new_app(), "Weights")
    at.slider(key=wkey("wt:gdp", at)).set_value(3.0)
    run(at)
    before = scenario_to_json(at.session_state["scenario"])

    def broken():
        st_header = __import__("streamlit").header
        st_header("Ranking")
        raise KeyError('st.session_state has no key "w:whatever"')

    monkeypatch.setattr(ranking, "render", broken)
    goto(at, "Ranking")
    assert not at.exception, [e.value for e in at.exception]
    msgs = [e.value for e in at.error]
    assert len(msgs) == 1 and msgs[0].startswith("Something went wrong on this page: "), msgs
    assert "your scenario is kept" in msgs[0] and "Details: KeyError" in msgs[0] and "Traceback" not in msgs[0]
    assert at.sidebar.markdown and "Scenario:" in at.sidebar.markdown[0].value  # the sidebar still works
    assert scenario_to_json(at.session_state["scenario"]) == before  # the planner's state is kept
    goto(at, "Weights")  # other pages still work
    assert not at.error and at.slider(key=wkey("wt:gdp", at)).value == pytest.approx(3.0)
    monkeypatch.undo()
    goto(at, "Ranking")
    assert not at.error and shown_ranking(at) is not None


def test_st_stop_and_rerun_pass_through_the_boundary(monkeypatch):
    import streamlit as st

    from ui.pages import ranking

    calls = []

    def stops():
        st.header("Ranking")
        st.markdown("before the stop")
        st.stop()
        st.markdown("after the stop")  # pragma: no cover - never reached

    def reruns():
        calls.append(1)
        if len(calls) == 1:
            st.rerun()
        st.header("Ranking")
        st.markdown("second run")

    at = new_app()
    monkeypatch.setattr(ranking, "render", stops)
    goto(at, "Ranking")
    assert [m.value for m in at.markdown if "stop" in m.value] == ["before the stop"]
    assert not at.error
    monkeypatch.setattr(ranking, "render", reruns)
    run(at)
    assert len(calls) == 2 and any(m.value == "second run" for m in at.markdown) and not at.error


def test_a_callback_that_raises_keeps_the_scenario_and_says_so(monkeypatch):
    from ui.pages import ranking

    at = goto(new_app(), "Ranking")
    before = scenario_to_json(at.session_state["scenario"])

    def broken():
        raise RuntimeError("the solver went away")

    monkeypatch.setattr(ranking, "_set_topk", broken)
    run(at)  # the page is drawn again, so the top-k input now calls the broken callback
    at.number_input(key=wkey("topk", at)).set_value(7)
    run(at)
    assert scenario_to_json(at.session_state["scenario"]) == before
    msgs = [e.value for e in at.error]
    assert any(m.startswith("Something went wrong while applying that change: the solver went away") for m in msgs), (
        msgs
    )
    assert at.header[0].value == "Ranking"


# ------------------------------------------------------------------ 17: what is shown is what is used
def _sliders(at: AppTest) -> dict[str, float]:
    out = {}
    for s in at.slider:
        m = re.match(r"w:(wt|grp):(.+?)(#\d+)?$", s.key or "")
        if m:
            out[f"{m.group(1)}:{m.group(2)}"] = float(s.value)
    return out


def _assert_sliders_show_the_scenario(at: AppTest) -> None:
    from ui.pages.weights import group_total, groups_of

    sc = at.session_state["scenario"]
    shown = _sliders(at)
    for c in sc.criteria:
        assert shown[f"wt:{c.id}"] == pytest.approx(c.weight, abs=1e-6), c.id
    for g, members in groups_of(sc.model_dump(mode="json")).items():
        assert shown[f"grp:{g}"] == pytest.approx(group_total(sc, members), abs=1e-6), g


def test_rapid_presses_on_a_criterion_slider_change_that_weight_only():
    """Held ArrowRight on GDP with the browser one run behind: GDP moves, nothing else does.
    (It used to leave GDP at 2.17 and rescale four other criteria to 0.71: the group slider's stale
    total came back as a 'change' and rescaled the group.)"""
    at = goto(new_app(), "Weights")
    start = weights(at)
    gid = at.slider(key=wkey("wt:gdp", at)).id
    shown_two_runs_ago = stale(at)
    for k in range(1, 9):
        shown_last_run = stale(at)
        send(at, shown_two_runs_ago, **{gid: round(start["gdp"] + 0.1 * k, 10)})
        shown_two_runs_ago = shown_last_run
    run(at)
    now = weights(at)
    assert now["gdp"] == pytest.approx(start["gdp"] + 0.8)
    assert {c: w for c, w in now.items() if c != "gdp"} == {c: w for c, w in start.items() if c != "gdp"}
    _assert_sliders_show_the_scenario(at)


def test_rapid_presses_on_a_group_slider_rescale_its_criteria_and_nothing_undoes_it():
    from ui.pages.weights import groups_of

    at = goto(new_app(), "Weights")
    start = weights(at)
    econ = groups_of(at.session_state["scenario"].model_dump(mode="json"))["economic"]
    shown_two_runs_ago = stale(at)
    total0 = at.slider(key=wkey("grp:economic", at)).value
    for k in range(1, 7):
        gid = at.slider(key=wkey("grp:economic", at)).id  # the group slider keeps its key while moved
        shown_last_run = stale(at)
        send(at, shown_two_runs_ago if k > 1 else shown_last_run, **{gid: round(total0 + 0.1 * k, 10)})
        shown_two_runs_ago = shown_last_run
    run(at)
    now = weights(at)
    assert sum(now[c] for c in econ) == pytest.approx(total0 + 0.6, abs=1e-6)
    ratio = {c: now[c] / start[c] for c in econ if start[c]}
    assert max(ratio.values()) == pytest.approx(min(ratio.values()), rel=1e-5)  # proportions kept
    assert {c: w for c, w in now.items() if c not in econ} == {c: w for c, w in start.items() if c not in econ}
    _assert_sliders_show_the_scenario(at)


def test_a_slider_redrawn_by_the_scenario_changing_keeps_no_old_value():
    """'Displayed 0.50 while the saved scenario held 2.0': after a group rescale or a load, every
    slider shows the scenario's value, and a value from before (sent late) does not undo it."""
    from mcda.data import load_criteria

    at = goto(new_app(), "Weights")
    group = load_criteria()["group"]
    members = {c: w for c, w in weights(at).items() if group[c] == "political"}
    total = sum(members.values())
    before_group = stale(at)
    gid = at.slider(key=wkey("grp:political", at)).id
    at.slider(key=wkey("grp:political", at)).set_value(2 * total)
    run(at)
    assert all(weights(at)[c] == pytest.approx(2 * w) for c, w in members.items())
    _assert_sliders_show_the_scenario(at)
    # the old page's values arrive late (each political weight at its old value), the moved group slider doubled
    send(at, before_group, **{gid: 2 * total})
    assert all(weights(at)[c] == pytest.approx(2 * w) for c, w in members.items())
    run(at)
    _assert_sliders_show_the_scenario(at)


# ------------------------------------------------------------------ 18: comparison agrees with the ranking
def _comparison(at: AppTest) -> pd.DataFrame:
    frames = [d.value for d in at.dataframe if any("in force" in str(c) for c in d.value.columns)]
    assert frames, [list(d.value.columns) for d in at.dataframe]
    return frames[0]


@pytest.mark.parametrize(
    "method, norm, title",
    [
        ("topsis", "minmax", "TOPSIS (min-max) — in force"),
        ("topsis", "vector", "TOPSIS (vector) — in force"),
        ("vikor", None, "VIKOR (v = 0.5) — in force"),
    ],
)
def test_comparison_column_of_the_method_in_force_equals_the_ranking(method, norm, title):
    doc = default_doc()
    doc["method"] = {"name": method, "normalization": norm, "options": {}}
    app = new_app(parse_scenario(doc))
    app.session_state["compare_open"] = True  # the ranks by each method: drawn when opened (ui/lazy.py)
    at = goto(app, "Ranking")
    cmp = _comparison(at)
    assert title in cmp.columns, list(cmp.columns)
    shown = shown_ranking(at).set_index("alternative")["rank"]
    np.testing.assert_array_equal(cmp[title].to_numpy(int), shown.loc[cmp.index].to_numpy(int))
    # every column says which options it uses
    for col in cmp.columns:
        if col != "country":
            assert re.search(r"\(.+\)", col) or col in ("COPRAS", "EDAS", "MABAC", "SPOTIS"), col
    assert "VIKOR (v = 0.5)" in " ".join(cmp.columns) and "PROMETHEE II (preference = usual)" in " ".join(cmp.columns)


# ------------------------------------------------------------------ 19: renaming keeps the allocation
def test_renaming_the_scenario_keeps_the_solved_allocation_and_its_exports(monkeypatch):
    from ui import compute

    at = goto(new_app(), "Allocation")
    if at.session_state["scenario"].allocation is None:
        at.button[0].click()
        run(at)
    at.button(key="solve").click()
    run(at)
    assert at.metric, "solved"
    objective = at.metric[0].value
    goto(at, "Scenarios & export")
    assert "Allocation (CSV)" in [b.label for b in at.get("download_button")]
    calls = []
    real = compute.xlsx
    monkeypatch.setattr(
        compute, "xlsx", lambda sj, bd, with_alloc: calls.append(with_alloc) or real(sj, bd, with_alloc)
    )
    # the workbook is made when its button is clicked (a deferred download): keep what each click would run
    from streamlit.runtime.media_file_manager import MediaFileManager

    deferred: dict = {}
    add = MediaFileManager.add_deferred

    def spy(self, fn, mimetype, coordinates, file_name=None, **kw):
        deferred[file_name] = fn
        return add(self, fn, mimetype, coordinates, file_name, **kw)

    monkeypatch.setattr(MediaFileManager, "add_deferred", spy)
    at.text_input(key=wkey("name", at)).input("Renamed for the memo").run()
    at.text_area(key=wkey("description", at)).input("A new description").run()
    assert not at.exception
    sc = at.session_state["scenario"]
    assert sc.name == "Renamed for the memo" and sc.description == "A new description"
    assert "Allocation (CSV)" in [b.label for b in at.get("download_button")]
    workbook = deferred["renamed-for-the-memo.xlsx"]()  # the click on "Everything (XLSX)"
    assert calls and calls[-1] is True
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(workbook), read_only=True)
    # with the "filter sensitivity" sheet (issue 10 gap 1) and the outcomes (issue 11 item 5: every allocation)
    assert len(wb.sheetnames) == 11 and "rules_outcomes" in wb.sheetnames, wb.sheetnames
    assert any(h.value == "Allocation" for h in at.header), "the printable report keeps its allocation"
    goto(at, "Allocation")
    assert at.metric and at.metric[0].value == objective
    assert not any("Inputs changed" in i.value for i in at.info)
    # an input that changes the result does invalidate it
    at.number_input(key=wkey("alloc:budget_aid_musd", at)).set_value(250.0)
    run(at)
    assert not at.metric and any("Inputs changed" in i.value for i in at.info)


# ------------------------------------------------------------------ 20: what the contribution bars add up to
def _why_subtitle(at: AppTest) -> str:
    specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    why = [s for s in specs if "Why each country" in json.dumps(s.get("title", ""))]
    assert why
    return " | ".join(why[0]["title"]["subtitle"]) + " | " + json.dumps(why[0])


@pytest.mark.parametrize(
    "method, says, never",
    [
        (
            "vikor",
            "black tick = sum of the contributions = S — not the score the ranking uses (lower is better)",
            "= score",
        ),
        ("topsis", "black tick = sum of the contributions = score − 0.5", "not the score"),
        ("wpm", "black tick = sum of the contributions = ln(score)", "= score"),
    ],
)
def test_contribution_chart_says_what_the_bars_add_up_to(method, says, never):
    from mcda.methods import get_method

    doc = default_doc()
    doc["method"] = {"name": method, "normalization": None if method != "topsis" else "minmax", "options": {}}
    if method == "wpm":  # WPM needs positive values: keep criteria whose values all are
        doc["criteria"] = [
            {"id": c, "direction": "benefit", "weight": 1.0} for c in ("gdp", "population", "hdi", "dist_beijing")
        ]
        doc["data"]["missing"] = "impute:median"
    at = goto(new_app(parse_scenario(doc)), "Ranking")
    text = _why_subtitle(at)
    sub = text.split(" | {")[0]
    assert says in sub, sub
    assert never not in sub.split("black tick")[1], sub
    assert get_method(method).contribution_meaning in sub


# ------------------------------------------------------------------ 3: user text is shown as text
def _markdown_fields(at: AppTest) -> list[str]:
    """Every string the app hands to Streamlit's Markdown: bodies, labels, help texts, tab labels."""
    out = []

    def walk(d):
        if isinstance(d, dict):
            for k, v in d.items():
                if k in ("body", "label", "help", "placeholder") and isinstance(v, str):
                    out.append(v)
                elif k not in (
                    "data",
                    "spec",
                    "options",
                    "value",
                    "default",
                    "formattedOptions",
                    "rawValues",
                    "arrowData",
                    "setValue",
                    "id",
                    "formId",
                ):
                    walk(v)
        elif isinstance(d, list):
            for x in d:
                walk(x)

    for node in at._tree:
        proto = getattr(node, "proto", None)
        if proto is not None:
            d = MessageToDict(proto)
            walk(d)
            if type(node).__name__ in ("SelectSlider", "Radio"):  # these draw their options as Markdown too
                out.extend(str(o) for o in d.get("options", []))
    return out


def hostile_scenario_doc() -> dict:
    from ui.pages.weights import _new_ahp, ahp_complete

    doc = default_doc()
    doc["name"] = HOSTILE[0]
    doc["description"] = "\n".join(HOSTILE)
    doc["shortlist"]["exclusions"] = [{"id": "BRA", "reason": HOSTILE[1]}]
    doc["shortlist"]["filters"] = [
        {"column": "prc_relations", "op": "==", "value": 1, "reason": HOSTILE[3], "if_unknown": "exclude"}
    ]
    doc["weights"]["mode"] = "ahp"
    doc["weights"]["ahp"] = _new_ahp(doc)
    ahp_complete(doc)
    doc["weights"]["ahp"]["experts"][0]["name"] = HOSTILE[2]
    doc["allocation"] = {"budget_aid_musd": 300.0, "budget_investment_musd": 700.0, "note": HOSTILE[0]}
    return doc


def hostile_upload() -> bytes:
    import csv

    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["id", "name", HOSTILE[0].replace("a.png", "c.png"), "<b onmouseover=alert(2)>risk</b>"])
    for i, h in enumerate(HOSTILE):
        w.writerow([h, h.replace("alert(1)", f"alert({i + 10})") + " name", 10 + i, 3 - 0.5 * i])
    w.writerow(["OK1", "[n](http://evil.example/n)", 5, 1])
    return buf.getvalue().encode()


def open_ranking_expanders(at: AppTest) -> None:
    """Open the Ranking page's expanders whose contents are made when opened (filters, comparison, GAIA)."""
    for key in ("filters_open", "compare_open", "gaia_open"):
        at.session_state[key] = True


def _visit_every_page_and_check(at: AppTest) -> None:
    for page in PAGES:
        if page == "Ranking":  # its expanders drawn when opened (ui/lazy.py): opened, so their contents are checked
            open_ranking_expanders(at)
        goto(at, page)  # (expander contents, e.g. the exclusions and filters, are in the tree too)
        bad = [f for f in _markdown_fields(at) if UNESCAPED.search(f)]
        assert not bad, (page, bad[:5])


def test_hostile_scenario_text_reaches_markdown_escaped():
    from ui.pages.scenarios import load_scenario_text

    state: dict = {}  # what the upload callback sees (the file name is the planner's text too)
    assert load_scenario_text(json.dumps(hostile_scenario_doc()), HOSTILE[1] + ".json", state)
    at = new_app(state["scenario"])
    at.session_state["notice"] = state["notice"]
    run(at)
    assert any("Loaded scenario" in s.value for s in at.success)
    _visit_every_page_and_check(at)
    goto(at, "Scenarios & export")
    from ui.text import esc

    shown = " ".join(_markdown_fields(at))
    assert esc(HOSTILE[0], inline=True) in shown  # the name is there, as text
    open_ranking_expanders(at)
    goto(at, "Ranking")
    shown = " ".join(_markdown_fields(at))
    assert esc(HOSTILE[1], inline=True) in shown and esc(HOSTILE[3], inline=True) in shown


def test_hostile_uploaded_names_reach_markdown_escaped():
    at = goto(new_app(), "Data")
    at.file_uploader(key="upload_matrix").set_value((HOSTILE[1] + ".csv", hostile_upload(), "text/csv"))
    run(at)
    assert at.session_state["scenario"].data.dataset != "default"
    _visit_every_page_and_check(at)
    goto(at, "Robustness")
    at.button(key="rb_run_smaa").click()
    run(at)
    bad = [f for f in _markdown_fields(at) if UNESCAPED.search(f)]
    assert not bad, bad[:5]
    # AHP judgements between the uploaded criteria: labels in the slider's own option labels
    goto(at, "Weights")
    at.radio(key=wkey("mode", at)).set_value("ahp")
    run(at)
    assert at.select_slider, "a judgement slider between the two uploaded criteria"
    fields = _markdown_fields(at)
    bad = [f for f in fields if UNESCAPED.search(f)]
    assert not bad, bad[:5]
    from ui.text import esc

    assert any(esc(HOSTILE[0].replace("a.png", "c.png"), inline=True) + " 9×" in f for f in fields), fields
