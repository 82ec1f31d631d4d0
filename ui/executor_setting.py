"""The "Run long studies on…" setting (issue 12 item 4): this process (default), local processes, or a Dask
cluster by its scheduler address (mcda.executor). One self-contained control on the Robustness page; every
long study the app runs takes what it gives: SMAA, weight sweeps and funding acceptability there
(:func:`options`), the Allocation page's budget frontier and the Ranking page's acceptability (:func:`current`).

The address is kept when the planner leaves the page (Streamlit forgets a widget's value then), a cluster is
connected once, an address that cannot be used is a notice (tried again when it is entered again, not on every
rerun), and a study whose executor fails half-way is run again here by :func:`guarded`: the same numbers."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st

from mcda.errors import InputError
from ui.text import esc

KEY = "rb_scheduler"
_CONN = "_rb_executor"  # (address, executor) kept across reruns: a cluster is connected once
_SAVED = "_rb_scheduler_saved"  # the address as last entered, kept across pages
_FAILED = "_rb_scheduler_failed"  # (address, message): not tried again until the address is entered again
WHERE = "the 'Run long studies on…' setting on the Robustness page"

T = TypeVar("T")


def options() -> tuple[tuple, dict[str, Any]]:
    """(cache-key part, keyword arguments for smaa / weight_sweep / funding_acceptability) of the setting,
    drawn as its control."""
    ss = st.session_state
    if KEY not in ss and ss.get(_SAVED):  # back on the page: the address entered before
        ss[KEY] = ss[_SAVED]
    with st.expander("Run long studies on…", expanded=bool(ss.get(KEY))):
        where = st.text_input(
            "Dask scheduler (tcp://host:port), or 'processes' for this machine's cores; empty = this app",
            key=KEY,
            on_change=lambda: ss.pop(_FAILED, None),  # entered again: try it again
            help="The samples go in chunks with their own seeds: the same numbers on any of them. "
            'A Dask cluster needs the optional extra: pip install "fulcrum[dask]"; README, '
            "'Long studies on a cluster'.",
        ).strip()
        ss[_SAVED] = where
        got = _connect(where, "")
        if got[1]:
            st.caption(f"Studies run in chunks on: {got[1]['executor'].name}.")
        return got


def current() -> tuple[tuple, dict[str, Any]]:
    """The setting as last entered on the Robustness page, for a long study on another page (draws nothing
    but a notice when the address cannot be used; the study then runs here)."""
    return _connect(
        st.session_state.get(_SAVED, ""), f"{WHERE[0].upper()}{WHERE[1:]} cannot be used, so this runs here: "
    )


def _connect(where: str, prefix: str) -> tuple[tuple, dict[str, Any]]:
    """The executor for ``where`` (connected once and kept), or nothing with a notice when it cannot be used."""
    ss = st.session_state
    if not where:
        forget()
        return (), {}
    got = ss.get(_CONN)
    if got is None or got[0] != where:
        forget()
        failed = ss.get(_FAILED)
        if failed is not None and failed[0] == where:
            st.error(prefix + failed[1])
            return (), {}
        from mcda.executor import make_executor

        try:
            with st.spinner(f"Connecting to {where}…"):
                got = (where, make_executor(where))
        except InputError as e:
            ss[_FAILED] = (where, esc(e))
            st.error(prefix + esc(e))
            return (), {}
        ss[_CONN] = got
    return ("executor", where), {"executor": got[1]}


def forget() -> None:
    """Close and drop the kept connection (the setting was cleared or changed, or its executor failed)."""
    got = st.session_state.pop(_CONN, None)
    if got is not None:
        with contextlib.suppress(Exception):  # a connection already broken: nothing left to release
            got[1].close()


def guarded(ex: dict[str, Any], call: Callable[[dict[str, Any]], T]) -> T:
    """``call(ex)``; when the executor fails (anything but bad input, which is the inputs' fault), a notice
    naming it, the connection dropped, and ``call`` again in this app on the same chunks (the same numbers)."""
    if not ex:
        return call(ex)
    try:
        return call(ex)
    except InputError:
        raise
    except Exception as e:  # noqa: BLE001 - a lost worker or cluster must not cost the planner the study
        from mcda.executor import InProcess

        st.warning(
            f"The study could not run on {esc(ex['executor'].name, inline=True)} ({type(e).__name__}: "
            f"{esc((str(e) or 'no message')[:300], inline=True)}); it was run here instead, with the same numbers. "
            f"Check {WHERE}."
        )
        forget()  # the next study connects again (or says why it cannot)
        return call({**ex, "executor": InProcess()})
