"""Every CSV and XLSX the toolkit writes goes through here: safe to open in Excel, written atomically.

**Formula injection** (OWASP "CSV Injection"): a text cell that begins with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return is read by Excel, LibreOffice and Google Sheets as a formula, so an id
or a name such as ``=HYPERLINK("http://evil",...)`` in a user's data would run when the export is
opened. :func:`neutralise` prefixes such a text cell with ``'``; the rest of the text is kept as
written. Numbers stay numbers: a float ``-0.5`` is written as ``-0.5``. Text that looks like a
number is still text: an id column read as text (ids are always read as text, see
:mod:`mcda.io`) holding ``-2`` is written ``'-2`` — Fulcrum cannot tell a legitimately negative id
from the start of ``-2+3``, and a reader recovers the exact id by removing one leading ``'``
where the next character is one of those six. Column names get the same treatment. In XLSX
every string cell is written as a string (``t="inlineStr"``), never as a formula (openpyxl
would otherwise store a string starting with ``=`` as ``<f>``) or an error value (``#N/A``).

**Atomic files**: :func:`write_atomic` / :func:`atomic_file` write to a hidden temporary file in
the destination's folder, fsync it and ``os.replace`` it over the destination, so a reader sees
the old file or the new one, never a truncated one (a kill, a full disk, an error). A kill can
leave the hidden ``.NAME.<id>.fulcrum-tmp.SUFFIX`` file behind; the next write of the same file removes
it. A folder of outputs is made atomic by :mod:`fulcrum.atomic`.

JSON and Markdown are not spreadsheet formats and are not touched here.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any

import pandas as pd

#: First characters that make a spreadsheet read a text cell as a formula (OWASP).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Characters XLSX cannot hold (XML 1.0 control characters); replaced by U+FFFD in XLSX only.
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_TMP_SUFFIX = ".fulcrum-tmp"


def neutralise(value: object) -> object:
    """``'`` + value for a text value that a spreadsheet would read as a formula; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _is_text_column(s: pd.Series) -> bool:
    return not (
        pd.api.types.is_numeric_dtype(s)
        or pd.api.types.is_bool_dtype(s)
        or pd.api.types.is_datetime64_any_dtype(s)
        or pd.api.types.is_timedelta64_dtype(s)
    )


def _neutralise_column(col: pd.Series) -> pd.Series:
    """The column with its formula-like text cells prefixed; untouched (no copy) when it has none."""
    try:  # vectorised test first: a large id column with nothing to change costs one pass
        risky = col.str.startswith(FORMULA_START, na=False).astype(bool)
    except (AttributeError, TypeError):  # not text at all (e.g. an object column of numbers)
        return col.astype(object).map(neutralise)
    if not risky.any():
        return col
    return col.astype(object).map(neutralise)


def safe_frame(df: pd.DataFrame, index: bool = False) -> pd.DataFrame:
    """A copy of ``df`` with every text cell and column name neutralised (numbers untouched)."""
    out = df.copy()
    for j in range(out.shape[1]):
        col = out.iloc[:, j]
        if _is_text_column(col):
            out.isetitem(j, _neutralise_column(col).array)
    out.columns = [neutralise(c) for c in out.columns]
    if index:
        if _is_text_column(out.index.to_series()):
            out.index = pd.Index([neutralise(v) for v in out.index], name=neutralise(out.index.name))
        else:
            out.index = out.index.rename(neutralise(out.index.name))
    return out


def csv_text(df: pd.DataFrame, index: bool = False) -> str:
    """The CSV text of ``df`` with formula-like text neutralised ('\\n' line ends, UTF-8 when encoded)."""
    safe = safe_frame(df, index)
    fast = None if index else _plain_csv_text(safe)
    return fast if fast is not None else safe.to_csv(index=index, lineterminator="\n")


#: characters that make Python's csv writer (pandas' ``to_csv``, QUOTE_MINIMAL) quote a field
_QUOTED = re.compile(r'[,"\r\n]')


def _plain_csv_text(df: pd.DataFrame) -> str | None:
    """``df.to_csv(index=False, lineterminator="\\n")``, byte for byte, without pandas' writer, or None.

    Why: pandas formats a float column with numpy's ``astype(str)`` and writes row by row through the
    csv module; on a 100,000-row ranking that is half the command's time. Here only frames whose every
    cell is written without quoting or NA text take the short route: float64 columns of finite values
    (Python's ``repr``, the same shortest round-trip digits numpy writes), int64 columns, and text
    columns of ``str`` holding none of ``, " CR LF``; two columns or more (a lone empty field is quoted).
    Anything else returns None and pandas writes it (tests/mcda/test_export_plain_csv.py)."""
    import numpy as np

    names = list(df.columns)
    if len(names) < 2 or not all(type(c) is str and not _QUOTED.search(c) for c in names):
        return None
    cols: list[Any] = []
    for j in range(len(names)):
        s = df.iloc[:, j]
        kind = s.dtype.kind if isinstance(s.dtype, np.dtype) else None
        if s.dtype == np.float64:
            a = s.to_numpy()
            if not np.isfinite(a).all():
                return None
            cols.append(map(float.__repr__, a.tolist()))
        elif s.dtype == np.int64:
            cols.append(map(str, s.to_numpy().tolist()))
        elif kind == "O" or pd.api.types.is_string_dtype(s.dtype):
            if s.isna().any():
                return None
            vals = s.tolist()
            if kind == "O" and pd.api.types.infer_dtype(vals, skipna=False) != "string":
                return None
            joined = "".join(vals)
            if any(ch in joined for ch in ',"\r\n'):
                return None
            cols.append(vals)
        else:
            return None
    if len(df) == 0:
        return ",".join(names) + "\n"
    return ",".join(names) + "\n" + "\n".join(map(",".join, zip(*cols, strict=True))) + "\n"


