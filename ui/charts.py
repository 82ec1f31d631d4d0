"""Altair chart builders (rendering only: every value plotted comes from a library result).

The map uses ``mark_geoshape`` on the local LAC geojson, served by Streamlit's static file
server (``static/``) from 127.0.0.1 — never a CDN — with an inline fallback.
"""

from __future__ import annotations

import functools
import json
import re
import threading
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import altair as alt
import pandas as pd
from altair.utils.schemapi import debug_mode

ROOT = Path(__file__).resolve().parent.parent
# the map's shapes: a copy simplified below a pixel (ui/map_shapes.py), ~5x fewer points for the browser to draw
GEOJSON = ROOT / "datasets" / "geo" / "lac_countries_display.geojson"
STATIC_GEOJSON = ROOT / "static" / "lac_countries.geojson"
STATIC_URL = "/app/static/lac_countries.geojson"

F = TypeVar("F", bound=Callable[..., Any])


def _to_dict_unchecked(chart: Any, validate: bool = False, **kw: Any) -> dict[str, Any]:
    return type(chart).to_dict(chart, validate=validate, **kw)


_BUILDING = threading.RLock()  # Altair's debug flag is process-wide: one builder switches it at a time


def unchecked(make: F) -> F:
    """A chart builder whose chart is built and serialised without Altair's JSON-schema checks (issue 12 target 6).

    Altair checks every part of a chart as it is made and the whole chart again when Streamlit serialises it:
    most of each chart's cost on every rerun. The spec is the same dict, and tests/app/test_chart_specs.py
    validates every chart the main pages draw against the schema."""

    @functools.wraps(make)
    def build(*args: Any, **kwargs: Any) -> Any:
        with _BUILDING, debug_mode(False):
            chart = make(*args, **kwargs)
        object.__setattr__(chart, "to_dict", functools.partial(_to_dict_unchecked, chart))  # this chart only
        return chart

    return build  # type: ignore[return-value]


def _label_map(criteria: pd.DataFrame) -> dict[str, str]:
    if "label" in criteria.columns:
        return {str(k): (str(v) if isinstance(v, str) and v else str(k)) for k, v in criteria["label"].items()}
    return {str(k): str(k) for k in criteria.index}


def contributions_long(ranking: pd.DataFrame, criteria: pd.DataFrame, names: pd.Series | None) -> pd.DataFrame:
    """Ranking's contrib_<id> columns reshaped for a stacked bar (one row per country x criterion)."""
    cols = [c for c in ranking.columns if c.startswith("contrib_")]
    long = ranking.melt(
        id_vars=["alternative", "rank", "score"], value_vars=cols, var_name="criterion", value_name="contribution"
    )
    long["criterion"] = long["criterion"].str.slice(len("contrib_"))
    labels = _label_map(criteria)
    long["label"] = long["criterion"].map(labels).fillna(long["criterion"])
    if "group" in criteria.columns:
        long["group"] = long["criterion"].map(criteria["group"])
    long["name"] = long["alternative"].map(names) if names is not None else long["alternative"]
    long["name"] = long["name"].fillna(long["alternative"])
    long["country"] = long["rank"].astype(int).astype(str).str.zfill(2) + ". " + long["name"]
    return long


def sums_to(method) -> str:
    """What the contributions add up to, in the method's own words (``contributions_sum_to``), without
    pointers into the library's API such as "(explain['indices'])"."""
    text = str(getattr(method, "contributions_sum_to", "score") or "score")
    return re.sub(r"\s*\(explain\[[^)]*\]\)", "", text).strip() or "score"


