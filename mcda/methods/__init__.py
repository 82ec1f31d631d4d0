"""MCDM ranking methods as plug-ins: one module per method, one contract, one registry.

* :mod:`mcda.methods.base` — the contract (:class:`RankingMethod`: ``scores``, ``rank``,
  ``explain``, ``verbose``, ``prepare`` / ``score_prepared`` / optional ``batch_scores``, the
  declared properties) and shared helpers (``prepare_weights``, ``rank_scores``).
* :mod:`mcda.methods.registry` — ``METHOD_MODULES`` (the one list of method modules),
  ``METHODS`` (name -> description), ``get_method(name, **options)``, ``register_method``.
* one module per method: ``topsis``, ``vikor``, ``promethee`` (II), ``wsm``, ``wpm``, ``copras``,
  ``edas``, ``mabac``, ``spotis``, ``ahp`` — each with its pure scoring function, its class and,
  where the maths allows, its batched form for many weight vectors at once.

Which maths comes from where: plain numpy throughout (each module says why); pymcdm (1.4.0) is
the independent reference the tests compare with (TOPSIS, VIKOR, PROMETHEE II, WPM, EDAS,
SPOTIS) and is never imported by this package. Importing it stays light (numpy and pandas).

Every registered class is also reachable as an attribute, e.g. ``from mcda.methods import ARAS``.
"""

from __future__ import annotations

from typing import Any

from mcda.methods.ahp import AHPMethod
from mcda.methods.base import Prepared, RankingMethod, loop_batch_scores, prepare_weights, rank_scores
from mcda.methods.copras import COPRAS
from mcda.methods.edas import EDAS
from mcda.methods.mabac import MABAC
from mcda.methods.promethee import PREFERENCE_FUNCTIONS, PROMETHEE2
from mcda.methods.registry import (
    _FACTORIES,
    ALIASES,
    METHOD_MODULES,
    METHODS,
    get_method,
    method_class,
    register_method,
)
from mcda.methods.spotis import SPOTIS
from mcda.methods.topsis import TOPSIS
from mcda.methods.vikor import VIKOR
from mcda.methods.wpm import WPM
from mcda.methods.wsm import WSM

__all__ = [
    "ALIASES",
    "COPRAS",
    "EDAS",
    "MABAC",
    "METHODS",
    "METHOD_MODULES",
    "PREFERENCE_FUNCTIONS",
    "PROMETHEE2",
    "SPOTIS",
    "TOPSIS",
    "VIKOR",
    "WPM",
    "WSM",
    "_FACTORIES",
    "AHPMethod",
    "Prepared",
    "RankingMethod",
    "get_method",
    "loop_batch_scores",
    "method_class",
    "prepare_weights",
    "rank_scores",
    "register_method",
]


def __getattr__(name: str) -> Any:
    """A registered method class by its class name (for methods added after this list was written)."""
    for factory in _FACTORIES.values():
        if getattr(factory, "__name__", None) == name:
            return factory
    raise AttributeError(f"module 'mcda.methods' has no attribute '{name}'")
