"""``fulcrum compare A.json B.json --out DIR`` and ``fulcrum library list|save|show|export``.

compare writes comparison.md, comparison.xlsx, comparison_shortlist.csv and comparison_by_country.csv
(fulcrum.compare's tables; DIR replaced as a whole, :mod:`fulcrum.atomic`). library works on the
scenario library (fulcrum.store) at ``--url`` (default: $FULCRUM_LIBRARY_URL, else the user's data
folder). Bad input (a scenario, a name, an unusable library) is exit 2 with one line.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from mcda.errors import InputError

if TYPE_CHECKING:
    from fulcrum.compare import Side
    from fulcrum.store import Library
    from mcda.cli import Subparsers

COMPARE_FILES = ("comparison.md", "comparison.xlsx", "comparison_shortlist.csv", "comparison_by_country.csv")


def _side(path: str, label: str | None, with_allocation: bool) -> Side:
    from fulcrum.allocate import solve_for_outcome
    from fulcrum.compare import Side
    from fulcrum.pipeline import rank_scenario
    from fulcrum.scenario import load_scenario

    sc = load_scenario(path)
    out = rank_scenario(sc)
    alloc = solve_for_outcome(out) if with_allocation and sc.allocation is not None else None
    return Side(label or sc.name, out, alloc)


def cmd_compare(args: argparse.Namespace) -> int:
    from fulcrum.atomic import atomic_output_dir, resolve_out
    from fulcrum.compare import compare
    from mcda.export import csv_text, write_atomic, xlsx_bytes

    resolve_out(args.out, COMPARE_FILES)  # refuse an unusable --out before the work
    solve = not args.no_allocation
    c = compare(_side(args.a, args.label_a, solve), _side(args.b, args.label_b, solve))
    files = {
        "comparison.md": c.markdown().encode("utf-8"),
        "comparison.xlsx": xlsx_bytes(c.sheets()),
        "comparison_shortlist.csv": csv_text(c.shortlist).encode("utf-8"),
        "comparison_by_country.csv": csv_text(c.by_country).encode("utf-8"),
    }
    with atomic_output_dir(args.out, COMPARE_FILES) as tmp:
        for name, data in files.items():
            write_atomic(tmp / name, data)
    for name in files:
        print(Path(args.out) / name)
    print(f"entered: {', '.join(c.entered) or 'none'}; left: {', '.join(c.left) or 'none'}")
    return 0


def add_compare(sub: Subparsers) -> argparse.ArgumentParser:
    p = sub.add_parser("compare", help="compare two scenario files: weights, shortlist, allocation, benefit")
    p.add_argument("a", help="scenario A (before), a JSON file")
    p.add_argument("b", help="scenario B (after), a JSON file")
    p.add_argument("--out", required=True, help="output folder (" + ", ".join(COMPARE_FILES) + ")")
    p.add_argument("--no-allocation", action="store_true", help="compare rankings and shortlists only")
    p.add_argument("--label-a", default=None, help="name shown for A (default: its scenario name)")
    p.add_argument("--label-b", default=None, help="name shown for B (default: its scenario name)")
    p.set_defaults(func=cmd_compare)
    return p


def _lib(args: argparse.Namespace) -> Library:
    from fulcrum.store import Library

    return Library(args.url)


def cmd_library(args: argparse.Namespace) -> int:
    from fulcrum.scenario import load_scenario, scenario_to_json

    lib = _lib(args)
    try:
        if args.action == "list":
            for s in lib.list_scenarios():
                print(f"{s.name}\t{s.versions} version(s)\tlast saved {s.updated_at}")
        elif args.action == "save":
            if not args.scenario:
                raise InputError("give the scenario file to save", where="fulcrum library save")
            sc = load_scenario(args.scenario)
            v = lib.save_version(args.name or sc.name, sc, note=args.note or "")
            print(f"saved {v.name!r} version {v.number} ({v.saved_at})")
        elif args.action == "show":
            if not args.name:
                raise InputError("give --name", where="fulcrum library show")
            vs = lib.versions(args.name)
            if not vs:
                raise InputError(f"there is no {args.name!r} in the library", where="fulcrum library show")
            for v in vs:
                print(f"{v.number}\t{v.saved_at}\t{' '.join(v.note.split())}")
        else:  # export
            if not args.name or not args.out:
                raise InputError("give --name and --out FILE.json", where="fulcrum library export")
            from mcda.export import write_atomic

            sc = lib.load_version(args.name, args.version)
            print(write_atomic(args.out, scenario_to_json(sc).encode("utf-8")))
    finally:
        lib.close()
    return 0


def add_library(sub: Subparsers) -> argparse.ArgumentParser:
    p = sub.add_parser("library", help="the scenario library: list, save a version, show versions, export one")
    p.add_argument("action", choices=["list", "save", "show", "export"])
    p.add_argument("scenario", nargs="?", default=None, help="save: the scenario JSON file to save")
    p.add_argument("--name", default=None, help="the scenario's name in the library (save: default its own name)")
    p.add_argument("--note", default=None, help="save: what changed and why")
    p.add_argument("--version", type=int, default=None, help="export: the version number (default the newest)")
    p.add_argument("--out", default=None, help="export: the JSON file to write")
    p.add_argument(
        "--url",
        default=None,
        help="library file or SQLAlchemy URL (default: $FULCRUM_LIBRARY_URL, else the data folder)",
    )
    p.set_defaults(func=cmd_library)
    return p
