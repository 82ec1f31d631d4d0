"""The shipped country dataset: loaders for datasets/countries.csv, criteria.csv, shapes, China relations.

Pure library code (no Streamlit, no network). Blank cells in countries.csv mean "unknown" and come
back as NaN / <NA>; nothing here fills them. ``datasets/SOURCES.md`` documents every column.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from mcda.errors import InputError

DATASETS_DIR = Path(__file__).resolve().parent.parent / "datasets"
COUNTRIES_CSV = DATASETS_DIR / "countries.csv"
CRITERIA_CSV = DATASETS_DIR / "criteria.csv"
GEOJSON = DATASETS_DIR / "geo" / "lac_countries.geojson"
CHINA_RELATIONS_CSV = DATASETS_DIR / "curated" / "china_relations.csv"
UNCERTAINTY_CSV = DATASETS_DIR / "uncertainty.csv"

CRITERIA_COLUMNS = ("id", "label", "group", "direction", "unit", "source", "year", "description", "default_on")
GROUPS = ("economic", "political", "geographic", "user-defined")
DIRECTIONS = ("benefit", "cost")
TEXT_COLUMNS = ("country", "capital", "partnership_tier", "bri_mou_status")
_TRUE = {"1", "true", "yes"}
_FALSE = {"0", "false", "no"}


def _read_csv(path: Path, what: str) -> pd.DataFrame:
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError:
        raise InputError(
            f"{what} not found", where=str(path), hint="Check the path, or rebuild with python -m datasets.build."
        ) from None
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as e:
        raise InputError(
            f"{what} is not a readable UTF-8 CSV ({type(e).__name__}: {e})".rstrip("."), where=str(path)
        ) from None


def _file_key(path: Path) -> tuple[str, int, int]:
    """(path, mtime, size): a parsed table is reused only while its file is unchanged."""
    try:
        st = path.stat()
    except OSError:
        return (str(path), -1, -1)
    return (str(path), st.st_mtime_ns, st.st_size)


def load_countries(path: str | Path | None = None) -> pd.DataFrame:
    """countries.csv indexed by ``iso3``: text columns as strings, ``*_year`` as Int64, the rest float.

    Blank cells stay missing (NaN / <NA>); they mean "unknown", never zero. Parsed once per file
    version (every slider move re-ranks; re-parsing the CSV was most of that time); a copy is returned.
    """
    path = Path(path) if path is not None else COUNTRIES_CSV
    return _load_countries_cached(*_file_key(path)).copy()


@functools.lru_cache(maxsize=8)
def _load_countries_cached(path_str: str, _mtime: int, _size: int) -> pd.DataFrame:
    path = Path(path_str)
    raw = _read_csv(path, "countries file")
    if "iso3" not in raw.columns:
        raise InputError(
            "has no 'iso3' column", where=str(path), hint="The first column must be iso3 (the country id)."
        )
    ids = raw["iso3"].str.strip()
    bad = [(i + 2, v) for i, v in enumerate(ids) if not (len(v) == 3 and v.isalpha() and v.isupper())]
    if bad:
        line, v = bad[0]
        raise InputError(
            f"'{v}' is not an ISO3 code",
            where=f"{path}, line {line}, column iso3",
            hint="Use three capital letters, e.g. ARG.",
        )
    dup = ids[ids.duplicated()].tolist()
    if dup:
        raise InputError(
            f"duplicate iso3 {', '.join(sorted(set(dup)))}",
            where=f"{path}, column iso3",
            hint="Give each country one row.",
        )
    df = pd.DataFrame(index=pd.Index(ids, name="iso3"))
    for col in raw.columns:
        if col == "iso3":
            continue
        s = raw[col].str.strip()
        s.index = df.index
        if col in TEXT_COLUMNS:
            df[col] = s.where(s != "")
            continue
        num = pd.to_numeric(s.replace("", None), errors="coerce")
        not_num = s[(s != "") & num.isna()]
        if len(not_num):
            iso = not_num.index[0]
            raise InputError(
                f"'{not_num.iloc[0]}' is not a number",
                where=f"{path}, row {iso}, column {col}",
                hint="Leave the cell blank when the value is unknown.",
            )
        if col.endswith("_year"):
            if ((num.dropna() % 1) != 0).any():
                raise InputError("years must be whole numbers", where=f"{path}, column {col}")
            df[col] = num.astype("Int64")
        else:
            df[col] = num.astype("float64")
    return df


def validate_criteria(df: pd.DataFrame, where: str = "criteria file") -> pd.DataFrame:
    """Check a criteria table (columns as in datasets/criteria.csv, all str) and return it indexed by id.

    Raises InputError naming the file, line and column of the first problem.
    """
    cols = [str(c).strip().lower() for c in df.columns]
    df = df.copy()
    df.columns = cols
    missing = [c for c in CRITERIA_COLUMNS if c not in cols]
    if missing:
        raise InputError(
            f"missing column(s): {', '.join(missing)}",
            where=where,
            hint="A criteria file needs the columns " + ",".join(CRITERIA_COLUMNS) + ".",
        )
    df = df.fillna("").astype(str).map(str.strip)
    seen: dict[str, int] = {}
    default_on = []
    for i, r in enumerate(df.to_dict("records")):
        line = i + 2  # header is line 1
        cid = r["id"]
        if not cid:
            raise InputError(
                "empty criterion id", where=f"{where}, line {line}, column id", hint="Give every criterion an id."
            )
        if cid in seen:
            raise InputError(
                f"duplicate criterion id '{cid}' (first on line {seen[cid]})",
                where=f"{where}, line {line}, column id",
                hint="Criterion ids must be unique.",
            )
        seen[cid] = line
        if r["group"] not in GROUPS:
            raise InputError(
                f"group '{r['group']}' is not one of {', '.join(GROUPS)}",
                where=f"{where}, line {line}, column group",
                hint="Use economic, political, geographic or user-defined.",
            )
        if r["direction"] not in DIRECTIONS:
            raise InputError(
                f"direction '{r['direction']}' is not benefit or cost",
                where=f"{where}, line {line}, column direction",
                hint="Use 'benefit' (higher is better) or 'cost' (lower is better).",
            )
        on = r["default_on"].lower()
        if on not in _TRUE | _FALSE:
            raise InputError(
                f"default_on '{r['default_on']}' is not 1 or 0",
                where=f"{where}, line {line}, column default_on",
                hint="Use 1 (on in a new scenario) or 0.",
            )
        default_on.append(on in _TRUE)
    df["default_on"] = pd.Series(default_on, index=df.index, dtype=bool)
    return df.set_index("id")


def load_criteria(path: str | Path | None = None) -> pd.DataFrame:
    """criteria.csv indexed by criterion id, validated (known group/direction values, unique ids).

    Columns: label, group, direction, unit, source, year (text, e.g. "2020-2025"), description,
    default_on (bool).
    """
    path = Path(path) if path is not None else CRITERIA_CSV
    return _load_criteria_cached(*_file_key(path)).copy()


@functools.lru_cache(maxsize=8)
def _load_criteria_cached(path_str: str, _mtime: int, _size: int) -> pd.DataFrame:
    """Parsed and validated once per file version (every re-rank reads it; validating was a third of a re-rank)."""
    return validate_criteria(_read_csv(Path(path_str), "criteria file"), where=path_str)


def load_geojson(path: str | Path | None = None) -> dict:
    """The 33 countries' shapes (GeoJSON FeatureCollection, feature id = ISO3). ODbL, mledoze/countries."""
    path = Path(path) if path is not None else GEOJSON
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("GeoJSON file not found", where=str(path)) from None
    except json.JSONDecodeError as e:
        raise InputError(f"not valid JSON ({e})", where=str(path)) from None


