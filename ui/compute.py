"""Cached calls into the libraries, keyed by their inputs (the scenario as JSON text).

``st.cache_data`` keys on the arguments, so moving a weight slider (which changes the scenario
JSON) re-runs only the ranking; data loading and everything keyed on unchanged inputs is reused.
Nothing here computes a result itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from fulcrum.scenario import Scenario, parse_scenario, scenario_to_json
from ui.state import result_only


def _scenario(scenario_json: str, base_dir: str) -> Scenario:
    """The scenario; ``base_dir`` '' = no folder (only shipped dataset names; see fulcrum.scenario.dataset_path)."""
    return parse_scenario(scenario_json, base_dir=Path(base_dir) if base_dir else None)


@st.cache_data(show_spinner=False)
def countries() -> pd.DataFrame:
    from mcda.data import load_countries

    return load_countries()


@st.cache_data(show_spinner=False)
def criteria_meta() -> pd.DataFrame:
    from mcda.data import load_criteria

    return load_criteria()


@st.cache_data(show_spinner=False, max_entries=256)
def rank(scenario_json: str, base_dir: str):
    """fulcrum.pipeline.rank_scenario for this scenario (a RankingOutcome)."""
    from fulcrum.pipeline import rank_scenario

    return rank_scenario(_scenario(scenario_json, base_dir))


RUN_MEMO = "_rank_this_run"  # session key: (inputs, outcome) of the last rank_sc in this script run


def new_run() -> None:
    """Called as a run (full or fragment) starts: the next rank_sc asks the cache again."""
    st.session_state.pop(RUN_MEMO, None)


def rank_sc(sc: Scenario):
    """:func:`rank` for a scenario; the sidebar, the summary check and the page share one outcome per run
    (a cache hit unpickles the whole outcome each time, several times a rerun otherwise)."""
    key = (scenario_to_json(sc), str(sc.base_dir))
    memo = st.session_state.get(RUN_MEMO)
    if memo is not None and memo[0] == key:
        return memo[1]
    out = rank(*key)
    st.session_state[RUN_MEMO] = (key, out)
    return out


@st.cache_data(show_spinner=False, max_entries=32)
def dataset(scenario_json: str, base_dir: str) -> tuple[pd.DataFrame, Any]:
    """The scenario's data table and criteria metadata (fulcrum.pipeline.load_dataset)."""
    from fulcrum.pipeline import load_dataset

    return load_dataset(_scenario(scenario_json, base_dir))


@st.cache_data(show_spinner=False, max_entries=64)
def compare(scenario_json: str, base_dir: str, methods: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...]):
    """mcda.compare.compare_methods on the scenario's problem and weights.

    ``methods``: (name, ((option, value), ...)) per method, so the method in force is compared with
    the options it ranks with (e.g. TOPSIS with min-max normalisation), not with its defaults.
    """
    from mcda.compare import compare_methods

    out = rank(scenario_json, base_dir)
    return compare_methods(out.problem, out.weights, [(name, dict(opts)) for name, opts in methods])


@st.cache_data(show_spinner=False, max_entries=64)
def objective_weights(scenario_json: str, base_dir: str, method: str) -> pd.Series:
    from mcda.weights import objective

    return objective(rank(scenario_json, base_dir).problem, method)


@st.cache_data(show_spinner=False, max_entries=512)
def ahp_matrix(items: tuple[str, ...], judgements: tuple[tuple[str, str, float], ...], method: str, ri_table: str):
    """mcda.ahp.analyse of one expert's judgement matrix (None for fewer than two items)."""
    from mcda.ahp import analyse, from_judgements

    if len(items) < 2:
        return None
    m = from_judgements(list(judgements), list(items))
    return analyse(m, method, ri_table=ri_table, warn=False)


@st.cache_data(show_spinner=False)
def method_catalogue() -> dict[str, str]:
    from mcda.methods import METHODS

    return dict(METHODS)


@st.cache_data(show_spinner=False)
def method_normalisation(name: str) -> str | None:
    """The normalisation the method uses by default (None when it takes no such option)."""
    from mcda.methods import get_method

    m = get_method(name)
    return getattr(m, "normalization", None)


