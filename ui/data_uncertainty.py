"""The Robustness page's switch "also sample the data from its stated uncertainty" (issue 10 item 5).

Renders the switch and which criteria carry measured uncertainty; the table and the validated
per-value standard deviations come from :mod:`fulcrum.uncertainty` (nothing is computed here).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from fulcrum.scenario import SHIPPED_DATASETS
from mcda.errors import InputError
from ui.text import esc

KEY = "rb_data_uncertainty"


def table_name(sc: Any) -> str | None:
    """The uncertainty table this scenario can use: its own ``robustness.data_uncertainty``, else the
    shipped one for the shipped data; None when there is none."""
    rb = getattr(sc, "robustness", None)
    if rb is not None and rb.data_uncertainty != "none":
        return str(rb.data_uncertainty)
    return "shipped" if sc.data.dataset in SHIPPED_DATASETS else None


def switch(out: Any, sc: Any, clab: dict) -> tuple[tuple, Any]:
    """Draw the switch; return (cache-key part, the ValueUncertainty to sample or None)."""
    from fulcrum.uncertainty import values_for

    name = table_name(sc)
    rb = getattr(sc, "robustness", None)
    asked = rb is not None and rb.data_uncertainty != "none"
    if KEY not in st.session_state:
        st.session_state[KEY] = asked
    on = st.toggle(
        "Also sample the data from its stated uncertainty",
        key=KEY,
        disabled=name is None,
        help="SMAA then draws each value that carries a stated standard error (World Bank governance "
        "indicators: their published standard errors) from a normal distribution around it, as well as "
        "the weights; every other value stays exact. Confidence factors then say how often a country "
        "stays first when the data move.",
    )
    if name is None:
        st.caption(
            "No stated uncertainty for this dataset: name a CSV id,criterion,sd in the scenario's "
            "robustness.data_uncertainty to sample its values."
        )
        return ("values", "none"), None
    widen = float(rb.widen_per_year) if rb is not None else 0.0
    try:
        values = values_for(out, name, widen)
    except InputError as e:
        st.error(esc(e))
        return ("values", "invalid"), None
    lab = lambda c: esc(clab.get(c, c), inline=True)  # noqa: E731
    measured = ", ".join(lab(c) for c in values.measured_criteria)
    exact = ", ".join(lab(c) for c in values.exact_criteria)
    with st.container(key="data_uncertainty_box"):
        if measured:
            st.caption(
                f"Criteria carrying measured uncertainty: **{measured}** ({values.n_cells} values; "
                f"{esc(values.source + values.years_said(), inline=True)}). "
                f"Exact (no stated uncertainty): {exact or 'none'}."
            )
        else:
            st.caption(
                f"None of the criteria in use carries a stated uncertainty ({esc(values.source, inline=True)}): "
                "the values stay exact."
            )
        for note in values.notes:
            st.caption(esc(note))
    if not on:
        return ("values", "off"), None
    return ("values", name, widen), values


TRACKS_KEY = "trk_data_uncertainty"


def tracks_switch(full: Any, sc: Any) -> tuple[tuple, list | None]:
    """Over tracks: the switch for the final-shortlist acceptability; returns (cache-key part, one
    ValueUncertainty or None per track, or None when off). Which criteria carry measured uncertainty is
    said per track."""
    from fulcrum.uncertainty import track_values

    name = table_name(sc)
    rb = getattr(sc, "robustness", None)
    if TRACKS_KEY not in st.session_state:
        st.session_state[TRACKS_KEY] = rb is not None and rb.data_uncertainty != "none"
    on = st.toggle(
        "Also sample the data from its stated uncertainty (every track)",
        key=TRACKS_KEY,
        disabled=name is None,
        help="Each track's values that carry a stated standard error (World Bank governance indicators) are "
        "drawn from a normal distribution around them in every sample, as well as the weights.",
    )
    if name is None or not on:
        return ("values", "off"), None
    widen = float(rb.widen_per_year) if rb is not None else 0.0
    try:
        vals = track_values(full, name, widen)
    except InputError as e:
        st.error(esc(e))
        return ("values", "invalid"), None
    lines = []
    for o, v in zip(full.tracks, vals, strict=True):
        measured = ", ".join(v.measured_criteria) if v is not None else ""
        lines.append(
            f"- Track '{esc(o.track, inline=True)}': "
            + (
                f"measured uncertainty in **{esc(measured, inline=True)}** ({v.n_cells} values)"
                if measured
                else "all values exact"
            )
        )
    with st.container(key="tracks_data_uncertainty_box"):
        st.markdown("\n".join(lines))
        if vals and vals[0] is not None:
            st.caption(esc(vals[0].source + vals[0].years_said()))
    return ("values", name, widen), vals
