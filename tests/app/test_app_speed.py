"""The app's speed work (issue 12 target 6) changes no number and hides nothing without saying so:
what the planner has not opened is computed when opened (the efficient frontier, the two collapsed tables
under an allocation) and then equals the library's; the Weights page sends its ranking preview first,
still drawn below the weights; the allocation heatmap is built without Altair's per-shorthand schema
rebuilds, with the same spec; the server skips Streamlit's full garbage collection after each run."""

from __future__ import annotations

import json
import tomllib

import altair as alt
import numpy as np
import pandas as pd

from fulcrum.pipeline import rank_scenario
from fulcrum.scenario import parse_scenario, scenario_to_json
from tests.app.apptest import goto, new_app, run
from tests.support import ROOT


def _solved(default_scenario, aid: float):
    """The app on the Allocation page, solved with aid budget ``aid``; and the library's own solve of it."""
    from optimisation.model import AllocationModel
    from optimisation.priorities import priorities_from_shortlist
    from optimisation.spec import parse_spec
    from ui.pages.allocation import EXAMPLE_SPEC

    at = goto(new_app(), "Allocation")
    if default_scenario.allocation is None:  # "Set up an allocation" fills the example budgets
        at.button[0].click()
        run(at)
    at.number_input(key="w:alloc:budget_aid_musd").set_value(aid)
    run(at)
    at.button(key="solve").click()
    run(at)
    doc = json.loads(scenario_to_json(default_scenario))
    doc["allocation"] = dict(doc.get("allocation") or EXAMPLE_SPEC, budget_aid_musd=aid)
    sc = parse_scenario(doc)
    out = rank_scenario(sc)
    spec = parse_spec(sc.allocation.model_dump())
    model = AllocationModel(
        priorities_from_shortlist(out.shortlist, spec.priority_transform), out.countries, None, spec
    )
    return at, model


def test_the_frontier_is_computed_only_when_opened_and_equals_the_library(monkeypatch, default_scenario):
    import optimisation.model as om
    from ui import charts, compute

    compute._frontier.clear()
    calls, drawn = [], []
    real_frontier, real_line = om.efficient_frontier, charts.line
    monkeypatch.setattr(om, "efficient_frontier", lambda *a, **k: calls.append(1) or real_frontier(*a, **k))
    monkeypatch.setattr(charts, "line", lambda df, *a, **k: drawn.append(df) or real_line(df, *a, **k))

    at, model = _solved(default_scenario, 330.0)
    assert at.metric, "the allocation is shown"
    assert calls == [] and drawn == [], "the frontier is not solved before its expander is opened"
    label = next(e.label for e in at.expander if e.label.startswith("Efficient frontier"))
    assert "computed when opened" in label  # the planner is told

    at.session_state["frontier_open"] = True
    run(at)
    assert len(calls) == 1 and len(drawn) == 1
    lib = real_frontier(model)
    lib = lib[lib["status"].isin(["optimal", "feasible"])]
    shown = drawn[0]
    np.testing.assert_allclose(shown["objective"].to_numpy(float), lib["objective"].to_numpy(float), rtol=0, atol=0)
    np.testing.assert_allclose(
        shown["budget_total_musd"].to_numpy(float), lib["budget_total_musd"].to_numpy(float), rtol=0, atol=0
    )

    run(at)  # it stays open: the next run draws it again (from the cache: no new solves)
    assert len(calls) == 1 and len(drawn) == 2


def test_every_constraint_in_words_is_drawn_when_opened_and_equals_the_library(default_scenario):
    from optimisation.tables import shadow_price_table

    at, model = _solved(default_scenario, 340.0)

    def table():
        return [d.value for d in at.dataframe if {"meaning", "shadow_price"} <= set(d.value.columns)]

    assert table() == []
    at.session_state["alloc_constraints_open"] = True
    run(at)
    shown, lib = table()[0], shadow_price_table(model.solve())
    assert list(shown["meaning"]) == list(lib["meaning"])
    np.testing.assert_allclose(shown["slack_musd"].to_numpy(float), lib["slack_musd"].to_numpy(float), rtol=0, atol=0)


def test_weights_page_sends_the_ranking_preview_first_and_draws_it_below_the_weights(monkeypatch):
    from ui.pages import weights

    order: list[str] = []
    real_preview, real_panel = weights.ranking_preview, weights._normalised_panel
    monkeypatch.setattr(weights, "ranking_preview", lambda out: order.append("preview") or real_preview(out))
    monkeypatch.setattr(weights, "_normalised_panel", lambda out: order.append("panel") or real_panel(out))
    at = goto(new_app(), "Weights")
    assert order == ["preview", "panel"]  # the new ranking is sent before the chart and the sliders
    text = [m.value for m in at.markdown]
    panel = next(i for i, t in enumerate(text) if t.startswith("**Weights in use"))
    preview = next(i for i, t in enumerate(text) if t.startswith("**Top 10 of the ranking"))
    assert panel < preview  # ... and still drawn below the weights, as before


def _plain_heatmap(long, x, y, value, title, fmt=",.1f", tooltip_extra=None):
    """The heatmap as Altair's tutorials write it (the builder before issue 12): the reference spec."""
    base = alt.Chart(long).encode(
        x=alt.X(f"{x}:N", title=None, axis=alt.Axis(labelAngle=-30, labelLimit=0, orient="top", labelOverlap=False)),
        y=alt.Y(f"{y}:N", title=None, axis=alt.Axis(labelLimit=0)),
    )
    tips = [x, y] + (tooltip_extra or []) + [alt.Tooltip(f"{value}:Q", format=fmt)]
    rect = base.mark_rect(stroke="white").encode(
        color=alt.Color(f"{value}:Q", scale=alt.Scale(scheme="blues"), title="US$M"), tooltip=tips
    )
    text = base.mark_text(fontSize=11).encode(
        text=alt.Text(f"{value}:Q", format=fmt),
        color=alt.condition(
            f"datum['{value}'] > 0.6 * {float(long[value].max() or 1)}", alt.value("white"), alt.value("black")
        ),
    )
    return (rect + text).properties(width=alt.Step(110), height=alt.Step(34), title=title)


def test_heatmap_spec_equals_the_plain_layering_and_skips_the_schema_rebuilds(monkeypatch, default_outcome):
    from altair.utils import schemapi

    from fulcrum.allocate import model_for_outcome
    from ui import charts

    res = model_for_outcome(default_outcome).solve()
    alloc = res.allocation.assign(country_name=lambda d: d["country"] + " name", type=lambda d: d["project_type"])
    year = pd.DataFrame({"year": [2026, 2026, 2027], "country_name": ["A", "B", "A"], "musd": [1.5, 0.0, 2.25]})
    cases = [
        ((alloc, "type", "country_name", "total_musd", "Allocation"), {"tooltip_extra": ["project_type"]}),
        ((year, "year", "country_name", "musd", "Disbursements"), {}),
    ]
    rebuilds = []
    real = schemapi._FromDict.__init__
    monkeypatch.setattr(schemapi._FromDict, "__init__", lambda self, w: rebuilds.append(1) or real(self, w))
    for args, kw in cases:
        rebuilds.clear()
        fast = charts.heatmap(*args, **kw)
        assert rebuilds == []  # no schema table rebuilt per shorthand or condition
        plain = _plain_heatmap(*args, **kw)
        assert fast.to_dict() == plain.to_dict(validate=True)


def test_the_server_skips_the_full_garbage_collection_after_each_run():
    with open(ROOT / ".streamlit" / "config.toml", "rb") as f:
        cfg = tomllib.load(f)
    assert cfg["runner"]["postScriptGC"] is False
