"""The app's score map draws the countries from a lighter copy of the shipped shapes (issue 12 target 6).

``datasets/geo/lac_countries.geojson`` has ~45,000 points; the browser projected and drew each of them twice
(the grey base and the coloured layer) on every Ranking visit: about 0.3 s of Vega's time. On a 520 px map one
pixel is about 0.15 degrees, so each ring is simplified with Douglas–Peucker at 0.02 degrees (a seventh of a
pixel): every kept point is an original point, no dropped point lies farther than 0.02 degrees from the kept
outline (its segment), and a ring that would fall below four points is kept as it is. The reports and the
library keep the full shapes (mcda.data.load_geojson); only the app's map reads this copy.

Rebuild: ``python -m ui.map_shapes`` (tests/app/test_map_shapes.py checks the shipped copy is this function's
output for the shipped shapes).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "datasets" / "geo" / "lac_countries.geojson"
DISPLAY = ROOT / "datasets" / "geo" / "lac_countries_display.geojson"
TOLERANCE = 0.02  # degrees


def keep_mask(pts: np.ndarray, tol: float) -> np.ndarray:
    """Douglas–Peucker: which points of the open or closed line ``pts`` (n x 2) to keep (first and last kept)."""
    n = len(pts)
    keep = np.zeros(n, dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    while stack:
        i, j = stack.pop()
        if j <= i + 1:
            continue
        a, seg = pts[i], pts[i + 1 : j]
        d = pts[j] - a
        dd = float(d @ d)
        # distance to the segment from a to pts[j] (to a itself when they coincide, as a closed ring's ends do)
        t = np.clip(((seg - a) @ d) / dd, 0.0, 1.0) if dd > 0 else np.zeros(len(seg))
        near = a + t[:, None] * d
        dist = np.hypot(seg[:, 0] - near[:, 0], seg[:, 1] - near[:, 1])
        k = int(np.argmax(dist))
        if dist[k] > tol:
            m = i + 1 + k
            keep[m] = True
            stack += [(i, m), (m, j)]
    return keep


def simplify_ring(ring: list[list[float]], tol: float) -> list[list[float]]:
    """The ring's kept points (still closed); the ring unchanged when fewer than four would remain."""
    pts = np.asarray(ring, dtype=float)
    kept = [ring[i] for i in np.flatnonzero(keep_mask(pts, tol))]
    return kept if len(kept) >= 4 else ring


def simplify(geo: dict[str, Any], tol: float = TOLERANCE) -> dict[str, Any]:
    """A copy of a GeoJSON FeatureCollection of (Multi)Polygons with every ring simplified; properties unchanged."""
    out = json.loads(json.dumps(geo))
    for feat in out["features"]:
        geom = feat["geometry"]
        if geom["type"] == "Polygon":
            geom["coordinates"] = [simplify_ring(r, tol) for r in geom["coordinates"]]
        else:
            geom["coordinates"] = [[simplify_ring(r, tol) for r in poly] for poly in geom["coordinates"]]
    return out


def display_text(source_text: str, tol: float = TOLERANCE) -> str:
    """The display copy's file text for the shipped file's text (compact JSON, one trailing newline)."""
    return json.dumps(simplify(json.loads(source_text), tol), separators=(",", ":"), ensure_ascii=False) + "\n"


def main() -> None:
    DISPLAY.write_text(display_text(SOURCE.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote {DISPLAY.relative_to(ROOT)} ({DISPLAY.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
