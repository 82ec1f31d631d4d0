"""The Data page's criteria as one editable table (issue 12 target 6: page switch < 1 s).

One row per criterion: whether it is used, its direction and scale (editable), and its coverage, unit,
source, year, missing countries and description (read only). One ``st.data_editor`` replaces about a
hundred checkboxes and select boxes whose drawing cost the browser over a second on every visit.

The rules the old widgets enforced hold for every edit of the table (one edit = one validated scenario
change through ``ui.state.apply``):

* at least one criterion stays switched on (unticking the last one is refused with a warning);
* a criterion switched on is ranked with the direction and scale its row shows;
* the direction and scale of a criterion that is switched off cannot be changed (its row keeps the
  settings it had when it was last on, or the data file's default): refused with a notice;
* an edit the ranking rejects (e.g. the log of a negative value) keeps the old scenario and shows the
  library's message.

After every edit, applied or refused, the table is drawn afresh from the scenario under a new key, so
what it shows is always what is used; an edit sent by a table that has since been redrawn is ignored.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from ui import common, state
from ui.text import esc, named

KEY = "crit_table"  # prefix of the editor's key; the key drawn now is in session state under DRAWN
DRAWN = "_crit_table_drawn"  # (key, [criterion ids in row order], {id: (on, direction, transform)}) as drawn
SERIAL = "_crit_table_serial"  # bumped by every edit: the next run draws a fresh table
NOTICE = "_crit_table_notice"  # (kind, text) of the last refused edit: shown above the table, where the planner looks
OFF = "_crit_off_settings"  # (generation, {id: (direction, transform)}) of criteria switched off here

SCALE = {"none": "linear", "log": "log scale"}  # scenario value -> what the table shows
SCALE_OF = {v: k for k, v in SCALE.items()}
LAST_ON = "At least one criterion must stay switched on: tick another criterion first, then switch this one off."
COLUMNS = [
    "use",
    "criterion",
    "direction",
    "scale",
    "values",
    "year",
    "group",
    "unit",
    "source",
    "missing",
    "id",
    "description",
]
EDITABLE = ("use", "direction", "scale")


def off_settings(ss: Any) -> dict[str, tuple[str, str]]:
    """Direction and scale of the criteria switched off in this generation (a loaded scenario starts afresh)."""
    gen, saved = ss.get(OFF, (None, {}))
    return dict(saved) if gen == ss.get(state.GEN, 0) else {}


def table(
    sc: Any, meta: pd.DataFrame, cand: pd.DataFrame, ids: list[str], groups: pd.Series, off: Mapping[str, tuple]
) -> pd.DataFrame:
    """The criteria table as drawn: index = criterion id, rows in ``ids`` order (grouped)."""
    on = {c.id: c for c in sc.criteria}
    rows = []
    for cid in [i for g in pd.unique(groups) for i in ids if groups[i] == g]:  # grouped, groups in data order
        row = meta.loc[cid] if cid in meta.index else pd.Series(dtype=object)
        label = row.get("label", cid) if isinstance(row.get("label", None), str) else cid
        if cid in on:
            direction, transform = on[cid].direction, on[cid].transform
        else:
            default = row.get("direction") if row.get("direction") in ("benefit", "cost") else "benefit"
            direction, transform = off.get(cid, (default, "none"))
        have = cand[cid].notna() if cid in cand.columns else pd.Series(False, index=cand.index)
        year = row.get("year")
        if sc.data.as_of and f"{cid}_year" in cand.columns:
            year = _year_range(cand[f"{cid}_year"])  # the years the replay picked, not today's
        missing = list(cand.index[~have]) if cid in cand.columns else []
        rows.append(
            {
                "id": cid,
                "use": cid in on,
                "criterion": str(label),
                "group": str(groups.get(cid, "")).capitalize(),
                "direction": direction,
                "scale": SCALE.get(transform, transform),
                "values": f"{int(have.sum())}/{len(cand)}",
                "year": _text(year),
                "unit": _text(row.get("unit")),
                "source": _text(row.get("source")),
                "missing": ", ".join(map(str, missing)),
                "description": _text(row.get("description")),
            }
        )
    return pd.DataFrame(rows, columns=COLUMNS, index=pd.Index([r["id"] for r in rows], name="criterion id"))


def _text(v: Any) -> str:
    return "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)


def _year_range(years: pd.Series) -> str:
    """'2019' or '2014-2020' for the years of a column (blank when none)."""
    y = years.dropna()
    if not len(y):
        return ""
    lo, hi = int(y.min()), int(y.max())
    return str(lo) if lo == hi else f"{lo}-{hi}"


def draw(shown: pd.DataFrame) -> None:
    """The editor for ``shown`` (:func:`table`), under a key that changes with what it shows and with every edit."""
    ss = st.session_state
    notice = ss.pop(NOTICE, None)
    if notice is not None:
        getattr(st, notice[0])(esc(named(notice[1], common.display_names())))
    digest = hashlib.sha1(shown.to_json().encode()).hexdigest()[:10]
    key = f"{KEY}:{ss.get(state.GEN, 0)}:{ss.get(SERIAL, 0)}:{digest}"
    ss[DRAWN] = (
        key,
        list(shown.index),
        {cid: (bool(r.use), str(r.direction), SCALE_OF.get(r.scale, r.scale)) for cid, r in shown.iterrows()},
        {cid: str(r.criterion) for cid, r in shown.iterrows()},  # what the planner reads in each row
    )
    st.container(key=f"{KEY}_box").data_editor(
        shown,
        key=key,
        on_change=state.callback(edited),
        args=(key,),
        num_rows="fixed",
        hide_index=True,  # the id is a column of its own, near the end: the planner reads the label first
        disabled=[c for c in COLUMNS if c not in EDITABLE],
        height=38 + 35 * len(shown) + 3,  # every criterion visible, no scrolling inside the table
        column_order=COLUMNS,
        column_config={
            "use": st.column_config.CheckboxColumn("use", help="Tick to rank on this criterion.", width="small"),
            "criterion": st.column_config.TextColumn("criterion", width=250),
            "group": st.column_config.TextColumn("group", width=85),
            "id": st.column_config.TextColumn("id", help="The criterion's id in the data and the scenario file."),
            "direction": st.column_config.SelectboxColumn(
                "direction",
                options=["benefit", "cost"],
                required=True,
                width=100,
                help="benefit: more is better; cost: less is better. Set for a criterion in use.",
            ),
            "scale": st.column_config.SelectboxColumn(
                "scale",
                options=list(SCALE.values()),
                required=True,
                width=100,
                help="linear (as is) or natural log (for very skewed sizes such as GDP; values must be > 0). "
                "Set for a criterion in use.",
            ),
            "values": st.column_config.TextColumn(
                "values", width="small", help="Candidate countries that have a value (coverage)."
            ),
            "year": st.column_config.TextColumn("year", width=85),
            "missing": st.column_config.TextColumn("missing", help="Candidate countries without a value."),
        },
    )


def edited(key: str) -> None:
    """The table's callback: the edit becomes one scenario change, checked by the ranking, or is refused."""
    ss = st.session_state
    drawn = ss.get(DRAWN)
    if drawn is None or drawn[0] != key:
        return  # sent by a table that has since been redrawn
    ss[SERIAL] = ss.get(SERIAL, 0) + 1  # whatever happens, the next run draws the table from the scenario
    _, ids, before, labels = drawn
    after = dict(before)
    for row, cells in ((ss.get(key) or {}).get("edited_rows") or {}).items():
        i = int(row)
        if not 0 <= i < len(ids):
            continue
        cid = ids[i]
        on, direction, transform = after[cid]
        on = bool(cells.get("use", on))
        direction = cells.get("direction") or direction
        transform = SCALE_OF.get(cells.get("scale") or "", transform)
        after[cid] = (on, direction, transform)
    changed = {cid: v for cid, v in after.items() if v != before[cid]}
    if not changed:
        return
    refused = refusal(before, changed, labels)
    if refused is not None:
        ss[NOTICE] = ("warning", refused)
        return

    def edit(doc: dict) -> None:
        apply_rows(doc, before, changed)

    if not state.apply(edit, check=common.check_rank):
        notices = ss.get(state.NOTICE) or []
        if notices:  # the library's message: above the table rather than at the top of the page
            ss[NOTICE] = notices[-1]
            ss[state.NOTICE] = notices[:-1]
    else:
        off = off_settings(ss)
        for cid, (on, direction, transform) in changed.items():
            if not on:
                off[cid] = (direction, transform)  # shown again, and used, when it is switched back on
        ss[OFF] = (ss.get(state.GEN, 0), off)


