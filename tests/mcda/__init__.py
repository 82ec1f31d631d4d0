"""Tests of the ranking library (mcda/) and its commands (rank, ahp, weights, smaa)."""
