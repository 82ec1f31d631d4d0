"""The variants of scenarios/paper_2022.json that scenarios/paper_2022.md reports (its variants table): each is a
change to the scenario document, named by the id the note's table uses. tests/fulcrum/test_paper_note.py runs each
and checks the shortlist the note quotes."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable

from tests.support import SCENARIOS

Doc = dict


def paper_doc() -> Doc:
    """scenarios/paper_2022.json as a dict (a fresh copy)."""
    return json.loads((SCENARIOS / "paper_2022.json").read_text(encoding="utf-8"))


def _filters(doc: Doc, column: str, **change: object) -> Doc:
    for t in doc["tracks"]:
        for f in t["shortlist"]["filters"]:
            if f["column"] == column:
                f.update(change)
    return doc


def _criterion(doc: Doc, track: int, old: str, new: dict | None) -> Doc:
    crit = doc["tracks"][track]["criteria"]
    i = next(i for i, c in enumerate(crit) if c["id"] == old)
    if new is None:
        crit.pop(i)
    else:
        crit[i] = new
    return doc


def _today(doc: Doc) -> Doc:
    doc["data"].pop("as_of", None)
    return doc


def _partnership_as_criterion(doc: Doc) -> Doc:
    t = doc["tracks"][0]
    t["shortlist"]["filters"] = [f for f in t["shortlist"]["filters"] if f["column"] != "partnership_level"]
    t["criteria"].append({"id": "partnership_level", "direction": "benefit", "weight": 2})
    return doc


def _add(doc: Doc, track: int, crit: dict) -> Doc:
    doc["tracks"][track]["criteria"].append(crit)
    return doc


def _blank_need_dropped(doc: Doc) -> Doc:
    doc["data"]["missing"] = {"default": "drop_alternative"}
    return doc


def _swap(doc: Doc) -> Doc:
    doc["tracks"].reverse()
    return doc


def _single_track(doc: Doc) -> Doc:
    return json.loads((SCENARIOS / "paper_2022_single_track.json").read_text(encoding="utf-8"))


VARIANTS: dict[str, Callable[[Doc], Doc]] = {
    "as-encoded": lambda d: d,
    "today": _today,
    "us-75": lambda d: _filters(d, "us_export_share", value=75),
    "us-75-today": lambda d: _today(_filters(d, "us_export_share", value=75)),
    "pv-0.5": lambda d: _filters(d, "wgi_pv", value=-0.5),
    "pv-1.5": lambda d: _filters(d, "wgi_pv", value=-1.5),
    "partnership-criterion": _partnership_as_criterion,
    "align-usa": lambda d: _add(d, 1, {"id": "unga_agree_usa", "direction": "cost", "weight": 1}),
    "align-bri": lambda d: _criterion(d, 1, "unga_agree_chn", {"id": "bri_mou", "direction": "benefit", "weight": 2}),
    "need-3usd": lambda d: _criterion(
        d, 1, "poverty_national", {"id": "poverty_rate", "direction": "benefit", "weight": 1}
    ),
    "need-blank-dropped": _blank_need_dropped,
    "tracks-swapped": _swap,
    "single-track": _single_track,
}


def variant(name: str) -> Doc:
    """The scenario document of one variant."""
    return VARIANTS[name](copy.deepcopy(paper_doc()))