def refusal(
    before: Mapping[str, tuple], changed: Mapping[str, tuple], labels: Mapping[str, str] | None = None
) -> str | None:
    """Why an edit of the table is refused before it reaches the scenario (None: it may be tried); criteria
    are named as their rows show them (``labels``)."""
    for cid, (on, _, _) in changed.items():
        was_on = before[cid][0]
        if not was_on and not on:
            name = (labels or {}).get(cid) or cid
            return (
                f"{name} is switched off: its direction and scale are set while it is in use. "
                "Tick 'use' first, then choose them; nothing was changed."
            )
    now_on = [cid for cid, v in {**before, **changed}.items() if v[0]]
    if not now_on:
        return LAST_ON
    return None


def apply_rows(doc: dict, before: Mapping[str, tuple], changed: Mapping[str, tuple]) -> None:
    """Put the changed rows into a scenario document: switched on (with the row's direction and scale),
    switched off (with its missing-data override), or a new direction or scale."""
    cover = False
    for cid, (on, direction, transform) in changed.items():
        ids = [c["id"] for c in doc["criteria"]]
        if on and cid not in ids:
            doc["criteria"].append({"id": cid, "direction": direction, "weight": 1.0, "transform": transform})
            cover = True
        elif not on and cid in ids:
            doc["criteria"] = [c for c in doc["criteria"] if c["id"] != cid]
            if isinstance(doc["data"]["missing"], dict):
                doc["data"]["missing"].pop(cid, None)
            cover = True
        elif on:
            for c in doc["criteria"]:
                if c["id"] == cid:
                    c["direction"], c["transform"] = direction, transform
    if cover and doc["weights"].get("ahp") is not None:
        from ui.pages.weights import ahp_complete

        ahp_complete(doc)
