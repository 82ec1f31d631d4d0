"""Weights page: direct sliders (per criterion and per group), AHP pairwise judgements with live
consistency (several experts, combined by the library's geometric mean), objective weights.
The normalised weights the ranking uses are always shown beside the inputs."""

from __future__ import annotations

import math
from itertools import combinations

import pandas as pd
import streamlit as st

from fulcrum import format as F
from ui import charts, common, compute, display, state
from ui.text import esc

MODES = {
    "direct": "Sliders (direct weights)",
    "ahp": "AHP pairwise judgements",
    "objective": "Objective (from the data)",
}
SCALE = [9, 8, 7, 6, 5, 4, 3, 2, 1, 1 / 2, 1 / 3, 1 / 4, 1 / 5, 1 / 6, 1 / 7, 1 / 8, 1 / 9]
SLIDER_STEP = 0.1


# ------------------------------------------------------------------ helpers on the scenario document
def groups_of(doc: dict) -> dict[str, list[str]]:
    """Criterion groups for the AHP hierarchy: the spec's own groups, else the criteria file's."""
    ids = [c["id"] for c in doc["criteria"]]
    ahp = doc["weights"].get("ahp") or {}
    if ahp.get("groups"):
        given = {g: [c for c in members if c in ids] for g, members in ahp["groups"].items()}
        loose = [c for c in ids if not any(c in m for m in given.values())]
        if loose:
            given.setdefault("other", []).extend(loose)
        return {g: m for g, m in given.items() if m}
    meta = None
    if doc["data"]["dataset"] == "default":
        try:
            meta = compute.criteria_meta()
        except Exception:  # noqa: BLE001
            meta = None
    out: dict[str, list[str]] = {}
    for c in ids:
        g = meta.at[c, "group"] if meta is not None and c in meta.index and "group" in meta.columns else "criteria"
        out.setdefault(str(g), []).append(c)
    return out


def _find(judgements: list[dict], a: str, b: str) -> float | None:
    for j in judgements:
        if j["a"] == a and j["b"] == b:
            return float(j["value"])
        if j["a"] == b and j["b"] == a:
            return 1.0 / float(j["value"])
    return None


def _complete(judgements: list[dict], items: list[str]) -> list[dict]:
    """Judgements for every pair of ``items`` (kept where given, else 1 = equal); stale ones dropped."""
    return [
        {"a": a, "b": b, "value": v if (v := _find(judgements, a, b)) is not None else 1.0}
        for a, b in combinations(items, 2)
    ]


def ahp_complete(doc: dict) -> None:
    """Make every expert's judgements cover exactly the current groups and criteria."""
    ahp = doc["weights"]["ahp"]
    groups = groups_of(doc)
    if ahp.get("groups") is not None or doc["data"]["dataset"] != "default":
        ahp["groups"] = groups
    gnames = list(groups)
    for e in ahp["experts"]:
        e["groups"] = _complete(e.get("groups", []), gnames) if len(gnames) > 1 else []
        e["within"] = {g: _complete(e.get("within", {}).get(g, []), m) for g, m in groups.items() if len(m) > 1}


def _new_ahp(doc: dict) -> dict:
    return {
        "groups": None,
        "experts": [{"name": "expert 1", "weight": 1.0, "groups": [], "within": {}}],
        "method": "eigen",
        "ri_table": "saaty1980",
        "allow_extended_scale": False,
    }


# ------------------------------------------------------------------ callbacks
def _set_mode() -> None:
    mode = state.value("mode")

    def edit(doc):
        doc["weights"]["mode"] = mode
        for c in doc["criteria"]:
            if c.get("weight") is None:
                c["weight"] = 1.0
        if mode == "ahp" and doc["weights"].get("ahp") is None:
            doc["weights"]["ahp"] = _new_ahp(doc)
        if doc["weights"].get("ahp") is not None:
            ahp_complete(doc)

    def revert():
        state.set_value("mode", state.view().weights.mode)

    state.apply(edit, check=common.check_rank, revert=revert)


def _set_weight(cid: str) -> None:
    """One criterion's slider: that criterion's weight, nothing else (the group total is drawn from it)."""
    v = float(state.value(f"wt:{cid}"))

    def edit(doc):
        for c in doc["criteria"]:
            if c["id"] == cid:
                c["weight"] = v

    def revert():
        state.set_value(f"wt:{cid}", _weight_of(state.view(), cid))

    state.apply(edit, check=common.check_rank, revert=revert)


