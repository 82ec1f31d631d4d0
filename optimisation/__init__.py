"""Fulcrum allocation library: split an aid pool and an investment pool across shortlisted
countries and project types (PuLP + CBC/HiGHS), explain the answer (shadow prices, binding
constraints), diagnose infeasibility and trace the efficient frontier.

Pure library: no Streamlit import, no network, and nothing of ``mcda`` but its ``InputError``.
Money is US$ millions. Priorities come in as a Series (country -> weight); turning a ranking into
priorities is the product layer's job (:mod:`fulcrum.allocate`).

Modules by job: ``spec`` (inputs), ``params`` (project types), ``prepare`` (validation),
``constraints`` (one module per constraint family, one registry), ``build`` (the PuLP problem),
``solving`` (checked solves, duals, result tables), ``diagnose`` (infeasibility), ``model``
(:class:`AllocationModel` and the public functions), ``result`` / ``tables`` (what comes out).

Names are resolved lazily (PEP 562) only so that ``import optimisation.spec`` (pydantic) does not
pay for PuLP and pandas; every name below is a plain attribute of its module.
"""

from __future__ import annotations

import importlib
from typing import Any

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
    "FAMILIES": "optimisation.constraints",
    "restrict_spec": "optimisation.constraints",
    "load_project_types": "optimisation.params",
    "priorities_from_shortlist": "optimisation.priorities",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    mod = _EXPORTS.get(name)
    if mod is None:
        raise AttributeError(f"module 'optimisation' has no attribute {name!r}")
    value = getattr(importlib.import_module(mod), name)
    globals()[name] = value
    return value
