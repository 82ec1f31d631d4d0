"""Fixtures shared by the ranking library's tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def five_files(tmp_path):
    """(folder, matrix.csv, criteria.csv): five alternatives on price (cost), quality and speed."""
    m = tmp_path / "m.csv"
    m.write_text("id,price,quality,speed\nA,10,5,3\nB,20,9,4\nC,15,7,9\nD,12,4,2\nE,11,6,6\n")
    c = tmp_path / "c.csv"
    c.write_text("criterion,direction,weight\nprice,cost,1\nquality,benefit,2\nspeed,benefit,1\n")
    return tmp_path, m, c
