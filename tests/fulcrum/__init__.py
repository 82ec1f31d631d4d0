"""Tests of the product layer (fulcrum/): scenario, pipeline, run, reports, exports, atomic outputs."""
