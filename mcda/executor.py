"""One executor interface for long robustness studies (SMAA, funding acceptability, sweeps,
batches of scenarios): in this process (default), in local processes, or on a Dask distributed
cluster. Pure: nothing here knows what a chunk computes.

A study is cut into chunks by :func:`plan` (fixed by the sample count, the chunk size and the
seed alone: the first chunk draws from ``SeedSequence(seed)`` itself — the plain run's generator,
so a study that fits one chunk gives the plain run's numbers — and each later chunk from its own
child, ``SeedSequence(seed).spawn``), every
chunk is a call ``fn(chunk, *args)`` of a module-level function, and the results come back in
chunk order whatever ran them and in whatever order they finished. So the numbers are the same
byte for byte on every executor; only the time differs. Progress is reported as chunks finish.

Choosing one (:func:`make_executor`): ``None`` or ``"inprocess"``; ``"processes"`` or
``"processes:N"`` (a local process pool); ``"tcp://host:port"`` (a Dask scheduler, e.g. started
with ``dask scheduler`` and ``dask worker tcp://host:8786`` on each machine; the workers need
this package importable). Dask is an optional extra (``pip install "fulcrum[dask]"``), imported
only when a scheduler address is given.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from mcda.errors import InputError

#: samples per chunk unless the caller says otherwise
CHUNK_SIZE = 50_000
#: seconds to wait for a Dask scheduler to answer before giving up (bad address: no hang)
CONNECT_TIMEOUT_S = 10.0

ChunkProgress = Callable[[int, int], None]  # (chunks done, chunks in all)


@dataclass(frozen=True)
class Chunk:
    """One piece of a study: its position, first sample, sample count and own seed."""

    index: int
    start: int
    size: int
    seed: np.random.SeedSequence

    def rng(self) -> np.random.Generator:
        """The chunk's generator (the same numbers on every executor)."""
        return np.random.default_rng(self.seed)


def plan(n_samples: int, seed: Any, chunk_size: int | None = None) -> list[Chunk]:
    """Cut ``n_samples`` into chunks of at most ``chunk_size`` (default :data:`CHUNK_SIZE`): the first
    seeded by ``SeedSequence(seed)``, each later one by a child of it.

    Raises
    ------
    InputError
        A chunk size below 1, or a seed numpy refuses.
    """
    size = CHUNK_SIZE if chunk_size is None else chunk_size
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 1:
        raise InputError(f"chunk size must be a whole number >= 1, got {chunk_size!r}", where="chunk_size")
    if isinstance(seed, (bool, float, str)):
        raise InputError(f"seed must be a whole number >= 0 (or none), got {seed!r}", where="seed")
    try:
        root = np.random.SeedSequence(seed)
    except (TypeError, ValueError) as e:
        raise InputError(f"seed must be a whole number >= 0 (or none), got {seed!r} ({e})", where="seed") from None
    starts = list(range(0, int(n_samples), int(size)))
    seeds = [root, *root.spawn(len(starts) - 1)] if starts else []
    return [
        Chunk(i, s, min(int(size), int(n_samples) - s), k) for i, (s, k) in enumerate(zip(starts, seeds, strict=True))
    ]


class Executor(Protocol):
    """Runs ``fn(item, *args)`` for every item; results in item order."""

    name: str

    def map(
        self, fn: Callable[..., Any], items: Sequence[Any], args: tuple = (), progress: ChunkProgress | None = None
    ) -> list[Any]:
        """Results of ``fn(item, *args)`` in the order of ``items``; ``progress(done, total)`` as each finishes."""
        ...

    def close(self) -> None:
        """Release workers or the cluster connection."""
        ...


class InProcess:
    """Chunks one after another in this process (the default)."""

    name = "in-process"

    def map(
        self, fn: Callable[..., Any], items: Sequence[Any], args: tuple = (), progress: ChunkProgress | None = None
    ) -> list[Any]:
        """See :class:`Executor`."""
        out = []
        for i, it in enumerate(items):
            out.append(fn(it, *args))
            if progress is not None:
                progress(i + 1, len(items))
        return out

    def close(self) -> None:
        """Nothing to release."""


def _one_thread_each() -> None:
    """A local worker process is one of the cores: the kernels inside it run on one thread
    (mcda.robustness_smaa.threads), so processes x threads never exceeds the machine."""
    os.environ["FULCRUM_THREADS"] = "1"


