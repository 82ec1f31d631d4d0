"""Robustness page (filled in when mcda.robustness lands)."""
from __future__ import annotations

import streamlit as st


def render() -> None:
    st.header("Robustness")
    st.info("How stable is the ranking when the weights move? This page appears when the robustness library is available.")
