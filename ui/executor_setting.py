"""The Robustness page's "Run long studies on" setting (issue 12 item 4): this process (default),
local processes, or a Dask cluster by its scheduler address (mcda.executor). One self-contained
control; the page passes what it returns to SMAA and funding acceptability."""

from __future__ import annotations

from typing import Any

import streamlit as st

from mcda.errors import InputError
from ui.text import esc

KEY = "rb_scheduler"
_CONN = "_rb_executor"  # (address, executor) kept across reruns: a cluster is connected once


def options() -> tuple[tuple, dict[str, Any]]:
    """(cache-key part, keyword arguments for smaa / funding_acceptability) of the setting."""
    with st.expander("Run long studies on…", expanded=bool(st.session_state.get(KEY))):
        where = st.text_input(
            "Dask scheduler (tcp://host:port), or 'processes' for this machine's cores; empty = this app",
            key=KEY,
            help="The samples go in chunks with their own seeds: the same numbers on any of them. "
            'A Dask cluster needs the optional extra: pip install "fulcrum[dask]"; README, '
            "'Long studies on a cluster'.",
        ).strip()
        if not where:
            return (), {}
        got = st.session_state.get(_CONN)
        if got is None or got[0] != where:
            if got is not None:
                got[1].close()
                st.session_state.pop(_CONN, None)
            from mcda.executor import make_executor

            try:
                with st.spinner(f"Connecting to {where}…"):
                    got = (where, make_executor(where))
            except InputError as e:
                st.error(esc(e))
                return (), {}
            st.session_state[_CONN] = got
        st.caption(f"Studies run in chunks on: {got[1].name}.")
        return ("executor", where), {"executor": got[1]}