class LocalProcesses:
    """Chunks in a pool of local processes (one per core by default)."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or os.cpu_count() or 1
        self.name = f"{self.workers} local process{'' if self.workers == 1 else 'es'}"

    def map(
        self, fn: Callable[..., Any], items: Sequence[Any], args: tuple = (), progress: ChunkProgress | None = None
    ) -> list[Any]:
        """See :class:`Executor`."""
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor, as_completed

        out: list[Any] = [None] * len(items)
        # spawn: no copy of a parent's threads or open solver handles (Streamlit, HiGHS)
        with ProcessPoolExecutor(
            self.workers, mp_context=mp.get_context("spawn"), initializer=_one_thread_each
        ) as pool:
            futs = {pool.submit(fn, it, *args): i for i, it in enumerate(items)}
            for done, f in enumerate(as_completed(futs), start=1):
                out[futs[f]] = f.result()
                if progress is not None:
                    progress(done, len(items))
        return out

    def close(self) -> None:
        """The pool closes after each map."""


class DaskCluster:
    """Chunks on a Dask distributed cluster (``tcp://host:port`` of its scheduler)."""

    def __init__(self, address: str, timeout_s: float | None = None) -> None:
        timeout_s = CONNECT_TIMEOUT_S if timeout_s is None else timeout_s
        try:
            from distributed import Client
        except ImportError:
            raise InputError(
                "a Dask scheduler was given but dask is not installed",
                where="scheduler",
                hint='pip install "fulcrum[dask]" (or "dask[distributed]")',
            ) from None
        try:
            self.client = Client(address, timeout=f"{timeout_s}s")
        except (OSError, TimeoutError, ValueError) as e:
            raise InputError(
                f"cannot reach the Dask scheduler at {address} within {timeout_s:g} s ({type(e).__name__})",
                where="scheduler",
                hint="Start it with `dask scheduler` and give its tcp://host:port",
            ) from None
        self.name = f"Dask cluster at {address}"

    def map(
        self, fn: Callable[..., Any], items: Sequence[Any], args: tuple = (), progress: ChunkProgress | None = None
    ) -> list[Any]:
        """See :class:`Executor` (the shared arguments are sent to the cluster once)."""
        from distributed import as_completed

        shared = [self.client.scatter(a, broadcast=True) for a in args]
        futs = [self.client.submit(fn, it, *shared, pure=False) for it in items]
        pos = {f.key: i for i, f in enumerate(futs)}
        out: list[Any] = [None] * len(items)
        for done, f in enumerate(as_completed(futs), start=1):
            out[pos[f.key]] = f.result()
            if progress is not None:
                progress(done, len(items))
        return out

    def close(self) -> None:
        """Disconnect (the cluster keeps running)."""
        self.client.close()


def make_executor(where: str | None = None) -> Executor:
    """The executor named by ``where``: None / '' / 'inprocess', 'processes[:N]' or 'tcp://host:port'.

    Raises
    ------
    InputError
        Anything else, a bad worker count, or a scheduler that cannot be reached (within
        :data:`CONNECT_TIMEOUT_S`).
    """
    from mcda.text import check_text

    check_text(where or "", "scheduler", what="the scheduler address")
    w = (where or "").strip()
    if len(w) > 2000:
        raise InputError("the scheduler address is too long (over 2000 characters)", where="scheduler")
    if w in ("", "inprocess", "in-process"):
        return InProcess()
    if w == "processes" or w.startswith("processes:"):
        n = w.partition(":")[2]
        if n and not (n.isdigit() and int(n) >= 1):
            raise InputError(f"worker count must be a whole number >= 1, got '{n}'", where="scheduler")
        return LocalProcesses(int(n) if n else None)
    if w.startswith("inproc://"):  # a LocalCluster(processes=False) in this very process
        return DaskCluster(w)
    if w.startswith(("tcp://", "tls://")):
        host = w.split("://", 1)[1]
        if not host or ":" not in host:
            raise InputError(
                f"scheduler address '{w}' needs host:port", where="scheduler", hint="e.g. tcp://10.0.0.5:8786"
            )
        return DaskCluster(w)
    raise InputError(
        f"unknown executor '{w}'",
        where="scheduler",
        hint="Use tcp://host:port (a Dask scheduler), 'processes', 'processes:N' or 'inprocess'",
    )


__all__ = ["CHUNK_SIZE", "Chunk", "DaskCluster", "Executor", "InProcess", "LocalProcesses", "make_executor", "plan"]