def load_china_relations(path: str | Path | None = None) -> pd.DataFrame:
    """The curated, cited China-relations table indexed by iso3 (text as in the file, with sources and notes).

    ``prc_diplomatic_relations`` and ``bri_mou_signed`` become booleans; the year columns Int64
    (blank = not confirmed / not applicable).
    """
    path = Path(path) if path is not None else CHINA_RELATIONS_CSV
    df = _read_csv(path, "China relations file").set_index("iso3")
    for col in ("prc_diplomatic_relations", "bri_mou_signed"):
        df[col] = df[col].map({"true": True, "false": False}).astype("boolean")
    for col in ("prc_relations_since", "bri_mou_year", "partnership_year"):
        df[col] = pd.to_numeric(df[col].replace("", None)).astype("Int64")
    return df


# --------------------------------------------------------------------------- dated facts ("as of", issue 10)

CHINA_EVENTS_CSV = DATASETS_DIR / "curated" / "china_events.csv"
PARTNERSHIP_LEVELS_CSV = DATASETS_DIR / "curated" / "partnership_levels.csv"
INDICATORS_BY_YEAR_CSV = DATASETS_DIR / "indicators_by_year.csv"
REPLAY_RULES_CSV = DATASETS_DIR / "replay_rules.csv"


@functools.lru_cache(maxsize=2)
def _dated_tables(key: tuple) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, int], pd.DataFrame]:
    """(events, indicators by year, partnership scores, replay rules), parsed once per file version."""
    from mcda.asof import prepare_events

    events = prepare_events(_read_csv(CHINA_EVENTS_CSV, "China events file"), where=str(CHINA_EVENTS_CSV))
    long = _read_csv(INDICATORS_BY_YEAR_CSV, "indicators-by-year file")
    long["year"] = long["year"].astype(int)
    long["value"] = long["value"].astype(float)
    long["published"] = pd.to_datetime(long["published"]).dt.date
    levels = _read_csv(PARTNERSHIP_LEVELS_CSV, "partnership levels file")
    scores = dict(zip(levels["partnership_tier"], levels["partnership_level"].astype(int), strict=True))
    rules = _read_csv(REPLAY_RULES_CSV, "replay rules file").set_index("column")
    return events, long, scores, rules


