"""Fulcrum allocation library: split an aid pool and an investment pool across shortlisted
countries and project types (PuLP + CBC), explain the answer (shadow prices, binding constraints),
diagnose infeasibility and trace the efficient frontier.

Pure library: no Streamlit import, no network. Money is US$ millions.

Imports are lazy (PEP 562) so that ``mcda.scenario`` can import ``optimisation.spec`` without
pulling in PuLP or pandas.
"""
from __future__ import annotations

import importlib

_EXPORTS = {
    "AllocationSpec": "optimisation.spec",
    "parse_spec": "optimisation.spec",
    "format_validation_error": "optimisation.spec",
    "AllocationModel": "optimisation.model",
    "solve": "optimisation.model",
    "efficient_frontier": "optimisation.model",
    "diagnose_infeasibility": "optimisation.model",
    "write_model": "optimisation.model",
    "AllocationResult": "optimisation.result",
    "Diagnosis": "optimisation.result",
    "GROUP_LABELS": "optimisation.result",
    "load_project_types": "optimisation.params",
    "priorities_from_shortlist": "optimisation.priorities",
    "solve_for_outcome": "optimisation.pipeline",
    "model_for_outcome": "optimisation.pipeline",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    mod = _EXPORTS.get(name)
    if mod is None:
        raise AttributeError(f"module 'optimisation' has no attribute {name!r}")
    value = getattr(importlib.import_module(mod), name)
    globals()[name] = value
    return value
