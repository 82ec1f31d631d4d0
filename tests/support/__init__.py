"""Helpers shared by tests in several packages (not tests themselves): where the checkout is,
the command-line runner (:mod:`tests.support.cli`) and the browser harness (:mod:`tests.support.browser`)."""

from __future__ import annotations

from pathlib import Path

#: the repository checkout the tests run in
ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
APP = ROOT / "app.py"
