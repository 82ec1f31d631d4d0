"""Markdown tables for reports (ranking memo and allocation section share one formatter)."""
from __future__ import annotations

import pandas as pd


def md_table(df: pd.DataFrame, floatfmt: str = ".4f") -> str:
    """A GitHub-style markdown table; floats formatted with `floatfmt`, blanks for missing values."""
    cols = list(df.columns)
    out = ["| " + " | ".join(map(str, cols)) + " |", "|" + "---|" * len(cols)]
    for _, row in df.iterrows():
        cells = []
        for v in row:
            if isinstance(v, float):
                cells.append("" if pd.isna(v) else format(v, floatfmt))
            else:
                cells.append("" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v).replace("|", "/"))
        out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out)
