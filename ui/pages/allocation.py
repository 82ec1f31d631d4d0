"""Allocation page (wired when optimisation's scenario entry point lands)."""
from __future__ import annotations

import streamlit as st


def render() -> None:
    st.header("Allocation")
    st.info("Budget allocation appears here when the allocation library is available.")
