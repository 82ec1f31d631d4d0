"""Fixtures of the allocation tests: the hand-solvable two-country, two-type instance of
tests/optimisation/instances.py. ``types`` has no minimum project sizes unless the test module sets
``MIN_SIZES`` (e.g. ``(4.0, 8.0)`` for the MILP cases); both are fresh frames for every test."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.optimisation.instances import two_countries, two_types


@pytest.fixture
def types(request) -> pd.DataFrame:
    """Project types g (all aid, bands 10 @ 1 then 10 @ 0.5) and i (all investment, 30 @ 1)."""
    return two_types(min_sizes=getattr(request.module, "MIN_SIZES", (0.0, 0.0)))


@pytest.fixture
def countries() -> pd.DataFrame:
    """Countries A (Aland) and B (Bland), GDP US$1e12 each."""
    return two_countries()
