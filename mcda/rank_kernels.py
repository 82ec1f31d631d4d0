"""Compiled SMAA kernels: score, rank and count a slice of weight samples one sample at a time.

numpy's form of an SMAA slice (:func:`mcda.robustness_smaa._count_ranks`) makes ~40 passes over
``(s x n)`` arrays per slice — products, square roots, rounding, one comparison pass per
alternative, bincounts — and on a 2-core VM those passes are memory-bound. Here each sample's keys
live in registers and L1: the rank of alternative i is 1 + the number of strictly better rounded
keys (+ equal keys listed earlier, for ``ties="first"``), exactly the rule of
:func:`mcda.robustness_batch.counted_ranks_t`, so the counts, first places and their order per
alternative are the same as the numpy path's (tested against it, ties and all).

* ``count_scores`` — any method: counts from a score block the method's batched form made.
* ``count_closeness`` — TOPSIS: from the block of squared distances (``topsis_distances``, the same
  BLAS product), the square roots, closeness and rounding per sample — the same IEEE operations as
  ``topsis_batch`` in the same order, so the same bits, without three more ``(s x 2n)`` passes.
  (Summing the distances per sample in the kernel too was 6% faster on 33 x 15 but gives other
  last bits than BLAS: not worth a result that could differ from the numpy path.)
* ``add_rows`` — the central-weight sums: each first place's weight row added to its alternative's sum, in
  sample order, as the numpy path's ``bincount`` adds them (the same bits), without gathering the rows.

Compiled with numba (a runtime requirement; :mod:`mcda.rank_kernels_jit`) on first use and cached
next to that file; numba is imported only when a kernel is first asked for, so ``mcda rank`` and the
app's start do not pay for it. :func:`kernels` returns None — and SMAA keeps its numpy path — when
numba is missing, cannot compile here (:func:`status` says why), or ``FULCRUM_JIT=0`` is set (the
tests run both paths and compare them).
"""

from __future__ import annotations

import os
import threading
from typing import Any

_KERNELS: Any = None
_TRIED = False
_WHY_NOT = ""
_LOCK = threading.Lock()

#: A study smaller than this does not load the kernels (they are used if already loaded). Loading costs
#: ~0.65 s once per process (numba's start-up, then the machine code from its cache; ~2.7 s the first time
#: after an install, to compile), which a long-lived process (the app, a notebook, an executor's worker)
#: pays once; a one-shot command (``mcda smaa``, ``fulcrum ...``) sets :data:`ONE_SHOT_SAMPLES`, where the
#: kernels' saving (~40% of the numpy path on 33 x 15) covers the load. 0 = load on first use.
LOAD_AFTER_SAMPLES = 0
ONE_SHOT_SAMPLES = 1_000_000


def one_shot() -> None:
    """Called by the command lines: load the kernels only for studies of :data:`ONE_SHOT_SAMPLES` or more."""
    global LOAD_AFTER_SAMPLES
    LOAD_AFTER_SAMPLES = ONE_SHOT_SAMPLES


def enabled() -> bool:
    """False when ``FULCRUM_JIT`` is ``0`` / ``off`` / ``no`` / ``false`` (the numpy path, for comparison)."""
    return os.environ.get("FULCRUM_JIT", "").strip().lower() not in ("0", "off", "no", "false")


def kernels(samples: int | None = None) -> Any:
    """The compiled kernels (:mod:`mcda.rank_kernels_jit`: ``count_scores``, ``count_closeness``, ``add_rows``),
    loaded now if need be, or None.

    ``samples``: the size of the study asking; below :data:`LOAD_AFTER_SAMPLES` the kernels are not loaded
    for it (None unless already loaded). None when disabled (:func:`enabled`) or numba cannot be imported or
    compile on this machine; the first failure is remembered, so a missing numba costs one import attempt.
    """
    global _KERNELS, _TRIED, _WHY_NOT
    if not enabled():
        return None
    if not _TRIED:
        if samples is not None and samples < LOAD_AFTER_SAMPLES:
            return None
        with _LOCK:  # one load per process; a second caller waits for it
            if not _TRIED:
                try:
                    _KERNELS = _build()
                except Exception as e:  # noqa: BLE001 - numba missing, or any compile/cache error: numpy path stays
                    _KERNELS, _WHY_NOT = None, f"{type(e).__name__}: {e}"
                _TRIED = True
    return _KERNELS


def status() -> str:
    """One line for benchmarks and bug reports: whether SMAA counts with the compiled kernels, and why not."""
    if not enabled():
        return "numpy path (FULCRUM_JIT is off)"
    if _KERNELS is not None:
        return "compiled kernels (numba)"
    if _TRIED:
        return f"numpy path (the kernels could not be loaded: {_WHY_NOT})"
    return "not loaded yet"


def loaded() -> Any:
    """The kernels if this process has loaded them (and they are not disabled), else None; never loads."""
    return _KERNELS if enabled() else None


def _build() -> Any:
    """Import (compile, or load from numba's cache) the kernels, and run them once on tiny inputs: a
    failure here means "use numpy", never a crash in the middle of a study."""
    import importlib

    import numpy as np  # here, not at the top: the command lines import this module for one_shot() alone

    k = importlib.import_module("mcda.rank_kernels_jit")

    n = 2
    counts = np.zeros(n * n, dtype=np.int64)
    alt, rows = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
    k.count_scores(np.ones((1, n)), True, False, counts, alt, rows, 0)
    k.count_closeness(np.ones((1, 2 * n)), False, counts, alt, rows, 0)
    k.add_rows(np.zeros((n, 1)), alt[:1] * 0, rows[:1] * 0, np.ones((1, 1)))
    return k
