"""Data page: the candidate table with sources and years, coverage, missing-data policy,
criteria on/off and directions, and uploads of the planner's own data."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from fulcrum import format as F
from mcda.problem import MISSING_POLICIES
from ui import common, compute, criteria_table, display, state, upload
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
        "Tick 'use' to rank on a criterion; for a criterion in use, choose whether more is better (benefit) or "
        "worse (cost), and the scale: 'log scale' ranks on the natural log of the value (for very skewed sizes "
        "such as GDP; values must be > 0). 'values' counts the candidate countries that have a value. "
        "Double-click a cell to change it or to read all of its text."
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
    criteria_table.draw(
        criteria_table.table(sc, meta_df, cand, ids, groups, criteria_table.off_settings(st.session_state))
    )

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
