"""The app map's lighter shapes (ui/map_shapes.py, issue 12 target 6): the shipped copy is the simplification of the
shipped shapes, every kept point is an original point, and no dropped point is farther than the tolerance (a
seventh of a pixel on the 520 px map) from the kept outline; countries, polygons and rings are all kept."""

from __future__ import annotations

import itertools
import json

import numpy as np

from ui import map_shapes as ms


def rings(geo: dict) -> list[tuple[str, list[list[float]]]]:
    out = []
    for f in geo["features"]:
        g = f["geometry"]
        polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        out += [(f["id"], r) for poly in polys for r in poly]
    return out


def test_keep_mask_on_a_hand_example():
    pts = np.array([[0, 0], [1, 0.01], [2, 0], [3, 1], [4, 0]], dtype=float)
    # (3, 1) is 1 from the chord; then (2, 0) is 0.63 from (0,0)-(3,1); (1, 0.01) is 0.01 from (0,0)-(2,0)
    assert list(np.flatnonzero(ms.keep_mask(pts, 0.1))) == [0, 2, 3, 4]
    assert list(np.flatnonzero(ms.keep_mask(pts, 0.005))) == [0, 1, 2, 3, 4]


def test_the_shipped_display_copy_is_the_simplified_shipped_shapes():
    assert ms.DISPLAY.read_text(encoding="utf-8") == ms.display_text(ms.SOURCE.read_text(encoding="utf-8"))


def test_same_countries_rings_and_every_dropped_point_within_the_tolerance():
    src = json.loads(ms.SOURCE.read_text(encoding="utf-8"))
    dsp = json.loads(ms.DISPLAY.read_text(encoding="utf-8"))
    assert [(f["id"], f["properties"]) for f in dsp["features"]] == [
        (f["id"], f["properties"]) for f in src["features"]
    ]
    a, b = rings(src), rings(dsp)
    assert [i for i, _ in a] == [i for i, _ in b]  # every polygon and hole kept, in order
    n_src = n_dsp = 0
    for (cid, orig), (_, kept) in zip(a, b, strict=True):
        n_src, n_dsp = n_src + len(orig), n_dsp + len(kept)
        assert kept[0] == kept[-1] and len(kept) >= 4, cid
        # kept points: an ordered subsequence of the original ring
        idx, j = [], 0
        for p in kept:
            while orig[j] != p:
                j += 1
            idx.append(j)
            j += 1
        assert idx[0] == 0 and idx[-1] == len(orig) - 1, cid
        pts = np.asarray(orig, dtype=float)
        for s, e in itertools.pairwise(idx):
            seg = pts[s + 1 : e]
            if not len(seg):
                continue
            p, q = pts[s], pts[e]
            d = q - p
            t = np.clip(((seg - p) @ d) / max(float(d @ d), 1e-300), 0, 1)
            dist = np.hypot(*(seg - (p + t[:, None] * d)).T)
            assert dist.max() <= ms.TOLERANCE + 1e-12, (cid, float(dist.max()))
    assert n_dsp <= n_src / 3, (n_dsp, n_src)


def test_the_app_map_reads_the_display_copy():
    from ui import charts

    assert charts.GEOJSON == ms.DISPLAY
    assert charts.geo_ids() == {f["properties"]["iso3"] for f in json.loads(ms.SOURCE.read_text())["features"]}
