"""Scenarios & export: save/load the scenario JSON (the same file `python -m mcda run` runs),
CSV and one multi-sheet XLSX, and a printable report with the charts."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from fulcrum.scenario import load_scenario, parse_scenario, scenario_to_json
from mcda.errors import InputError
from ui import charts, common, compute, library, state, upload
from ui.text import esc, escape_cells

SCENARIO_DIR = state.ROOT / "scenarios"


def load_scenario_text(text: str, source: str, state_map=None) -> bool:
    """Validate a scenario (JSON text) and make it current; on error keep the old one and say why."""
    ss = st.session_state if state_map is None else state_map
    try:
        # a scenario uploaded from the browser has no folder of its own: it may name shipped data or a
        # file this app holds (an earlier upload), never a path elsewhere on the server
        sc = parse_scenario(text, source=source, base_dir=upload.UPLOAD_DIR)
        compute.rank_sc(sc)
    except InputError as e:
        state.notify("error", f"Scenario not loaded — {e} The current scenario is unchanged.", ss)
        return False
    state.set_scenario(sc, ss)
    state.notify("success", f"Loaded scenario '{sc.name}' from {source}.", ss)
    return True


def _on_upload() -> None:
    f = st.session_state.get("scenario_upload")
    if f is None:
        return
    try:
        text = f.getvalue().decode("utf-8")
    except UnicodeDecodeError:
        state.notify("error", f"{f.name}: not UTF-8 text. The current scenario is unchanged.")
        return
    library.load_guarded(f"the file {f.name}", lambda: load_scenario_text(text, f.name))  # asks if work is unsaved


def _load_shipped() -> None:
    name = st.session_state.get("shipped_scenario")
    if not name:
        return
    library.load_guarded(f"scenarios/{name}", lambda: _load_shipped_file(name))  # asks if work is unsaved


def _load_shipped_file(name: str) -> bool:
    return library.adopt(
        lambda: load_scenario(SCENARIO_DIR / name),
        lambda e: f"Scenario not loaded — {e}",
        lambda sc: f"Loaded scenario '{sc.name}' (scenarios/{name}).",
    )


def _meta(field: str) -> None:
    v = state.value(field)

    def edit(doc):
        doc[field] = v

    state.apply(edit)  # name and description change no result: a solved allocation stays solved


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "scenario"


def solved_allocation(sc):
    """The allocation solved on the Allocation page for this scenario's inputs, else None.

    Renaming the scenario or editing its description changes no input of the result, so the
    allocation stays solved (state.result_json leaves those fields out).
    """
    if not state.is_solved(sc):
        return None
    try:
        return compute.allocation(state.scenario_json(sc), state.base_dir(sc))
    except InputError:
        return None


def render() -> None:
    st.header("Scenarios & export")
    st.caption(
        "A scenario is every input on one page of JSON: save it, share it, run it from the command line "
        "(`python -m mcda run SCENARIO.json`), and download the results for a memo."
    )
    sc = state.get()
    c1, c2 = st.columns([2, 3])
    key = state.widget("name", sc.name)
    c1.text_input("Scenario name", key=key, on_change=state.callback(_meta, key), args=("name",))
    key = state.widget("description", sc.description)
    c2.text_area("Description", key=key, on_change=state.callback(_meta, key), args=("description",), height=80)

    st.subheader("Save and load")
    library.confirm_prompt("scenarios")  # a load waiting for 'replace my unsaved work?'
    a, b, c = st.columns(3)
    with a:
        st.download_button(
            "Save scenario (JSON)",
            scenario_to_json(sc),
            file_name=f"{slug(sc.name)}.json",
            mime="application/json",
            key="dl_scenario",
            on_click="ignore",
            type="primary",
        )
        st.caption("The same file the command line runs.")
    with b:
        st.file_uploader(
            "Load a scenario file", type=["json"], key="scenario_upload", on_change=state.callback(_on_upload)
        )
    with c:
        shipped = sorted(p.name for p in SCENARIO_DIR.glob("*.json")) + sorted(
            f"examples/{p.name}" for p in SCENARIO_DIR.glob("examples/*.json")
        )
        st.selectbox("Or a shipped scenario", shipped, key="shipped_scenario")
        st.button("Load", on_click=state.callback(_load_shipped), key="load_shipped")

    out = common.outcome()
    if out is None:
        return
    from fulcrum.report import ranking_table, shortlist_export
    from mcda.export import csv_text  # formula-safe CSV, the same bytes as the command line writes

    alloc = solved_allocation(sc)
    sj, bd = state.scenario_json(sc), state.base_dir(sc)
    st.subheader("Download results")
    d1, d2, d3, d4 = st.columns(4)
    d1.download_button(
        "Shortlist (CSV)",
        csv_text(shortlist_export(out)),
        file_name="shortlist.csv",
        mime="text/csv",
        key="dl_shortlist",
        on_click="ignore",
    )
    d2.download_button(
        "Ranking (CSV)",
        csv_text(ranking_table(out)),
        file_name="ranking.csv",
        mime="text/csv",
        key="dl_ranking",
        on_click="ignore",
    )
    if alloc is not None and alloc.ok:
        from optimisation.tables import allocation_table

        d3.download_button(
            "Allocation (CSV)",
            csv_text(allocation_table(alloc)),
            file_name="allocation.csv",
            mime="text/csv",
            key="dl_allocation",
            on_click="ignore",
        )
    else:
        d3.caption("Allocation CSV: solve on the Allocation page first.")
    with_alloc = alloc is not None
    # deferred, like the HTML report below: the workbook and the Markdown are made when their button is clicked
    # (then cached), not on every visit (~0.45 s and ~0.15 s the first time; issue 12 target 6)
    d4.download_button(
        "Everything (XLSX)",
        lambda: compute.xlsx(sj, bd, with_alloc),
        help="One workbook, one sheet per table.",
        file_name=f"{slug(sc.name)}.xlsx",
        key="dl_xlsx",
        on_click="ignore",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )

    st.subheader("Report")
    r1, r2 = st.columns(2)
    r1.download_button(
        "Report (Markdown)",
        lambda: compute.report_md(sj, bd, with_alloc),
        file_name=f"{slug(sc.name)}.md",
        mime="text/markdown",
        key="dl_report",
        on_click="ignore",
    )
    # deferred: the charts are drawn only when the button is clicked (then cached), not on every page visit
    r2.download_button(
        "Report (HTML, printable, with charts)",
        lambda: compute.report_html(sj, bd, with_alloc),
        file_name=f"{slug(sc.name)}.html",
        mime="text/html",
        key="dl_report_html",
        on_click="ignore",
    )
    r2.caption("One self-contained file: open it in any browser, offline, and print it to PDF.")
    pdf_button(sj, bd, with_alloc, slug(sc.name))
    st.caption("Below is the printable report with its charts: use your browser's Print (Ctrl+P) to make a PDF.")
    with st.container(border=True, key="printable_report"):
        _printable(out, alloc)


def pdf_button(sj: str, bd: str, with_alloc: bool, stem: str) -> None:
    """One click: the printable report as a PDF (headless Chromium); disabled, saying what is missing, without it."""
    from fulcrum.report_pdf import MISSING, chromium_path

    if chromium_path() is None:
        st.button("Report (PDF)", disabled=True, key="dl_report_pdf_off", help=MISSING)
        st.caption(esc(MISSING))
        return
    st.download_button(
        "Report (PDF)",
        lambda: compute.report_pdf(sj, bd, with_alloc),
        file_name=f"{stem}.pdf",
        mime="application/pdf",
        key="dl_report_pdf",
        on_click="ignore",
        help="The printable report below as an A4 PDF, printed by headless Chromium on this machine (no network).",
    )


def _table(df, floatfmt: str = ".4f") -> None:
    """A table for print (st.table, every row on paper): numbers formatted, text shown as text."""
    t = df.copy()
    for c in t.columns:
        if pd.api.types.is_float_dtype(t[c]):
            t[c] = t[c].map(lambda v: "" if pd.isna(v) else format(v, floatfmt))
        else:
            t[c] = t[c].map(lambda v: "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v))
    st.table(escape_cells(t.reset_index(drop=True)), hide_index=True)


def _printable(out, alloc) -> None:
    """The memo's sections (as fulcrum.report.markdown_report has them), drawn from the library's tables.

    The report's Markdown is not fed to st.markdown: it quotes the scenario's name, description,
    country names and exclusion reasons verbatim, and Markdown in them would render (an image
    would be fetched). Every piece of the planner's text goes through ui.text.esc or a table.
    """
    from fulcrum.report import ranking_table, shortlist_export, weights_export
    from ui.pages.ranking import ranked_view

    sc = out.scenario
    m = common.method_in_force(out)
    st.title(esc(sc.name, inline=True), anchor=False)
    if sc.description:
        st.markdown(esc(sc.description))
    st.header("Method", anchor=False)
    lines = [
        f"Method: {common.method_title(m)}"
        + (" (score = Q, lower is better)" if not out.higher_is_better else " (higher score is better)"),
        f"Weights: {sc.weights.mode}",
    ] + list(out.notes)
    st.markdown("\n".join("- " + esc(x, inline=True) for x in lines))
    st.header("Weights (normalised)", anchor=False)
    we = weights_export(out)
    _table(we[["criterion", "weight"] + [c for c in ("group", "direction") if c in we.columns]])
    st.header("Ranking", anchor=False)
    long = charts.contributions_long(out.ranking, out.criteria, common.names(out))
    st.altair_chart(charts.contributions_bar(long, m), width="stretch")
    view = ranked_view(out)
    scores = view[["alternative", "score", "rank", "status"] + (["name"] if "name" in view.columns else [])]
    if set(scores["alternative"]) & charts.geo_ids():  # no map for data whose ids are not ISO3 codes
        st.altair_chart(charts.score_map(scores, out.higher_is_better, charts.ensure_static_geojson()), width="stretch")
    rt = ranking_table(out)
    _table(rt[["rank", "alternative"] + (["name"] if "name" in rt.columns else []) + ["score", "status"]])
    st.header("Shortlist", anchor=False)
    sl_all = shortlist_export(out)
    sl = sl_all[sl_all["status"] == "shortlisted"]
    _table(sl[[c for c in ("position", "alternative", "name", "rank", "score", "priority") if c in sl.columns]])
    ex = sl_all[sl_all["status"] == "excluded"]
    if len(ex):
        st.subheader("Excluded, with reasons", anchor=False)
        _table(ex[[c for c in ("alternative", "name", "rank", "reason") if c in ex.columns]])
    if alloc is not None:
        _printable_allocation(alloc)


def _printable_allocation(res) -> None:
    """The '## Allocation' section (fulcrum.report.allocation_markdown), from the result's tables."""
    st.header("Allocation", anchor=False)
    b = res.budgets
    st.markdown(
        esc(
            f"Budgets: aid US$ {b['aid']:,.1f}M, investment US$ {b['investment']:,.1f}M. "
            f"Solver: {res.solver_label}{' (MILP: discrete projects)' if res.is_milp else ' (LP)'}. "
            f"Status: {res.status}."
        )
    )
    if not res.ok:
        st.markdown(esc(str(res.message)))
        return
    st.markdown(
        esc(
            f"Benefit (priority-weighted units): {res.objective:,.4g}. Used: aid US$ {res.by_pool['aid']:,.1f}M, "
            f"investment US$ {res.by_pool['investment']:,.1f}M."
        )
    )
    st.subheader("By country (US$ millions)", anchor=False)
    _table(res.by_country.reset_index()[["country", "priority", "aid_musd", "investment_musd", "total_musd"]], ",.2f")
    st.subheader("By project type (US$ millions)", anchor=False)
    _table(res.by_type.reset_index()[["project_type", "aid_musd", "investment_musd", "total_musd"]], ",.2f")
    st.subheader("What binds, and what another US$1M is worth", anchor=False)
    st.markdown("\n".join("- " + esc(line, inline=True) for line in res.binding) or "- nothing binds")
    st.caption(esc(res.duals_note))
    if res.notes:
        st.subheader("Notes", anchor=False)
        st.markdown("\n".join("- " + esc(n, inline=True) for n in res.notes))
