"""GAIA plane chart (issue 13 item 7): countries as points, criteria as axes, the decision stick for the
current weights, from mcda.gaia (Mareschal & Brans 1988). Vega-Lite through st.altair_chart: drawn by the
browser from Streamlit's bundled Vega, no network. Renders only."""

from __future__ import annotations

from typing import Any

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from mcda.errors import InputError
from ui import charts
from ui.text import esc


@charts.unchecked
def chart(
    g: Any, names: pd.Series | None, labels: dict[str, str], shortlist: set[str]
) -> alt.LayerChart | alt.FacetChart:
    """The GAIA plane: points, criterion axes (rescaled to the cloud) and the decision stick (bold)."""
    pts = g.points.reset_index()
    pts["name"] = pts["alternative"].map(names).fillna(pts["alternative"]) if names is not None else pts["alternative"]
    pts["shortlist"] = np.where(pts["alternative"].isin(shortlist), "on the shortlist", "not on it")
    reach = float(np.sqrt((pts[["x", "y"]] ** 2).sum(axis=1)).max()) or 1.0
    ax = g.axes.reset_index()
    alen = float(np.sqrt((ax[["x", "y"]] ** 2).sum(axis=1)).max()) or 1.0
    f = 0.95 * reach / alen  # criterion axes keep their relative lengths, the longest reaches the cloud's edge
    ax = ax.assign(
        x=ax["x"] * f, y=ax["y"] * f, x0=0.0, y0=0.0, label=ax["criterion"].map(labels).fillna(ax["criterion"])
    )
    sx, sy = g.stick
    slen = float(np.hypot(sx, sy))
    stick = pd.DataFrame(
        {"x0": [0.0], "y0": [0.0], "x": [sx / slen * reach if slen else 0.0], "y": [sy / slen * reach if slen else 0.0]}
    )
    stick["label"] = "decision stick (your weights)"
    lim = 1.15 * reach
    sc = alt.Scale(domain=[-lim, lim], nice=False)
    X = alt.X("x:Q", scale=sc, title="first principal component", axis=alt.Axis(labels=False, ticks=False))
    Y = alt.Y("y:Q", scale=sc, title="second principal component", axis=alt.Axis(labels=False, ticks=False))
    axes = alt.Chart(ax).mark_rule(color="#7f7f7f", strokeDash=[4, 3]).encode(x=X, y=Y, x2="x0:Q", y2="y0:Q")
    axis_text = (
        alt.Chart(ax)
        .mark_text(color="#555555", fontSize=11, align="left", dx=3, dy=-3)
        .encode(x=X, y=Y, text="label:N", tooltip=[alt.Tooltip("label:N", title="criterion")])
    )
    dots = (
        alt.Chart(pts)
        .mark_circle(size=70, opacity=0.85)
        .encode(
            x=X,
            y=Y,
            color=alt.Color(
                "shortlist:N",
                scale=alt.Scale(domain=["on the shortlist", "not on it"], range=["#1b7837", "#8c96c6"]),
                title=None,
                legend=alt.Legend(orient="bottom", labelLimit=300),
            ),
            tooltip=[alt.Tooltip("name:N", title="country"), alt.Tooltip("shortlist:N", title="shortlist")],
        )
    )
    names_text = alt.Chart(pts).mark_text(fontSize=10, dy=-8).encode(x=X, y=Y, text="name:N")
    stick_rule = alt.Chart(stick).mark_rule(color="#d62728", strokeWidth=4).encode(x=X, y=Y, x2="x0:Q", y2="y0:Q")
    stick_end = (
        alt.Chart(stick)
        .mark_point(shape="triangle", filled=True, size=160, color="#d62728")
        .encode(x=X, y=Y, tooltip=[alt.Tooltip("label:N", title="")])
    )
    return alt.layer(axes, axis_text, dots, names_text, stick_rule, stick_end).properties(
        height=560,
        title=alt.TitleParams(
            "GAIA plane",
            subtitle=[f"share of information kept by the plane: {g.delta:.0%}; red: the decision stick"],
        ),
    )


OPEN = "gaia_open"  # session key: the GAIA expander is open


def section(out: Any, m: Any) -> None:
    """The GAIA plane of the current ranking problem and weights, with how much the picture can be trusted."""
    from ui import lazy

    st.subheader("GAIA plane (PROMETHEE)")
    # made when opened (issue 12 target 6: a chart the planner has not asked for costs no page switch)
    box, is_open = lazy.expander("Countries and criteria on one plane", key=OPEN)
    if not is_open:
        return
    with box:
        _plane(out, m)


def _plane(out: Any, m: Any) -> None:
    from mcda.gaia import gaia_of
    from ui import common

    try:
        g = gaia_of(out.problem, out.weights, m)
    except InputError as e:
        st.info(f"No GAIA plane: {esc(e)}")
        return
    t = out.shortlist_table
    shortlist = {str(a) for a in t.loc[t["status"] == "shortlisted", "alternative"]}
    st.container(key="gaia_chart").altair_chart(
        chart(g, common.names(out), common.labels(out), shortlist), width="stretch"
    )
    pref = "its" if getattr(m, "name", "") == "promethee2" else "the usual (type I)"
    st.caption(
        f"The principal-component view of PROMETHEE's single-criterion net flows ({pref} preference functions; "
        "Mareschal & Brans 1988). Countries close together have similar profiles; a criterion's axis points "
        "towards the countries that do well on it, and criteria pointing the same way agree. The red decision "
        "stick is your weights: countries far along it rank high under PROMETHEE II. Lengths of the axes and "
        f"the stick are rescaled to the cloud; directions count. The plane keeps δ = {g.delta:.0%} of the "
        "information" + (" — below 60%, so read it with care." if g.delta < 0.6 else ".")
    )
