"""Allocation page: budgets, project-type parameters, constraints; Solve; the library's allocation
as heatmap and table, totals, shadow prices in words, binding constraints, efficient frontier;
an infeasible set-up shows the conflicting constraints and the smallest relaxation."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from fulcrum import format as F
from mcda.errors import InputError
from optimisation.constraints import BUDGET_GROUPS, GROUP_LABELS
from ui import charts, common, compute, display, lazy, rules_panel, state
from ui.text import esc

EXAMPLE_SPEC = {
    "budget_aid_musd": 300.0,
    "budget_investment_musd": 700.0,
    "note": "example budgets entered in the app; replace with the real envelope",
}
EDITABLE = ["aid_share", "impact_per_musd", "min_size_musd"]
APP_LINK = "joined-up zones (app)"  # label of the linking constraint the toggle below owns


def _alloc_edit(fn, revert=None) -> bool:
    def edit(doc):
        fn(doc["allocation"])

    ok = state.apply(edit, revert=revert)
    return ok


def _start() -> None:
    def edit(doc):
        doc["allocation"] = dict(EXAMPLE_SPEC)

    state.apply(edit)


def _budget(field: str) -> None:
    v = float(state.value(f"alloc:{field}"))

    def revert():
        state.set_value(f"alloc:{field}", getattr(state.get().allocation, field))

    _alloc_edit(lambda a: a.__setitem__(field, v), revert)


def _types() -> None:
    v = list(state.value("alloc:types"))
    if not v:  # an empty list would mean "all types" in the scenario file: refuse rather than say the opposite
        spec = state.get().allocation
        known = spec.project_types if spec is not None else None
        state.set_value("alloc:types", list(known or compute.project_types().index))
        state.notify(
            "warning",
            "Keep at least one project type: with none there is nothing to fund. The previous selection is kept.",
        )
        return
    _alloc_edit(lambda a: a.__setitem__("project_types", v))


def uniform_share_cap(spec) -> float | None:
    """The share of the app's 'cap each country' control: every cap share-only on the total, all equal."""
    caps = list(spec.country_caps.values())
    if not caps or any(
        c.musd is not None or c.pct_gdp is not None or c.pool != "total" or c.share is None for c in caps
    ):
        return None
    shares = {c.share for c in caps}
    return caps[0].share if len(shares) == 1 else None


def _sync_caps(spec, shortlist: list[str]) -> None:
    """'Cap each country's share' means every shortlisted country: follow the shortlist when it changes."""
    share = uniform_share_cap(spec)
    if share is None or not shortlist or set(spec.country_caps) == set(shortlist):
        return
    added = [c for c in shortlist if c not in spec.country_caps]
    removed = [c for c in spec.country_caps if c not in shortlist]
    if _alloc_edit(lambda a: a.__setitem__("country_caps", {c: {"share": share, "pool": "total"} for c in shortlist})):
        st.info(
            esc(
                f"The shortlist changed, so the {share:.0%} share cap now covers the current shortlist"
                + (f" (added {', '.join(added)})" if added else "")
                + (f" (removed {', '.join(removed)})" if removed else "")
                + "."
            )
        )


def _toggle(name: str) -> None:
    on = bool(state.value(f"alloc:{name}:on"))
    sc = state.get()

    def fn(a):
        if name == "equity":
            a["equity_floor"] = float(state.value("alloc:equity:val", 0.5)) if on else None
        elif name == "link":
            theta = float(state.value("alloc:link:val", 0.25))
            lhs, rhs = _link_types(sc.allocation, widgets_first=True)
            a["linking"] = [lk for lk in a["linking"] if lk.get("label") != APP_LINK]
            if on:
                a["linking"].append({"lhs_type": lhs, "ratio": theta, "rhs_type": rhs, "label": APP_LINK})
        elif name == "cap":
            share = float(state.value("alloc:cap:val", 0.4))
            out = compute.rank_sc(sc)
            a["country_caps"] = {c: {"share": share, "pool": "total"} for c in out.shortlist.index} if on else {}
        elif name == "discrete":
            a["discrete"] = on

    _alloc_edit(fn)


def _link_types(spec, widgets_first: bool = False) -> tuple[str, str]:
    """The two project types of the app's linking toggle (lhs >= theta x rhs). Drawing: the scenario's
    link when it has one (what is used is what is shown), else the widgets' choice, else the first two
    enabled types. In a callback (``widgets_first``): the widgets' choice, which the planner just made."""
    types = list(spec.project_types or compute.project_types().index)
    link = next((lk for lk in spec.linking if lk.label == APP_LINK), None)
    default = (link.lhs_type, link.rhs_type) if link else (types[0], types[min(1, len(types) - 1)])
    if link is not None and not widgets_first:
        return default
    return state.value("alloc:link:lhs", default[0]), state.value("alloc:link:rhs", default[1])


