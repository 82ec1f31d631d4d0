"""Moved: AHP as a ranking method lives in :mod:`mcda.methods.ahp` (re-exported here for old imports)."""

from __future__ import annotations

from mcda.methods.ahp import MODES, NONPOSITIVE, AHPMethod, local_priorities, prepare_weights, synthesise

__all__ = ["MODES", "NONPOSITIVE", "AHPMethod", "local_priorities", "prepare_weights", "synthesise"]
