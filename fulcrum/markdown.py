"""Markdown for reports: one escaping function for user text, and the table formatter (ranking memo
and allocation section share both).

Every piece of text that comes from a user — scenario name and description, ids, country names,
criterion names, filter and exclusion reasons, notes, constraint names — goes into report.md through
:func:`md_text` (directly or via :func:`md_table`), so it renders as the text it is: ``<script>``
shows as "<script>", ``[x](http://evil)`` is not a link, ``**x**`` is not bold, ``# x`` is not a
heading. Escaping is minimal where it is safe, so ordinary text stays readable in the .md file:
``&``, ``<`` and ``>`` become HTML entities; markdown punctuation gets a backslash (CommonMark /
GitHub); ``_`` only where it could start or end emphasis (``gdp_per_capita`` stays as written);
line-start markers (``-``, ``+``, ``=``, ``1.``) only at the start of a line.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_BACKSLASHED = set("\\`*[]!|~#{}$")
_LINE_START = re.compile(r"^(\s*)(?:([-+=])|(\d+)([.)]))")


def md_text(value: object, inline: bool = True) -> str:
    """``value`` as markdown that renders as exactly that text (no HTML, links, emphasis, headings).

    ``inline``: for a table cell, list item or heading — line breaks become spaces. Otherwise (a
    paragraph) line breaks are kept and every line is escaped at its start.
    """
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    lines = [" ".join(text.split("\n"))] if inline else text.split("\n")
    return "\n".join(_line(ln) for ln in lines)


def _line(s: str) -> str:
    out = []
    for i, ch in enumerate(s):
        if ch in _ENTITIES:
            out.append(_ENTITIES[ch])
        elif ch in _BACKSLASHED:
            out.append("\\" + ch)
        elif ch == "_" and not (0 < i < len(s) - 1 and s[i - 1].isalnum() and s[i + 1].isalnum()):
            out.append("\\_")  # intraword underscores cannot make emphasis: leave them readable
        else:
            out.append(ch)
    t = "".join(out)
    t = t.lstrip(" \t")  # leading blanks are dropped by markdown anyway, and four would make a code block
    m = _LINE_START.match(t)
    if m:
        if m.group(2):
            t = f"{m.group(1)}\\{m.group(2)}{t[m.end() :]}"
        else:
            t = f"{m.group(1)}{m.group(3)}\\{m.group(4)}{t[m.end() :]}"
    return t


def md_table(df: pd.DataFrame, floatfmt: str = ".4f") -> str:
    """A GitHub-style markdown table; floats formatted with `floatfmt`, blanks for missing values,
    every text cell and header through :func:`md_text`."""
    cols = list(df.columns)
    out = ["| " + " | ".join(md_text(c) for c in cols) + " |", "|" + "---|" * len(cols)]
    for _, row in df.iterrows():
        cells = []
        for v in row:
            if isinstance(v, float):
                cells.append("" if pd.isna(v) else format(v, floatfmt))
            elif isinstance(v, (bool, int, np.integer)):
                cells.append(str(v))
            else:
                cells.append("" if v is None or (not isinstance(v, str) and pd.isna(v)) else md_text(v))
        out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out)