def _weight_of(sc, cid: str) -> float:
    for c in sc.criteria:
        if c.id == cid:
            return float(c.weight or 0.0)
    return 0.0


def group_total(sc, members) -> float:
    """What a group slider shows: the sum of its criteria's entered weights (to 1e-6)."""
    return round(sum(_weight_of(sc, m) for m in members), 6)


def _set_group(group: str, members: tuple[str, ...]) -> None:
    """Rescale the group's criteria proportionally so their entered weights sum to the group slider.

    Only a move of the group slider itself gets here (a stale value from before another slider
    changed the group belongs to a group slider that has been redrawn: see ui.state). The criteria
    sliders are redrawn from the new weights on this run.
    """
    total = float(state.value(f"grp:{group}"))
    sc = state.view()
    old = {m: _weight_of(sc, m) for m in members}
    s = sum(old.values())
    new = {m: (old[m] * total / s if s > 0 else total / len(members)) for m in members}
    new = {m: round(v, 6) for m, v in new.items()}
    # rounding must not move the total the planner set: the largest weight absorbs the remainder
    big = max(members, key=lambda m: new[m])
    new[big] = round(total - sum(v for m, v in new.items() if m != big), 6)

    def edit(doc):
        for c in doc["criteria"]:
            if c["id"] in new:
                c["weight"] = new[c["id"]]

    def revert():
        state.set_value(f"grp:{group}", round(s, 6))

    state.apply(edit, check=common.check_rank, revert=revert)


def _set_objective() -> None:
    v = state.value("objective")

    def edit(doc):
        doc["weights"]["objective_method"] = v

    state.apply(edit, check=common.check_rank)


def _copy_to_sliders(weights: dict[str, float]) -> None:
    def edit(doc):
        doc["weights"]["mode"] = "direct"
        for c in doc["criteria"]:
            if c["id"] in weights:
                c["weight"] = round(10 * weights[c["id"]], 4)

    if state.apply(edit, check=common.check_rank):
        state.reset_widgets()
        state.notify("success", "Copied the objective weights (×10) onto the sliders; adjust them from here.")


def _set_judgement(expert: int, where: str, a: str, b: str, key: str) -> None:
    v = float(st.session_state[key])

    def edit(doc):
        e = doc["weights"]["ahp"]["experts"][expert]
        js = e["groups"] if where == "" else e["within"].setdefault(where, [])
        js[:] = [j for j in js if {j["a"], j["b"]} != {a, b}] + [{"a": a, "b": b, "value": v}]

    state.apply(edit, check=common.check_rank)


def _ahp_setting(field: str) -> None:
    v = state.value(f"ahp:{field}")

    def edit(doc):
        doc["weights"]["ahp"][field] = v

    state.apply(edit, check=common.check_rank)


def _expert_field(k: int, field: str) -> None:
    v = state.value(f"exp:{k}:{field}")

    def edit(doc):
        doc["weights"]["ahp"]["experts"][k][field] = v

    def revert() -> None:
        ahp = state.view().weights.ahp
        if ahp is not None:  # the expert editor exists only in AHP mode
            state.set_value(f"exp:{k}:{field}", getattr(ahp.experts[k], field))

    if field == "name":
        v = str(v).strip()
        if not v:
            revert()
            state.notify(
                "warning", "An expert needs a name (it labels their judgements in the exports); the old name is kept."
            )
            return
    state.apply(edit, check=common.check_rank, revert=revert)


def _add_expert() -> None:
    k = st.session_state.get("ahp_expert", 0)

    def edit(doc):
        ex = doc["weights"]["ahp"]["experts"]
        new = dict(ex[min(k, len(ex) - 1)])
        new["name"] = f"expert {len(ex) + 1}"
        new["weight"] = 1.0
        ex.append(new)

    if state.apply(edit, check=common.check_rank):
        ahp = state.view().weights.ahp
        st.session_state["ahp_expert"] = len(ahp.experts) - 1 if ahp is not None else 0
        state.reset_widgets()


def _remove_expert() -> None:
    k = st.session_state.get("ahp_expert", 0)

    def edit(doc):
        ex = doc["weights"]["ahp"]["experts"]
        if len(ex) > 1:
            ex.pop(k)

    if state.apply(edit, check=common.check_rank):
        st.session_state["ahp_expert"] = 0
        state.reset_widgets()


