"""Streamlit helpers for app.py: state, cached calls into mcda/ and optimisation/, charts, pages.

Nothing here computes results: every number shown comes from the two library packages.
"""
