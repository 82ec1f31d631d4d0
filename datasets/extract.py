"""ONE-OFF: make the small extracts in ``datasets/raw/`` from the full files in the shared folder.

This script is kept to show exactly how each extract was made. It needs the shared data folder
(``/work/shared/data`` by default, or ``--shared PATH``), which is not part of the repository.
The build step (``python -m datasets.build``) never calls it and needs only ``datasets/raw/``
and ``datasets/curated/``.

Rules (see datasets/SOURCES.md):

* CSV files: the header line plus the lines whose country code is one of the 33 states, copied
  byte for byte (original columns, original line endings, original BOM if any). Nothing else.
* JSON files (CIA Factbook profiles, mledoze countries.json): only the 33 states (+ China, whose
  capital coordinates give Beijing for ``dist_beijing`` and whose internet code maps its file) and
  only the fields the build reads; field values are copied unchanged.
* Curated tables (china_relations.csv, blocs.csv and the README) are copied unchanged.
* Country shapes: coordinates rounded to 3 decimals (about 100 m), repeated points dropped, rings
  that collapse below 4 points dropped; the ``name`` property is set to mledoze's common name.

Usage:  .venv/bin/python -m datasets.extract [--shared /work/shared/data] [--out datasets]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent

# WDI indicator files (shared raw/wdi/<code>.csv) that the table uses.
WDI_FILES = [
    "sp.pop.totl",  # population
    "ny.gdp.mktp.cd",  # gdp
    "ny.gdp.pcap.cd",  # gdp_per_capita
    "ny.gdp.mktp.kd.zg",  # gdp_growth
    "si.pov.dday",  # poverty_rate ($3.00/day, 2021 PPP)
    "si.pov.nahc",  # poverty_national
    "si.pov.gini",  # gini
    "dt.dod.dect.gn.zs",  # external_debt
    "gb.xpd.rsdv.gd.zs",  # rd_expenditure
]

# Factbook fields read by the build, as (section, field) paths.
FACTBOOK_FIELDS = [
    ("Government", "Country name"),
    ("Government", "Capital"),
    ("Geography", "Coastline"),
    ("Economy", "Exports - partners"),
    ("Economy", "Imports - partners"),
    ("Communications", "Internet country code"),
]
MLEDOZE_FIELDS = ["name", "tld", "cca2", "cca3", "landlocked"]

#: first UN General Assembly session kept in the roll-call extract (session 62 opened in 2007; the
#: agreement columns use 3-session windows, so values start with session 64, 2009)
UNGA_FIRST_SESSION = 62


def lac_iso3(shared: Path) -> list[str]:
    with open(shared / "curated" / "blocs.csv", newline="", encoding="utf-8") as fh:
        return [r["iso3"] for r in csv.DictReader(fh) if r["celac_member"] == "true"]


def _split_lines(data: bytes) -> list[bytes]:
    """Split into lines keeping each line's own terminator (so bytes are preserved)."""
    return data.splitlines(keepends=True)


def extract_csv_lines(src: Path, dst: Path, code_column: str, codes: set[str], encoding: str) -> int:
    """Copy the header line and every line whose ``code_column`` is in ``codes``, byte for byte."""
    data = src.read_bytes()
    lines = _split_lines(data)
    header_text = lines[0].decode(encoding).lstrip("\ufeff")
    header = next(csv.reader(io.StringIO(header_text)))
    idx = header.index(code_column)
    kept = [lines[0]]
    for line in lines[1:]:
        row = next(csv.reader(io.StringIO(line.decode(encoding))))
        if row and row[idx] in codes:
            kept.append(line)
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.write_bytes(b"".join(kept))
    return len(kept) - 1