# ------------------------------------------------------------------ rendering
def _normalised_panel(out) -> None:
    lab = common.labels(out)
    w = pd.DataFrame(
        {
            "criterion": out.weights.index,
            "label": [lab.get(c, c) for c in out.weights.index],
            "weight": out.weights.to_numpy(),
        }
    )
    if "group" in out.criteria.columns:
        w["group"] = w["criterion"].map(out.criteria["group"])
    st.markdown("**Weights in use (normalised, sum = 100%)**")
    st.altair_chart(charts.weights_bar(w), width="stretch")
    sc = out.scenario
    if sc.weights.mode == "direct":
        from mcda.weights import weights_table

        entered = {c.id: c.weight for c in sc.criteria if c.id in out.weights.index}
        t = weights_table(entered, list(out.weights.index))
        t.insert(0, "criterion", [lab.get(c, c) for c in t.index])
        with st.container(key="weights_table_box"):
            display.dataframe(
                t,
                hide_index=True,
                height=38 + 35 * len(t),
                labels={"criterion": "Criterion", "entered": "Entered", "normalised": "Normalised weight"},
                formats={"entered": lambda v: F.number(v, 2), "normalised": F.weight},
            )
        st.caption(
            "Entered values are relative: only their proportions matter. Nothing is rescaled behind your back — "
            "the normalised column is exactly what the ranking uses."
        )
    for n in out.notes:
        if n.startswith("Weights"):
            st.caption(esc(n))


def _direct(out, sc) -> None:
    doc = sc.model_dump(mode="json")
    groups = groups_of(doc) if sc.data.dataset == "default" else {"criteria": [c.id for c in sc.criteria]}
    lab = common.labels(out) if out is not None else {}
    top = max([10.0] + [math.ceil(c.weight or 0) for c in sc.criteria])
    st.caption(
        "Each slider is a criterion's importance (0 = ignore). A group slider scales all criteria in the group "
        "together, keeping their proportions."
    )
    # Every slider shows the scenario's value (ui.state.widget): the group slider is redrawn whenever
    # a criterion slider changes its total, the criterion sliders whenever the group slider rescales
    # them, so a value a slider showed before that (sent again by the browser during rapid reruns)
    # can never rescale or undo anything.
    for g, members in groups.items():
        with st.container(border=True, key=f"weight_group_{g}" if g.isidentifier() else None):
            k = state.widget(f"grp:{g}", group_total(sc, members))
            st.slider(
                f"{esc(g.capitalize(), inline=True)} — group total",
                0.0,
                float(top * len(members)),
                step=SLIDER_STEP,
                key=k,
                on_change=state.callback(_set_group, k),
                args=(g, tuple(members)),
                format="%.2f",
            )
            cols = st.columns(2)
            for i, cid in enumerate(members):
                k = state.widget(f"wt:{cid}", _weight_of(sc, cid))
                cols[i % 2].slider(
                    esc(lab.get(cid, cid), inline=True),
                    0.0,
                    float(top),
                    step=SLIDER_STEP,
                    format="%.2f",
                    key=k,
                    on_change=state.callback(_set_weight, k),
                    args=(cid,),
                    help="criterion id: " + esc(cid, inline=True),
                )


def _fmt_judgement(a: str, b: str):
    def f(v: float) -> str:
        if abs(v - 1) < 1e-9:
            return "equal"
        if v > 1:
            return f"{a} {v:g}×"
        return f"{b} {1 / v:g}×"

    return f


def _nearest(v: float) -> float:
    from mcda.ahp import nearest_scale_value

    s, _ = nearest_scale_value(v)
    return min(SCALE, key=lambda x: abs(math.log(x) - math.log(s)))


