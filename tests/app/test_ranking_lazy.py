"""The Ranking page's heavy parts are made when the planner opens them (issue 12 target 6: page switch < 1 s):
the GAIA plane, the ranks by each method with their heatmap, and the filter and exclusion forms. What stays
visible says what the planner needs: the comparison's one-line summary is the library's rank correlation."""

from __future__ import annotations

import pytest

from mcda.compare import compare_methods
from tests.app.apptest import goto, new_app, run


def texts(at) -> str:
    return "\n".join(str(m.value) for m in [*at.markdown, *at.caption])


def charts(at) -> list[str]:
    import json

    return [json.dumps(json.loads(c.proto.spec)) for c in at.get("vega_lite_chart")]


def expander_labels(at) -> list[str]:
    return [e.label for e in at.expander]


def test_gaia_plane_is_made_when_opened(default_outcome):
    at = goto(new_app(), "Ranking")
    assert "Countries and criteria on one plane (computed when opened)" in expander_labels(at)
    assert "The plane keeps δ" not in texts(at)
    n = len(charts(at))
    at.session_state["gaia_open"] = True
    run(at)
    assert "The plane keeps δ" in texts(at) and len(charts(at)) == n + 1
    # open, it follows a later change of the scenario (another run with the expander still open)
    run(at)
    assert "The plane keeps δ" in texts(at) and len(charts(at)) == n + 1


def test_comparison_summary_is_the_library_rank_correlation(default_outcome):
    at = goto(new_app(), "Ranking")
    assert "Ranks by each method, and their correlations (computed when opened)" in expander_labels(at)
    assert not [d for d in at.dataframe if any("in force" in str(c) for c in d.value.columns)]
    line = next(m.value for m in at.markdown if str(m.value).startswith("Rank correlation (spearman"))
    from fulcrum.pipeline import scenario_method

    m = scenario_method(default_outcome)
    own = [(m.name, {"normalization": default_outcome.scenario.method.normalization})]
    others = [x for x in ("vikor", "promethee2", "wsm") if x != m.name]
    _, corr = compare_methods(default_outcome.problem, default_outcome.weights, own + [(x, {}) for x in others])
    sp = corr["spearman"]
    values = [float(v) for v in line.rstrip(".").split(": ", 1)[1].replace(",", " ").split() if _number(v)]
    assert values == pytest.approx([round(float(sp.iloc[0, j]), 2) for j in range(1, len(sp.columns))], abs=0)
    assert line.split(" with ")[1].startswith("TOPSIS (min-max):")
    # opened: the ranks by each method, as before
    at.session_state["compare_open"] = True
    run(at)
    assert [d for d in at.dataframe if any("in force" in str(c) for c in d.value.columns)]
    assert any("rank correlation (spearman)" in c for c in charts(at))


def _number(v: str) -> bool:
    try:
        float(v)
    except ValueError:
        return False
    return True


def test_filter_and_exclusion_forms_are_drawn_when_opened():
    at = goto(new_app(), "Ranking")
    label = next(x for x in expander_labels(at) if x.startswith("Filters ("))
    assert "computed when opened" not in label  # nothing is computed: the forms are simply drawn on opening
    keys = {w.key for w in [*at.selectbox, *at.text_input, *at.button]}
    assert not {"excl_id", "excl_reason", "flt_col", "flt_value"} & keys
    at.session_state["filters_open"] = True
    run(at)
    keys = {w.key for w in [*at.selectbox, *at.text_input, *at.button]}
    assert {"excl_id", "excl_reason", "flt_col", "flt_value"} <= keys


def test_an_opened_part_is_open_again_after_a_page_switch(default_outcome):
    """Streamlit drops the expander's own state on a page that is not drawn; the page keeps it open anyway."""
    at = goto(new_app(), "Ranking")
    at.session_state["gaia_open"] = True
    run(at)
    assert "The plane keeps δ" in texts(at)
    goto(at, "Weights")
    goto(at, "Ranking")
    assert "The plane keeps δ" in texts(at) and not at.warning, [w.value for w in at.warning]
    at.session_state["gaia_open"] = False  # closed by the planner: closed after a switch too
    run(at)
    goto(at, "Weights")
    goto(at, "Ranking")
    assert "The plane keeps δ" not in texts(at)
