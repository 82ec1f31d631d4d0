"""Build ``datasets/countries.csv`` from the extracts in ``datasets/raw/`` and ``datasets/curated/``.

    .venv/bin/python -m datasets.build            # writes datasets/countries.csv, refreshes the
                                                  # Coverage section of datasets/SOURCES.md
    .venv/bin/python -m datasets.build --out DIR  # writes DIR/countries.csv only

Deterministic: same inputs -> same bytes (rows sorted by iso3, "\\n" line endings, UTF-8, floats
written as Python's shortest repr, derived floats rounded to a stated precision, integers without
".0"). Each rule is described per column in datasets/SOURCES.md. Blank = unknown, never zero.

The 33 countries are the CELAC members listed in ``curated/blocs.csv``.
"""

from __future__ import annotations

import argparse
import datetime
import html
import json
import math
import re
from pathlib import Path

import pandas as pd

from datasets.uncertainty import write_uncertainty
from mcda.asof import STATUS_COLUMNS, prepare_events, statuses_on

DATASETS_DIR = Path(__file__).resolve().parent
RAW = DATASETS_DIR / "raw"
CURATED = DATASETS_DIR / "curated"
COUNTRIES_CSV = "countries.csv"
SOURCES_MD = DATASETS_DIR / "SOURCES.md"

# Year stamped on values that are a status rather than an observation (see SOURCES.md):
# the curated China-relations table is "as of 2025" (china_relations_README.md, "Time basis");
# the Factbook profiles are the data commit of 2026-01-22 (final edition); mledoze countries.json
# is the commit of 2026-04-27.
CURATED_STATUS_YEAR = 2025
FACTBOOK_SNAPSHOT_YEAR = 2026
MLEDOZE_SNAPSHOT_YEAR = 2026

HDR25_FILE = "HDR25_Composite_indices_complete_time_series_LAC33.csv"
INDICATORS_CSV = "indicators_by_year.csv"
UNGA_SESSION_YEAR0 = 1945  # session s opened in September of 1945 + s
UNGA_WINDOW = 3  # sessions per agreement value

# HDI year -> launch of the first HDR edition reporting it (cited in datasets/SOURCES.md, "Dated values");
# other years count from 31 December of year + 2 (conservative)
HDI_FIRST_PUBLISHED = {2022: datetime.date(2024, 3, 13), 2023: datetime.date(2025, 5, 6)}

EARTH_RADIUS_KM = 6371.0088  # IUGG mean Earth radius, as used for candidates.csv

# criterion id -> WDI indicator file in raw/wdi/
WDI = {
    "population": "sp.pop.totl",
    "gdp": "ny.gdp.mktp.cd",
    "gdp_per_capita": "ny.gdp.pcap.cd",
    "gdp_growth": "ny.gdp.mktp.kd.zg",
    "poverty_rate": "si.pov.dday",
    "poverty_national": "si.pov.nahc",
    "gini": "si.pov.gini",
    "external_debt": "dt.dod.dect.gn.zs",
    "rd_expenditure": "gb.xpd.rsdv.gd.zs",
}
WGI = {f"wgi_{d}": d for d in ("va", "pv", "ge", "rq", "rl", "cc")}

# Output columns, in order. Every value column is followed by its "<id>_year" column.
VALUE_COLUMNS = [
    "population",
    "gdp",
    "gdp_per_capita",
    "gdp_growth",
    "hdi",
    "hdi_hdr25",
    "poverty_rate",
    "poverty_national",
    "gini",
    "external_debt",
    "rd_expenditure",
    "wgi_va",
    "wgi_pv",
    "wgi_ge",
    "wgi_rq",
    "wgi_rl",
    "wgi_cc",
    "china_import_share",
    "china_export_share",
    "us_export_share",
    "china_devfin_log",
    "china_devfin_musd",
    "prc_relations",
    "prc_relations_since",
    "bri_mou",
    "partnership_level",
    "unga_agree_chn",
    "unga_agree_usa",
    "dist_beijing",
    "coastline",
    "landlocked",
]
EXTRA_COLUMNS = [
    "capital",
    "capital_lat",
    "capital_lon",
    "partnership_tier",
    "partnership_tier_since",
    "bri_mou_signed_in",
    "bri_mou_status",
    "china_import_share_upper",
    "china_export_share_upper",
]
INTEGER_COLUMNS = {
    "population",
    "prc_relations",
    "prc_relations_since",
    "bri_mou",
    "partnership_level",
    "dist_beijing",
    "coastline",
    "landlocked",
    "partnership_tier_since",
    "bri_mou_signed_in",
}


