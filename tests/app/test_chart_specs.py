"""Charts skip Altair's schema check when Streamlit serialises them (ui/charts.py ``unchecked``, issue 12
target 6): every chart the app draws on its main pages must still pass that check, and the unchecked spec
must be exactly the checked one."""

from __future__ import annotations

import streamlit.elements.vega_charts as vc

from tests.app.apptest import goto, new_app, run


def test_every_drawn_chart_is_valid_and_unchanged_by_skipping_the_check(monkeypatch, default_scenario):
    drawn = []
    convert = vc._convert_altair_to_vega_lite_spec

    def record(chart):
        drawn.append(chart)
        return convert(chart)

    monkeypatch.setattr(vc, "_convert_altair_to_vega_lite_spec", record)
    at = new_app()
    at.session_state["compare_open"] = True  # the Ranking page's charts made when opened: drawn too
    at.session_state["gaia_open"] = True
    for page in ("Weights", "Ranking"):
        goto(at, page)
    goto(at, "Allocation")
    if default_scenario.allocation is None:  # "Set up an allocation" fills the example budgets
        at.button[0].click()
        run(at)
    at.button(key="solve").click()
    run(at)
    kinds = {getattr(c.to_dict, "func", None).__name__ if hasattr(c.to_dict, "func") else "checked" for c in drawn}
    assert kinds == {"_to_dict_unchecked"}, kinds  # every chart drawn skips the check ...
    assert len(drawn) >= 5
    for chart in drawn:
        checked = type(chart).to_dict(chart, validate=True)  # ... which still passes (raises if not)
        assert chart.to_dict() == checked
