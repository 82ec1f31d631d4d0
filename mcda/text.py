"""The one rule for text a user hands the toolkit (names, ids, table cells, scenario fields).

Refused, with the place named (file, row and column of a table; field path of a scenario):

* U+0000 and every other C0 control character (U+0001-U+001F) and DEL (U+007F), except tab,
  line feed and carriage return in multi-line fields (a scenario's ``description`` and
  ``allocation.note``); a table cell, an id or a name is one line, so there they are refused too;
* C1 control characters (U+0080-U+009F);
* lone surrogates (U+D800-U+DFFF: JSON's ``"\\ud800"`` escapes), which cannot be written as UTF-8;
* Unicode non-characters (U+FDD0-U+FDEF and U+xxFFFE / U+xxFFFF in every plane), which XML
  (XLSX) forbids and no text should carry.

Such characters broke the XLSX export (openpyxl's IllegalCharacterError) and stopped a run after
half its files were written; refusing them once, at input, means every output can trust its text.
Everything else (accents, CJK, emoji, right-to-left text, markup-looking text such as ``<b>``) is
accepted: the writers escape what their format needs.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from mcda.errors import InputError

if TYPE_CHECKING:  # pandas is imported where a table is checked, not by every importer of the rule
    import pandas as pd

_NONCHARS = "\ufdd0-\ufdef\ufffe\uffff" + "".join(
    chr(p * 0x10000 + 0xFFFE) + chr(p * 0x10000 + 0xFFFF) for p in range(1, 17)
)
_ALWAYS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff" + _NONCHARS
#: characters refused in multi-line text (tab, LF and CR allowed)
BAD_MULTILINE = re.compile(f"[{_ALWAYS}]")
#: characters refused in one-line text (ids, names, cells, most scenario fields)
BAD_LINE = re.compile(f"[{_ALWAYS}\t\n\r]")

RULE_HINT = (
    "Remove control characters, NUL, unpaired surrogates and Unicode non-characters "
    "(tabs and line breaks are allowed only in a description or note)."
)


def describe(ch: str) -> str:
    """'U+000B (a control character)' for a refused character, never the character itself."""
    o = ord(ch)
    if 0xD800 <= o <= 0xDFFF:
        kind = "an unpaired surrogate"
    elif o <= 0x1F or 0x7F <= o <= 0x9F:
        kind = {0: "NUL", 9: "a tab", 10: "a line break", 13: "a carriage return"}.get(o, "a control character")
    else:
        kind = "a Unicode non-character"
    return f"U+{o:04X} ({kind})"


def first_bad(text: str, multiline: bool = False) -> int | None:
    """Index of the first refused character in ``text`` (None if the text is acceptable)."""
    if text.isprintable():  # fast path (C): every refused character is non-printable (Cc, Cs, Cn)
        return None
    m = (BAD_MULTILINE if multiline else BAD_LINE).search(text)
    return m.start() if m else None


def safe_repr(text: Any, limit: int = 60) -> str:
    """A short, printable rendering of user text for an error message (refused characters escaped)."""
    s = str(text)
    s = BAD_LINE.sub(lambda m: f"\\u{ord(m.group()):04x}", s)
    return repr(s if len(s) <= limit else s[:limit] + "...")


def check_text(text: str, where: str, *, multiline: bool = False, what: str = "text") -> None:
    """Raise InputError naming ``where`` if ``text`` holds a refused character (see module doc)."""
    i = first_bad(text, multiline)
    if i is not None:
        raise InputError(f"{what} contains {describe(text[i])} at character {i + 1}", where=where, hint=RULE_HINT)


def check_frame_text(df: pd.DataFrame, where: str, header_line: int = 1) -> None:
    """Check a freshly read table: header names, then every text cell (row named by the first column)."""
    import pandas as pd

    for j, name in enumerate(df.columns):
        if isinstance(name, str):
            check_text(name, f"{where}, line {header_line}, column {j + 1}", what="column name")
    if df.shape[1] == 0:
        return
    for j, col in enumerate(df.columns):
        s = df.iloc[:, j]
        if not (s.dtype == object or pd.api.types.is_string_dtype(s.dtype)):
            continue  # numbers: nothing to check
        # object: keep the str cells; a string dtype: every non-missing value is text
        texts = [v for v in s.tolist() if isinstance(v, str)] if s.dtype == object else s.dropna().tolist()
        if not texts or first_bad("".join(texts)) is None:  # one pass over the column, then per cell if needed
            continue
        for i, val in enumerate(s.tolist()):
            k = first_bad(val) if isinstance(val, str) else None
            if k is None:
                continue
            row_id = df.iat[i, 0] if j > 0 else None
            row = f"row {row_id}" if isinstance(row_id, str) and first_bad(row_id) is None else f"data row {i + 1}"
            raise InputError(
                f"cell contains {describe(val[k])} at character {k + 1}",
                where=f"{where}, {row}, column {col}",
                hint=RULE_HINT,
            )
