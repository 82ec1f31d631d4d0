"""Ranking page: method and normalisation, the ranked table, why (contributions), the map,
the shortlist with every exclusion's reason, and a comparison of methods."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import charts, common, compute, display, lazy, ranking_extras, state
from ui.text import esc

NORMALISATIONS = {"vector": "vector (Hwang & Yoon's textbook TOPSIS)", "minmax": "min-max (pymcdm's default)"}
OPS = ["==", "!=", ">=", "<=", ">", "<"]


# ------------------------------------------------------------------ callbacks
@st.cache_data(show_spinner=False)
def method_accepts(name: str, normalization: str) -> bool:
    """Whether mcda.methods.get_method accepts this normalisation for the method."""
    from mcda.errors import InputError
    from mcda.methods import get_method

    try:
        get_method(name, normalization=normalization)
    except (InputError, TypeError):
        return False
    return True


def _set_method() -> None:
    name = state.value("method")

    def edit(doc):
        doc["method"]["name"] = name
        doc["method"]["options"] = {}
        norm = compute.method_normalisation(name)
        cur = doc["method"].get("normalization")
        if norm is None or norm not in NORMALISATIONS:
            # the method has no normalisation choice the scenario can hold (e.g. WPM: max/sum): its own default
            doc["method"]["normalization"] = None
        elif cur is None or cur not in NORMALISATIONS or not method_accepts(name, cur):
            doc["method"]["normalization"] = norm

    def revert():
        state.set_value("method", state.view().method.name)

    state.apply(edit, check=common.check_rank, revert=revert)  # the normalisation radio follows the scenario


def _set_norm() -> None:
    v = state.value("norm")

    def edit(doc):
        doc["method"]["normalization"] = v

    state.apply(edit, check=common.check_rank)


def _set_topk() -> None:
    v = int(state.value("topk"))

    def edit(doc):
        doc["shortlist"]["top_k"] = v

    def revert():
        state.set_value("topk", state.view().shortlist.top_k)

    state.apply(edit, check=common.check_rank, revert=revert)


def _set_priority() -> None:
    v = state.value("priority")

    def edit(doc):
        doc["shortlist"]["priority"] = v

    state.apply(edit, check=common.check_rank)


def _remove(kind: str, i: int) -> None:
    def edit(doc):
        doc["shortlist"][kind].pop(i)

    state.apply(edit, check=common.check_rank)


def _add_exclusion() -> None:
    cid = st.session_state.get("excl_id")
    why = (st.session_state.get("excl_reason") or "").strip()
    if not cid or not why:
        state.notify("warning", "An exclusion needs a country and a reason (the reason goes into every export).")
        return

    def edit(doc):
        doc["shortlist"]["exclusions"] = [e for e in doc["shortlist"]["exclusions"] if e["id"] != cid] + [
            {"id": cid, "reason": why}
        ]

    if state.apply(edit, check=common.check_rank):
        st.session_state["excl_reason"] = ""


def _add_filter() -> None:
    col = st.session_state.get("flt_col")
    op = st.session_state.get("flt_op", "==")
    raw = (st.session_state.get("flt_value") or "").strip()
    why = (st.session_state.get("flt_reason") or "").strip()
    if not col or not raw or not why:
        state.notify("warning", "A filter needs a column, a value and a reason.")
        return
    val: float | str
    try:
        val = float(raw)
        val = int(val) if val.is_integer() else val
    except ValueError:
        val = raw
    if isinstance(val, str) and op not in ("==", "!="):
        state.notify(
            "warning",
            f"Filter not added — '{raw}' is not a number, and the column {col} holds numbers: "
            f"'{op}' needs a number (dot as decimal separator, e.g. 0.5).",
        )
        return

    def edit(doc):
        doc["shortlist"]["filters"].append(
            {
                "column": col,
                "op": op,
                "value": val,
                "reason": why,
                "if_unknown": st.session_state.get("flt_unknown", "exclude"),
            }
        )

    state.apply(edit, check=common.check_rank)


# ------------------------------------------------------------------ rendering
def _method_text(cat: dict, m: str) -> str:
    """The catalogue's line for method ``m``, 'TOPSIS (Hwang & Yoon 1981): relative closeness ...'."""
    return cat[m] if cat[m].lower().startswith(m[:4]) else f"{m.upper()} — {cat[m]}"


