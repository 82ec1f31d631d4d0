"""A self-contained, printable HTML report with the charts (no network, no scripts, no web fonts).

``html_report(outcome, allocation=None)`` renders a ranking run (``fulcrum.pipeline.RankingOutcome``)
and, when given, its allocation (``optimisation.result.AllocationResult``) as one HTML page:
inline CSS with an A4 print stylesheet, every chart a matplotlib PNG embedded as a base64
``data:`` URI, every piece of text passed through ``html.escape``. ``python -m mcda run`` writes it
as report.html; the app offers it as a download. Pure library: no streamlit; matplotlib is
imported lazily (its object-oriented API, never pyplot, so no global backend state) and the PNGs
carry no timestamp, so the same inputs give the same bytes.
"""

from __future__ import annotations

import base64
import io
import math
from collections.abc import Callable, Iterable
from html import escape
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from fulcrum.format import UNITS_OF_BENEFIT, money_musd
from fulcrum.pipeline import scenario_method

if TYPE_CHECKING:  # matplotlib and optimisation are imported only when a chart or an allocation is drawn
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.ticker import PercentFormatter
    from matplotlib.transforms import Bbox

    from fulcrum.pipeline import RankingOutcome
    from optimisation.result import AllocationResult

# figure geometry: A4 text width is ~180 mm (7.1 in); charts are drawn at that size
FIG_W = 7.2
DPI = 130
MAX_CONTRIB_ROWS = 15

CSS = """
:root { --ink:#1f2328; --muted:#59636e; --rule:#d0d7de; --accent:#1f6feb; --short:#e8f3ff; --warn:#fff4e5; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "DejaVu Sans", Arial, sans-serif;
       -webkit-print-color-adjust: exact; print-color-adjust: exact;
       color: var(--ink); font-size: 10.5pt; line-height: 1.45; margin: 0 auto; max-width: 200mm; padding: 12mm 10mm; }
h1 { font-size: 19pt; line-height: 1.2; margin: 0 0 4mm; }
h2 { font-size: 14pt; border-bottom: 2px solid var(--rule); padding-bottom: 1mm; margin: 9mm 0 3mm; }
h3 { font-size: 11.5pt; margin: 5mm 0 2mm; }
h2, h3 { break-after: avoid; page-break-after: avoid; }
p { margin: 0 0 2.5mm; }
.muted, .caption { color: var(--muted); }
.caption { font-size: 9pt; margin-top: 1mm; }
.description { font-size: 10.5pt; }
dl.facts { display: grid; grid-template-columns: max-content auto; gap: 1mm 5mm; margin: 3mm 0; }
dl.facts dt { font-weight: 600; } dl.facts dd { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0 4mm; font-size: 9pt; }
th, td { border-bottom: 1px solid var(--rule); padding: 1mm 2mm; text-align: left; vertical-align: top; }
th { background: #f6f8fa; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
tr.shortlisted td { background: var(--short); }
tr.total td { font-weight: 600; border-top: 1.5px solid var(--ink); }
.swatch { display: inline-block; width: 2.4mm; height: 2.4mm; margin-right: 1.5mm; border-radius: 0.5mm; }
figure { margin: 3mm 0 5mm; break-inside: avoid; page-break-inside: avoid; }
figure img { display: block; width: 100%; max-width: 180mm; height: auto; }
figure.map img { width: 78%; margin: 0 auto; }
figcaption { color: var(--muted); font-size: 9pt; margin-top: 1mm; }
ul.notes li.warning { background: var(--warn); }
ul { margin: 1mm 0 3mm; padding-left: 6mm; }
.status-bad { color: #b42318; font-weight: 600; }
.status-ok { color: #1a7f37; font-weight: 600; }
footer { margin-top: 10mm; color: var(--muted); font-size: 8.5pt; border-top: 1px solid var(--rule); padding-top: 2mm; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 9.5pt; }
  section.major { break-before: page; page-break-before: always; }
  h2 { margin-top: 0; }
  a { color: inherit; text-decoration: none; }
}
"""


# ---------------------------------------------------------------------------------------------
# small helpers
# ---------------------------------------------------------------------------------------------
def _e(v: Any) -> str:
    """Escaped text of a value ('' for None / NaN)."""
    if v is None:
        return ""
    try:
        if not isinstance(v, str) and pd.isna(v):
            return ""
    except (TypeError, ValueError):
        pass
    return escape(str(v), quote=True)


def _mpl(s: Any) -> str:
    """Text for matplotlib: '$' would start mathtext, so escape it."""
    return str(s).replace("$", r"\$")