def to_csv(
    df: pd.DataFrame, dest: str | os.PathLike | IO[str] | None, index: bool = False, make_parents: bool = False
) -> None:
    """Write ``df`` as safe CSV to a path (atomically), to an open text stream, or to stdout (None or '-').

    A missing parent folder is an error (``rank --out no/such/a.csv``) unless ``make_parents``."""
    text = csv_text(df, index)
    if dest is None or (isinstance(dest, str) and dest == "-"):
        sys.stdout.write(text)
    elif hasattr(dest, "write"):
        dest.write(text)
    else:
        write_atomic(dest, text.encode("utf-8"), make_parents=make_parents)


def xlsx_bytes(sheets: Mapping[str, pd.DataFrame]) -> bytes:
    """One workbook, a sheet per table (names cut to Excel's 31 characters); text never a formula."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        for name, df in sheets.items():
            safe = safe_frame(df)
            for j in range(safe.shape[1]):
                col = safe.iloc[:, j]
                if _is_text_column(col):
                    safe.isetitem(
                        j, col.map(lambda v: _XLSX_ILLEGAL.sub("\ufffd", v) if isinstance(v, str) else v).array
                    )
            safe.columns = [_XLSX_ILLEGAL.sub("\ufffd", c) if isinstance(c, str) else c for c in safe.columns]
            safe.to_excel(xw, sheet_name=name[:31], index=False)
            _no_formulas(xw.sheets[name[:31]])
    return buf.getvalue()


def _no_formulas(ws: Any) -> None:  # an openpyxl Worksheet (openpyxl has no type information)
    """Store every string cell as a string: never a formula ('f') or an error value ('e')."""
    for row in ws.iter_rows():
        for cell in row:
            if cell.data_type in ("f", "e") and isinstance(cell.value, str):
                cell.data_type = "s"


# ---------------------------------------------------------------------------------------------
# atomic single files
# ---------------------------------------------------------------------------------------------
def _remove_stale_temps(path: Path) -> None:
    """Remove hidden temp files of earlier, killed writes of ``path`` (those no live writer holds)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: leave them
        return
    pat = re.compile(rf"^\.{re.escape(path.name)}\.\d+-[0-9a-f]{{8}}{re.escape(_TMP_SUFFIX + path.suffix)}$")
    try:
        names = os.listdir(path.parent)
    except OSError:
        return
    for n in names:
        if not pat.match(n):
            continue
        p = path.parent / n
        try:
            fd = os.open(p, os.O_RDONLY)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a live writer holds its temp file locked
        except OSError:
            os.close(fd)
            continue
        with contextlib.suppress(OSError):
            os.unlink(p)
        os.close(fd)


def fsync_dir(path: str | os.PathLike) -> None:
    """fsync a folder, so a rename inside it survives a power cut (no-op where unsupported)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_file(path: str | os.PathLike, make_parents: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; when the block ends without error, the file written
    there is fsynced and renamed over ``path``. On error (or a kill) ``path`` is left as it was.
    A missing parent folder is an error (FileNotFoundError) unless ``make_parents``."""
    path = Path(os.path.realpath(path))  # through a symlink to the file it names, as open() would
    if path.is_dir():
        raise IsADirectoryError(21, "is a folder, not a file", str(path))
    parent = path.parent
    if make_parents:
        parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temps(path)
    fd, tmp_name = _make_temp(path)
    tmp = Path(tmp_name)
    try:
        yield tmp
        with contextlib.suppress(OSError):  # keep the mode of the file it replaces
            os.chmod(tmp, os.stat(path).st_mode & 0o7777)
        sys.audit("fulcrum.output", "replace", str(tmp), str(path))
        wfd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(wfd)
        finally:
            os.close(wfd)
        os.replace(tmp, path)
        fsync_dir(parent)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    finally:
        os.close(fd)  # releases the writer's lock on the temp file


def _make_temp(path: Path) -> tuple[int, str]:
    """Create ``.NAME.<pid>-<random>.fulcrum-tmp.SUFFIX`` beside ``path`` (mode 0666 less the umask), locked."""
    import secrets

    while True:
        # the destination's suffix kept last: writers that check it (.mps / .lp) accept the temp file
        name = str(path.parent / f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}{_TMP_SUFFIX}{path.suffix}")
        try:
            fd = os.open(name, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        try:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except ImportError:  # pragma: no cover
            pass
        return fd, name


def write_atomic(path: str | os.PathLike, data: bytes, make_parents: bool = False) -> Path:
    """Write ``data`` to ``path`` atomically (see :func:`atomic_file`)."""
    with atomic_file(path, make_parents=make_parents) as tmp, open(tmp, "wb") as fh:
        fh.write(data)
    return Path(path)
