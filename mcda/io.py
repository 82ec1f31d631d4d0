"""Reading user files (decision matrix CSV/XLSX, criteria CSV) with errors that name file, row, column."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from mcda.errors import InputError

CRITERIA_COLUMNS = ("criterion", "direction", "weight")


def _read_table(path: str | Path, what: str) -> pd.DataFrame:
    path = Path(path)
    if not path.exists():
        raise InputError("file not found", where=str(path))
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            return pd.read_excel(path, sheet_name=0, dtype=object, engine="openpyxl")
        return pd.read_csv(path, skipinitialspace=True)
    except UnicodeDecodeError:
        raise InputError("file is not UTF-8 text", where=str(path), hint=f"Save the {what} as CSV (UTF-8).") from None
    except pd.errors.EmptyDataError:
        raise InputError("file is empty", where=str(path), hint=f"The {what} needs a header row and data rows.") from None
    except pd.errors.ParserError as e:
        raise InputError(f"cannot be read as CSV ({str(e).strip().splitlines()[-1]})", where=str(path)) from None
    except (ValueError, OSError) as e:  # openpyxl / zip errors on a malformed xlsx
        raise InputError(f"cannot be read as a table ({e})", where=str(path)) from None


def read_matrix(path: str | Path) -> pd.DataFrame:
    """Decision matrix: first column = alternative id, one column per criterion (values not yet validated)."""
    df = _read_table(path, "decision matrix")
    if df.shape[1] < 2:
        raise InputError("needs an id column and at least one criterion column", where=str(path),
                         hint="First column: alternative id; then one column per criterion.")
    if len(df) == 0:
        raise InputError("has a header but no data rows", where=str(path))
    df = df.set_index(df.columns[0])
    idx = pd.Series(df.index, dtype=object)
    df.index = pd.Index(idx.where(idx.isna(), idx.astype(str).str.strip()).to_numpy())
    df.index.name = "alternative"
    return df


def read_criteria(path: str | Path) -> pd.DataFrame:
    """Criteria CSV with columns criterion, direction, weight -> DataFrame indexed by criterion id."""
    df = _read_table(path, "criteria file")
    df.columns = [str(c).strip().lower() for c in df.columns]
    missing = [c for c in CRITERIA_COLUMNS if c not in df.columns]
    if missing:
        raise InputError(f"missing column(s): {', '.join(missing)}", where=str(path),
                         hint="The criteria file needs the columns criterion,direction,weight.")
    df["criterion"] = df["criterion"].astype(str).str.strip()
    for i, row in df.iterrows():
        line = i + 2  # header is line 1
        d = str(row["direction"]).strip().lower()
        if d not in ("benefit", "cost"):
            raise InputError(f"direction '{row['direction']}' is not benefit or cost", where=f"{path}, line {line}, column direction",
                             hint="Use 'benefit' (higher is better) or 'cost' (lower is better).")
        w = pd.to_numeric(pd.Series([row["weight"]]), errors="coerce").iloc[0]
        if pd.isna(w):
            raise InputError(f"weight {row['weight']!r} is not a number", where=f"{path}, line {line}, column weight")
        if not np.isfinite(w) or w < 0:
            raise InputError(f"weight {w:g} is negative or infinite", where=f"{path}, line {line}, column weight", hint="Weights must be >= 0.")
        df.at[i, "direction"] = d
    df["weight"] = pd.to_numeric(df["weight"]).astype(float)
    dup = df["criterion"][df["criterion"].duplicated()].tolist()
    if dup:
        raise InputError(f"criterion listed twice: {', '.join(dup)}", where=str(path))
    if df["weight"].sum() <= 0:
        raise InputError("all weights are zero", where=f"{path}, column weight", hint="Give at least one criterion a positive weight.")
    return df.set_index("criterion")
