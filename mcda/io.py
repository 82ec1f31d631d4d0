"""Reading user files (decision matrix CSV/XLSX, criteria CSV) with errors that name file, row, column.

What a planner's spreadsheet export can look like, and what happens to it here:

* comma-separated UTF-8 (with or without a byte-order mark): read as is;
* semicolon-separated (Excel's CSV where the decimal separator is a comma, e.g. Spanish or
  Portuguese locales): detected from the header line; cells such as ``10,5`` or ``1.234,5`` are
  read as 10.5 and 1234.5. A cell such as ``1.234`` in a column that otherwise uses decimal
  commas is ambiguous (1.234 or 1234?) and is an error naming the cell;
* fully blank rows and fully blank columns without a header (Excel's trailing ``,,`` lines and
  trailing separators) are dropped: they hold nothing;
* the first column (alternative ids) is kept as text exactly as written: ``01`` stays ``01``,
  ``NA`` stays ``NA`` (a country code, not a missing value);
* a repeated or missing column name, or a row with more values than the header, is an error
  naming the line or column (pandas would otherwise rename it ``price.1`` / ``Unnamed: 3`` or
  silently shift the row).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import pandas as pd

from mcda.errors import InputError
from mcda.limits import (
    MAX_ROWS,
    MAX_TABLE_BYTES,
    check_header,
    check_rows,
    check_table_shape,
    check_xlsx,
    read_input_bytes,
)
from mcda.text import check_frame_text, check_text, safe_repr
from mcda.weight_check import weight_value, weight_vector

if TYPE_CHECKING:
    from mcda.problem import DecisionProblem

CRITERIA_COLUMNS = ("criterion", "direction", "weight")

#: Text that pandas reads as a missing value by default (used for every column but the id column).
NA_STRINGS = [
    "",
    "#N/A",
    "#N/A N/A",
    "#NA",
    "-1.#IND",
    "-1.#QNAN",
    "-NaN",
    "-nan",
    "1.#IND",
    "1.#QNAN",
    "<NA>",
    "N/A",
    "NA",
    "NULL",
    "NaN",
    "None",
    "n/a",
    "nan",
    "null",
]

_DECIMAL_COMMA = re.compile(r"^\s*[+-]?(\d{1,3}(\.\d{3})+|\d+),\d+\s*$")
_DOT_ONLY = re.compile(r"^\s*[+-]?\d*\.\d+\s*$")


def _header_line(data: bytes, path: Path, what: str) -> str | None:
    """First non-blank line of a text file (BOM removed; read with a byte cap), or None if it has no text."""
    end = check_header(data, str(path))
    try:
        text = data[:end].decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("file is not UTF-8 text", where=str(path), hint=f"Save the {what} as CSV (UTF-8).") from None
    return next((ln for ln in io.StringIO(text, newline="") if ln.strip()), None)


def _delimiter(header: str) -> str:
    """',' unless the header line is clearly separated by semicolons (or tabs)."""
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


def _check_header(names: list[str], path: Path, blank_ok: set[int] | None = None) -> None:
    """Repeated names always; names left blank unless their column is empty (``blank_ok``; None: skip)."""
    for j, nm in enumerate(names):
        if nm == "" and blank_ok is not None and j not in blank_ok:
            raise InputError(
                f"column {j + 1} has values but no name in the header row",
                where=f"{path}, line 1",
                hint="Give every column a name (the first column: the alternative id).",
            )
    seen: dict[str, int] = {}
    for j, nm in enumerate(names):
        if nm == "":
            continue
        if nm in seen:
            raise InputError(
                f"column name '{nm}' appears twice in the header (columns {seen[nm] + 1} and {j + 1})",
                where=f"{path}, line 1",
                hint="Each column needs its own name.",
            )
        seen[nm] = j


def _decimal_commas(df: pd.DataFrame, path: Path) -> pd.DataFrame:
    """In a semicolon-separated file, read '10,5' as 10.5 and '1.234,5' as 1234.5 (see module doc)."""
    for col in df.columns[1:]:
        s = df[col]
        if pd.api.types.is_numeric_dtype(s):
            continue
        txt = s.astype(str)
        comma = txt.str.match(_DECIMAL_COMMA) & s.notna()
        if not comma.any():
            continue
        ambiguous = txt.str.match(_DOT_ONLY) & s.notna()
        if ambiguous.any():
            i = int(np.argmax(ambiguous.to_numpy()))
            raise InputError(
                f"value {s.iloc[i]!r} is ambiguous in a column that uses decimal commas (is it a decimal point or "
                "a thousands separator?)",
                where=f"{path}, row {df.iloc[i, 0]!s}, column {col}",
                hint="Write every number in the column the same way, e.g. 1234,5 or 1,234.",
            )
        conv = txt[comma].str.strip().str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
        s = s.astype(object).copy()
        s[comma] = conv
        df[col] = s
    return df


def _data_rows(data: bytes) -> int:
    """Non-blank lines after the header (a quoted cell spanning lines counts once per line: an upper bound)."""
    return max(sum(1 for ln in data.splitlines() if ln.strip(b" \t\r,;")) - 1, 0)


def _read_table(
    path: str | Path, what: str, max_rows: int | None = None, max_rows_what: str = "this command"
) -> pd.DataFrame:
    """A user table with cleaned, unique column names; id (first) column as text; blank rows/columns dropped.

    The file is read through :func:`mcda.limits.read_input_bytes` (regular file, size limit) and its
    shape checked before pandas parses it; every text cell obeys :mod:`mcda.text`'s rule.
    ``max_rows`` (e.g. SMAA's limit on alternatives) is checked before parsing too.
    """
    path = Path(path)
    data = read_input_bytes(path, what, MAX_TABLE_BYTES)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        check_xlsx(data, str(path))
        try:
            raw = pd.read_excel(
                io.BytesIO(data),
                sheet_name=0,
                header=None,
                dtype=object,
                engine="openpyxl",
                nrows=min(MAX_ROWS, max_rows or MAX_ROWS) + 2,
            )  # header + one row too many
        except Exception as e:  # noqa: BLE001 - openpyxl/zip raise many types on a file that is not a workbook
            raise InputError(
                f"cannot be read as an Excel workbook ({type(e).__name__}: {safe_repr(e, 200)})",
                where=str(path),
                hint=f"Save the {what} as .xlsx from Excel, or as a UTF-8 CSV.",
            ) from None
        raw = raw.dropna(how="all").reset_index(drop=True)
        check_table_shape(raw.shape[1], max(len(raw) - 1, 0), str(path))
        check_rows(max(len(raw) - 1, 0), max_rows, str(path), max_rows_what)
        if raw.empty:
            raise InputError("file is empty", where=str(path), hint=f"The {what} needs a header row and data rows.")
        names = ["" if pd.isna(v) else str(v).strip() for v in raw.iloc[0]]
        body = raw.iloc[1:].reset_index(drop=True)
        blank_cols = {j for j in range(len(names)) if names[j] == "" and body.iloc[:, j].isna().all()}
        _check_header(names, path, blank_cols)
        keep = [j for j in range(len(names)) if j not in blank_cols]
        df = body.iloc[:, keep]
        df.columns = [names[j] for j in keep]
        check_frame_text(df, str(path))
        if len(df.columns):
            ids = df.iloc[:, 0]
            df.iloc[:, 0] = ids.where(ids.isna(), ids.map(_id_text))
        return df
    try:
        return _parse_csv(data, path, what, max_rows, max_rows_what)
    except (InputError, UnicodeDecodeError):
        # the encoding first: binary junk is "not UTF-8", not a complaint about its first bytes. The
        # whole file is decoded only here, when something failed (a valid file pays for no extra pass)
        _check_utf8(data, path, what)
        raise


def _check_utf8(data: bytes, path: Path, what: str) -> None:
    """InputError naming the line of the first undecodable byte, if ``data`` is not UTF-8."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise InputError(
            f"file is not UTF-8 text (first undecodable byte on line {line})",
            where=str(path),
            hint=f"Save the {what} as CSV (UTF-8).",
        ) from None