def _tune(name: str) -> None:
    if state.value(f"alloc:{name}:on"):
        _toggle(name)


def _params_edited() -> None:
    ed = st.session_state.get("alloc_params_editor") or {}
    rows = ed.get("edited_rows", {})
    base = compute.project_types()
    ids = list(base.index)

    def fn(a):
        tp = dict(a.get("type_params") or {})
        for i, changes in rows.items():
            p = ids[int(i)]
            cur = dict(tp.get(p) or {})
            for k, v in changes.items():
                if k in EDITABLE:
                    cur[k] = None if v is None else float(v)
            cur["source"] = "planner (edited in the app)"
            tp[p] = {k: v for k, v in cur.items() if v is not None}
        a["type_params"] = tp

    _alloc_edit(fn)


def _solve() -> None:
    state.mark_solved(state.get())


def _project_table(spec) -> None:
    base = compute.project_types()
    view = base[["label"] + EDITABLE + ["need_indicator"]].copy()
    for p, tp in (spec.type_params or {}).items():
        if p in view.index:
            for k in EDITABLE:
                v = getattr(tp, k, None)
                if v is not None:
                    view.at[p, k] = v
    st.data_editor(
        view,
        key="alloc_params_editor",
        on_change=state.callback(_params_edited),
        disabled=["label", "need_indicator"],
        column_config={
            "aid_share": st.column_config.NumberColumn("aid share (0–1)", min_value=0.0, max_value=1.0, format="%.3f"),
            "impact_per_musd": st.column_config.NumberColumn("impact per US$1M", min_value=0.0, format="%.3f"),
            "min_size_musd": st.column_config.NumberColumn("min. project size (US$M)", min_value=0.0, format="%.1f"),
        },
    )
    st.caption(
        "Edits are stored in the scenario as planner overrides (source 'planner'); the rest comes from "
        "datasets/project_types.csv, where each value says whether it is sourced or an assumption."
    )


def render() -> None:
    _BODY()  # a fragment: Solve and the inputs rerun this page only, not the app (ui/fragments.py)


def _make_body():
    """The page body as a fragment (ui.fragments.body)."""
    from ui import fragments

    return fragments.body(_body)


