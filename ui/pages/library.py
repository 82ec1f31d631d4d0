"""Library & compare: named versions of scenarios (save, list, restore) and two scenarios side by side.

The library is fulcrum.store (autosave and restore of the working scenario are ui.library.sync, called by
app.py); the comparison's tables are fulcrum.compare's, rendered here and exported as Markdown, CSV and XLSX.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from fulcrum import store
from fulcrum.scenario import Scenario, scenario_to_json
from mcda.errors import InputError
from ui import compute, library, state, upload
from ui.text import esc, escape_cells

sync = library.sync  # app.py's one hook: restore the autosaved work on a session's first run, autosave changes

WORKING = "Working scenario (unsaved changes included)"


def _save() -> None:
    lib = library.library()
    if lib is None:
        return
    sc = state.get()
    name = st.session_state.get("lib_name") or sc.name
    try:
        v = lib.save_version(name, sc, note=st.session_state.get("lib_note") or "")
    except InputError as e:
        state.notify("error", f"Version not saved — {e}")
        return
    library.mark_saved(sc)
    st.session_state["lib_note"] = ""
    st.session_state["lib_pick"] = st.session_state["_lib_last_name"] = v.name
    state.notify("success", f"Saved '{v.name}' version {v.number} ({v.saved_at}).")


def _restore_version(name: str, number: int) -> bool:
    lib = library.library()
    if lib is None:
        return False
    return library.adopt(
        lambda: lib.load_version(name, number, base_dir=upload.UPLOAD_DIR),
        lambda e: f"Version not restored — {e} The current scenario is unchanged.",
        lambda sc: f"Restored '{name}' version {number}.",
    )


def _on_restore() -> None:
    name, number = st.session_state.get("lib_pick"), st.session_state.get("lib_version")
    if name is None or number is None:
        return
    library.load_guarded(f"'{name}' version {number}", lambda: _restore_version(name, int(number)))


def _when(iso: str) -> str:
    return iso.replace("T", " ").replace("Z", " UTC")


def render() -> None:
    st.header("Library & compare")
    lib = library.library()
    where = store.shown_url(store.library_url())
    if lib is None:
        st.warning(
            "The scenario library is not available: "
            + esc(st.session_state.get(library.OFF, ""))
            + " Your work is not autosaved; save it as a JSON file on the Scenarios & export page."
        )
    else:
        st.caption(
            "Your working scenario is autosaved as you go (a browser refresh brings it back). Save a named "
            f"version to keep a state you can return to and compare. Library: `{esc(where)}` (set "
            "`FULCRUM_LIBRARY_URL` to move it, e.g. to a team's PostgreSQL)."
        )
        library.confirm_prompt("library")
        _versions(lib)
    st.divider()
    _compare(lib)


def _versions(lib: store.Library) -> None:
    sc = state.get()
    st.subheader("Save a version")
    c1, c2 = st.columns([2, 3])
    if "lib_name" not in st.session_state:  # the name last saved under in this session, else the scenario's
        st.session_state["lib_name"] = st.session_state.get("_lib_last_name") or sc.name[: store.MAX_NAME]
    c1.text_input("Name in the library", key="lib_name", max_chars=store.MAX_NAME)
    c2.text_input("Note (what changed, why)", key="lib_note", max_chars=store.MAX_NOTE)
    st.button("Save version", key="lib_save", on_click=state.callback(_save), type="primary")
    if library.unsaved():
        st.caption("The working scenario has changes not saved as a version (they are autosaved).")

    st.subheader("Saved scenarios")
    try:
        names = lib.list_scenarios()
    except InputError as e:
        st.error(esc(e))
        return
    if not names:
        st.info("No saved versions yet: save one above.")
        return
    options = [s.name for s in names]
    if st.session_state.get("lib_pick") not in options:
        st.session_state["lib_pick"] = options[0]
    info = {s.name: s for s in names}
    pick = st.selectbox(
        "Scenario",
        options,
        key="lib_pick",
        format_func=lambda n: f"{n} — {info[n].versions} version(s), last {_when(info[n].updated_at)}",
    )
    vs = lib.versions(pick)
    table = pd.DataFrame(
        {"version": [v.number for v in vs], "saved": [_when(v.saved_at) for v in vs], "note": [v.note for v in vs]}
    )
    st.table(escape_cells(table), hide_index=True)  # the planner's notes, as text
    numbers = [v.number for v in vs]
    if st.session_state.get("lib_version") not in numbers:
        st.session_state["lib_version"] = numbers[0]
    a, b = st.columns([1, 2])
    a.selectbox("Version", numbers, key="lib_version", format_func=lambda n: f"version {n}")
    b.button("Restore this version", key="lib_restore", on_click=state.callback(_on_restore))


def _choices(lib: store.Library | None) -> list[tuple[str, int] | None]:
    """None = the working scenario; (name, number) = a saved version (newest first, at most 200)."""
    out: list[tuple[str, int] | None] = [None]
    if lib is None:
        return out
    try:
        for s in lib.list_scenarios():
            out += [(s.name, v.number) for v in lib.versions(s.name)]
            if len(out) > 200:
                break
    except InputError:
        pass
    return out


def _label(c: tuple[str, int] | None) -> str:
    return WORKING if c is None else f"{c[0]} · version {c[1]}"


def _side(lib: store.Library | None, c: tuple[str, int] | None, solve: bool) -> Any:
    from fulcrum.compare import Side

    if c is None:
        sc: Scenario = state.get()
    else:
        assert lib is not None
        sc = lib.load_version(c[0], c[1], base_dir=upload.UPLOAD_DIR)
    sj, bd = scenario_to_json(sc), state.base_dir(sc)
    out = compute.rank(sj, bd)
    alloc = compute.allocation(sj, bd) if solve else None
    return Side(_label(c), out, alloc)


def _compare(lib: store.Library | None) -> None:
    st.subheader("Compare two scenarios")
    choices = _choices(lib)
    if len(choices) < 2:
        st.info("Save a version to compare it with the working scenario (or two versions with each other).")
        return
    idx = {_label(c): c for c in choices}
    labels = list(idx)
    if st.session_state.get("cmp_a") not in labels:
        st.session_state["cmp_a"] = labels[1]
    if st.session_state.get("cmp_b") not in labels:
        st.session_state["cmp_b"] = labels[0]
    a, b, c = st.columns([2, 2, 1])
    la = a.selectbox("A (before)", labels, key="cmp_a")
    lb = b.selectbox("B (after)", labels, key="cmp_b")
    solve = c.toggle("With the allocation", value=True, key="cmp_solve", help="Solves each side's allocation.")
    from fulcrum.compare import compare

    try:
        with st.spinner("Ranking (and allocating) both scenarios…"):
            cmp = compare(_side(lib, idx[la], solve), _side(lib, idx[lb], solve))
    except InputError as e:
        st.error("These two cannot be compared: " + esc(e))
        return
    _show(cmp)


HEADERS = {
    "alternative": "id",
    "country": "id",
    "name": "country",
    "rank_a": "rank in A",
    "rank_b": "rank in B",
    "status_a": "status in A",
    "status_b": "status in B",
    "weight_a": "weight in A",
    "weight_b": "weight in B",
    "change": "change (B − A)",
    "a": "A",
    "b": "B",
    "total_a": "total in A, US$M",
    "total_b": "total in B, US$M",
    "aid_a": "aid in A, US$M",
    "aid_b": "aid in B, US$M",
    "investment_a": "investment in A, US$M",
    "investment_b": "investment in B, US$M",
    "project_type": "project type",
    "outcome_unit": "unit",
    "outcomes_low_a": "in A (low)",
    "outcomes_low_b": "in B (low)",
    "change_low": "change (low)",
    "outcomes_high_a": "in A (high)",
    "outcomes_high_b": "in B (high)",
    "change_high": "change (high)",
    "unit_cost_source": "source of the unit cost",
}


def _shown(df: pd.DataFrame) -> pd.DataFrame:
    """A comparison table as the page shows it: headers in words, weights in percent (exports keep the ids)."""
    out = df.copy()
    if "weight_a" in out.columns:
        for c in ("weight_a", "weight_b", "change"):
            out[c] = out[c] * 100
    if "change" in out.columns and out["change"].dtype == object:  # the shortlist's kind of change
        out = out.rename(columns={"change": "what changed"})
    return out.rename(columns=HEADERS)


def _names(ids: list[str], table: pd.DataFrame) -> str:
    names = dict(zip(table["alternative"], table["name"], strict=True))
    return ", ".join(f"{names.get(a) or a} ({a})" for a in ids) or "nobody"


def _signed(x: float) -> str:
    """An outcome change with its sign: thousands separators when large, three significant digits when small."""
    return f"{x:+,.0f}" if abs(x) >= 100 else f"{x:+.3g}"


def _show(cmp: Any) -> None:
    from fulcrum.compare import OUTCOMES_TITLE
    from mcda.export import csv_text, xlsx_bytes
    from optimisation.wording import type_name

    sl = cmp.shortlist
    with st.container(border=True, key="compare_summary"):
        st.markdown(f"**Entered the shortlist:** {esc(_names(cmp.entered, sl), inline=True)}")
        st.markdown(f"**Left the shortlist:** {esc(_names(cmp.left, sl), inline=True)}")
        ben = cmp.benefit.set_index("measure")
        key = "benefit (priority-weighted units)"
        if key in ben.index and pd.notna(ben.loc[key, "change"]):
            st.markdown(
                f"**Benefit:** {ben.loc[key, 'a']:,.1f} → {ben.loc[key, 'b']:,.1f} units "
                f"({ben.loc[key, 'change']:+,.1f})"
            )
        changed = [
            f"{type_name(r.project_type)} {_signed(r.change_low)} to {_signed(r.change_high)} ({r.outcome_unit})"
            for r in cmp.outcomes.itertuples()
            if pd.notna(r.change_low)
        ]
        if changed:
            st.markdown("**Outcomes (B − A, low to high end):** " + esc("; ".join(changed), inline=True))
    tables = [
        ("Shortlist changes, and why", sl, "No one entered or left, and no rank in the shortlist moved."),
        ("Weights (normalised, change = B − A)", cmp.weights, ""),
        ("Settings that differ", cmp.settings, "No setting differs (weights aside)."),
        ("Allocation by country (US$ millions)", cmp.by_country, "No difference, or the allocation is not solved."),
        ("Allocation by project type (US$ millions)", cmp.by_type, "No difference, or the allocation is not solved."),
        ("Benefit and money used", cmp.benefit, ""),
        (OUTCOMES_TITLE, cmp.outcomes, "No difference, or the allocation is not solved."),
    ]
    for title, df, empty in tables:
        st.markdown(f"**{title}**")
        if not len(df):
            st.caption(empty)
        elif df is sl:  # text that must wrap (why): a table
            st.table(escape_cells(_shown(df)), hide_index=True)
        else:
            shown = _shown(df)
            st.dataframe(
                shown,
                hide_index=True,
                width="stretch",
                column_config={
                    c: st.column_config.NumberColumn(
                        format="%.1f%%" if "weight" in title.lower() else "localized" if df is cmp.outcomes else "%.1f"
                    )
                    for c in shown.columns
                    if pd.api.types.is_float_dtype(shown[c])
                },
            )
    d1, d2, d3 = st.columns(3)
    d1.download_button(
        "Comparison (Markdown)",
        cmp.markdown(),
        file_name="comparison.md",
        mime="text/markdown",
        key="dl_compare_md",
        on_click="ignore",
    )
    d2.download_button(
        "Shortlist changes (CSV)",
        csv_text(sl),
        file_name="comparison_shortlist.csv",
        mime="text/csv",
        key="dl_compare_csv",
        on_click="ignore",
    )
    d3.download_button(
        "Comparison (XLSX, one sheet per table)",
        xlsx_bytes(cmp.sheets()),
        file_name="comparison.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="dl_compare_xlsx",
        on_click="ignore",
    )
