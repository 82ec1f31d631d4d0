"""``--scheduler WHERE`` and ``--chunk-size N`` for the commands that run long studies in chunks (mcda.executor).

The options are those of ``smaa`` (mcda/cli_smaa.py) and are read by its one parser,
:func:`mcda.cli_smaa._executor_options`: a bad value exits 2 with one line naming the option.
"""

from __future__ import annotations

import argparse
from typing import Any

SCHEDULER_HELP = (
    "run the {unit} in chunks on: inprocess, processes[:N] (local processes) or tcp://host:port (a Dask "
    "scheduler; pip install 'fulcrum[dask]'); the same outputs on each"
)


def add_executor_arguments(
    parser: argparse.ArgumentParser, unit: str, default_chunk: int, chunk_help: str | None = None
) -> None:
    """Add ``--scheduler`` and ``--chunk-size`` (``unit``: what is chunked, e.g. 'scenarios'; ``chunk_help``:
    the chunk size's help when one sentence on ``unit`` does not say it)."""
    parser.add_argument("--scheduler", default=None, metavar="WHERE", help=SCHEDULER_HELP.format(unit=unit))
    parser.add_argument(
        "--chunk-size",
        type=_int,
        default=None,
        metavar="N",
        help=chunk_help or f"with --scheduler: {unit} per chunk (default {default_chunk})",
    )


def executor_options(args: argparse.Namespace) -> dict[str, Any]:
    """``{}`` without ``--scheduler``, else ``{"executor": ..., "chunk_size": ...}`` (smaa's rules)."""
    from mcda.cli_smaa import _executor_options

    return _executor_options(args)


def _int(text: str) -> int:
    from mcda.cli_smaa import _int as smaa_int

    return smaa_int(text)
