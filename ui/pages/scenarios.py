"""Scenarios & export: save/load the scenario JSON (the same file `python -m mcda run` runs),
CSV and one multi-sheet XLSX, and a printable report with the charts."""
from __future__ import annotations

import re
from pathlib import Path

import streamlit as st

from mcda.errors import InputError
from fulcrum.scenario import load_scenario, parse_scenario, scenario_to_json
from ui import charts, common, compute, state

SCENARIO_DIR = state.ROOT / "scenarios"


def load_scenario_text(text: str, source: str, state_map=None) -> bool:
    """Validate a scenario (JSON text) and make it current; on error keep the old one and say why."""
    ss = st.session_state if state_map is None else state_map
    try:
        sc = parse_scenario(text, source=source)
        sc._base_dir = SCENARIO_DIR
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
    load_scenario_text(text, f.name)


def _load_shipped() -> None:
    name = st.session_state.get("shipped_scenario")
    if not name:
        return
    try:
        sc = load_scenario(SCENARIO_DIR / name)
        compute.rank_sc(sc)
    except InputError as e:
        state.notify("error", f"Scenario not loaded — {e}")
        return
    state.set_scenario(sc)
    state.notify("success", f"Loaded scenario '{sc.name}' (scenarios/{name}).")


def _meta(field: str) -> None:
    v = st.session_state[f"w:{field}"]

    def edit(doc):
        doc[field] = v

    state.apply(edit)


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "scenario"


def solved_allocation(sc):
    """The allocation solved on the Allocation page for exactly this scenario, else None."""
    if st.session_state.get("solved_for") != state.scenario_json(sc):
        return None
    try:
        return compute.allocation(state.scenario_json(sc), state.base_dir(sc))
    except InputError:
        return None


def render() -> None:
    st.header("Scenarios & export")
    st.caption("A scenario is every input on one page of JSON: save it, share it, run it from the command line "
               "(`python -m mcda run SCENARIO.json`), and download the results for a memo.")
    sc = state.get()
    c1, c2 = st.columns([2, 3])
    c1.text_input("Scenario name", key=state.widget("name", sc.name), on_change=_meta, args=("name",))
    c2.text_area("Description", key=state.widget("description", sc.description), on_change=_meta, args=("description",), height=80)

    st.subheader("Save and load")
    a, b, c = st.columns(3)
    with a:
        st.download_button("Save scenario (JSON)", scenario_to_json(sc), file_name=f"{slug(sc.name)}.json",
                           mime="application/json", key="dl_scenario", on_click="ignore", type="primary")
        st.caption("The same file the command line runs.")
    with b:
        st.file_uploader("Load a scenario file", type=["json"], key="scenario_upload", on_change=_on_upload)
    with c:
        shipped = sorted(p.name for p in SCENARIO_DIR.glob("*.json"))
        st.selectbox("Or a shipped scenario", shipped, key="shipped_scenario")
        st.button("Load", on_click=_load_shipped, key="load_shipped")

    out = common.outcome()
    if out is None:
        return
    from fulcrum.report import ranking_table, shortlist_export
    from mcda.export import csv_text  # formula-safe CSV, the same bytes as the command line writes

    alloc = solved_allocation(sc)
    sj, bd = state.scenario_json(sc), state.base_dir(sc)
    st.subheader("Download results")
    d1, d2, d3, d4 = st.columns(4)
    d1.download_button("Shortlist (CSV)", csv_text(shortlist_export(out)), file_name="shortlist.csv",
                       mime="text/csv", key="dl_shortlist", on_click="ignore")
    d2.download_button("Ranking (CSV)", csv_text(ranking_table(out)), file_name="ranking.csv",
                       mime="text/csv", key="dl_ranking", on_click="ignore")
    if alloc is not None and alloc.ok:
        from optimisation.tables import allocation_table

        d3.download_button("Allocation (CSV)", csv_text(allocation_table(alloc)), file_name="allocation.csv",
                           mime="text/csv", key="dl_allocation", on_click="ignore")
    else:
        d3.caption("Allocation CSV: solve on the Allocation page first.")
    d4.download_button("Everything (XLSX, one sheet per table)", compute.xlsx(sj, bd, alloc is not None),
                       file_name=f"{slug(sc.name)}.xlsx", key="dl_xlsx", on_click="ignore",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

    st.subheader("Report")
    md = compute.report_md(sj, bd, alloc is not None)
    r1, r2 = st.columns(2)
    r1.download_button("Report (Markdown)", md, file_name=f"{slug(sc.name)}.md", mime="text/markdown", key="dl_report", on_click="ignore")
    with_alloc = alloc is not None
    # deferred: the charts are drawn only when the button is clicked (then cached), not on every page visit
    r2.download_button("Report (HTML, printable, with charts)", lambda: compute.report_html(sj, bd, with_alloc),
                       file_name=f"{slug(sc.name)}.html", mime="text/html", key="dl_report_html", on_click="ignore")
    r2.caption("One self-contained file: open it in any browser, offline, and print it to PDF.")
    st.caption("Below is the printable report with its charts: use your browser's Print (Ctrl+P) to make a PDF.")
    with st.container(border=True):
        _printable(out, md, alloc)


def _printable(out, md: str, alloc) -> None:
    from ui.pages.ranking import ranked_view
    from mcda.methods import get_method

    sc = out.scenario
    parts = md.split("\n## ")
    st.markdown(parts[0])
    for p in parts[1:]:
        st.markdown("## " + p)
        title = p.split("\n", 1)[0].strip().lower()
        if title.startswith("ranking"):
            m = get_method(sc.method.name, **({"normalization": sc.method.normalization} if sc.method.normalization else {}), **sc.method.options)
            long = charts.contributions_long(out.ranking, out.criteria, common.names(out))
            st.altair_chart(charts.contributions_bar(long, m.contribution_baseline, m.contribution_meaning), width="stretch")
            view = ranked_view(out)
            scores = view[["alternative", "score", "rank", "status"] + (["name"] if "name" in view.columns else [])]
            if set(scores["alternative"]) & charts.geo_ids():  # no map for data whose ids are not ISO3 codes
                st.altair_chart(charts.score_map(scores, out.higher_is_better, charts.ensure_static_geojson()), width="stretch")
