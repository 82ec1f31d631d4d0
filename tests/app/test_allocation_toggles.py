"""The allocation page's constraint toggles take project types from the data and group names from
the constraint-family registry (optimisation.constraints), not from strings in the page."""
from __future__ import annotations


from streamlit.testing.v1 import AppTest

from optimisation.constraints import GROUP_LABELS
from optimisation.params import load_project_types
from tests.support import ROOT

APP = str(ROOT / "app.py")
APP_LINK = "joined-up zones (app)"


def wkey(name: str, at: AppTest) -> str:
    """Key of the widget the app draws for ``name`` now (ui.state redraws a widget under a fresh key
    when the scenario changed behind it)."""
    from ui.state import drawn_key

    return drawn_key(name, at.session_state)


def _run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _allocation_page() -> AppTest:
    at = _run(AppTest.from_file(APP, default_timeout=120))
    at.sidebar.radio(key="page").set_value("Allocation")
    return _run(at)


def _app_link(at: AppTest):
    links = [ln for ln in at.session_state["scenario"].allocation.linking if ln.label == APP_LINK]
    assert len(links) <= 1
    return links[0] if links else None


def test_linking_toggle_uses_the_types_chosen_from_the_data():
    types = list(load_project_types().index)
    at = _allocation_page()
    box = next(c for c in at.checkbox if c.key == wkey("alloc:link:on", at))
    assert box.label.startswith(GROUP_LABELS["linking"].capitalize())
    assert at.selectbox(key=wkey("alloc:link:lhs", at)).options == [str(load_project_types().at[p, "label"]) for p in types]
    box.check()
    _run(at)
    link = _app_link(at)
    assert link is not None and link.lhs_type in types and link.rhs_type in types and link.lhs_type != link.rhs_type
    at.selectbox(key=wkey("alloc:link:lhs", at)).set_value("health")
    _run(at)
    at.selectbox(key=wkey("alloc:link:rhs", at)).set_value("production_capacity")
    _run(at)
    link = _app_link(at)
    assert (link.lhs_type, link.rhs_type, link.ratio) == ("health", "production_capacity", 0.25)
    at.button(key="solve").click()
    _run(at)
    assert at.success and not at.error, [e.value for e in at.error]
    at.checkbox(key=wkey("alloc:link:on", at)).uncheck()
    _run(at)
    assert _app_link(at) is None


def test_linking_choice_follows_the_enabled_types():
    at = _allocation_page()
    at.selectbox(key=wkey("alloc:link:lhs", at)).set_value("health")
    _run(at)
    at.multiselect(key=wkey("alloc:types", at)).set_value(["rural_poverty", "solar_pv"])
    _run(at)
    assert at.selectbox(key=wkey("alloc:link:lhs", at)).value == "rural_poverty"
    at.checkbox(key=wkey("alloc:link:on", at)).check()
    _run(at)
    link = _app_link(at)
    assert (link.lhs_type, link.rhs_type) == ("rural_poverty", "solar_pv")
