"""Tests of the Streamlit app: AppTest (logic), Playwright + Chromium (browser) and the served app."""