def _fmt(v: Any, spec: str) -> str:
    if v is None:
        return ""
    try:
        if pd.isna(v):
            return ""
    except (TypeError, ValueError):
        pass
    try:
        txt = format(int(v) if spec.endswith("d") else float(v), spec)
    except (TypeError, ValueError):
        return str(v)
    return txt[1:] if txt.startswith("-") and not txt.strip("-0.,") else txt  # no "-0.00"


def _table(
    df: pd.DataFrame,
    formats: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    row_class: Callable[[pd.Series], str] | None = None,
    total: dict[str, Any] | None = None,
) -> str:
    """An HTML table; numeric columns right-aligned with the given format specs."""
    formats = formats or {}
    headers = headers or {}
    cols = list(df.columns)
    num = {
        c
        for c in cols
        if c in formats or (pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c]))
    }
    head = "".join(f"<th{' class=num' if c in num else ''}>{_e(headers.get(c, c))}</th>" for c in cols)
    rows = []
    for _, r in df.iterrows():
        cls = row_class(r) if row_class else ""
        cells = []
        for c in cols:
            v = r[c]
            if c in num:
                txt = _fmt(v, formats.get(c, ",.4g")) if not isinstance(v, str) else v
                cells.append(f'<td class="num">{_e(txt)}</td>')
            else:
                cells.append(f"<td>{_e(v)}</td>")
        rows.append(f"<tr{f' class={cls!s}' if cls else ''}>" + "".join(cells) + "</tr>")
    if total:
        cells = []
        for c in cols:
            v = total.get(c, "")
            txt = _fmt(v, formats.get(c, ",.4g")) if c in num and not isinstance(v, str) else v
            cells.append(f"<td{' class=num' if c in num else ''}>{_e(txt)}</td>")
        rows.append('<tr class="total">' + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _png_uri(fig: Figure) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _figure(alt: str, fig: Figure, caption: str = "", cls: str = "") -> str:
    cap = f"<figcaption>{_e(caption)}</figcaption>" if caption else ""
    return f'<figure{f" class={cls}" if cls else ""}><img src="{_png_uri(fig)}" alt="{_e(alt)}">{cap}</figure>'


def _new_figure(height: float, width: float = FIG_W) -> Figure:
    """A matplotlib Figure on the Agg canvas (no pyplot: nothing global, safe in threads)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _style(ax: Axes) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=8)
    ax.grid(axis="x", color="#e5e5e5", linewidth=0.6)
    ax.set_axisbelow(True)


def _names(outcome: RankingOutcome) -> pd.Series:
    c = outcome.countries
    if "country" in c.columns:
        return c["country"].astype("string").fillna(pd.Series(c.index.astype(str), index=c.index))
    return pd.Series(c.index.astype(str), index=c.index)


def _labels(criteria: pd.DataFrame) -> dict[str, str]:
    if "label" in criteria.columns:
        return {str(k): (str(v) if isinstance(v, str) and v else str(k)) for k, v in criteria["label"].items()}
    return {str(k): str(k) for k in criteria.index}


def _palette(n: int) -> list:
    from matplotlib import colormaps

    cmap = colormaps["tab20"] if n > 10 else colormaps["tab10"]
    return [cmap(i % cmap.N) for i in range(n)]


# ---------------------------------------------------------------------------------------------
# charts
# ---------------------------------------------------------------------------------------------
def weights_chart(outcome: RankingOutcome) -> str:
    """Horizontal bar of the normalised weights (coloured by criterion group when known)."""
    w = outcome.weights.sort_values(ascending=True)
    labels = _labels(outcome.criteria)
    groups = outcome.criteria["group"].reindex(w.index) if "group" in outcome.criteria.columns else None
    fig = _new_figure(0.9 + 0.26 * len(w))
    ax = fig.add_subplot()
    if groups is not None and groups.notna().any():
        names = list(dict.fromkeys(groups.fillna("other").astype(str)))
        from fulcrum.format import group_colours

        colours = group_colours(names)  # the app's colours (ui/charts.py group_scale)
        ax.barh(
            [_mpl(labels.get(c, c)) for c in w.index],
            w.to_numpy(),
            color=[colours[str(g)] for g in groups.fillna("other")],
        )
        from matplotlib.patches import Patch

        ax.legend(
            handles=[Patch(color=colours[g], label=_mpl(g)) for g in names],
            fontsize=8,
            frameon=False,
            loc="lower right",
            title="group",
            title_fontsize=8,
        )
    else:
        ax.barh([_mpl(labels.get(c, c)) for c in w.index], w.to_numpy(), color="#1f6feb")
    for y, v in enumerate(w.to_numpy()):
        ax.text(v, y, f" {v:.1%}", va="center", fontsize=7.5)
    ax.set_xlim(0, float(w.max()) * 1.18 if len(w) else 1)
    ax.xaxis.set_major_formatter(_percent())
    ax.set_xlabel("normalised weight (sums to 100%)", fontsize=8.5)
    _style(ax)
    return _figure("Normalised criterion weights", fig)


def _percent() -> PercentFormatter:
    from matplotlib.ticker import PercentFormatter

    return PercentFormatter(1.0, decimals=0)


def contributions_chart(outcome: RankingOutcome, top: int = MAX_CONTRIB_ROWS) -> str:
    """Diverging stacked bar of the contrib_* columns for the best `top` alternatives."""
    r = outcome.ranking.sort_values(["rank", "alternative"]).head(top)
    cols = [c for c in r.columns if c.startswith("contrib_")]
    if not cols or r.empty:
        return ""
    labels = _labels(outcome.criteria)
    names = _names(outcome)
    m = scenario_method(outcome)
    base = float(getattr(m, "contribution_baseline", 0.0) or 0.0)
    meaning = str(getattr(m, "contribution_meaning", "") or "")
    rows = [f"{int(k)}. {names.get(a, a)}" for k, a in zip(r["rank"], r["alternative"], strict=True)]
    vals = r[cols].to_numpy(dtype=float)
    vals = np.where(np.isfinite(vals), vals, 0.0)
    n = len(rows)
    fig = _new_figure(1.9 + 0.3 * n + 0.18 * math.ceil(len(cols) / 3))
    ax = fig.add_subplot()
    y = np.arange(n)[::-1]
    pos = np.zeros(n)
    neg = np.zeros(n)
    colours = _palette(len(cols))
    for j, c in enumerate(cols):
        v = vals[:, j]
        left = np.where(v >= 0, pos, neg)
        ax.barh(
            y,
            v,
            left=left,
            color=colours[j],
            height=0.72,
            edgecolor="white",
            linewidth=0.3,
            label=_mpl(labels.get(c[len("contrib_") :], c[len("contrib_") :])),
        )
        pos = pos + np.where(v >= 0, v, 0.0)
        neg = neg + np.where(v < 0, v, 0.0)
    net = vals.sum(axis=1)
    ax.scatter(net, y, marker="|", s=180, color="black", linewidths=2, zorder=3, label="sum of contributions")
    ax.axvline(0, color="#444", linewidth=0.8)
    ax.set_yticks(y, [_mpl(s) for s in rows], fontsize=8)
    sum_to = str(getattr(m, "contributions_sum_to", "score") or "score").split(" (")[0]
    target = "the score" if sum_to == "score" else sum_to
    ax.set_xlabel(f"contribution to {target}" + (f" (relative to the neutral {base:g})" if base else ""), fontsize=8.5)
    _style(ax)
    ax.margins(x=0.04)
    h, lab = ax.get_legend_handles_labels()
    fig.legend(h, lab, loc="outside lower center", ncol=3, fontsize=7, frameon=False)
    total = f"{target} − {base:g}" if base else f"= {target}"
    cap = (
        f"Top {n} by rank. Each bar splits {target} by criterion: segments right of zero add to it, segments left "
        f"of zero subtract; the black tick marks their sum ({total})."
        + ("" if outcome.higher_is_better else " For this method a lower value is better.")
        + (f" Contributions: {meaning}." if meaning else "")
    )
    return _figure(f"Per-criterion contributions for the top {n}", fig, cap)


def score_bar_chart(outcome: RankingOutcome) -> str:
    """Score of every ranked alternative, best first; shortlisted ones highlighted."""
    r = outcome.ranking.sort_values(["rank", "alternative"])
    names = _names(outcome)
    status = outcome.shortlist_table.set_index("alternative")["status"]
    n = len(r)
    fig = _new_figure(0.9 + 0.2 * n)
    ax = fig.add_subplot()
    y = np.arange(n)[::-1]
    colour = {"shortlisted": "#1f6feb", "excluded": "#c8c8c8", "below cut": "#8fb8f0"}
    cols = [colour.get(str(status.get(a, "")), "#8fb8f0") for a in r["alternative"]]
    sc = r["score"].to_numpy(dtype=float)
    ax.barh(y, sc, color=cols, height=0.75)
    ax.set_yticks(
        y,
        [_mpl(f"{int(k)}. {names.get(a, a)}") for k, a in zip(r["rank"], r["alternative"], strict=True)],
        fontsize=7.5,
    )
    for yy, v in zip(y, sc, strict=True):
        if np.isfinite(v):
            ax.text(v, yy, f" {v:.3f}", va="center", fontsize=6.5)
    finite = sc[np.isfinite(sc)]
    if len(finite):
        lo, hi = float(min(0.0, finite.min())), float(finite.max())
        ax.set_xlim(lo, hi + (hi - lo) * 0.12 if hi > lo else hi + 1)
    ax.set_xlabel("score" + ("" if outcome.higher_is_better else " (Q: lower is better)"), fontsize=8.5)
    from matplotlib.patches import Patch

    ax.legend(
        handles=[Patch(color=colour[k], label=k) for k in ("shortlisted", "below cut", "excluded")],
        fontsize=7.5,
        frameon=False,
        loc="lower center",
        bbox_to_anchor=(0.5, 1.0),
        ncol=3,
    )
    _style(ax)
    return _figure("Score by country", fig)


def _mercator(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lat = np.clip(lat, -85, 85)
    return lon, np.degrees(np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)))


def score_map_chart(outcome: RankingOutcome) -> str:
    """Countries coloured by score, drawn from the shipped GeoJSON (capitals as dots for small states)."""
    from mcda.data import load_geojson
    from mcda.errors import InputError

    try:
        geo = load_geojson()
    except InputError:
        return ""
    from matplotlib import colormaps
    from matplotlib.collections import PatchCollection
    from matplotlib.colors import Normalize
    from matplotlib.patches import Polygon

    scores = outcome.ranking.set_index("alternative")["score"].astype(float)
    finite = scores[np.isfinite(scores)]
    if finite.empty:
        return ""
    cmap = colormaps["viridis"] if outcome.higher_is_better else colormaps["viridis_r"]
    norm = Normalize(
        float(finite.min()), float(finite.max()) if finite.max() > finite.min() else float(finite.min()) + 1
    )
    feats = geo.get("features", [])
    if not any(((f.get("properties") or {}).get("iso3") or f.get("id")) in finite.index for f in feats):
        return ""  # none of the alternatives is a country of the map (e.g. a user's own data)
    patches, colours = [], []
    for f in feats:
        iso = (f.get("properties") or {}).get("iso3") or f.get("id")
        g = f.get("geometry") or {}
        polys = g.get("coordinates", [])
        if g.get("type") == "Polygon":
            polys = [polys]
        elif g.get("type") != "MultiPolygon":
            continue
        col = cmap(norm(scores[iso])) if iso in finite.index else (0.88, 0.88, 0.88, 1.0)
        for poly in polys:
            ring = np.asarray(poly[0], dtype=float)
            if ring.ndim != 2 or len(ring) < 3:
                continue
            x, y = _mercator(ring[:, 0], ring[:, 1])
            patches.append(Polygon(np.column_stack([x, y]), closed=True))
            colours.append(col)
    fig = _new_figure(5.5, 5.6)
    ax = fig.add_subplot()
    ax.add_collection(PatchCollection(patches, facecolors=colours, edgecolors="white", linewidths=0.3))
    c = outcome.countries
    if {"capital_lat", "capital_lon"} <= set(c.columns):
        caps = (
            c.loc[c.index.isin(finite.index), ["capital_lon", "capital_lat"]]
            .apply(pd.to_numeric, errors="coerce")
            .dropna()
        )
        if len(caps):
            x, y = _mercator(caps["capital_lon"].to_numpy(), caps["capital_lat"].to_numpy())
            ax.scatter(
                x, y, c=[cmap(norm(scores[i])) for i in caps.index], s=14, edgecolors="black", linewidths=0.4, zorder=3
            )
    ax.autoscale_view()
    ax.set_aspect("equal")
    ax.set_axis_off()
    from matplotlib.cm import ScalarMappable

    cb = fig.colorbar(ScalarMappable(norm=norm, cmap=cmap), ax=ax, shrink=0.6, pad=0.01)
    cb.set_label("score" + ("" if outcome.higher_is_better else " (Q: lower is better)"), fontsize=8)
    cb.ax.tick_params(labelsize=7)
    if {"capital_lat", "capital_lon"} <= set(c.columns):
        _label_capitals(fig, ax, outcome, c)
    return _figure(
        "Map of the region coloured by score",
        fig,
        "Map: countries coloured by score (grey = not ranked); dots mark capitals so small island states "
        "are visible; the shortlisted countries are labelled. Boundaries: mledoze/countries (ODbL).",
        cls="map",
    )


def _label_capitals(fig: Figure, ax: Axes, outcome: RankingOutcome, c: pd.DataFrame) -> None:
    """Name the shortlisted countries at their capitals, moving a label when it would overlap another."""
    names = _names(outcome)
    short = outcome.shortlist_table.loc[outcome.shortlist_table["status"] == "shortlisted"].sort_values("position")
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = fig.canvas
    if not isinstance(canvas, FigureCanvasAgg):  # _new_figure attaches Agg; measure text with it in any case
        canvas = FigureCanvasAgg(fig)
    canvas.draw()  # lay out first, so label extents are in their final place
    renderer = canvas.get_renderer()
    placed: list[Bbox] = []
    offsets = [
        ((7, 5), "left"),
        ((7, -7), "left"),
        ((-7, 5), "right"),
        ((-7, -7), "right"),
        ((10, 16), "left"),
        ((-10, 16), "right"),
        ((10, -18), "left"),
        ((-10, -18), "right"),
        ((14, 28), "left"),
        ((-14, -30), "right"),
    ]
    lons = pd.to_numeric(c["capital_lon"], errors="coerce")
    lats = pd.to_numeric(c["capital_lat"], errors="coerce")
    for a in short["alternative"]:
        if a not in c.index:
            continue
        lon, lat = lons[a], lats[a]
        if pd.isna(lon) or pd.isna(lat):
            continue
        x, y = _mercator(np.array([float(lon)]), np.array([float(lat)]))
        for k, (off, ha) in enumerate(offsets):
            t = ax.annotate(
                _mpl(names.get(a, a)),
                (x[0], y[0]),
                xytext=off,
                textcoords="offset points",
                fontsize=7.5,
                ha=ha,
                va="center",
                fontweight="bold",
                zorder=4,
                arrowprops={"arrowstyle": "-", "color": "#333", "linewidth": 0.5, "shrinkA": 0, "shrinkB": 2},
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85},
            )
            bb = t.get_window_extent(renderer)
            if k == len(offsets) - 1 or not any(bb.overlaps(p) for p in placed):
                placed.append(bb)
                break
            t.remove()


def allocation_heatmap(allocation: AllocationResult, names: pd.Series | None = None) -> str:
    """Country x project type, US$ millions, annotated."""
    wide = allocation.allocation_wide("total_musd").fillna(0.0)
    if wide.empty:
        return ""
    wide = wide.reindex(
        index=[c for c in allocation.by_country.index if c in wide.index] or wide.index,
        columns=[t for t in allocation.by_type.index if t in wide.columns] or wide.columns,
    )
    nr, nc = wide.shape
    fig = _new_figure(1.6 + 0.42 * nr)
    ax = fig.add_subplot()
    v = wide.to_numpy(dtype=float)
    vmax = float(v.max()) if v.size and v.max() > 0 else 1.0
    ax.imshow(v, cmap="Blues", vmin=0, vmax=vmax, aspect="auto")
    for i in range(nr):
        for j in range(nc):
            ax.text(
                j,
                i,
                f"{v[i, j]:,.1f}" if v[i, j] else "–",
                ha="center",
                va="center",
                fontsize=7.5,
                color="white" if v[i, j] > 0.6 * vmax else "black",
            )
    ax.set_xticks(
        range(nc),
        [_mpl(str(t).replace("_", " ")) for t in wide.columns],
        fontsize=7.5,
        rotation=30,
        ha="left",
        rotation_mode="anchor",
    )
    ax.xaxis.tick_top()
    ylab = [f"{names.get(t, t)} ({t})" if names is not None and t in names.index else str(t) for t in wide.index]
    ax.set_yticks(range(nr), [_mpl(t) for t in ylab], fontsize=8)
    ax.tick_params(length=0)
    for s in ax.spines.values():
        s.set_visible(False)
    return _figure(
        "Allocation heatmap, country by project type",
        fig,
        "Allocation (aid + investment), US$ millions, country × project type.",
    )


def frontier_chart(frontier: pd.DataFrame, budget_total: float | None = None) -> str:
    """Benefit against total budget (both pools scaled together)."""
    f = frontier[frontier["objective"].notna()] if "objective" in frontier.columns else frontier.iloc[0:0]
    if f.empty:
        return ""
    fig = _new_figure(3.2)
    ax = fig.add_subplot()
    ax.plot(f["budget_total_musd"], f["objective"], marker="o", markersize=3.5, color="#1f6feb", linewidth=1.5)
    if budget_total is not None:
        ax.axvline(budget_total, color="#b42318", linestyle="--", linewidth=1)
        ax.text(
            budget_total,
            float(f["objective"].min()),
            _mpl(f"  budget in use: {money_musd(budget_total)}"),
            color="#b42318",
            fontsize=7.5,
            va="bottom",
        )
    ax.set_xlabel("total budget, US$ millions (aid and investment scaled together)", fontsize=8.5)
    ax.set_ylabel("benefit (priority-weighted units)", fontsize=8.5)
    _style(ax)
    ax.grid(axis="y", color="#e5e5e5", linewidth=0.6)
    return _figure(
        "Efficient frontier: benefit against budget",
        fig,
        "Each point re-solves the same model with both budgets scaled; the slope is what another "
        "US$1M is worth at that budget; the dashed line marks the budget in use. " + UNITS_OF_BENEFIT,
    )


# ---------------------------------------------------------------------------------------------
# sections
# ---------------------------------------------------------------------------------------------
def _section(title: str, body: Iterable[str], major: bool = True, sid: str = "") -> str:
    cls = "major" if major else "minor"
    return f'<section class="{cls}"{f" id={sid}" if sid else ""}><h2>{_e(title)}</h2>' + "".join(body) + "</section>"


def _method_section(outcome: RankingOutcome) -> str:
    sc = outcome.scenario
    m = sc.method
    meth = m.name + (f", {m.normalization} normalisation" if m.normalization else "")
    meth += " (score = Q, lower is better)" if not outcome.higher_is_better else " (higher score is better)"
    sl = sc.shortlist
    facts = [
        ("Method", meth),
        ("Weights", sc.weights.mode),
        ("Alternatives ranked", f"{len(outcome.ranking)}"),
        ("Criteria", f"{len(outcome.weights)}"),
        (
            "Shortlist",
            (
                f"top {sl.top_k} after {len(sl.filters)} filter(s) and {len(sl.exclusions)} manual "
                f"exclusion(s); priority rule {sl.priority}"
            ),
        ),
    ]
    if m.options:
        facts.insert(1, ("Options", ", ".join(f"{k}={v}" for k, v in m.options.items())))
    dl = "<dl class=facts>" + "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in facts) + "</dl>"
    from fulcrum.report import weights_export

    w = weights_export(outcome)
    cols = ["criterion"] + [c for c in ("label", "group", "direction", "unit") if c in w.columns] + ["weight"]
    w = w[cols].assign(weight=w["weight"] * 100).rename(columns={"weight": "weight %"})
    body = [dl, "<h3>Weights (normalised)</h3>", _table(w, {"weight %": ".1f"}), weights_chart(outcome)]
    return _section("Method and weights", body, major=False, sid="method")


def _notes_section(outcome: RankingOutcome) -> str:
    items = []
    for n in outcome.notes:
        warn = str(n).lower().startswith(("warning", "not replayable", "uncertain"))
        items.append(f"<li{' class=warning' if warn else ''}>{_e(n)}</li>")
    body = [
        "<p class=muted>Missing-data policy, transforms and warnings from the run.</p>",
        f"<ul class=notes>{''.join(items)}</ul>"
        if items
        else "<p>No notes: no missing values, transforms or warnings.</p>",
    ]
    return _section("Notes", body, major=False, sid="notes")


def _ranking_section(outcome: RankingOutcome) -> str:
    from fulcrum.report import ranking_table

    rt = ranking_table(outcome)
    cols = ["rank", "alternative"] + (["name"] if "name" in rt.columns else []) + ["score", "status"]
    body = [
        "<p class=muted>Every alternative, best first; shortlisted rows are shaded.</p>",
        _table(
            rt[cols],
            {"rank": "d", "score": ".4f"},
            row_class=lambda r: "shortlisted" if r["status"] == "shortlisted" else "",
        ),
        score_bar_chart(outcome),
        score_map_chart(outcome),
    ]
    return _section("Ranking", body, sid="ranking")


def _why_section(outcome: RankingOutcome) -> str:
    ch = contributions_chart(outcome)
    if not ch:
        return ""
    what = "country" if "country" in outcome.countries.columns else "alternative"
    return _section(f"Why each {what} ranks where it does", [ch], sid="why")


def _shortlist_section(outcome: RankingOutcome) -> str:
    from fulcrum.report import shortlist_export

    st = shortlist_export(outcome)
    sl = st[st["status"] == "shortlisted"].sort_values("position")
    ex = st[st["status"] == "excluded"]
    below = st[st["status"] == "below cut"]
    cols = [c for c in ("position", "alternative", "name", "track", "rank", "score", "priority") if c in sl.columns]
    cols += ["reason"] if "track" in sl.columns else []  # over tracks: which track picked it, in whose place
    body = [_table(sl[cols], {"position": "d", "rank": "d", "score": ".4f", "priority": ".3f"})]
    if len(ex):
        body += [
            "<h3>Excluded, with reasons</h3>",
            _table(ex[[c for c in ("alternative", "name", "rank", "reason") if c in ex.columns]], {"rank": "d"}),
        ]
    if len(below) and "track" in below.columns:  # over tracks: each track's view of the country
        body += [
            "<h3>Eligible in a track but not picked</h3>",
            _table(below[[c for c in ("alternative", "name", "reason") if c in below.columns]], {}),
        ]
    elif len(below):
        who = ", ".join(
            f"{n} ({int(k)})"
            for n, k in zip(
                below["name"] if "name" in below.columns else below["alternative"], below["rank"], strict=True
            )
        )
        body += [
            "<h3>Eligible but below the cut</h3>",
            (
                f"<p>{_e(str(below['reason'].iloc[0])[:1].upper() + str(below['reason'].iloc[0])[1:])}: "
                f"{_e(who)} (rank in brackets).</p>"
            ),
        ]
    return _section("Shortlist", body, sid="shortlist")


def _allocation_section(
    outcome: RankingOutcome,
    allocation: AllocationResult,
    frontier: pd.DataFrame | None,
    frontier_error: str | None = None,
) -> str:
    from optimisation.tables import assumptions_table, shadow_price_table

    b = allocation.budgets
    status_cls = "status-ok" if allocation.ok else "status-bad"
    kind = "(MILP: discrete projects)" if allocation.is_milp else "(LP)"
    body = [
        (
            f"<p>Budgets: aid US$ {b['aid']:,.1f}M, investment US$ {b['investment']:,.1f}M. "
            f"Solver: {_e(allocation.solver_label)} {kind}. "
            f"Status: <span class={status_cls}>{_e(allocation.status)}</span>.</p>"
        )
    ]
    if not allocation.ok:
        body.append(f"<p>{_e(allocation.message)}</p>")
        d = allocation.diagnosis
        if d is not None and d.conflicts():
            conf = pd.DataFrame(d.conflicts())
            conf["constraints"] = conf["constraints"].map(lambda xs: "; ".join(xs))
            conf["relax_alone_musd"] = conf["relax_alone_musd"].map(
                lambda v: "not enough alone" if v is None or pd.isna(v) else f"{v:,.2f}"
            )
            body += [
                "<h3>Conflicting constraint groups</h3>",
                _table(
                    conf[["label", "relax_alone_musd", "constraints"]],
                    {"relax_alone_musd": ",.2f"},
                    {"label": "group", "relax_alone_musd": "relax alone (US$M)"},
                ),
            ]
            if d.relaxations:
                rel = pd.DataFrame(d.relaxations)
                keep = [c for c in ("constraint", "by_musd", "action") if c in rel.columns]
                body += [
                    "<h3>Smallest relaxation that makes it feasible</h3>",
                    _table(rel[keep], {"by_musd": ",.2f"}, {"by_musd": "by (US$M)"}),
                ]
        return _section("Allocation", body, sid="allocation")
    body.append(
        f"<p>Benefit (priority-weighted units): {allocation.objective:,.4g}. Used: aid US$ "
        f"{allocation.by_pool['aid']:,.1f}M, investment US$ {allocation.by_pool['investment']:,.1f}M.</p>"
    )
    names = _names(outcome)
    body.append(allocation_heatmap(allocation, names))
    bc = allocation.by_country.reset_index()
    bc.insert(1, "name", bc["country"].map(names))
    keep = [c for c in ("country", "name", "priority", "aid_musd", "investment_musd", "total_musd") if c in bc.columns]
    money = {"aid_musd": ",.1f", "investment_musd": ",.1f", "total_musd": ",.1f", "priority": ".3f"}
    hdr = {"aid_musd": "aid", "investment_musd": "investment", "total_musd": "total"}
    tot = {c: float(bc[c].sum()) for c in ("aid_musd", "investment_musd", "total_musd") if c in bc.columns}
    body += ["<h3>By country (US$ millions)</h3>", _table(bc[keep], money, hdr, total={"country": "total", **tot})]
    bt = allocation.by_type.reset_index()
    bt["project_type"] = bt["project_type"].astype(str)
    keep = [c for c in ("project_type", "aid_musd", "investment_musd", "total_musd") if c in bt.columns]
    body += [
        "<h3>By project type (US$ millions)</h3>",
        _table(bt[keep], money, {**hdr, "project_type": "project type"}, total={"project_type": "total", **tot}),
    ]
    body += [
        "<h3>What binds, and what another US$1M is worth</h3>",
        "<ul>" + ("".join(f"<li>{_e(x)}</li>" for x in allocation.binding) or "<li>nothing binds</li>") + "</ul>",
    ]
    sp = shadow_price_table(allocation)
    if len(sp):
        sp = sp[sp["binding"].astype(bool) | sp["group"].isin(["aid_budget", "investment_budget"])]
        one_sided = [c for c in ("one_more_1m_adds", "one_less_1m_loses") if c in sp.columns]
        body += [
            _table(
                sp[["constraint", "shadow_price"] + one_sided + ["slack_musd"]],
                {"shadow_price": ",.4g", "one_more_1m_adds": ",.4g", "one_less_1m_loses": ",.4g", "slack_musd": ",.2f"},
                {
                    "shadow_price": "shadow price",
                    "one_more_1m_adds": "one more US$1M adds",
                    "one_less_1m_loses": "one less US$1M loses",
                    "slack_musd": "slack (US$M)",
                },
            )
        ]
    body.append(f"<p class=caption>{_e(allocation.duals_note)}</p>")
    from fulcrum.report_rules import rules_html  # issue 11 items 3-6 (nothing when no rule is on)

    body += rules_html(allocation, _table, _e)
    if allocation.notes:
        body += ["<h3>Notes</h3>", "<ul>" + "".join(f"<li>{_e(n)}</li>" for n in allocation.notes) + "</ul>"]
    if frontier is None and frontier_error:
        body.append(f"<p class=muted>Efficient frontier not drawn: {_e(frontier_error)}</p>")
    if frontier is not None and len(frontier):
        body += ["<h3>Efficient frontier</h3>", frontier_chart(frontier, b["aid"] + b["investment"])]
    a = assumptions_table(allocation, allocation.spec)
    n_ass = int((a["basis"] == "assumption").sum())
    body.append(
        f"<h3>Assumptions</h3><p>Parameters: {len(a)} values, {n_ass} labelled 'assumption' "
        f"(see the assumptions sheet of the XLSX and datasets/allocation_params.md).</p>"
    )
    return _section("Allocation", body, sid="allocation")


def _ranking_sections(outcome: RankingOutcome) -> list[str]:
    """Method, notes, ranking and why: once, or per track (each under its name) with the rules of tracks."""
    if not outcome.tracks:
        return [_method_section(outcome), _notes_section(outcome), _ranking_section(outcome), _why_section(outcome)]
    parts = [_notes_section(outcome)]
    for i, o in enumerate(outcome.tracks, start=1):
        quota = o.scenario.shortlist.top_k
        parts.append(
            f"<section class=major id=track-{i}><h2>{_e(f'Track {i}: {o.track}')}</h2>"
            f"<p>Quota: {quota} countr{'y' if quota == 1 else 'ies'}.</p></section>"
        )
        parts += [_method_section(o), _ranking_section(o), _why_section(o)]
    return parts


def _memo_sections(outcome: RankingOutcome, smaa_below: bool) -> list[str]:
    """Sources and years of every criterion used, and the robustness summary (fulcrum/report_memo.py)."""
    from fulcrum.report_memo import robustness_html, sources_html

    src = sources_html(outcome)
    return [
        _section("Sources and years", [src], major=False, sid="sources") if src else "",
        _section("Robustness", [robustness_html(outcome, smaa_below)], major=False, sid="robustness"),
    ]


def _filters_section(outcome: RankingOutcome) -> str:
    """Filter sensitivity (fulcrum/report_filters.py renders it)."""
    from fulcrum.report_filters import filters_html

    return filters_html(outcome)


def _electre_section(outcome: RankingOutcome) -> str:
    """ELECTRE III's tables when a ranking uses it (fulcrum/report_electre.py renders them)."""
    from fulcrum.report_electre import electre_html

    return electre_html(outcome)


def html_report(
    outcome: RankingOutcome,
    allocation: AllocationResult | None = None,
    frontier: pd.DataFrame | None = None,
    frontier_error: str | None = None,
    smaa_below: bool = False,
) -> str:
    """The printable HTML report of a ranking run (and its allocation, when given). Render only.

    ``frontier``: an ``optimisation.model.efficient_frontier`` table to draw (computed by the caller,
    e.g. :func:`fulcrum.run.frontier_for`); None draws no frontier chart, and ``frontier_error``
    says why it is missing.
    """
    sc = outcome.scenario
    head = [f"<h1>{_e(sc.name)}</h1>"]
    if sc.description:
        head.append(f"<p class=description>{_e(sc.description)}</p>")
    from fulcrum.asof import as_of_label

    head.append(f"<p class=data-date><strong>Data:</strong> {_e(as_of_label(outcome.as_of))}</p>")
    n_short = int((outcome.shortlist_table["status"] == "shortlisted").sum())
    names = _names(outcome)
    short = outcome.shortlist_table.loc[outcome.shortlist_table["status"] == "shortlisted"].sort_values("position")
    head.append(
        f"<p><strong>Shortlist ({n_short}):</strong> "
        + _e(", ".join(f"{names.get(a, a)}" for a in short["alternative"]))
        + ".</p>"
    )
    parts = [
        "<header>" + "".join(head) + "</header>",
        *_ranking_sections(outcome),
        _shortlist_section(outcome),
        _filters_section(outcome),
        *_memo_sections(outcome, smaa_below),
        _electre_section(outcome),
    ]
    if allocation is not None:
        parts.append(_allocation_section(outcome, allocation, frontier, frontier_error))
    parts.append(
        "<footer>Fulcrum report. Every number comes from the toolkit's libraries (mcda/, optimisation/) "
        "for the scenario above; re-run it with <code>python -m mcda run SCENARIO.json</code>. "
        "Use the browser's Print (Ctrl+P) for a PDF.</footer>"
    )
    return (
        "<!DOCTYPE html>\n<html lang=en>\n<head>\n<meta charset=utf-8>\n"
        '<meta name=viewport content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(sc.name)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        + "\n".join(p for p in parts if p)
        + "\n</body>\n</html>\n"
    )
