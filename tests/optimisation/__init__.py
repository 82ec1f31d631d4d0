"""Tests of the allocation library (optimisation/) and `python -m optimisation solve`."""
