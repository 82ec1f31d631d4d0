"""Build ``datasets/uncertainty.csv``: the measurement uncertainty each source states for its values.

One row per (country, criterion) whose source publishes a standard error, for the same year as the
value shipped in ``countries.csv``: ``id, criterion, sd, year, distribution, source``. Today only the
World Bank governance indicators do (WGI ``stddev``, the standard error of each estimate, in the
same units as the estimate). Criteria without a row are exact as far as the toolkit knows.
SMAA can then sample the criterion values as well as the weights (:mod:`mcda.robustness_values`).
Rules and caveats: the last section of ``datasets/SOURCES.md``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

UNCERTAINTY_CSV = "uncertainty.csv"
COLUMNS = ["id", "criterion", "sd", "year", "distribution", "source"]
WGI_SOURCE = "World Bank WGI 2024 release, stddev of the estimate (raw/wgidataset_2024release.csv)"


def wgi_uncertainty(codes: list[str], raw: Path, wgi: dict[str, str]) -> pd.DataFrame:
    """WGI standard errors of the shipped estimates: per country the row of the latest year with an
    estimate (the rule of ``datasets.build.wgi_latest``), its ``stddev``."""
    df = pd.read_csv(raw / "wgidataset_2024release.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    df = df[df["code"].isin(codes)].copy()
    df["estimate"] = pd.to_numeric(df["estimate"].replace("..", None))
    df["sd"] = pd.to_numeric(df["stddev"].replace("..", None))
    df["year"] = df["year"].astype(int)
    rows = []
    for cid, ind in wgi.items():
        sub = df[(df["indicator"] == ind) & df["estimate"].notna()]
        last = sub.sort_values(["code", "year"]).groupby("code", sort=True).tail(1)
        for r in last.itertuples():
            if pd.isna(r.sd):
                continue  # no stated error: the value stays exact (never a guessed sd)
            rows.append({"id": r.code, "criterion": cid, "sd": float(r.sd), "year": int(r.year)})
    out = pd.DataFrame(rows, columns=["id", "criterion", "sd", "year"])
    out["distribution"] = "normal"
    out["source"] = WGI_SOURCE
    return out


def build_uncertainty(codes: list[str], raw: Path, wgi: dict[str, str]) -> pd.DataFrame:
    """Every shipped stated uncertainty, sorted by criterion then id (deterministic)."""
    out = wgi_uncertainty(codes, raw, wgi)
    return out.sort_values(["criterion", "id"], kind="stable").reset_index(drop=True)[COLUMNS]


def write_uncertainty(out_dir: Path, codes: list[str], raw: Path, wgi: dict[str, str]) -> Path:
    """Write ``uncertainty.csv`` into ``out_dir`` (same bytes for the same inputs)."""
    table = build_uncertainty(codes, raw, wgi)
    dst = Path(out_dir) / UNCERTAINTY_CSV
    dst.write_bytes(table.to_csv(index=False, lineterminator="\n", encoding="utf-8").encode("utf-8"))
    return dst