def _method_name(cat: dict, m: str) -> str:
    """What the method box shows: the name and citation, without the description (so it fits)."""
    return _method_text(cat, m).split(":")[0].split(" — ")[0]


def _method_controls(sc) -> None:
    cat = compute.method_catalogue()
    c1, c2 = st.columns([2, 2])
    key = state.widget("method", sc.method.name)
    c1.selectbox(
        "Method",
        list(cat),
        key=key,
        format_func=lambda m: _method_name(cat, m),
        on_change=state.callback(_set_method, key),
    )
    c1.caption(esc(_method_text(cat, sc.method.name)))  # the one-line description: the box keeps the name
    norm = compute.method_normalisation(sc.method.name)
    if norm is not None and (sc.method.normalization in NORMALISATIONS or norm in NORMALISATIONS):
        cur = sc.method.normalization or norm
        key = state.widget("norm", cur)
        c2.radio(
            "Normalisation",
            list(NORMALISATIONS),
            format_func=NORMALISATIONS.get,
            horizontal=True,
            key=key,
            on_change=state.callback(_set_norm, key),
        )
    else:
        c2.caption(esc(f"Normalisation: {norm or 'not applicable'} (fixed by this method)."))


def ranked_view(out) -> pd.DataFrame:
    from fulcrum.report import ranking_table

    t = ranking_table(out)
    cols = ["rank", "alternative"] + (["name"] if "name" in t.columns else []) + ["score", "status", "reason"]
    return t[cols]


def render() -> None:
    st.header("Ranking")
    st.caption(
        "Which partner countries? Countries ranked on the weighted criteria, with the reasons behind each place."
    )
    sc = state.view()
    from ui import tracks

    tracks.ranking_block(common.outcome() if state.focus() is not None else None)
    _method_controls(sc)
    ranking_extras.electre3_controls(sc)
    out = common.view_outcome()
    if out is None:
        return
    m = common.method_in_force(out)
    st.caption(
        f"In force: **{esc(common.method_title(m), inline=True)}** — "
        + ("higher score is better." if out.higher_is_better else "**lower score is better** (score = Q / distance).")
    )

    view = ranked_view(out)
    from ui import gaia, why  # "Why this country?" and the GAIA plane (issue 13 items 5 and 7)

    left, right = st.columns([5, 4], gap="medium")
    with left:
        st.container(key="ranked_table_box").dataframe(
            view.drop(columns=["reason"]),
            hide_index=True,
            key="ranked_table",
            on_select="rerun",  # a click on any cell of a row: "Why this country?" below
            selection_mode="single-cell",  # (row selection would add a checkbox column and crowd the table)
            height=min(38 + 35 * len(view), 560),
            column_config={
                "rank": st.column_config.NumberColumn("rank", format="%d", width="small"),
                "alternative": st.column_config.TextColumn("id", width="small"),
                "name": st.column_config.TextColumn("country", width="medium"),
                "score": st.column_config.NumberColumn("score", format="%.4f", width="small"),
                "status": st.column_config.TextColumn("shortlist", width="small"),
            },
        )
        for n in out.notes:
            st.caption(esc(n))
    with right:
        scores = view[["alternative", "score", "rank", "status"] + (["name"] if "name" in view.columns else [])].copy()
        if "name" not in scores.columns:
            scores["name"] = scores["alternative"]
        caps = None
        c = out.countries
        if {"capital_lat", "capital_lon"} <= set(c.columns):
            caps = scores.assign(
                lat=scores["alternative"].map(c["capital_lat"]), lon=scores["alternative"].map(c["capital_lon"])
            ).dropna(subset=["lat", "lon"])
        if set(scores["alternative"]) & charts.geo_ids():
            chart, pick = why.map_chart(
                charts.score_map(scores, out.higher_is_better, charts.ensure_static_geojson(), caps)
            )
            st.container(key="score_map").altair_chart(chart, width="stretch", **pick)  # a click: why, below
        else:
            st.info(
                "No map: the ids in this data are not ISO3 codes of Latin American and Caribbean countries, "
                "so there is nothing to colour. The ranked table is complete."
            )
    why.panel(out, m, view, sc.shortlist.top_k)
    long = charts.contributions_long(out.ranking, out.criteria, common.names(out))
    st.container(key="why_chart").altair_chart(charts.contributions_bar(long, m), width="stretch")
    ranking_extras.outranking_explained(out, m)

    _shortlist(out, sc)
    _comparison(out, sc)
    gaia.section(out, m)