def _body() -> None:
    st.header("Allocation")
    st.caption(
        "How to split the money? A linear programme spreads the aid (grant) pool and the investment pool "
        "over the shortlisted countries and project types. Money is in US$ millions."
    )
    sc = state.get()
    out = common.outcome()
    if out is None:
        return
    fmt = common.fmt_id(out)
    if len(out.shortlist) == 0:
        st.warning(
            "The shortlist is empty — every country is excluded by a filter or by hand — so there is nothing "
            "to fund. Loosen the filters on the Ranking page."
        )
        return
    st.markdown(
        "**Shortlist being funded:** "
        + esc(", ".join(f"{fmt(a)} — priority {p:.1%}" for a, p in out.shortlist["priority"].items()), inline=True)
    )
    if out.tracks:  # which track picked each country, and how priorities come from the tracks
        from ui import tracks

        tracks.allocation_note(out)
    if sc.allocation is None:
        st.info("This scenario has no allocation inputs yet.")
        st.button(
            "Set up an allocation (example budgets: aid US$300M, investment US$700M)",
            on_click=state.callback(_start),
            type="primary",
        )
        return
    _sync_caps(sc.allocation, list(out.shortlist.index))
    sc = state.get()
    spec = sc.allocation
    if spec is None:  # pragma: no cover - _sync_caps edits the caps only; the section is still there
        return
    c1, c2 = st.columns(2)
    c3 = st.container()  # the project types' full names fit on one line
    key = state.widget("alloc:budget_aid_musd", float(spec.budget_aid_musd))
    c1.number_input(
        "Aid (grant) pool, US$M",
        min_value=0.0,
        step=50.0,
        key=key,
        on_change=state.callback(_budget, key),
        args=("budget_aid_musd",),
    )
    key = state.widget("alloc:budget_investment_musd", float(spec.budget_investment_musd))
    c2.number_input(
        "Investment pool, US$M",
        min_value=0.0,
        step=50.0,
        key=key,
        on_change=state.callback(_budget, key),
        args=("budget_investment_musd",),
    )
    types = list(compute.project_types().index)
    tlabels = compute.project_types()["label"].to_dict()  # read once: format_func runs per option and per run
    key = state.widget("alloc:types", list(spec.project_types or types))
    c3.multiselect(
        "Project types",
        types,
        key=key,
        on_change=state.callback(_types, key),
        format_func=lambda p: str(tlabels[p]),
    )

    with st.expander("Project-type parameters (editable)"):
        _project_table(spec)
    with st.expander("Constraints", expanded=True):
        a, b = st.columns(2)
        with a:
            key = state.widget("alloc:equity:on", spec.equity_floor is not None)
            st.checkbox(
                "Equity floor",
                help="Every shortlisted country gets at least a share of an equal split.",
                key=key,
                on_change=state.callback(_toggle, key),
                args=("equity",),
            )
            # a switched-off constraint's setting is the planner's, not the scenario's: it does not follow
            key = state.widget(
                "alloc:equity:val", float(spec.equity_floor or 0.5), follow=spec.equity_floor is not None
            )
            st.slider(
                "fraction of an equal split",
                0.0,
                1.0,
                step=0.05,
                key=key,
                on_change=state.callback(_tune, key),
                args=("equity",),
            )
            link = next((lk for lk in spec.linking if lk.label == APP_LINK), None)
            tlabel = compute.project_types()["label"]
            enabled = list(spec.project_types or types)
            lhs, rhs = _link_types(spec)
            # a type no longer enabled goes back to a valid one (the widget then shows what is used)
            lhs = lhs if lhs in enabled else enabled[0]
            rhs = rhs if rhs in enabled else enabled[min(1, len(enabled) - 1)]
            key = state.widget("alloc:link:on", link is not None)
            st.checkbox(
                f"{GROUP_LABELS['linking'].capitalize()} (joined-up zones)",
                help="In each country, one project type gets at least θ × another.",
                key=key,
                on_change=state.callback(_toggle, key),
                args=("link",),
            )
            l1, l2 = st.container(), st.container()  # stacked: the project types' names fit
            key = state.widget("alloc:link:lhs", lhs)
            l1.selectbox(
                "this type",
                enabled,
                key=key,
                on_change=state.callback(_tune, key),
                args=("link",),
                format_func=lambda p: esc(F.short_label(tlabel.get(p, p)), inline=True),
            )
            key = state.widget("alloc:link:rhs", rhs)
            l2.selectbox(
                "≥ θ × this type",
                enabled,
                key=key,
                on_change=state.callback(_tune, key),
                args=("link",),
                format_func=lambda p: esc(F.short_label(tlabel.get(p, p)), inline=True),
            )
            key = state.widget("alloc:link:val", float(link.ratio if link else 0.25), follow=link is not None)
            st.slider("θ", 0.0, 2.0, step=0.05, key=key, on_change=state.callback(_tune, key), args=("link",))
        with b:
            capped = bool(spec.country_caps)
            first_cap = next(iter(spec.country_caps.values()), None)
            key = state.widget("alloc:cap:on", capped)
            st.checkbox(
                "Cap each country's share of the total", key=key, on_change=state.callback(_toggle, key), args=("cap",)
            )
            share_now = uniform_share_cap(spec)
            key = state.widget(
                "alloc:cap:val",
                float(
                    share_now
                    if share_now is not None
                    else first_cap.share
                    if first_cap is not None and first_cap.share
                    else 0.4
                ),
                follow=share_now is not None,
            )
            st.slider(
                "largest share per country",
                0.05,
                1.0,
                step=0.05,
                key=key,
                on_change=state.callback(_tune, key),
                args=("cap",),
            )
            share, k = uniform_share_cap(spec), len(out.shortlist)
            if share is not None and share * k < 1 - 1e-9:
                st.warning(
                    f"{k} countries × {share:.0%} = {share * k:.0%} of the total: the caps cannot hold the whole "
                    f"allocation. Raise the share to at least {1 / k:.0%} (1 / {k} countries)."
                )
            key = state.widget("alloc:discrete:on", spec.discrete)
            st.checkbox(
                "Discrete projects (0 or at least the minimum size; MILP)",
                key=key,
                on_change=state.callback(_toggle, key),
                args=("discrete",),
            )
        others = [
            f"{len(spec.country_floors)} country floor(s)",
            f"{len(spec.type_floors)} type floor(s)",
            f"{len(spec.type_caps)} type cap(s)",
            f"{len(spec.must_fund)} must-fund pair(s)",
            f"{len(spec.must_not)} must-not pair(s)",
            f"{len([lk for lk in spec.linking if lk.label != APP_LINK])} other linking constraint(s)",
        ]
        others += rules_panel.set_up(spec)  # issue 11 items 3-6: the planner's rules that are on
        st.caption("From the scenario file: " + ", ".join(others) + ".")

    if spec.budget_aid_musd + spec.budget_investment_musd <= 0:
        st.info("Both pools are US$ 0M: there is nothing to allocate. Enter a budget above.")
    st.button("Solve", type="primary", on_click=state.callback(_solve), key="solve")
    sj, bd = state.scenario_json(sc), state.base_dir(sc)
    if not state.is_solved(sc):  # name, description and notes are not inputs: renaming keeps the solve
        if st.session_state.get(state.SOLVED):
            st.info("Inputs changed since the last solve — press **Solve** to update the allocation.")
        return
    try:
        with st.spinner("Solving…"):
            res = compute.allocation(sj, bd)
    except InputError as e:
        st.error(f"Cannot build the allocation model: {esc(e)}")
        return
    show_result(res, out, sj, bd)


