"""User text shown as text: the one helper every page uses before a string reaches Markdown.

Streamlit renders Markdown (and its own extensions: ``$math$``, ``:red[colour]``, ``:emoji:`` and
``:material/icons:``) in ``st.markdown``, ``st.caption``, the alert boxes, ``st.table`` cells, tab
and metric labels, widget labels and ``help`` tooltips. A scenario name such as
``![x](http://evil.example/a.png)`` would make the planner's browser fetch from another host, and
``[link](javascript:...)`` would become a link. ``esc`` backslash-escapes every character that can
start such a construct, so the text appears literally, character for character.

Where to use it: every piece of text that comes from the planner or from their files — scenario
name and description, alternative ids and names, criterion ids and labels of uploaded data, expert
names, exclusion and filter reasons, file names — and every library message that can quote them
(``InputError`` text, notes, missing-data lines). Fixed wording written in this package needs none.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

# characters that start a Markdown/HTML/Streamlit construct anywhere in a line (CommonMark lets any
# ASCII punctuation be backslash-escaped; these are the ones that matter inline)
_INLINE = re.compile(r"([\\`*\[\]<>$~|&{}])")
# "_" opens or closes emphasis only next to a non-alphanumeric character: an id such as
# china_import_share stays as it is (CommonMark: intraword "_" is literal)
_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")
# Streamlit's own shortcodes (:smile:, :material/home:, :red[text]) and GFM's bare-URL and e-mail
# autolinks are recognised after backslash escapes are resolved, so a backslash does not stop them:
# a WORD JOINER (U+2060, zero width, invisible) after the colon / before the dot or @ breaks them
WJ = "\u2060"
_SHORTCODE = re.compile(r":(?=[A-Za-z0-9_+\-/]+[:\\\[])")
_SCHEME = re.compile(r":(?=//)")
_WWW = re.compile(r"(?i)\b(www)\.")
_AT = re.compile(r"@")
# constructs that only count at the start of a line: heading, quote, list, setext rule, ordered list
_LINE_START = re.compile(r"^([#>+\-=])")
_ORDERED = re.compile(r"^(\d{1,9})([.)])")
_NEWLINES = re.compile(r"\r\n|\r|\n")


def _line(s: str) -> str:
    lead = len(s) - len(s.lstrip(" \t"))
    body = s[lead:]
    body = _INLINE.sub(r"\\\1", body)
    body = _UNDERSCORE.sub(r"\\_", body)
    body = _SHORTCODE.sub(":" + WJ, body)
    body = _SCHEME.sub(":" + WJ, body)
    body = _WWW.sub(r"\1" + WJ + ".", body)
    body = _AT.sub(WJ + "@", body)
    body = _LINE_START.sub(r"\\\1", body)
    body = _ORDERED.sub(r"\1\\\2", body)
    # leading blanks would make an indented code block: keep them visible as no-break spaces
    return "\u00a0" * lead + body


def esc(value: Any, *, inline: bool = False) -> str:
    """``value`` as Markdown source that renders as exactly this text (no link, image, HTML, maths...).

    What the planner sees is the text itself; only the invisible word joiners described above are
    added (``plain`` removes them again, e.g. for comparing in tests).

    Line breaks are kept as hard line breaks; with ``inline=True`` they become spaces (for a name
    inside a sentence or a widget label).
    """
    s = "" if value is None else str(value)
    lines = _NEWLINES.split(s)
    if inline:
        return " ".join(_line(x) for x in lines)
    return "  \n".join(_line(x) for x in lines)


def escape_cells(df):
    """A copy of ``df`` for ``st.table`` (whose cells are Markdown): text cells escaped, header too."""
    out = df.copy()
    for c in out.columns:
        if out[c].dtype == object or str(out[c].dtype).startswith(("string", "str")):
            out[c] = out[c].map(lambda v: v if v is None or (isinstance(v, float) and v != v) else esc(v, inline=True))
    out.columns = [esc(c, inline=True) for c in out.columns]
    if out.index.dtype == object:
        out.index = [esc(i, inline=True) for i in out.index]
    return out


def plain(shown: str) -> str:
    """Text as rendered from ``esc`` output, without the invisible word joiners."""
    return shown.replace(WJ, "")


def named(text: str, names: Mapping[str, str]) -> str:
    """``text`` (a library message) with the first mention of each id of ``names`` — a whole word — written
    as the pages name it: ``wgi_ge cannot be ranked...`` -> ``Government effectiveness (wgi_ge) cannot be
    ranked...``; later mentions keep the short id.

    Left as they are: ids whose name is the id itself (in any case: ``gdp``, ``GDP``), ids already written as
    ``Name (id)``, and cell coordinates (``row ARG, column wgi_ge``: the data table's own labels). The id
    always stays in the text (it is what a scenario file or a data column says). Escape the result
    (:func:`esc`) before it reaches Markdown: names come from data files.
    """
    pairs = {
        str(k): str(v).strip()
        for k, v in names.items()
        if str(k) and str(v).strip() and str(v).strip().casefold() != str(k).casefold()
    }
    if not pairs or not text:
        return text
    ids = sorted(pairs, key=len, reverse=True)  # a longer id first where one id starts another
    pattern = re.compile(r"(?<![\w])(" + "|".join(re.escape(i) for i in ids) + r")(?![\w])")
    seen: set[str] = set()

    def repl(m: re.Match[str]) -> str:
        i = m.group(1)
        name = pairs[i]
        before, after = text[: m.start()], text[m.end() :]
        if i in seen or _COORDINATE.search(before):
            return i
        seen.add(i)
        if before.endswith(f"{name} (") and after.startswith(")"):
            return i  # already "Name (id)"
        return f"{name} ({i})"

    return pattern.sub(repl, text)


# "row ARG", "column wgi_ge", "rows ARG and BRA": a cell's coordinates in the data table, kept as ids
_COORDINATE = re.compile(r"(?i)\b(?:rows?|columns?)\s+(?:\S+(?:,|\s+and)\s+)?$")