def _shortlist(out, sc) -> None:
    from fulcrum.report import shortlist_export

    st.subheader("Shortlist")
    c1, c2 = st.columns([1, 2])
    key = state.widget("topk", sc.shortlist.top_k)
    c1.number_input(
        "Countries on the shortlist (top k)",
        min_value=1,
        max_value=max(1, len(out.ranking), sc.shortlist.top_k),
        step=1,
        key=key,
        on_change=state.callback(_set_topk, key),
    )
    key = state.widget("priority", sc.shortlist.priority)
    c2.radio(
        "Allocation priority from the shortlist",
        ["score_share", "rank_sum", "equal"],
        horizontal=True,
        key=key,
        on_change=state.callback(_set_priority, key),
        help="score_share: in proportion to the min-max scaled score; rank_sum: by position; equal: the same for all.",
    )
    t = shortlist_export(out)
    t["position"] = t["position"].map(lambda v: "" if pd.isna(v) else str(int(v)))
    t["priority"] = t["priority"].map(lambda v: "" if pd.isna(v) else f"{v:.1%}")
    cols = [
        c
        for c in ("position", "alternative", "name", "rank", "score", "status", "priority", "reason")
        if c in t.columns
    ]
    display.dataframe(
        t[cols],
        hide_index=True,
        key="shortlist_table",
        height=min(38 + 35 * len(t), 420),
        formats={"score": lambda v: f"{v:.4f}"},
        labels={"position": "Position", "priority": "Priority (allocation)"},
        column_config={"reason": st.column_config.TextColumn("Why", width="large")},
    )
    ex = t[t["status"] == "excluded"]
    n_sl, n_elig = int((t["status"] == "shortlisted").sum()), int((t["status"] != "excluded").sum())
    if n_sl == 0:
        st.warning(
            "The shortlist is empty: every country is excluded by a filter or by hand (reasons below). "
            "Remove or loosen a filter in the box below; the Allocation page has nothing to fund until then."
        )
    elif sc.shortlist.top_k > n_elig:
        st.info(
            f"You asked for {sc.shortlist.top_k} countries but only {n_elig} pass the filters and exclusions, "
            f"so the shortlist has {n_sl}."
        )
    st.caption(
        f"{(t['status'] == 'shortlisted').sum()} shortlisted, {len(ex)} excluded by a filter or by hand, "
        f"{(t['status'] == 'below cut').sum()} below the cut. Every exclusion carries its reason into the exports."
    )
    ranking_extras.filter_sensitivity_view(out)

    fmt = common.fmt_id(out)
    # its dozen widgets are drawn only while it is open (ui/lazy.py; issue 12 target 6)
    box, is_open = lazy.expander(
        f"Filters ({len(sc.shortlist.filters)}) and manual exclusions ({len(sc.shortlist.exclusions)})",
        key=FILTERS_OPEN,
        note=False,
    )
    if not is_open:
        return
    with box:
        for i, f in enumerate(sc.shortlist.filters):
            a, b = st.columns([5, 1])
            a.markdown(
                "Filter: "
                + esc(f"{f.column} {f.op} {f.value!r} — {f.reason} (blank value: {f.if_unknown})", inline=True)
            )
            b.button("Remove", key=f"rmf{i}", on_click=state.callback(_remove), args=("filters", i))
        for i, e in enumerate(sc.shortlist.exclusions):
            a, b = st.columns([5, 1])
            a.markdown(f"Excluded: **{esc(fmt(e.id), inline=True)}** — {esc(e.reason, inline=True)}")
            b.button("Remove", key=f"rme{i}", on_click=state.callback(_remove), args=("exclusions", i))
        st.markdown("**Exclude a country by hand**")
        a, b, c = st.columns([2, 3, 1])
        a.selectbox("Country", list(out.ranking["alternative"]), key="excl_id", format_func=fmt)
        b.text_input("Reason (required)", key="excl_reason", placeholder="e.g. trade heavily dependent on the US")
        c.button("Exclude", on_click=state.callback(_add_exclusion))
        st.markdown("**Add a hard filter on a data column**")
        cols = [
            c
            for c in out.countries.columns
            if not c.endswith("_year") and pd.api.types.is_numeric_dtype(out.countries[c])
        ]
        a, b, c, d, e = st.columns([2, 1, 1, 2, 1])
        a.selectbox("Column", cols, key="flt_col")
        b.selectbox("Test", OPS, key="flt_op")
        c.text_input("Value", key="flt_value")
        d.text_input("Reason", key="flt_reason")
        e.selectbox("If blank", ["exclude", "keep"], key="flt_unknown")
        st.button("Add filter", on_click=state.callback(_add_filter))