def _unspent_warning(res, out) -> None:
    """A feasible allocation that leaves money unspent (caps, floors as shares, equity) says why, at the top."""
    budget = res.budgets["aid"] + res.budgets["investment"]
    used = res.by_pool["aid"] + res.by_pool["investment"]
    if budget <= 0 or budget - used <= max(1e-6, 1e-3 * budget):
        return
    cons = res.constraints
    groups = cons.loc[cons["binding"], "group"].value_counts() if len(cons) else pd.Series(dtype=int)
    binding = ", ".join(
        f"{GROUP_LABELS.get(str(g), str(g).replace('_', ' '))} ({n})"
        for g, n in groups.items()
        if g not in BUDGET_GROUPS.values()
    )
    text = (
        f"Only US$ {used:,.1f}M of the US$ {budget:,.1f}M is allocated"
        + (" — **nothing at all**" if used <= 1e-6 else "")
        + ". The model spends money only where the constraints allow it; "
        + (f"binding here: {esc(binding, inline=True)}." if binding else "absorptive capacity is reached.")
    )
    spec = out.scenario.allocation
    share, k = uniform_share_cap(spec), len(out.shortlist)
    if spec.equity_floor and share is not None and k and spec.equity_floor / k > share + 1e-12:
        text += (
            f"\n\nThe equity floor ({spec.equity_floor:.0%} of an equal split = {spec.equity_floor / k:.1%} "
            f"of the total for each of {k} countries) is above the per-country cap ({share:.0%}): "
            "only a zero allocation meets both. "
            f"Smallest relaxation: lower the equity floor to {share * k:.0%} or less, "
            f"or raise the cap to {spec.equity_floor / k:.1%} or more."
        )
    elif share is not None and share * k < 1 - 1e-12:
        text += f"\n\nThe caps allow at most {k} × {share:.0%} = {share * k:.0%} of the total to be placed."
    st.warning(text)