def extract_factbook(shared: Path, tlds: dict[str, str], dst: Path) -> None:
    """One JSON object keyed by the Factbook file code (GEC), holding only the fields used."""
    out: dict[str, dict] = {}
    for f in sorted((shared / "raw" / "factbook").glob("*.json")):
        profile = json.loads(f.read_text(encoding="utf-8"))
        tld = profile["Communications"]["Internet country code"]["text"]
        if tld not in tlds:
            continue
        entry: dict[str, dict] = {}
        for section, field in FACTBOOK_FIELDS:
            entry.setdefault(section, {})[field] = profile[section][field]
        out[f.stem] = entry
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.write_text(json.dumps(out, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")


def extract_mledoze(shared: Path, codes: set[str], dst: Path) -> list[dict]:
    countries = json.loads((shared / "raw" / "mledoze_countries.json").read_text(encoding="utf-8"))
    kept = []
    for c in countries:
        if c["cca3"] in codes:
            entry = {k: c[k] for k in MLEDOZE_FIELDS}
            entry["name"] = {k: c["name"][k] for k in ("common", "official")}
            kept.append(entry)
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.write_text(json.dumps(kept, indent=4, ensure_ascii=False) + "\n", encoding="utf-8")
    return kept


def _round_ring(ring: list, ndigits: int) -> list:
    out: list = []
    for x, y in ring:
        p = [round(x, ndigits), round(y, ndigits)]
        if not out or p != out[-1]:
            out.append(p)
    if out and out[0] != out[-1]:
        out.append(out[0])
    return out


def simplify_geojson(src: Path, dst: Path, names: dict[str, str], ndigits: int = 3) -> dict:
    geo = json.loads(src.read_text(encoding="utf-8"))
    dropped = 0
    for feat in geo["features"]:
        geom = feat["geometry"]
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        new_polys = []
        for poly in polys:
            rings = [_round_ring(r, ndigits) for r in poly]
            if len(rings[0]) < 4:  # the outer ring collapsed: an islet smaller than the grid
                dropped += 1
                continue
            new_polys.append([rings[0]] + [r for r in rings[1:] if len(r) >= 4])
        if not new_polys:
            raise SystemExit(f"{feat['id']}: every polygon collapsed at {ndigits} decimals")
        if geom["type"] == "MultiPolygon":
            geom["coordinates"] = new_polys
        else:
            geom["coordinates"] = new_polys[0]
        feat["properties"]["name"] = names[feat["properties"]["iso3"]]
    geo["features"].sort(key=lambda f: f["properties"]["iso3"])
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.write_text(json.dumps(geo, separators=(",", ":"), ensure_ascii=False) + "\n", encoding="utf-8")
    return {"dropped_polygons": dropped}


def extract_unga(shared: Path, dst_dir: Path, first_session: int = UNGA_FIRST_SESSION) -> tuple[int, int]:
    """UN GA roll calls of sessions >= first_session and the 35 states' votes on them, lines copied unchanged."""
    src = shared / "raw" / "unga"
    dst_dir.mkdir(parents=True, exist_ok=True)
    calls = _split_lines((src / "un_roll_calls.csv").read_bytes())
    keep_calls = [calls[0]]
    rcids: set[str] = set()
    for line in calls[1:]:
        row = next(csv.reader(io.StringIO(line.decode("utf-8"))))
        if int(row[1]) >= first_session:
            keep_calls.append(line)
            rcids.add(row[0])
    (dst_dir / "un_roll_calls.csv").write_bytes(b"".join(keep_calls))
    votes = _split_lines((src / "un_votes_LAC33_CHN_USA.csv").read_bytes())
    keep_votes = [votes[0]] + [v for v in votes[1:] if v.split(b",", 1)[0].decode() in rcids]
    (dst_dir / "un_votes_LAC33_CHN_USA.csv").write_bytes(b"".join(keep_votes))
    return len(keep_calls) - 1, len(keep_votes) - 1


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=Path("/work/shared/data"))
    ap.add_argument("--out", type=Path, default=HERE, help="folder receiving raw/, curated/, geo/ (default: datasets/)")
    args = ap.parse_args(argv)
    shared: Path = args.shared
    out: Path = args.out
    raw_out = out / "raw"
    codes = set(lac_iso3(shared))
    assert len(codes) == 33, len(codes)

    for code in WDI_FILES:
        n = extract_csv_lines(
            shared / "raw" / "wdi" / f"{code}.csv", raw_out / "wdi" / f"{code}.csv", "Country Code", codes, "utf-8"
        )
        print(f"wdi/{code}.csv: {n} lines")
    n = extract_csv_lines(
        shared / "raw" / "wgidataset_2024release.csv", raw_out / "wgidataset_2024release.csv", "code", codes, "utf-8"
    )
    print(f"wgidataset_2024release.csv: {n} lines")
    hdr = "HDR23-24_Composite_indices_complete_time_series.csv"
    n = extract_csv_lines(shared / "raw" / hdr, raw_out / hdr, "iso3", codes, "utf-8")
    print(f"{hdr}: {n} lines")
    gcdf = Path("aiddata_gcdf3") / "gcdf_country_commitments.csv"
    n = extract_csv_lines(shared / "raw" / gcdf, raw_out / gcdf, "iso3c", codes, "utf-8")
    print(f"{gcdf}: {n} lines")

    hdr25 = "HDR25_Composite_indices_complete_time_series_LAC33.csv"
    n = extract_csv_lines(shared / "raw" / "hdr25" / hdr25, raw_out / hdr25, "iso3", codes, "ascii")
    print(f"{hdr25}: {n} lines")
    print("unga (roll calls, votes):", extract_unga(shared, raw_out / "unga"))

    mled = extract_mledoze(shared, codes | {"CHN"}, raw_out / "mledoze_countries_extract.json")
    tlds = {t: c["cca3"] for c in mled for t in c["tld"]}
    extract_factbook(shared, tlds, raw_out / "factbook_extract.json")

    cur = out / "curated"
    cur.mkdir(parents=True, exist_ok=True)
    for name in ("china_relations.csv", "blocs.csv", "china_relations_README.md"):
        shutil.copyfile(shared / "curated" / name, cur / name)

    names = {c["cca3"]: c["name"]["common"] for c in mled}
    info = simplify_geojson(shared / "geo" / "lac_countries.geojson", out / "geo" / "lac_countries.geojson", names)
    print("geo:", info)


if __name__ == "__main__":
    main()