def _line_bound(data: bytes) -> int:
    """Upper bound on the data rows before parsing: line breaks minus the header's. One count over the
    bytes; a second one (for breaks written as a lone CR) only if the file holds a CR at all."""
    n = _count_byte(data, 10)
    if b"\r" in data:
        n = max(n, _count_byte(data, 13))
    return max(n - 1, 0)


def _count_byte(data: bytes, byte: int) -> int:
    """How often ``byte`` occurs in ``data`` (numpy's vectorised compare: about twice bytes.count's speed)."""
    return int(np.count_nonzero(np.frombuffer(data, dtype=np.uint8) == byte))


def _parse_csv(
    data: bytes, path: Path, what: str, max_rows: int | None = None, max_rows_what: str = "this command"
) -> pd.DataFrame:
    """A CSV table's bytes parsed under every check of :func:`_read_table` (but the UTF-8 one, its caller's)."""
    header = _header_line(data, path, what)
    if header is None:
        raise InputError("file is empty", where=str(path), hint=f"The {what} needs a header row and data rows.")
    sep = _delimiter(header)
    names = [c.strip() for c in next(csv.reader([header], delimiter=sep))]
    n_lines = _line_bound(data)  # upper bound on data rows, before parsing
    check_table_shape(len(names), n_lines, str(path))
    if max_rows is not None and n_lines > max_rows:  # exact count only when the bound is exceeded
        check_rows(_data_rows(data), max_rows, str(path), max_rows_what)
    for j, nm in enumerate(names):
        check_text(nm, f"{path}, line 1, column {j + 1}", what="column name")
    _check_header(names, path)  # repeated names (pandas would refuse them, or rename them price.1)
    n_named = sum(1 for nm in names if nm)
    cols = [nm if nm else f"__blank_{j}" for j, nm in enumerate(names)]
    # Two options of the parse cost time on a large matrix and are skipped where they cannot change a cell:
    # skipinitialspace when the file holds no space or tab at all; the id column's dtype=str when its first
    # value is plainly text (then pandas infers the same str column: checked below, read again otherwise).
    spaced = b" " in data or b"\t" in data
    ids_text = _first_id_is_text(data, sep)
    try:
        df = _read_csv(data, sep, cols, spaced, ids_text)
    except UnicodeDecodeError:
        raise InputError("file is not UTF-8 text", where=str(path), hint=f"Save the {what} as CSV (UTF-8).") from None
    except pd.errors.EmptyDataError:
        raise InputError(
            "file is empty", where=str(path), hint=f"The {what} needs a header row and data rows."
        ) from None
    except pd.errors.ParserError as e:
        msg = str(e).strip().splitlines()[-1]
        m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", msg)
        if m:
            raise InputError(
                f"line {m.group(2)} has {m.group(3)} values but the header names {n_named} columns",
                where=str(path),
                hint="Remove the extra values or add a column name to the header.",
            ) from None
        raise InputError(f"cannot be read as CSV ({safe_repr(msg, 120)})", where=str(path)) from None
    except (ValueError, OSError) as e:
        raise InputError(f"cannot be read as a table ({safe_repr(e, 120)})", where=str(path)) from None
    if not isinstance(df.index, pd.RangeIndex):
        # pandas treats a first data row with one value more than the header as "the first column is the index"
        raise InputError(
            f"the first data row has more values than the header names columns ({n_named})",
            where=f"{path}, line 2",
            hint="Remove the extra values or add a column name to the header.",
        )
    check_frame_text(df, str(path))
    blank = [c for c in cols if c.startswith("__blank_")]
    empty_blank = {cols.index(c) for c in blank if df[c].isna().all() or (df[c].astype(str).str.strip() == "").all()}
    _check_header(names, path, empty_blank)
    df = df.drop(columns=[cols[j] for j in empty_blank])
    first = df.columns[0]
    rest = df.columns[1:]
    idv = df[first]
    allblank = (idv.isna() | (idv.astype(str).str.strip() == "")) & (df[rest].isna().all(axis=1) if len(rest) else True)
    if allblank.any():
        df = df.loc[~allblank].reset_index(drop=True)
    if sep == ";":
        df = _decimal_commas(df, path)
    return df