FILTERS_OPEN = "filters_open"  # session key: the filters and exclusions expander is open


def _comparison(out, sc) -> None:
    st.subheader("Do other methods agree?")
    cat = compute.method_catalogue()
    in_force = common.method_in_force(out)
    title = common.method_title(in_force)
    default = [m for m in ("topsis", "vikor", "promethee2", "wsm") if m in cat and m != in_force.name]
    others = st.multiselect(
        f"Other methods to compare with the method in force, {title} — same data and weights, "
        "each with its default options (named in its column)",
        [m for m in cat if m != in_force.name],
        default=default,
        key="cmp_methods",
    )
    if not others:
        st.info("Pick at least one other method.")
        return
    # the method in force with its own options (normalisation, v, ...), the others with their defaults
    # (the scenario's own options, as fulcrum.pipeline.method_of builds it: options() only *describes*
    # some of them, e.g. ELECTRE III's thresholds as "given")
    own = dict(sc.method.options) | ({"normalization": sc.method.normalization} if sc.method.normalization else {})
    specs = ((sc.method.name, tuple(sorted(own.items()))),) + tuple((m, ()) for m in others)
    try:
        ranks, corr = compute.compare(state.scenario_json(sc), state.base_dir(sc), specs)
    except Exception as e:  # noqa: BLE001 - InputError from a method shown, page continues
        st.error(f"Comparison not available: {esc(e)}")
        return
    from mcda.methods import get_method

    titles = [title + " — in force"] + [common.method_title(get_method(m)) for m in others]
    rename = dict(zip(ranks.columns, titles, strict=True))
    key = "spearman" if "spearman" in corr else next(iter(corr))
    st.markdown(esc(agreement(corr[key], titles, key), inline=True))
    # the ranks by each method and the heatmap: made when opened (issue 12 target 6)
    box, is_open = lazy.expander("Ranks by each method, and their correlations", key=COMPARE_OPEN)
    if not is_open:
        return
    with box:
        _comparison_detail(out, ranks, corr, titles, rename, title)


COMPARE_OPEN = "compare_open"  # session key: the comparison's detail is open


def agreement(corr: pd.DataFrame, titles: list[str], key: str) -> str:
    """One line: the rank correlation of the method in force (first column) with each other method."""
    row = corr.iloc[0].to_numpy(float)  # the method in force against each method, itself first
    named = ", ".join(f"{t} {v:.2f}" for v, t in zip(row[1:], titles[1:], strict=True))
    return f"Rank correlation ({key}, 1 = the same order) with {titles[0].removesuffix(' — in force')}: {named}."


def _comparison_detail(out, ranks, corr, titles, rename, title) -> None:
    """The ranks by each method, the correlation heatmap and the weighted Spearman table."""
    c1, c2 = st.columns([3, 2])
    r = ranks.rename(columns=rename)
    names = common.names(out)
    if names is not None:
        r.insert(0, "country", r.index.map(names))
    r = r.sort_values(titles[0], kind="stable")
    c1.container(key="compare_table_box").dataframe(r, height=min(38 + 35 * len(r), 420), key="compare_table")
    c1.caption("Ranks (1 = best) by each method, sorted by the method in force; its column is the ranking above.")
    key = "spearman" if "spearman" in corr else next(iter(corr))
    short = dict(zip(ranks.columns, [title] + titles[1:], strict=True))  # the heatmap's axes: no "— in force"
    cm = corr[key].rename(index=short, columns=short)
    c2.altair_chart(charts.correlation_heatmap(cm, f"rank correlation ({key})"), width="content", key="corr_chart")
    if "weighted_spearman" in corr:
        c2.caption("Weighted Spearman (disagreements near the top count more):")
        c2.dataframe(corr["weighted_spearman"].rename(index=rename, columns=rename).round(3))