def show_result(res, out, sj: str, bd: str) -> None:
    names = common.names(out)
    label = (lambda c: names.get(c, c)) if names is not None else str
    if not res.ok:
        if res.solver_failed:  # the solver failed or was stopped: says nothing about feasibility
            st.error(f"No allocation: {esc(res.message)}")
            return
        st.error(f"No allocation possible ({esc(res.status, inline=True)}).")
        if res.diagnosis is not None:
            st.markdown(f"**Why:** {esc(res.diagnosis.message)}")
            conf = pd.DataFrame(res.conflicts)
            if len(conf):
                conf["relax_alone_musd"] = conf["relax_alone_musd"].map(
                    lambda v: "not enough alone" if v is None or pd.isna(v) else f"US$ {v:,.1f}M"
                )
                conf["constraints"] = conf["constraints"].map("; ".join)
                st.markdown("**Constraints that conflict**")
                st.dataframe(
                    conf.rename(
                        columns={"label": "constraint group", "relax_alone_musd": "relaxing this group alone needs"}
                    ).drop(columns=["group"]),
                    hide_index=True,
                )
            if res.diagnosis.relaxations:
                st.markdown("**Smallest relaxation that makes it feasible**")
                st.dataframe(pd.DataFrame(res.diagnosis.relaxations), hide_index=True)
        return
    (st.success if res.status == "optimal" else st.warning)(esc(res.message()))
    _unspent_warning(res, out)
    m1, m2, m3, m4 = st.columns(4)
    m1.metric("Benefit (units)", f"{F.tidy(res.objective):,.2f}", help=esc(F.UNITS_OF_BENEFIT))
    m2.metric("Aid used", F.money_musd(res.by_pool["aid"]), help=f"of {F.money_musd(res.budgets['aid'])}")
    m3.metric(
        "Investment used",
        F.money_musd(res.by_pool["investment"]),
        help=f"of {F.money_musd(res.budgets['investment'])}",
    )
    m4.metric("Total allocated", F.money_musd(res.by_pool["aid"] + res.by_pool["investment"]))

    alloc = res.allocation.copy()
    alloc["country_name"] = alloc["country"].map(label)
    tl = compute.project_types()["label"]
    alloc["type"] = alloc["project_type"].map(lambda p: tl.get(p, p))
    st.container(key="alloc_heatmap").altair_chart(
        charts.heatmap(
            alloc,
            "type",
            "country_name",
            "total_musd",
            "Allocation, US$ millions (country × project type)",
            tooltip_extra=["project_type"],
        ),
        width="content",
    )
    st.caption(
        "Project types: "
        + "; ".join(
            f"**{esc(p, inline=True)}** = {esc(tl.get(p, p), inline=True)}" for p in alloc["project_type"].unique()
        )
    )
    if getattr(res, "programme", None):  # a multi-year programme: year x country chart (ui/programme.py)
        from ui import programme

        programme.show(res, label)
    # one above the other, full width: side by side, each had to scroll sideways to show its last columns
    by_c = res.by_country.copy()
    by_c.insert(0, "country", by_c.index.map(label))
    st.markdown("**Totals by country**")
    display.dataframe(by_c, hide_index=True)
    by_t = res.by_type.copy()
    by_t.insert(0, "type", by_t.index.map(lambda p: tl.get(p, p)))
    st.markdown("**Totals by project type**")
    display.dataframe(by_t, hide_index=True)

    st.markdown("**What binds, and what another US$1M is worth**")
    for line in res.binding:
        st.markdown(f"- {esc(line, inline=True)}")
    st.caption(esc(res.duals_note))
    # the two tables below are drawn only while their expander is open (ui/lazy.py; issue 12 target 6)
    box, is_open = lazy.expander("Allocation table", key="alloc_table_open", note=False)
    with box:
        if is_open:
            display.dataframe(
                alloc[
                    ["country", "country_name", "project_type", "aid_musd", "investment_musd", "total_musd", "benefit"]
                ].assign(project_type=alloc["type"]),  # the type's name, not its id
                hide_index=True,
                key="alloc_table",
                labels={"country": "ID"},
            )
            st.caption(esc(F.UNITS_OF_BENEFIT))
    box, is_open = lazy.expander("Every constraint, in words", key="alloc_constraints_open", note=False)
    with box:
        if is_open:
            from optimisation.tables import shadow_price_table

            display.dataframe(shadow_price_table(res), hide_index=True)
    rules_panel.show(res)  # issue 11 items 3-6: rules in words, debt reasons, matched money, outcomes
    for n in res.notes:
        st.caption(esc(n))
    # 20 more solves: made when the planner opens it, and kept up to date while it stays open (ui/lazy.py)
    box, is_open = lazy.expander("Efficient frontier: benefit against total budget", key="frontier_open")
    if is_open:
        with box:
            _frontier(res, sj, bd)


def _frontier(res, sj: str, bd: str) -> None:
    """The efficient frontier chart (compute.frontier), with the budget in use marked."""
    from ui import executor_setting  # issue 12 item 4: the points in chunks where long studies run

    ex = executor_setting.current()[1]
    used: list = []  # the executor each attempt ran on

    def on(kw: dict):
        used.append(kw.get("executor"))
        return compute.frontier(sj, bd, used[-1])

    try:
        fr = executor_setting.guarded(ex, on)
    except InputError as e:
        st.warning(f"Efficient frontier not available: {esc(e)}")
        return
    if ex and used[-1] is ex["executor"]:  # not when it had to run here instead (guarded says why)
        st.caption(f"Budget points solved in chunks on: {used[-1].name} ({executor_setting.WHERE}).")
    fr = fr[fr["status"].isin(["optimal", "feasible"])]
    st.container(key="frontier_chart").altair_chart(
        charts.line(
            fr,
            "budget_total_musd",
            "objective",
            "Efficient frontier: benefit against total budget",
            "total budget (aid + investment, same proportions), US$M",
            "benefit (units)",
            mark_x=res.budgets["aid"] + res.budgets["investment"],
            mark_label=f"budget in use: {F.money_musd(res.budgets['aid'] + res.budgets['investment'])}",
        ),
        width="stretch",
    )


_BODY = _make_body()