def _read_csv(data: bytes, sep: str, cols: list[str], spaced: bool, ids_text: bool) -> pd.DataFrame:
    """pandas' parse of a user table: the id (first) column as text, NA text in the other columns only.

    ``ids_text`` (the first id is plainly text): the id column is left for pandas to infer, which is
    cheaper and gives the same str column; if it came back as anything else (numbers further down, so
    mixed types) the table is read again with the id column as text, and the first read's warnings
    are dropped (the second read raises its own)."""
    import warnings

    def parse(infer_ids: bool) -> pd.DataFrame:
        return pd.read_csv(
            io.BytesIO(data),
            sep=sep,
            encoding="utf-8-sig",
            skipinitialspace=spaced,
            header=0,
            names=cols,
            dtype=None if infer_ids else {cols[0]: str},
            keep_default_na=False,
            na_values=dict.fromkeys(cols[1:], NA_STRINGS),
            skip_blank_lines=True,
        )

    if not ids_text:
        return parse(False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        df = parse(True)
    if df[cols[0]].dtype != pd.api.types.pandas_dtype(str):
        return parse(False)
    for w in caught:  # the same warnings the plain read raises (about other columns)
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return df


def _first_id_is_text(data: bytes, sep: str) -> bool:
    """True if the first data row's id is plainly text (not a number, a bool or blank), so pandas cannot
    infer the id column as anything but text. A hint only: the caller checks the dtype it got."""
    lines = [ln for ln in data[:65536].decode("utf-8", errors="replace").splitlines() if ln.strip()]
    if len(lines) < 2:
        return False
    token = lines[1].split(sep, 1)[0].strip()
    if not token or '"' in token or "\ufffd" in token or token.lower() in ("true", "false"):
        return False
    try:
        float(token)
    except ValueError:
        return True
    return False


def read_table(
    path: str | Path, what: str, max_rows: int | None = None, max_rows_what: str = "this command"
) -> pd.DataFrame:
    """A user table as read (the one reader: size and shape limits, the text rule; cells not validated),
    e.g. a pipeline of projects; ``max_rows`` is refused before parsing."""
    return _read_table(path, what, max_rows, max_rows_what)


def _id_text(v: object) -> str:
    """An id cell as text; whole numbers typed into Excel (1, 2.0) become '1', '2'."""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def read_matrix(path: str | Path, max_rows: int | None = None, max_rows_what: str = "this command") -> pd.DataFrame:
    """Decision matrix: first column = alternative id, one column per criterion (values not yet validated).

    ``max_rows``: refuse more alternatives than this before parsing (SMAA's limit)."""
    df = _read_table(path, "decision matrix", max_rows, max_rows_what)
    if df.shape[1] < 2:
        raise InputError(
            "needs an id column and at least one criterion column",
            where=str(path),
            hint="First column: alternative id; then one column per criterion (comma-separated).",
        )
    if len(df) == 0:
        raise InputError("has a header but no data rows", where=str(path))
    df = df.set_index(df.columns[0])
    if isinstance(df.index.dtype, pd.StringDtype):  # the id column read as text: strip it without a round trip
        df.index = df.index.str.strip()
    else:
        idx = pd.Series(df.index, dtype=object)
        df.index = pd.Index(idx.where(idx.isna(), idx.astype(str).str.strip()).to_numpy())
    df.index.name = "alternative"
    return df


def read_criteria(path: str | Path, weights: bool = True) -> pd.DataFrame:
    """Criteria CSV with columns criterion, direction, weight -> DataFrame indexed by criterion id.

    ``weights=False`` (objective weights computed from the data): the weight column may be absent
    and is ignored; the result has no weight column."""
    df = _read_table(path, "criteria file")
    df.columns = [str(c).strip().lower() for c in df.columns]
    if not weights:
        df = df.drop(columns=[c for c in ("weight",) if c in df.columns])
        df["weight"] = 1.0
    missing = [c for c in CRITERIA_COLUMNS if c not in df.columns]
    if missing:
        raise InputError(
            f"missing column(s): {', '.join(missing)}",
            where=str(path),
            hint="The criteria file needs the columns criterion,direction,weight"
            + ("." if weights else " (weight may be left out here)."),
        )
    checked: list[float] = []
    for i, (_, row) in enumerate(df.iterrows()):  # _read_table resets the index: position i is data row i
        line = i + 2  # header is line 1 (blank lines dropped before counting)
        name = row["criterion"]
        if pd.isna(name) or str(name).strip() == "":
            raise InputError(
                "criterion name is missing",
                where=f"{path}, line {line}, column criterion",
                hint="Name the matrix column this row describes.",
            )
        d = "" if pd.isna(row["direction"]) else str(row["direction"]).strip().lower()
        if d not in ("benefit", "cost"):
            shown = "is missing" if d == "" else f"'{row['direction']}' is not benefit or cost"
            raise InputError(
                f"direction {shown}",
                where=f"{path}, line {line}, column direction",
                hint="Use 'benefit' (higher is better) or 'cost' (lower is better).",
            )
        raw = row["weight"]
        # the one weight validator (mcda.weight_check): a blank cell is "missing", text "not a number"
        checked.append(
            weight_value(
                None if pd.isna(raw) or str(raw).strip() == "" else raw, where=f"{path}, line {line}, column weight"
            )
        )
        df.at[i, "direction"] = d
    df["criterion"] = df["criterion"].astype(str).str.strip()
    df["weight"] = np.array(checked, dtype=float)
    dup = df["criterion"][df["criterion"].duplicated()].tolist()
    if dup:
        raise InputError(f"criterion listed twice: {', '.join(dup)}", where=str(path))
    weight_vector(df["weight"].to_numpy(), df["criterion"].tolist(), where=f"{path}, column weight", normalise=False)
    out = df.set_index("criterion")
    return out if weights else out.drop(columns=["weight"])


def read_uncertainty(path: str | Path) -> pd.DataFrame:
    """Uncertainty table (``id,criterion,sd[,year,...]``) as read: cells not yet validated (see
    :func:`mcda.robustness_values.value_uncertainty`, which names line and column of a bad cell)."""
    df = _read_table(path, "uncertainty table")
    if len(df) == 0:
        raise InputError("has a header but no data rows", where=str(path))
    return df


class ProblemFiles(NamedTuple):
    """What :func:`read_problem` read: the validated problem, the criteria table (indexed by
    criterion id: direction, weight), the matrix's text-only columns (kept as labels) and the
    matrix as read (every row and column, before the missing-data policy)."""

    problem: DecisionProblem
    criteria: pd.DataFrame
    labels: list[str]
    matrix: pd.DataFrame


def read_problem(
    matrix_path: str | Path,
    criteria_path: str | Path | None = None,
    missing: Any = "error",
    *,
    weights: bool = True,
    max_rows: int | None = None,
    max_rows_what: str = "this command",
    other_columns: str = "error",
) -> ProblemFiles:
    """The one reader from files to a validated :class:`~mcda.problem.DecisionProblem`, used by the
    command line (``rank``, ``smaa``, ``weights``) and the app's upload alike.

    Parameters
    ----------
    matrix_path : CSV/XLSX whose first column is the alternative id, one column per criterion.
    criteria_path : CSV ``criterion,direction,weight``; None = every column holding at least one
        number is a criterion, direction benefit, weight 1 (the planner sets them afterwards).
    missing : the missing-data policy (see :class:`~mcda.problem.DecisionProblem`).
    weights : False = the criteria file's weight column is optional and ignored (objective weights).
    max_rows : refuse a matrix with more alternatives, before it is parsed (SMAA).
    other_columns : a matrix column that is not a criterion: ``error`` (the command line: the matrix
        holds criteria only) or ``labels`` (the app: kept beside the problem, e.g. country names).

    Raises
    ------
    InputError
        Naming the file, row and column: errors of the matrix's values are prefixed with its path.
    """
    from mcda.problem import DecisionProblem

    matrix = read_matrix(matrix_path, max_rows=max_rows, max_rows_what=max_rows_what)
    numeric = [c for c in matrix.columns if pd.to_numeric(matrix[c], errors="coerce").notna().any()]
    labels = [str(c) for c in matrix.columns if c not in numeric]
    if criteria_path is not None:
        crit = read_criteria(criteria_path, weights=weights)
        absent = [c for c in crit.index if c not in matrix.columns]
        if absent:
            raise InputError(
                f"criterion '{absent[0]}' is in the criteria file but not a column of the matrix",
                where=str(criteria_path),
                hint=f"Matrix columns: {', '.join(map(str, matrix.columns))}.",
            )
    else:
        if not numeric:
            raise InputError(
                "no numeric criterion column found",
                where=str(matrix_path),
                hint="After the id column, give one column of numbers per criterion.",
            )
        crit = pd.DataFrame(
            {"direction": "benefit", "weight": 1.0}, index=pd.Index([str(c) for c in numeric], name="criterion")
        )
    values = matrix if other_columns == "error" else matrix[[c for c in matrix.columns if str(c) in crit.index]]
    try:
        problem = DecisionProblem(values, crit, missing=missing)
    except InputError as e:
        raise InputError(e.one_line(), where=str(matrix_path)) from None
    return ProblemFiles(problem, crit, labels, matrix)