def contribution_text(method) -> tuple[str, str]:
    """(x-axis title, what the black tick is) for the method's contributions.

    Says what the bars add up to (e.g. VIKOR: S, the group regret — not the score Q the ranking
    uses; WPM: ln(score)), from the method's ``contributions_sum_to`` and ``contribution_baseline``.
    """
    total = sums_to(method)
    baseline = float(getattr(method, "contribution_baseline", 0.0) or 0.0)
    if total == "score":
        xtitle = "contribution to the score" + (f" (bars start at the neutral {baseline:g})" if baseline else "")
        tick = "black tick = sum of the contributions" + (f" = score − {baseline:g}" if baseline else " = score")
    else:
        xtitle = f"contribution to {total}" + (f" (bars start at {baseline:g})" if baseline else "")
        tick = (
            "black tick = sum of the contributions"
            + (f" = {total} − {baseline:g}" if baseline else f" = {total}")
            + " — not the score the ranking uses"
            + ("" if getattr(method, "higher_is_better", True) else " (lower is better)")
        )
    return xtitle, tick


@unchecked
def contributions_bar(long: pd.DataFrame, method: Any, height_per_row: int = 20) -> alt.LayerChart | alt.FacetChart:
    """Stacked contributions per country with a tick at their sum; titles from the method's own attributes."""
    order = long[["country", "rank"]].drop_duplicates().sort_values(["rank", "country"])["country"].tolist()
    n = len(order)
    meaning = str(getattr(method, "contribution_meaning", "") or "")
    xtitle, tick_text = contribution_text(method)
    total = sums_to(method)
    tip = [
        alt.Tooltip("name:N", title="country"),
        alt.Tooltip("rank:Q"),
        alt.Tooltip("score:Q", format=".4f"),
        alt.Tooltip("label:N", title="criterion"),
        alt.Tooltip("contribution:Q", format="+.4f"),
    ]
    if "group" in long.columns:
        tip.append(alt.Tooltip("group:N"))
    net = long.groupby(["country", "name", "rank", "score"], as_index=False)["contribution"].sum()
    tick = (
        alt.Chart(net)
        .mark_tick(color="black", thickness=2, size=height_per_row - 4)
        .encode(
            y=alt.Y("country:N", sort=order),
            x=alt.X("contribution:Q"),
            tooltip=[
                alt.Tooltip("name:N", title="country"),
                alt.Tooltip("score:Q", format=".4f"),
                alt.Tooltip(
                    "contribution:Q",
                    title=f"sum of contributions (= {total}"
                    + (
                        f" − {float(getattr(method, 'contribution_baseline', 0) or 0):g}"
                        if getattr(method, "contribution_baseline", 0)
                        else ""
                    )
                    + ")",
                    format="+.4f",
                ),
            ],
        )
    )
    bars = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=alt.Y("country:N", sort=order, title=None, axis=alt.Axis(labelLimit=220, labelOverlap=False)),
            x=alt.X("contribution:Q", title=xtitle, stack="zero"),
            color=alt.Color(
                "label:N",
                title="criterion",
                scale=alt.Scale(scheme="tableau20"),
                legend=_legend(orient="bottom", columns=3),
            ),
            order=alt.Order("criterion:N"),
            tooltip=tip,
        )
    )
    sub = ([meaning] if meaning else []) + [tick_text]
    # autosize "fit" takes the title, axis and legend (one line per 3 criteria) out of this height: add room
    # for them, or with a handful of rows the plot area shrinks to nothing and the bars collapse onto one line
    legend_rows = -(-long["label"].nunique() // 3)
    return alt.layer(bars, tick).properties(
        height=130 + 24 * legend_rows + max(80, height_per_row * n),
        title=alt.TitleParams("Why each country ranks where it does", subtitle=sub),
    )


def ensure_static_geojson() -> bool:
    """Copy the shipped geojson into static/ (Streamlit's static server rejects symlinks).

    Returns False when that is impossible (read-only checkout): the map then inlines the shapes.
    """
    try:
        if not STATIC_GEOJSON.exists() or STATIC_GEOJSON.stat().st_size != GEOJSON.stat().st_size:
            STATIC_GEOJSON.parent.mkdir(exist_ok=True)
            tmp = STATIC_GEOJSON.with_suffix(".tmp")
            tmp.write_bytes(GEOJSON.read_bytes())
            tmp.replace(STATIC_GEOJSON)
        return True
    except OSError:
        return False


@lru_cache(maxsize=1)
def _geojson_inline() -> dict:
    return json.loads(GEOJSON.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def geo_ids() -> frozenset[str]:
    """ISO3 codes of the shapes in the shipped geojson (the map can only colour these)."""
    return frozenset(str(f.get("properties", {}).get("iso3")) for f in _geojson_inline()["features"])


def geo_source(static_ok: bool) -> alt.Data | alt.InlineData:
    if static_ok:
        return alt.Data(url=STATIC_URL, format=alt.DataFormat(property="features", type="json"))
    return alt.InlineData(values=_geojson_inline()["features"])


@unchecked
def score_map(
    scores: pd.DataFrame, higher_is_better: bool, static_ok: bool = True, capitals: pd.DataFrame | None = None
) -> alt.LayerChart | alt.FacetChart:  # alt.layer gives a FacetChart when the layers share a facet
    """Countries coloured by score (columns alternative, name, score, rank, status)."""
    src = geo_source(static_ok)
    fields = [c for c in ("score", "rank", "name", "status") if c in scores.columns]
    base = alt.Chart(src).mark_geoshape(fill="#e6e6e6", stroke="white", strokeWidth=0.4)
    scale = alt.Scale(scheme="viridis", reverse=not higher_is_better)
    title = "score" + ("" if higher_is_better else " (lower is better)")
    coloured = (
        alt.Chart(src)
        .mark_geoshape(stroke="white", strokeWidth=0.4)
        .transform_lookup(lookup="properties.iso3", from_=alt.LookupData(scores, "alternative", fields))
        .transform_filter("isValid(datum.score)")
        .encode(
            color=alt.Color("score:Q", scale=scale, title=title),
            tooltip=[
                alt.Tooltip("name:N", title="country"),
                alt.Tooltip("rank:Q"),
                alt.Tooltip("score:Q", format=".4f"),
            ]
            + ([alt.Tooltip("status:N")] if "status" in fields else []),
        )
    )
    layers = [base, coloured]
    if capitals is not None and len(capitals):
        pts = (
            alt.Chart(capitals)
            .mark_circle(size=45, stroke="black", strokeWidth=0.5, opacity=0.9)
            .encode(
                longitude="lon:Q",
                latitude="lat:Q",
                color=alt.Color("score:Q", scale=scale, title=title),
                tooltip=[
                    alt.Tooltip("name:N", title="country"),
                    alt.Tooltip("rank:Q"),
                    alt.Tooltip("score:Q", format=".4f"),
                ],
            )
        )
        layers.append(pts)
    return (
        alt.layer(*layers)
        .project("mercator")
        .properties(
            height=520,
            title=alt.TitleParams(
                "Score by country",
                subtitle=["dots mark capitals, so small island states are visible;", "grey = not ranked"],
            ),
        )
    )


def group_scale(groups: Any) -> alt.Scale:
    """The one colour per criterion group (fulcrum.format.GROUP_COLOURS), as in the reports."""
    from fulcrum.format import group_colours

    cols = group_colours(pd.Series(groups).dropna().astype(str).unique())
    return alt.Scale(domain=list(cols), range=list(cols.values()))


def _legend(**kw: Any) -> alt.Legend:
    """A legend whose labels are never cut short with '…' (labelLimit 0 = no limit)."""
    return alt.Legend(labelLimit=0, **kw)


@unchecked
def weights_bar(weights: pd.DataFrame) -> alt.Chart:
    """weights: columns label, weight (normalised), group."""
    enc: dict[str, Any] = {
        "y": alt.Y("label:N", sort="-x", title=None, axis=alt.Axis(labelLimit=260, labelOverlap=False)),
        "x": alt.X("weight:Q", title="normalised weight (sums to 100%)", axis=alt.Axis(format="%")),
        "tooltip": [alt.Tooltip("label:N", title="criterion"), alt.Tooltip("weight:Q", format=".1%")],
    }
    if "group" in weights.columns:
        enc["color"] = alt.Color(
            "group:N", scale=group_scale(weights["group"]), legend=_legend(orient="top", title=None)
        )
        enc["tooltip"].append(alt.Tooltip("group:N"))
    return alt.Chart(weights).mark_bar().encode(**enc).properties(height=alt.Step(20))


@unchecked
def correlation_heatmap(corr: pd.DataFrame, title: str) -> alt.Chart:
    df = corr.copy()
    df.index.name = "method_a"
    long = df.reset_index().melt(id_vars="method_a", var_name="method_b", value_name="value")
    base = alt.Chart(long).encode(
        x=alt.X("method_b:N", title=None, sort=list(corr.columns), axis=alt.Axis(labelLimit=260)),
        y=alt.Y("method_a:N", title=None, sort=list(corr.index), axis=alt.Axis(labelLimit=260)),
    )
    rect = base.mark_rect().encode(
        color=alt.Color("value:Q", scale=alt.Scale(domain=[-1, 1], scheme="redblue"), title=title),
        tooltip=["method_a", "method_b", alt.Tooltip("value:Q", format=".3f")],
    )
    text = base.mark_text(fontSize=11).encode(
        text=alt.Text("value:Q", format=".2f"),
        color=alt.condition("abs(datum.value) > 0.6", alt.value("white"), alt.value("black")),
    )
    return (rect + text).properties(width=alt.Step(56), height=alt.Step(32), title=title)


@unchecked
def heatmap(
    long: pd.DataFrame,
    x: str,
    y: str,
    value: str,
    title: str,
    fmt: str = ",.1f",
    tooltip_extra: list[str] | None = None,
) -> alt.LayerChart:
    # The same spec as layering two charts of ``long``, built 2-3x faster (issue 12 target 6): channel objects
    # rather than shorthand strings and condition dicts (Altair 6.3 rebuilds its schema table for each of those),
    # and the data given to the layer once (a chart's own data is hashed through its text form when layered).
    base = alt.Chart().encode(
        x=alt.X(f"{x}:N", title=None, axis=alt.Axis(labelAngle=-30, labelLimit=0, orient="top", labelOverlap=False)),
        y=alt.Y(f"{y}:N", title=None, axis=alt.Axis(labelLimit=0)),
    )
    tips = [alt.Tooltip(t) for t in [x, y, *(tooltip_extra or [])]] + [alt.Tooltip(f"{value}:Q", format=fmt)]
    rect = base.mark_rect(stroke="white").encode(
        color=alt.Color(f"{value}:Q", scale=alt.Scale(scheme="blues"), title="US$M"), tooltip=tips
    )
    text = base.mark_text(fontSize=11).encode(
        text=alt.Text(f"{value}:Q", format=fmt),
        color=alt.ColorValue(
            **alt.condition(
                f"datum['{value}'] > 0.6 * {float(long[value].max() or 1)}", alt.value("white"), alt.value("black")
            )
        ),
    )
    return alt.LayerChart(layer=[rect, text], data=long).properties(
        width=alt.Step(110), height=alt.Step(34), title=title
    )


@unchecked
def line(
    df: pd.DataFrame,
    x: str,
    y: str,
    title: str,
    x_title: str,
    y_title: str,
    color: str | None = None,
    mark_x: float | None = None,
    mark_label: str = "",
) -> Any:
    enc: dict[str, Any] = {
        "x": alt.X(f"{x}:Q", title=x_title),
        "y": alt.Y(f"{y}:Q", title=y_title),
        "tooltip": [alt.Tooltip(f"{x}:Q", format=",.2f"), alt.Tooltip(f"{y}:Q", format=",.3f")],
    }
    if color:
        enc["color"] = alt.Color(f"{color}:N")
    chart = alt.Chart(df).mark_line(point=True).encode(**enc).properties(height=320, title=title)
    if mark_x is None:
        return chart
    # a dashed rule at mark_x (e.g. the budget in use), labelled
    at = pd.DataFrame({x: [float(mark_x)], "label": [mark_label]})
    rule = alt.Chart(at).mark_rule(color="#b42318", strokeDash=[5, 4]).encode(x=f"{x}:Q")
    text = (
        alt.Chart(at)
        .mark_text(align="left", dx=4, dy=-6, color="#b42318", baseline="top")
        .encode(x=f"{x}:Q", y=alt.value(4), text="label:N")
    )
    return alt.layer(chart, rule, text)