def _matrix_editor(k: int, where: str, items: list[str], judgements, lab: dict, ahp) -> None:
    js = [{"a": j.a, "b": j.b, "value": j.value} for j in judgements]
    for a, b in combinations(items, 2):
        v = _find(js, a, b) or 1.0
        key = state.widget(f"j:{k}:{where}:{a}:{b}", _nearest(v))
        st.select_slider(
            f"{esc(lab.get(a, a), inline=True)}  vs  {esc(lab.get(b, b), inline=True)}",
            options=SCALE,
            key=key,
            # a select slider draws its option labels as Markdown (thumb and ends of the bar)
            format_func=_fmt_judgement(esc(lab.get(a, a), inline=True), esc(lab.get(b, b), inline=True)),
            on_change=state.callback(_set_judgement, key),
            args=(k, where, a, b, key),
            help="Left: the first is more important (by 2…9 times); right: the second is.",
        )
        if abs(math.log(v) - math.log(_nearest(v))) > 1e-6:
            st.caption(f"Stored judgement {v:.3g} is off the 1–9 scale; the slider shows the nearest scale value.")
    triples = tuple((j["a"], j["b"], float(j["value"])) for j in _complete(js, items))
    res = compute.ahp_matrix(tuple(items), triples, ahp.method, ahp.ri_table)
    if res is None:
        return
    name = "group level" if where == "" else f"within {where}"
    c1, c2 = st.columns([1.4, 3])
    c1.metric(
        f"CR — {esc(name, inline=True)}",
        f"{res.cr:.3f}",
        help=esc(f"Consistency ratio, RI table {res.ri_table}; acceptable up to {res.threshold:g}."),
    )
    if res.consistent:
        c2.success(f"Consistent enough (CR {res.cr:.3f} ≤ {res.threshold:g}).")
    else:
        r = res.inconsistent_pairs.iloc[0]
        c2.warning(
            f"CR {res.cr:.3f} is above {res.threshold:g}: revisit **{esc(lab.get(r.item_a, r.item_a), inline=True)} vs "
            f"{esc(lab.get(r.item_b, r.item_b), inline=True)}** (entered "
            + esc(
                f"{_fmt_judgement(r.item_a, r.item_b)(r.judgement)}, "
                f"consistent with your other answers: about {r.suggested_label}",
                inline=True,
            )
            + (f"; changing it gives CR {r.cr_if_changed:.3f}" if pd.notna(r.cr_if_changed) else "")
            + ").\n\n"
            + esc(res.message())
        )


def _ahp(out, sc) -> None:
    from mcda.ahp import RI_TABLES

    ahp = sc.weights.ahp
    doc = sc.model_dump(mode="json")
    groups = groups_of(doc)
    lab = common.labels(out) if out is not None else {}
    c1, c2 = st.columns(2)
    key = state.widget("ahp:method", ahp.method)
    c1.selectbox(
        "Priority method",
        ["eigen", "geometric"],
        key=key,
        on_change=state.callback(_ahp_setting, key),
        args=("method",),
        help="eigen: Saaty's principal eigenvector; geometric: row geometric means.",
    )
    tables = list(RI_TABLES)
    key = state.widget("ahp:ri_table", ahp.ri_table if ahp.ri_table in tables else tables[0])
    c2.selectbox(
        "Random-index table for CR", tables, key=key, on_change=state.callback(_ahp_setting, key), args=("ri_table",)
    )

    experts = ahp.experts
    st.markdown("**Experts** — each expert's judgements are combined by the weighted geometric mean of their matrices.")
    e1, e2, e3, e4 = st.columns([2, 2, 1.2, 1.7])  # room for 'Add expert' at 1280 px
    if st.session_state.get("ahp_expert", 0) >= len(experts):
        st.session_state["ahp_expert"] = 0
    k = e1.selectbox(
        "Editing the judgements of", list(range(len(experts))), key="ahp_expert", format_func=lambda i: experts[i].name
    )
    key = state.widget(f"exp:{k}:name", experts[k].name)
    e2.text_input("Name", key=key, on_change=state.callback(_expert_field, key), args=(k, "name"))
    key = state.widget(f"exp:{k}:weight", float(experts[k].weight))
    e3.number_input(
        "Expert weight",
        min_value=0.01,
        step=0.5,
        key=key,
        on_change=state.callback(_expert_field, key),
        args=(k, "weight"),
    )
    e4.button(
        "Add expert",
        on_click=state.callback(_add_expert),
        help="Adds an expert starting from a copy of these judgements.",
    )
    if len(experts) > 1:
        e4.button("Remove", on_click=state.callback(_remove_expert))

    gnames = list(groups)
    tabs = st.tabs(["Groups"] + [f"Within {esc(g, inline=True)}" for g, m in groups.items() if len(m) > 1])
    with tabs[0]:
        if len(gnames) > 1:
            st.caption("How important is each group of criteria compared with the other?")
            _matrix_editor(k, "", gnames, experts[k].groups, {g: g for g in gnames}, ahp)
        else:
            st.caption("Only one group: no group-level judgements needed.")
    for tab, (g, m) in zip(tabs[1:], [(g, m) for g, m in groups.items() if len(m) > 1], strict=True):
        with tab:
            _matrix_editor(k, g, m, experts[k].within.get(g, []), lab, ahp)
    if out is not None and out.ahp is not None:
        with st.expander("Combined result (all experts)", expanded=len(experts) > 1):
            cons = out.ahp.consistency.copy()
            st.dataframe(
                cons,
                hide_index=True,
                column_config={
                    "cr": st.column_config.NumberColumn("CR", format="%.3f"),
                    "ci": st.column_config.NumberColumn("CI", format="%.4f"),
                    "lambda_max": st.column_config.NumberColumn("λmax", format="%.4f"),
                },
            )
            ec = getattr(out.ahp, "expert_consistency", None)
            if ec is not None and len(ec):
                st.markdown("Each expert's own consistency")
                st.dataframe(
                    ec, hide_index=True, column_config={"cr": st.column_config.NumberColumn("CR", format="%.3f")}
                )
            t = out.ahp.table.copy()
            t["criterion"] = t["criterion"].map(lambda c: lab.get(c, c))
            display.dataframe(
                t,
                hide_index=True,
                height=38 + 35 * len(t),
                labels={"criterion": "Criterion", "local": "Within group", "group_weight": "Group", "global": "Weight"},
                formats=dict.fromkeys(("local", "group_weight", "global"), F.weight),
            )


