"""The allocation page's constraint toggles take project types from the data and group names from
the constraint-family registry (optimisation.constraints), not from strings in the page."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from fulcrum.format import short_label
from optimisation.constraints import GROUP_LABELS
from optimisation.params import load_project_types
from tests.app.apptest import goto, new_app, run, wkey

APP_LINK = "joined-up zones (app)"


def _allocation_page() -> AppTest:
    return goto(new_app(), "Allocation")


def _app_link(at: AppTest):
    links = [ln for ln in at.session_state["scenario"].allocation.linking if ln.label == APP_LINK]
    assert len(links) <= 1
    return links[0] if links else None


def test_linking_toggle_uses_the_types_chosen_from_the_data():
    types = list(load_project_types().index)
    at = _allocation_page()
    box = next(c for c in at.checkbox if c.key == wkey("alloc:link:on", at))
    assert box.label.startswith(GROUP_LABELS["linking"].capitalize())
    assert at.selectbox(key=wkey("alloc:link:lhs", at)).options == [
        short_label(load_project_types().at[p, "label"])
        for p in types  # the names without their detail: they fit
    ]
    box.check()
    run(at)
    link = _app_link(at)
    assert link is not None and link.lhs_type in types and link.rhs_type in types and link.lhs_type != link.rhs_type
    at.selectbox(key=wkey("alloc:link:lhs", at)).set_value("health")
    run(at)
    at.selectbox(key=wkey("alloc:link:rhs", at)).set_value("production_capacity")
    run(at)
    link = _app_link(at)
    assert (link.lhs_type, link.rhs_type, link.ratio) == ("health", "production_capacity", 0.25)
    at.button(key="solve").click()
    run(at)
    assert at.success and not at.error, [e.value for e in at.error]
    at.checkbox(key=wkey("alloc:link:on", at)).uncheck()
    run(at)
    assert _app_link(at) is None


def test_linking_choice_follows_the_enabled_types():
    at = _allocation_page()
    at.selectbox(key=wkey("alloc:link:lhs", at)).set_value("health")
    run(at)
    at.multiselect(key=wkey("alloc:types", at)).set_value(["rural_poverty", "solar_pv"])
    run(at)
    assert at.selectbox(key=wkey("alloc:link:lhs", at)).value == "rural_poverty"
    at.checkbox(key=wkey("alloc:link:on", at)).check()
    run(at)
    link = _app_link(at)
    assert (link.lhs_type, link.rhs_type) == ("rural_poverty", "solar_pv")