def lac_iso3(curated: Path = CURATED) -> list[str]:
    blocs = pd.read_csv(curated / "blocs.csv", dtype=str, keep_default_na=False)
    return sorted(blocs.loc[blocs["celac_member"] == "true", "iso3"])


# --------------------------------------------------------------------------- sources


def latest(df: pd.DataFrame, code: str, year: str, value: str) -> pd.DataFrame:
    """Per country, the row of the most recent year with a non-empty value -> columns value, year."""
    df = df.dropna(subset=[value])
    df = df.sort_values([code, year]).groupby(code, sort=True).tail(1)
    return df.set_index(code)[[value, year]].rename(columns={value: "value", year: "year"})


def wdi_latest(indicator_file: str, codes: list[str], raw: Path = RAW) -> pd.DataFrame:
    df = pd.read_csv(raw / "wdi" / f"{indicator_file}.csv", dtype={"Country Code": str}, encoding="utf-8")
    df = df[df["Country Code"].isin(codes)]
    return latest(df, "Country Code", "Year", "Value")


def wgi_latest(codes: list[str], raw: Path = RAW) -> dict[str, pd.DataFrame]:
    df = pd.read_csv(raw / "wgidataset_2024release.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    df = df[df["code"].isin(codes)].copy()
    df["estimate"] = pd.to_numeric(df["estimate"].replace("..", None))
    df["year"] = df["year"].astype(int)
    return {cid: latest(df[df["indicator"] == ind], "code", "year", "estimate") for cid, ind in WGI.items()}


def hdi_latest(codes: list[str], raw: Path = RAW) -> pd.DataFrame:
    df = pd.read_csv(raw / "HDR23-24_Composite_indices_complete_time_series.csv", encoding="utf-8-sig")
    df = df[df["iso3"].isin(codes)]
    cols = [c for c in df.columns if re.fullmatch(r"hdi_\d{4}", c)]
    long = df.melt(id_vars="iso3", value_vars=cols, var_name="col", value_name="hdi")
    long["year"] = long["col"].str[4:].astype(int)
    return latest(long, "iso3", "year", "hdi")


def gcdf(codes: list[str], raw: Path = RAW) -> pd.DataFrame:
    df = pd.read_csv(raw / "aiddata_gcdf3" / "gcdf_country_commitments.csv")
    df = df[df["iso3c"].isin(codes)].set_index("iso3c")
    musd = (df["total_commitments_bn"] * 1000.0).round(3)
    return pd.DataFrame({"musd": musd, "log": musd.map(lambda v: round(math.log1p(v), 6))})


_SHARE_RE = r"(?:^|, ){name} (\d+(?:\.\d+)?)%"
_PCT_RE = re.compile(r"(\d+(?:\.\d+)?)%")
_YEAR_RE = re.compile(r"\((\d{4})\)\s*$")
_COORD_RE = re.compile(r"^(\d+) (\d+) ([NS]), (\d+) (\d+) ([EW])$")


def partner_share(text: str, partner: str) -> tuple[float | None, int, float]:
    """(share of ``partner`` or None if not in the list, year of the list, smallest listed share)."""
    text = html.unescape(text)
    year_m = _YEAR_RE.search(text)
    if not year_m:
        raise ValueError(f"no '(YYYY)' year in partner list: {text!r}")
    m = re.search(_SHARE_RE.format(name=re.escape(partner)), text)
    smallest = min(float(p) for p in _PCT_RE.findall(text))
    return (float(m.group(1)) if m else None), int(year_m.group(1)), smallest


def parse_coord(text: str) -> tuple[float, float]:
    m = _COORD_RE.match(text.strip())
    if not m:
        raise ValueError(f"unrecognised Factbook coordinates: {text!r}")
    lat = int(m.group(1)) + int(m.group(2)) / 60.0
    lon = int(m.group(4)) + int(m.group(5)) / 60.0
    return (-lat if m.group(3) == "S" else lat), (-lon if m.group(6) == "W" else lon)


def parse_coastline(text: str) -> int:
    m = re.match(r"^([\d,]+) km", text)
    if not m:
        raise ValueError(f"unrecognised Factbook coastline: {text!r}")
    return int(m.group(1).replace(",", ""))


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def mledoze(raw: Path = RAW) -> dict[str, dict]:
    return {c["cca3"]: c for c in json.loads((raw / "mledoze_countries_extract.json").read_text(encoding="utf-8"))}


def factbook(raw: Path = RAW) -> dict[str, dict]:
    """Factbook profiles keyed by ISO3 (file code -> ISO3 via the profile's internet code and mledoze's tld)."""
    by_tld = {t: c["cca3"] for c in mledoze(raw).values() for t in c["tld"]}
    profiles = json.loads((raw / "factbook_extract.json").read_text(encoding="utf-8"))
    out = {}
    for gec, prof in profiles.items():
        iso = by_tld[prof["Communications"]["Internet country code"]["text"]]
        prof = dict(prof, _gec=gec)
        out[iso] = prof
    return out


# --------------------------------------------------------------------------- dated facts (issue 10)


def china_events(curated: Path = CURATED) -> pd.DataFrame:
    """curated/china_events.csv, validated, with the dates each event counts from (mcda.asof)."""
    ev = pd.read_csv(curated / "china_events.csv", dtype=str, keep_default_na=False)
    return prepare_events(ev, where="curated/china_events.csv")


def partnership_scores(curated: Path = CURATED) -> dict[str, int]:
    levels = pd.read_csv(curated / "partnership_levels.csv", dtype=str, keep_default_na=False)
    return dict(zip(levels["partnership_tier"], levels["partnership_level"].astype(int), strict=True))


def china_statuses(
    codes: list[str], curated: Path = CURATED, on: datetime.date | None = None
) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """Status columns of countries.csv on a date (None = after every event), from the event table."""
    return statuses_on(china_events(curated), codes, partnership_scores(curated), on)


def hdr25_hdi(codes: list[str], raw: Path = RAW) -> pd.DataFrame:
    """HDI of the HDR 2025 edition (one edition per column), long: index iso3, columns year, value."""
    df = pd.read_csv(raw / HDR25_FILE, encoding="ascii")
    df = df[df["iso3"].isin(codes)]
    cols = [c for c in df.columns if re.fullmatch(r"hdi_\d{4}", c)]
    long = df.melt(id_vars="iso3", value_vars=cols, var_name="col", value_name="value").dropna(subset=["value"])
    long["year"] = long["col"].str[4:].astype(int)
    return long.set_index("iso3")[["year", "value"]]


def unga_votes(codes: list[str], raw: Path = RAW) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(votes: rcid, iso3, vote; sessions: session -> year, last vote date) of the roll-call extract."""
    by_iso2 = {c["cca2"]: c["cca3"] for c in mledoze(raw).values()}
    by_iso2.update({"US": "USA", "CN": "CHN"})
    votes = pd.read_csv(raw / "unga" / "un_votes_LAC33_CHN_USA.csv", dtype=str, keep_default_na=False)
    votes["iso3"] = votes["country_code"].map(by_iso2)
    votes = votes[votes["iso3"].isin([*codes, "USA", "CHN"])]
    calls = pd.read_csv(raw / "unga" / "un_roll_calls.csv", dtype={"rcid": str}, keep_default_na=False)
    calls = calls[["rcid", "session", "date"]]
    votes = votes.merge(calls, on="rcid")
    sessions = calls.groupby("session")["date"].max().rename("last_vote").to_frame()
    sessions["year"] = sessions.index + UNGA_SESSION_YEAR0
    return votes[["rcid", "session", "iso3", "vote"]], sessions


_SCORE = {("yes", "yes"): 1.0, ("no", "no"): 1.0, ("abstain", "abstain"): 1.0, ("yes", "no"): 0.0, ("no", "yes"): 0.0}


def unga_agreement(codes: list[str], other: str, raw: Path = RAW) -> pd.DataFrame:
    """Agreement (%) of each country with ``other`` per session year, over that session and the
    UNGA_WINDOW - 1 before it: 1 same vote, 0.5 one abstained, 0 yes against no; votes where both voted."""
    votes, sessions = unga_votes(codes, raw)
    theirs = votes[votes["iso3"] == other][["rcid", "vote"]].rename(columns={"vote": "theirs"})
    pairs = votes[votes["iso3"].isin(codes)].merge(theirs, on="rcid")
    pairs["score"] = [_SCORE.get((a, b), 0.5) for a, b in zip(pairs["vote"], pairs["theirs"], strict=True)]
    per = pairs.groupby(["iso3", "session"])["score"].agg(["sum", "count"])
    rows = []
    first = int(sessions.index.min())
    for s in sessions.index:
        if s - UNGA_WINDOW + 1 < first:
            continue
        win = per[
            (per.index.get_level_values("session") > s - UNGA_WINDOW) & (per.index.get_level_values("session") <= s)
        ]
        tot = win.groupby(level="iso3").sum()
        for iso, r in tot.iterrows():
            rows.append(
                {"iso3": iso, "year": int(sessions.loc[s, "year"]), "value": round(100 * r["sum"] / r["count"], 2)}
            )
    return pd.DataFrame(rows).set_index("iso3")


def dated_extras(codes: list[str], raw: Path = RAW) -> dict[str, pd.DataFrame]:
    """The columns added for issue 10, long (index iso3; year, value): hdi_hdr25, unga_agree_chn/_usa."""
    return {
        "hdi_hdr25": hdr25_hdi(codes, raw),
        "unga_agree_chn": unga_agreement(codes, "CHN", raw),
        "unga_agree_usa": unga_agreement(codes, "USA", raw),
    }


def _published(column: str, year: int) -> datetime.date:
    """Publication-lag rule of a column (datasets/SOURCES.md, 'Dated values')."""
    if column in WDI:
        return datetime.date(year + 1, 7, 1)
    if column in WGI:
        return datetime.date(year + 1, 12, 31)
    if column in ("hdi", "hdi_hdr25"):
        return HDI_FIRST_PUBLISHED.get(year, datetime.date(year + 2, 12, 31))
    raise KeyError(column)


def indicators_by_year(raw: Path = RAW, curated: Path = CURATED) -> pd.DataFrame:
    """Every yearly indicator value the build can replay: iso3, column, year, value, published (a date)."""
    codes = lac_iso3(curated)
    parts = []
    for cid, f in WDI.items():
        df = pd.read_csv(raw / "wdi" / f"{f}.csv", dtype={"Country Code": str}, encoding="utf-8")
        df = df[df["Country Code"].isin(codes)].dropna(subset=["Value"])
        parts.append(
            pd.DataFrame({"iso3": df["Country Code"], "column": cid, "year": df["Year"], "value": df["Value"]})
        )
    wgi = pd.read_csv(raw / "wgidataset_2024release.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    wgi = wgi[wgi["code"].isin(codes)].copy()
    wgi["estimate"] = pd.to_numeric(wgi["estimate"].replace("..", None))
    wgi = wgi.dropna(subset=["estimate"])
    for cid, ind in WGI.items():
        w = wgi[wgi["indicator"] == ind]
        parts.append(
            pd.DataFrame({"iso3": w["code"], "column": cid, "year": w["year"].astype(int), "value": w["estimate"]})
        )
    h = pd.read_csv(raw / "HDR23-24_Composite_indices_complete_time_series.csv", encoding="utf-8-sig")
    h = h[h["iso3"].isin(codes)]
    cols = [c for c in h.columns if re.fullmatch(r"hdi_\d{4}", c)]
    hl = h.melt(id_vars="iso3", value_vars=cols, var_name="col", value_name="value").dropna(subset=["value"])
    parts.append(
        pd.DataFrame({"iso3": hl["iso3"], "column": "hdi", "year": hl["col"].str[4:].astype(int), "value": hl["value"]})
    )
    extras = dated_extras(codes, raw)
    for cid, frame in extras.items():
        parts.append(frame.reset_index().assign(column=cid)[["iso3", "column", "year", "value"]])
    out = pd.concat(parts, ignore_index=True)
    out["year"] = out["year"].astype(int)
    published = {}
    _, sessions = unga_votes(codes, raw)
    last_vote = dict(zip(sessions["year"], sessions["last_vote"], strict=True))
    for cid, year in set(zip(out["column"], out["year"], strict=True)):
        if cid.startswith("unga_"):  # visible the day after the session's last recorded vote
            published[(cid, year)] = datetime.date.fromisoformat(last_vote[year]) + datetime.timedelta(days=1)
        else:
            published[(cid, year)] = _published(cid, year)
    out["published"] = [published[k].isoformat() for k in zip(out["column"], out["year"], strict=True)]
    order = {c: i for i, c in enumerate(VALUE_COLUMNS)}
    out["_o"] = out["column"].map(order)
    out = out.sort_values(["_o", "iso3", "year"], kind="stable").drop(columns="_o")
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------- build


def build_table(raw: Path = RAW, curated: Path = CURATED) -> pd.DataFrame:
    codes = lac_iso3(curated)
    t = pd.DataFrame(index=pd.Index(codes, name="iso3"))
    names = mledoze(raw)
    t["country"] = [names[c]["name"]["common"] for c in codes]

    def put(cid: str, frame: pd.DataFrame, value: str = "value", year: str = "year") -> None:
        t[cid] = frame[value].reindex(t.index)
        t[f"{cid}_year"] = frame[year].reindex(t.index).where(t[cid].notna())

    for cid, f in WDI.items():
        put(cid, wdi_latest(f, codes, raw))
    put("hdi", hdi_latest(codes, raw))
    for cid, frame in wgi_latest(codes, raw).items():
        put(cid, frame)

    # Factbook: trade partners, capital, coastline
    fb = factbook(raw)
    rows = {}
    bj_lat, bj_lon = parse_coord(fb["CHN"]["Government"]["Capital"]["geographic coordinates"]["text"])
    for c in codes:
        econ, gov = fb[c]["Economy"], fb[c]["Government"]
        imp, imp_y, imp_min = partner_share(econ["Imports - partners"]["text"], "China")
        exp, exp_y, exp_min = partner_share(econ["Exports - partners"]["text"], "China")
        us, us_y, _ = partner_share(econ["Exports - partners"]["text"], "USA")
        lat, lon = parse_coord(gov["Capital"]["geographic coordinates"]["text"])
        rows[c] = {
            "china_import_share": imp,
            "china_import_share_year": imp_y,
            "china_export_share": exp,
            "china_export_share_year": exp_y,
            "us_export_share": us,
            "us_export_share_year": us_y,
            "china_import_share_upper": None if imp is not None else imp_min,
            "china_export_share_upper": None if exp is not None else exp_min,
            "capital": html.unescape(gov["Capital"]["name"]["text"]),
            "capital_lat": round(lat, 6),
            "capital_lon": round(lon, 6),
            "dist_beijing": round(haversine_km(lat, lon, bj_lat, bj_lon)),
            "dist_beijing_year": FACTBOOK_SNAPSHOT_YEAR,
            "coastline": parse_coastline(fb[c]["Geography"]["Coastline"]["text"]),
            "coastline_year": FACTBOOK_SNAPSHOT_YEAR,
            "landlocked": int(bool(names[c]["landlocked"])),
            "landlocked_year": MLEDOZE_SNAPSHOT_YEAR,
        }
    fbt = pd.DataFrame.from_dict(rows, orient="index")
    for col in fbt.columns:
        t[col] = fbt[col].reindex(t.index)
    for cid in ("china_import_share", "china_export_share", "us_export_share"):
        t[f"{cid}_year"] = t[f"{cid}_year"].where(t[cid].notna())

    # AidData GCDF 3.0 totals 2000-2021
    g = gcdf(codes, raw)
    t["china_devfin_musd"] = g["musd"].reindex(t.index)
    t["china_devfin_log"] = g["log"].reindex(t.index)
    for cid in ("china_devfin_musd", "china_devfin_log"):
        t[f"{cid}_year"] = pd.Series(2021, index=t.index).where(t[cid].notna())

    # China relations: derived from the dated, cited events (curated/china_events.csv), after every event
    statuses, _ = china_statuses(codes, curated)
    for col in STATUS_COLUMNS:
        t[col] = statuses[col].reindex(t.index)
    for col in ("prc_relations", "bri_mou", "partnership_level"):
        t[f"{col}_year"] = CURATED_STATUS_YEAR
    t["prc_relations_since_year"] = pd.Series(CURATED_STATUS_YEAR, index=t.index).where(
        t["prc_relations_since"].notna()
    )

    # Dated indicators added for issue 10: HDI of the HDR 2025 edition, UN GA voting agreement
    for cid, frame in dated_extras(codes, raw).items():
        put(cid, latest(frame.reset_index(), "iso3", "year", "value"))

    # ---- assemble in the published column order
    out = pd.DataFrame(index=t.index)
    out["country"] = t["country"]
    for cid in VALUE_COLUMNS:
        out[cid] = t[cid]
        out[f"{cid}_year"] = t[f"{cid}_year"]
    for col in EXTRA_COLUMNS:
        out[col] = t[col]
    for col in out.columns:
        if col.endswith("_year") or col in INTEGER_COLUMNS:
            out[col] = pd.to_numeric(out[col]).astype("Int64")
        elif col in ("country", "capital", "partnership_tier", "bri_mou_status"):
            out[col] = out[col].astype("string")
        else:
            out[col] = pd.to_numeric(out[col]).astype("float64")
    return out.sort_index()


def to_csv_bytes(table: pd.DataFrame) -> bytes:
    return table.to_csv(lineterminator="\n", na_rep="", float_format=None, encoding="utf-8").encode("utf-8")


def coverage_markdown(table: pd.DataFrame) -> str:
    """The Coverage section of SOURCES.md: per value column, how many of the countries have a value."""
    n = len(table)
    lines = [f"| column | countries with a value (of {n}) | missing |", "|---|---|---|"]
    for cid in VALUE_COLUMNS + ["capital", "capital_lat", "capital_lon", "partnership_tier"]:
        missing = table.index[table[cid].isna()].tolist()
        lines.append(f"| {cid} | {n - len(missing)} | {', '.join(missing) if missing else '—'} |")
    return "\n".join(lines) + "\n"


COVERAGE_START = "<!-- coverage:start (generated by python -m datasets.build; do not edit) -->"
COVERAGE_END = "<!-- coverage:end -->"


def update_sources_coverage(table: pd.DataFrame, path: Path = SOURCES_MD) -> bool:
    text = path.read_text(encoding="utf-8")
    i, j = text.index(COVERAGE_START), text.index(COVERAGE_END)
    new = text[: i + len(COVERAGE_START)] + "\n" + coverage_markdown(table) + text[j:]
    if new != text:
        path.write_text(new, encoding="utf-8")
        return True
    return False


def build(out_dir: Path | None = None, raw: Path = RAW, curated: Path = CURATED) -> Path:
    table = build_table(raw, curated)
    out_dir = Path(out_dir) if out_dir is not None else DATASETS_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    dst = out_dir / COUNTRIES_CSV
    dst.write_bytes(to_csv_bytes(table))
    (out_dir / INDICATORS_CSV).write_bytes(
        indicators_by_year(raw, curated).to_csv(index=False, lineterminator="\n").encode("utf-8")
    )
    write_uncertainty(out_dir, lac_iso3(curated), raw, WGI)  # datasets/uncertainty.csv (stated standard errors)
    if (
        out_dir.resolve() == DATASETS_DIR
        and SOURCES_MD.exists()
        and COVERAGE_START in SOURCES_MD.read_text(encoding="utf-8")
    ):
        update_sources_coverage(table)
    return dst


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Rebuild datasets/countries.csv from datasets/raw and datasets/curated.")
    ap.add_argument("--out", type=Path, default=None, help="output folder (default: the datasets folder)")
    args = ap.parse_args(argv)
    dst = build(args.out)
    print(f"wrote {dst}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
