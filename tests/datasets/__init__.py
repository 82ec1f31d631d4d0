"""Tests of the shipped data (datasets/): the country table and the project-type parameters."""