def dated_tables() -> tuple[pd.DataFrame, pd.DataFrame, dict[str, int], pd.DataFrame]:
    """The shipped tables a replay needs: China events, indicators by year, partnership scores, replay rules."""
    paths = (CHINA_EVENTS_CSV, INDICATORS_BY_YEAR_CSV, PARTNERSHIP_LEVELS_CSV, REPLAY_RULES_CSV)
    return _dated_tables(tuple(_file_key(p) for p in paths))


def data_start() -> dt.date:
    """The first date a replay can use: the earliest publication date in indicators_by_year.csv."""
    return min(dated_tables()[1]["published"])


def countries_as_of(on: dt.date) -> tuple[pd.DataFrame, AsOfReport]:
    """The shipped country table as it stood on ``on``: every yearly indicator at its latest value
    published by then, China-relations statuses from the dated events; other columns unchanged and
    reported (snapshot or static, from datasets/replay_rules.csv). Computed once per date and file
    version (the app re-ranks on every slider move); a copy is returned."""
    paths = (COUNTRIES_CSV, CHINA_EVENTS_CSV, INDICATORS_BY_YEAR_CSV, PARTNERSHIP_LEVELS_CSV, REPLAY_RULES_CSV)
    table, report = _countries_as_of(on, tuple(_file_key(p) for p in paths))
    return table.copy(), copy.deepcopy(report)


@functools.lru_cache(maxsize=16)
def _countries_as_of(on: dt.date, _key: tuple) -> tuple[pd.DataFrame, AsOfReport]:
    from mcda.asof import STATUS_COLUMNS, statuses_on, values_on

    events, long, scores, rules = dated_tables()
    t = load_countries()
    codes = list(t.index)
    vals = values_on(long[long["iso3"].isin(codes)], on)
    yearly = sorted(set(long["column"]) & set(t.columns))
    for col in yearly:
        sub = vals.xs(col, level="column") if col in vals.index.get_level_values("column") else vals.iloc[0:0]
        t[col] = sub["value"].reindex(t.index).astype("float64")
        if f"{col}_year" in t.columns:
            t[f"{col}_year"] = sub["year"].reindex(t.index).astype("Int64")
    status, doubts = statuses_on(events, codes, scores, on)
    for col in STATUS_COLUMNS:
        if col not in t.columns:
            continue
        if col in TEXT_COLUMNS:
            t[col] = status[col].reindex(t.index).astype(t[col].dtype)
        else:
            t[col] = pd.to_numeric(status[col].reindex(t.index)).astype("float64")
        if f"{col}_year" in t.columns:
            t[f"{col}_year"] = pd.Series(on.year, index=t.index, dtype="Int64").where(t[col].notna())
    kinds = {str(c): (str(r["kind"]), str(r["what"])) for c, r in rules.iterrows() if c in t.columns}
    return t, AsOfReport(
        on=on, yearly=yearly, events=[c for c in STATUS_COLUMNS if c in t.columns], not_dated=kinds, uncertain=doubts
    )


@dataclass
class AsOfReport:
    """What a replay did: the date, the columns replayed, those that are not (and why), doubtful statuses."""

    on: dt.date
    yearly: list[str]
    events: list[str]
    not_dated: dict[str, tuple[str, str]]  # column -> (snapshot | static, what the source is)
    uncertain: dict[str, list[str]] = field(default_factory=dict)  # iso3 -> events whose date is known only roughly


def load_uncertainty(path: str | Path | None = None) -> pd.DataFrame:
    """The shipped stated uncertainties (datasets/uncertainty.csv: id, criterion, sd, year, distribution,
    source), cells as text; :func:`mcda.robustness_values.value_uncertainty` validates them."""
    path = Path(path) if path is not None else UNCERTAINTY_CSV
    return _read_csv(path, "uncertainty file")