def _objective(out, sc) -> None:
    from mcda.weights import OBJECTIVE_METHODS

    key = state.widget("objective", sc.weights.objective_method)
    st.selectbox(
        "Objective weighting",
        list(OBJECTIVE_METHODS),
        key=key,
        format_func=lambda m: f"{m} — {OBJECTIVE_METHODS[m]}",
        on_change=state.callback(_set_objective, key),
    )
    st.caption(
        "Objective weights come from the spread of the data, not from policy priorities: use them as a starting point."
    )
    if out is not None:
        st.button(
            "Use these as a starting point on the sliders",
            on_click=state.callback(_copy_to_sliders),
            args=({k: float(v) for k, v in out.weights.items()},),
        )


def render() -> None:
    st.header("Weights")
    st.caption(
        "How much each criterion counts. Choose sliders, pairwise AHP judgements, or weights derived from the data."
    )
    _BODY()  # a fragment: a slider reruns this body only (ui/fragments.py)


def _body() -> None:
    sc = state.view()
    key = state.widget("mode", sc.weights.mode)
    st.radio(
        "How are the weights set?",
        list(MODES),
        format_func=MODES.get,
        horizontal=True,
        key=key,
        on_change=state.callback(_set_mode, key),
    )
    out = common.view_outcome()
    left, right = st.columns([3, 2], gap="large")
    if out is not None:
        # drawn first, in place (panel above, preview below): the new ranking reaches the browser
        # before the sliders and the chart are sent again (issue 12 target 6)
        panel, preview = right.container(), right.container()
        with preview:
            ranking_preview(out)
        with panel:
            _normalised_panel(out)
    with left:
        if sc.weights.mode == "direct":
            _direct(out, sc)
        elif sc.weights.mode == "ahp":
            _ahp(out, sc)
        else:
            _objective(out, sc)


def _make_body():
    """The page body as a fragment (ui.fragments.body)."""
    from ui import fragments

    return fragments.body(_body)


_BODY = _make_body()


def ranking_preview(out, n: int = 10) -> None:
    """The top of the library's ranking for the weights above, so a slider's effect is visible at once.

    A static table (text in the page), not a data grid: ten rows need no scrolling or sorting, the
    browser shows the new numbers as soon as they arrive, and a screen reader reads the same cells at
    once (a grid's accessible copy follows its canvas by ~200 ms). Cells are Markdown in st.table:
    every text is escaped (ui.text.escape_cells)."""
    from ui.pages.ranking import ranked_view
    from ui.text import escape_cells

    v = ranked_view(out).head(n)
    cols = {"rank": [f"{int(r)}" for r in v["rank"]], "id": v["alternative"].astype(str).to_numpy()}
    if "name" in v.columns:  # an uploaded matrix may have no names
        cols["country"] = v["name"].astype(str).to_numpy()
    cols["score"] = [f"{float(x):.4f}" for x in v["score"]]
    cols["shortlist"] = v["status"].astype(str).to_numpy()
    shown = pd.DataFrame(cols)
    st.markdown(f"**Top {n} of the ranking with these weights**")
    st.container(key="weights_preview_box").table(escape_cells(shown), hide_index=True)