@st.cache_data(show_spinner=False, max_entries=32)
def xlsx(scenario_json: str, base_dir: str, with_allocation: bool) -> bytes:
    """fulcrum.report.xlsx_bytes (with the allocation sheets when solved)."""
    from fulcrum.report import xlsx_bytes

    out = rank(scenario_json, base_dir)
    return xlsx_bytes(out, allocation(scenario_json, base_dir) if with_allocation else None)


@st.cache_data(show_spinner=False, max_entries=32)
def report_md(scenario_json: str, base_dir: str, with_allocation: bool) -> str:
    from fulcrum.report import markdown_report

    out = rank(scenario_json, base_dir)
    return markdown_report(out, allocation(scenario_json, base_dir) if with_allocation else None)


@st.cache_data(show_spinner=False, max_entries=16)
def report_html(scenario_json: str, base_dir: str, with_allocation: bool) -> str:
    """fulcrum.report_html.html_report: the printable HTML report with its charts (self-contained)."""
    from fulcrum.report_html import html_report

    out = rank(scenario_json, base_dir)
    alloc = allocation(scenario_json, base_dir) if with_allocation else None
    front = frontier(scenario_json, base_dir) if alloc is not None and alloc.ok else None
    return html_report(out, alloc, front)


@st.cache_data(show_spinner=False, max_entries=8)
def report_pdf(scenario_json: str, base_dir: str, with_allocation: bool) -> bytes:
    """The printable HTML report printed to PDF by headless Chromium (fulcrum.report_pdf)."""
    from fulcrum.report_pdf import html_to_pdf

    return html_to_pdf(report_html(scenario_json, base_dir, with_allocation))


@st.cache_data(show_spinner=False)
def project_types() -> pd.DataFrame:
    from optimisation.params import load_project_types

    return load_project_types()


def _model(scenario_json: str, base_dir: str):
    """The allocation model exactly as `python -m optimisation solve` builds it for this scenario.

    ``scenario_json`` is the scenario as shown (not its result-only form): its ranking is the one the page
    already computed (a cache hit); name and description, all that differ, change no ranking nor allocation."""
    from fulcrum.allocate import model_for_outcome

    return model_for_outcome(rank(scenario_json, base_dir))


def allocation(scenario_json: str, base_dir: str):
    """The library's AllocationResult for the scenario's shortlist (None without an allocation section).

    Keyed by the inputs that determine it (ui.state.result_only): renaming the scenario or editing
    its description neither re-solves nor loses the allocation.
    """
    return _allocation(result_only(scenario_json), base_dir, scenario_json)


@st.cache_data(show_spinner=False, max_entries=32)
def _allocation(inputs_json: str, base_dir: str, _scenario_json: str):
    """Keyed by ``inputs_json`` only (a leading underscore is not hashed); built from ``_scenario_json``."""
    sc = _scenario(inputs_json, base_dir)
    if sc.allocation is None:
        return None
    return _model(_scenario_json, base_dir).solve()


def frontier(scenario_json: str, base_dir: str, executor: Any = None) -> pd.DataFrame:
    """optimisation.model.efficient_frontier for the scenario's allocation model; with an ``executor``
    (ui.executor_setting) its points in chunks there (fulcrum.frontier: the same table)."""
    where = getattr(executor, "name", "") if executor is not None else ""
    return _frontier(result_only(scenario_json), base_dir, scenario_json, where, executor)


@st.cache_data(show_spinner=False, max_entries=32)
def _frontier(
    inputs_json: str, base_dir: str, _scenario_json: str, where: str = "", _executor: Any = None
) -> pd.DataFrame:
    """Keyed by ``inputs_json`` and where it runs, built from ``_scenario_json`` (as :func:`_allocation`)."""
    if _executor is not None:
        from fulcrum.frontier import outcome_frontier

        return outcome_frontier(rank(_scenario_json, base_dir), executor=_executor)
    from optimisation.model import efficient_frontier

    return efficient_frontier(_model(_scenario_json, base_dir))
