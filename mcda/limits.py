"""Size limits on what a user may hand the toolkit, checked before anything is read or allocated.

Every reader of a user's file (decision matrix and criteria CSV/XLSX, AHP judgement CSV, scenario
JSON) takes its bytes through :func:`read_input_bytes`, so a path that is missing, a folder, a
device (``/dev/zero``), a pipe, unreadable or too large is refused with one line naming it, and
the bytes read are bounded even if the file grows while it is read. The shape checks below run on
those bytes (header line, columns, rows) before pandas parses anything, and the SMAA check before
its n x n acceptability matrix and (samples x n) blocks are allocated.

The limits are generous for real work (``make bench`` ranks 100,000 x 20 on the command line;
SMAA runs millions of samples) and small enough that bad input fails fast in bounded memory:

=============================  ======================  ==========================================
what                           limit                   why
=============================  ======================  ==========================================
matrix / criteria file         256 MiB                 a 2,000,000 x 20 CSV is ~400 MB of numbers
XLSX workbook (unpacked)       256 MiB                 a zip expands ~10-100x: checked unpacked
header line                    1 MiB                   read with a byte cap, before parsing
columns                        1,000                   a 1,000,000-column header took 14.6 GB
data rows (rank, weights)      2,000,000
cells (rows x columns)         50,000,000              ~400 MB as floats
SMAA alternatives              1,000                   n x n acceptability; (20,000 x n) blocks
AHP judgement file / items     4 MiB / 200 items       an n x n matrix of judgements
scenario JSON                  16 MiB, depth 32
=============================  ======================  ==========================================
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from mcda.errors import InputError

MiB = 1024 * 1024
MAX_TABLE_BYTES = 256 * MiB
MAX_XLSX_UNPACKED_BYTES = 256 * MiB
MAX_HEADER_BYTES = 1 * MiB
MAX_COLUMNS = 1_000
MAX_ROWS = 2_000_000
MAX_CELLS = 50_000_000
MAX_SMAA_ALTERNATIVES = 1_000
MAX_JUDGEMENT_BYTES = 4 * MiB
MAX_AHP_ITEMS = 200
MAX_SCENARIO_BYTES = 16 * MiB
MAX_JSON_DEPTH = 32
#: longest integer literal accepted in a scenario (Python refuses > 4,300 digits with a ValueError)
MAX_INT_DIGITS = 100

#: one paragraph for the command-line help and the README
LIMITS_HELP = (
    f"Limits (bad input, exit 2): input files must be regular files; matrix/criteria files at most "
    f"{MAX_TABLE_BYTES // MiB} MiB (XLSX: {MAX_XLSX_UNPACKED_BYTES // MiB} MiB unpacked), a header line at most "
    f"{MAX_HEADER_BYTES // MiB} MiB, {MAX_COLUMNS:,} columns, {MAX_ROWS:,} data rows and {MAX_CELLS:,} cells; smaa "
    f"at most {MAX_SMAA_ALTERNATIVES:,} alternatives; AHP judgement files {MAX_JUDGEMENT_BYTES // MiB} MiB and "
    f"{MAX_AHP_ITEMS} items; scenario files {MAX_SCENARIO_BYTES // MiB} MiB."
)


def _size(n: int) -> str:
    return f"{n / MiB:.1f} MiB" if n >= MiB else f"{n:,} bytes"


def read_input_bytes(path: str | Path, what: str, max_bytes: int) -> bytes:
    """The bytes of a user's input file: a readable regular file of at most ``max_bytes``, else InputError.

    Opened without blocking (a FIFO never hangs the open) and checked on the open descriptor, so
    the file checked is the file read; at most ``max_bytes + 1`` bytes are ever read.
    """
    p = Path(path)
    where = str(p)
    try:
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputError("file not found", where=where, hint=f"Check the path of the {what}.") from None
    except IsADirectoryError:
        raise InputError("is a folder, not a file", where=where, hint=f"Give the path of the {what} file.") from None
    except PermissionError:
        raise InputError("cannot be read (permission denied)", where=where) from None
    except (OSError, ValueError) as e:  # ValueError: a NUL byte in the path
        raise InputError(
            f"cannot be opened ({getattr(e, 'strerror', None) or type(e).__name__})", where=where
        ) from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise InputError("is a folder, not a file", where=where, hint=f"Give the path of the {what} file.")
        if not stat.S_ISREG(st.st_mode):
            raise InputError(
                "is not a regular file (a device, pipe or socket)",
                where=where,
                hint=f"Give the path of a saved {what} file.",
            )
        if st.st_size > max_bytes:
            raise InputError(f"is {_size(st.st_size)}, above the limit of {_size(max_bytes)} for a {what}", where=where)
        chunks: list[bytes] = []
        total = 0
        first = min(max(st.st_size + 1, 8 * MiB), max_bytes + 1)  # the whole file in one read (no join copy)
        while total <= max_bytes:
            try:
                b = os.read(fd, first if not chunks else min(8 * MiB, max_bytes + 1 - total))
            except OSError as e:
                raise InputError(f"cannot be read ({e.strerror or type(e).__name__})", where=where) from None
            if not b:
                break
            chunks.append(b)
            total += len(b)
        if total > max_bytes:  # grew while being read
            raise InputError(f"is larger than the limit of {_size(max_bytes)} for a {what}", where=where)
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)
    finally:
        os.close(fd)


def check_header(data: bytes, where: str) -> int:
    """Byte offset just past the first non-blank line, refusing a header line over MAX_HEADER_BYTES."""
    start = 0
    while True:
        end = data.find(b"\n", start, start + MAX_HEADER_BYTES + 1)
        if end < 0:
            if len(data) - start > MAX_HEADER_BYTES:
                raise InputError(
                    f"the header line is longer than {_size(MAX_HEADER_BYTES)}",
                    where=f"{where}, line 1",
                    hint=f"A table may have at most {MAX_COLUMNS:,} columns.",
                )
            return len(data)
        if data[start:end].strip(b"\r\t \xef\xbb\xbf"):
            return end + 1
        start = end + 1


def check_table_shape(n_columns: int, n_lines: int, where: str) -> None:
    """Refuse a table whose header names too many columns or whose lines are too many (before parsing)."""
    if n_columns > MAX_COLUMNS:
        raise InputError(
            f"the header names {n_columns:,} columns, above the limit of {MAX_COLUMNS:,}",
            where=f"{where}, line 1",
            hint="Keep the id column and the criteria you rank on.",
        )
    if n_lines > MAX_ROWS:
        raise InputError(f"has about {n_lines:,} data rows, above the limit of {MAX_ROWS:,}", where=where)
    if n_columns * n_lines > MAX_CELLS:
        raise InputError(
            f"has about {n_columns * n_lines:,} cells ({n_lines:,} rows x {n_columns:,} columns), above "
            f"the limit of {MAX_CELLS:,}",
            where=where,
        )


def check_rows(n_rows: int, max_rows: int | None, where: str, what: str = "this command") -> None:
    """Refuse more data rows than ``max_rows`` (e.g. SMAA's alternatives) before the table is parsed."""
    if max_rows is not None and n_rows > max_rows:
        raise InputError(
            f"has {n_rows:,} data rows (alternatives); {what} takes at most {max_rows:,}",
            where=where,
            hint="Rank the full table with `rank`, then analyse a shortlist.",
        )


def check_smaa_size(n_alternatives: int, where: str = "matrix") -> None:
    """SMAA holds an n x n acceptability matrix and (20,000 x n) score blocks: bound n first."""
    check_rows(n_alternatives, MAX_SMAA_ALTERNATIVES, where, "SMAA")


def check_xlsx(data: bytes, where: str) -> None:
    """Refuse a workbook whose unpacked size is over the limit (a small zip can expand a thousandfold)."""
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            unpacked = sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return  # not a zip: openpyxl says so, with the file named
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise InputError(
            f"the workbook unpacks to {_size(unpacked)}, above the limit of {_size(MAX_XLSX_UNPACKED_BYTES)}",
            where=where,
        )
