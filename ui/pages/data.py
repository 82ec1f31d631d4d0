"""Data page: the candidate table with sources and years, coverage, missing-data policy,
criteria on/off and directions, and uploads of the planner's own data."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from fulcrum import format as F
from mcda.problem import MISSING_POLICIES
from ui import common, compute, display, state, upload
from ui.text import esc

POLICY_TEXT = {
    "error": "stop and name the first missing value",
    "drop_criterion": "drop every criterion that has a missing value",
    "drop_alternative": "drop every country that has a missing value",
    "impute:median": "fill a gap with the criterion's median",
    "impute:mean": "fill a gap with the criterion's mean",
    "impute:min": "fill a gap with the criterion's minimum",
    "impute:max": "fill a gap with the criterion's maximum",
    "impute:worst": "fill a gap with the criterion's worst value (pessimistic)",
}


def _on_upload() -> None:
    f = st.session_state.get("upload_matrix")
    if f is None:
        return
    c = st.session_state.get("upload_criteria")
    crit = (c.name, c.getvalue()) if c is not None else None
    upload.handle_upload(f.name, f.getvalue(), st.session_state, crit)


def _toggle(cid: str) -> None:
    on = state.value(f"on:{cid}")
    if not on and [c.id for c in state.view().criteria] == [cid]:
        state.set_value(f"on:{cid}", True)
        state.notify(
            "warning",
            "At least one criterion must stay switched on: tick another criterion first, then switch this one off.",
        )
        return

    def edit(doc):
        ids = [c["id"] for c in doc["criteria"]]
        if on and cid not in ids:
            # the direction and scale shown beside the checkbox are the ones used (not the file's default)
            doc["criteria"].append(
                {
                    "id": cid,
                    "direction": state.value(f"dir:{cid}"),
                    "weight": 1.0,
                    "transform": state.value(f"tf:{cid}", "none"),
                }
            )
            _ahp_cover(doc)
        elif not on and cid in ids:
            doc["criteria"] = [c for c in doc["criteria"] if c["id"] != cid]
            if isinstance(doc["data"]["missing"], dict):
                doc["data"]["missing"].pop(cid, None)
            _ahp_cover(doc)

    def revert():
        state.set_value(f"on:{cid}", not on)

    state.apply(edit, check=common.check_rank, revert=revert)


def _ahp_cover(doc: dict) -> None:
    from ui.pages.weights import ahp_complete

    if doc["weights"].get("ahp") is not None:
        ahp_complete(doc)


def _direction(cid: str) -> None:
    d = state.value(f"dir:{cid}")

    def edit(doc):
        for c in doc["criteria"]:
            if c["id"] == cid:
                c["direction"] = d

    state.apply(edit, check=common.check_rank)


def _transform(cid: str) -> None:
    v = state.value(f"tf:{cid}")

    def edit(doc):
        for c in doc["criteria"]:
            if c["id"] == cid:
                c["transform"] = v

    def revert():
        state.set_value(f"tf:{cid}", _transform_of(state.view(), cid))

    state.apply(edit, check=common.check_rank, revert=revert)


def _transform_of(sc, cid: str) -> str:
    return next((c.transform for c in sc.criteria if c.id == cid), "none")


def _missing() -> None:
    v = state.value("missing")

    def edit(doc):
        if isinstance(doc["data"]["missing"], dict):
            doc["data"]["missing"]["default"] = v
        else:
            doc["data"]["missing"] = v

    def revert():
        state.set_value("missing", _default_policy(state.view()))

    state.apply(edit, check=common.check_rank, revert=revert)


def _default_policy(sc) -> str:
    m = sc.data.missing
    return m.get("default", "error") if isinstance(m, dict) else m


def _candidates() -> None:
    v = state.value("candidates")
    all_ids = st.session_state.get("_all_ids", [])

    def edit(doc):
        doc["data"]["candidates"] = None if set(v) == set(all_ids) else [a for a in all_ids if a in v]

    def revert():
        sc = state.view()
        state.set_value("candidates", list(sc.data.candidates or all_ids))

    state.apply(edit, check=common.check_rank, revert=revert)


def _as_of() -> None:
    v = str(state.value("as_of") or "").strip()

    def edit(doc):
        doc["data"]["as_of"] = v or None

    def revert():
        state.set_value("as_of", state.get().data.as_of or "")

    state.apply(edit, check=common.check_rank, revert=revert)


def _as_of_control(sc, out) -> None:
    """The as-of date (blank = latest data): the ranking is replayed on the data as it stood that day."""
    key = state.widget("as_of", sc.data.as_of or "")
    st.text_input(
        "Data as of (YYYY-MM-DD; blank = latest data)",
        key=key,
        on_change=state.callback(_as_of, key),
        placeholder="latest data",
        disabled=sc.data.dataset != "default" and not sc.data.as_of,
        help="Replay the decision on a date: each yearly indicator at its latest value published by then "
        "(publication-lag rules in datasets/SOURCES.md), China-relations statuses from the dated, cited "
        "events. Sources that cannot be replayed are flagged below.",
    )
    if out is None:
        return
    for line in out.data_notes:
        warn = line.startswith(("NOT REPLAYABLE", "UNCERTAIN"))
        (st.warning if warn else st.caption)(esc(line))


def _year_range(years: pd.Series) -> str:
    """'2019' or '2014-2020' for the years of a column (blank when none)."""
    y = years.dropna()
    if not len(y):
        return ""
    lo, hi = int(y.min()), int(y.max())
    return str(lo) if lo == hi else f"{lo}-{hi}"


def _back_to_default() -> None:
    state.set_scenario(state.default_scenario())
    st.session_state[upload.NOTICE] = ("info", "Back on the shipped country data and the default scenario.")


def render() -> None:
    st.header("Data")
    st.caption("The countries being compared, the criteria used to compare them, and where every number comes from.")
    sc = state.view()
    notice = st.session_state.pop(upload.NOTICE, None)
    if notice:
        getattr(st, notice[0])(esc(notice[1]))

    full, meta = compute.dataset(
        state.scenario_json(sc.model_copy(update={"data": sc.data.model_copy(update={"candidates": None})})),
        state.base_dir(sc),
    )
    out = common.view_outcome()
    on_ids = [c.id for c in sc.criteria]
    dirs = {c.id: c.direction for c in sc.criteria}
    transforms = {c.id: c.transform for c in sc.criteria}
    name_col = "country" if "country" in full.columns else None

    with st.expander("Upload your own data (CSV or XLSX)", expanded=sc.data.dataset != "default"):
        st.markdown(
            "First column: an id per row (e.g. ISO3 code); then one column of numbers per criterion. "
            "Optionally a second file `criterion,direction,weight` sets directions and weights. "
            "A file that cannot be used is rejected with the row and column to fix, and the current data stays loaded."
        )
        c1, c2 = st.columns(2)
        c2.file_uploader("Criteria file (optional, CSV)", type=["csv"], key="upload_criteria")
        c1.file_uploader(
            "Decision matrix", type=["csv", "xlsx"], key="upload_matrix", on_change=state.callback(_on_upload)
        )
        if sc.data.dataset != "default":
            st.info(
                f"Using uploaded data: {esc(sc.data.dataset, inline=True)}. "
                "A saved scenario refers to this file by path."
            )
            st.button("Back to the shipped country data", on_click=state.callback(_back_to_default))

    _as_of_control(sc, out)

    # ---- candidate set and missing-data policy
    all_ids = list(full.index)
    st.session_state["_all_ids"] = all_ids
    fmt = (lambda a: f"{full.at[a, name_col]!s} ({a})") if name_col else str
    c1, c2 = st.columns([3, 2])
    with c1:
        want = list(sc.data.candidates or all_ids)
        shown = state.value("candidates")
        if isinstance(shown, list) and sorted(map(str, shown)) == sorted(map(str, want)):
            want = shown  # the same countries in the planner's order: no need to redraw the widget
        key = state.widget("candidates", want)
        st.multiselect(
            f"Candidate countries ({len(sc.data.candidates or all_ids)} of {len(all_ids)})",
            all_ids,
            key=key,
            format_func=fmt,
            on_change=state.callback(_candidates, key),
        )
    with c2:
        key = state.widget("missing", _default_policy(sc))
        st.selectbox(
            "Missing-data policy" + (" (default)" if isinstance(sc.data.missing, dict) else ""),
            list(MISSING_POLICIES),
            key=key,
            on_change=state.callback(_missing, key),
            format_func=str,
            help="Blank means unknown, never zero. "
            "The policy decides what happens to gaps; what it did is listed below.\n\n"
            + esc("\n".join(f"{p} — {t}" for p, t in POLICY_TEXT.items())),
        )
        if isinstance(sc.data.missing, dict):
            over = {k: v for k, v in sc.data.missing.items() if k != "default"}
            if over:
                st.caption(
                    "Per-criterion policies from the scenario: " + esc(", ".join(f"{k}: {v}" for k, v in over.items()))
                )
        if out is not None:
            for line in out.problem.missing_report.lines():
                st.caption(esc(line))

    # ---- criteria: on/off, direction, source, year, coverage
    st.subheader("Criteria")
    st.caption(
        "Tick a criterion to use it; choose whether more is better (benefit) or worse (cost), and the scale: "
        "'log' ranks on the natural log of the value (for very skewed sizes such as GDP; values must be > 0). "
        "Coverage counts the candidate countries that have a value."
    )
    cand = full.loc[list(sc.data.candidates)] if sc.data.candidates else full
    meta_df = (
        meta
        if meta is not None
        else pd.DataFrame(index=pd.Index([c for c in full.columns if c != name_col], name="id"))
    )
    ids = [c for c in meta_df.index if c in full.columns]
    ids += [c for c in on_ids if c not in ids]
    groups = (
        meta_df["group"].reindex(ids).fillna("other")
        if "group" in meta_df.columns
        else pd.Series("criteria", index=ids)
    )
    for g in pd.unique(groups):
        with st.container(border=True):
            st.markdown(f"**{esc(str(g).capitalize(), inline=True)}**")
            for cid in [i for i in ids if groups[i] == g]:
                row = meta_df.loc[cid] if cid in meta_df.index else pd.Series(dtype=object)
                label = row.get("label", cid) if isinstance(row.get("label", None), str) else cid
                a, b, t, c = st.columns([4.4, 1.5, 1.5, 2.6])  # the longest label and 'log scale' fit at 1280 px
                k_on = state.widget(f"on:{cid}", cid in on_ids)
                a.checkbox(
                    esc(label, inline=True),
                    key=k_on,
                    on_change=state.callback(_toggle, k_on),
                    args=(cid,),
                    help=esc(row.get("description")) if isinstance(row.get("description"), str) else None,
                )
                default_dir = dirs.get(cid) or row.get("direction") or "benefit"
                # direction and scale of a criterion that is switched off are the planner's settings for
                # when it is switched on (the scenario holds none): they do not follow the scenario
                k_dir = state.widget(f"dir:{cid}", default_dir, follow=cid in on_ids)
                b.selectbox(
                    "direction",
                    ["benefit", "cost"],
                    key=k_dir,
                    on_change=state.callback(_direction, k_dir),
                    args=(cid,),
                    label_visibility="collapsed",
                    disabled=cid not in on_ids,
                )
                k_tf = state.widget(f"tf:{cid}", transforms.get(cid, "none"), follow=cid in on_ids)
                t.selectbox(
                    "scale",
                    ["none", "log"],
                    key=k_tf,
                    on_change=state.callback(_transform, k_tf),
                    args=(cid,),
                    label_visibility="collapsed",
                    disabled=cid not in on_ids,
                    format_func=lambda v: "linear" if v == "none" else "log scale",
                    help="Scale the criterion is ranked on: linear (as is) or natural log (values must be > 0).",
                )
                n_have = int(cand[cid].notna().sum()) if cid in cand.columns else 0
                bits = [f"{n_have}/{len(cand)} values"]
                for k in ("unit", "source", "year"):
                    v = row.get(k)
                    if k == "year" and sc.data.as_of and f"{cid}_year" in cand.columns:
                        v = _year_range(cand[f"{cid}_year"])  # the years the replay picked, not today's
                    if v is not None and not (isinstance(v, float) and pd.isna(v)) and str(v):
                        bits.append(f"{k}: {v}")
                missing = list(cand.index[cand[cid].isna()]) if cid in cand.columns else []
                if missing:
                    bits.append("missing: " + ", ".join(missing[:8]) + (" …" if len(missing) > 8 else ""))
                c.caption(esc(" · ".join(bits)))

    # ---- the table itself, gaps highlighted
    st.subheader("Candidate table")
    show_years = st.toggle("Show the year of each value", value=False, key="data_show_years")
    cols = [c for c in on_ids if c in cand.columns]
    view_cols = []
    for cid in cols:
        view_cols.append(cid)
        if show_years and f"{cid}_year" in cand.columns:
            view_cols.append(f"{cid}_year")
    view = cand[([name_col] if name_col else []) + view_cols]
    labels = common.all_labels()
    units = display.units()
    styled = (
        view.style.highlight_null(color="#ffd6d6", subset=pd.Index(view_cols))
        .format(display.unit_formats(view_cols, units), na_rep=F.MISSING)
        .format(lambda v: F.number(v, 0).replace(",", ""), subset=[c for c in view_cols if c.endswith("_year")])
    )
    st.dataframe(
        styled,
        placeholder=F.MISSING,
        height=min(38 + 35 * len(view), 520),
        column_config={
            **{c: st.column_config.Column(labels.get(c, c), help=display.unit_help(c, units, view[c])) for c in cols},
            **{
                f"{c}_year": st.column_config.Column(f"{labels.get(c, c)}: year", help="Year of the value shown.")
                for c in cols
                if f"{c}_year" in view.columns
            },
        },
    )
    st.caption("Pink cells are missing values (unknown, never zero). Sources and licences: datasets/SOURCES.md.")
