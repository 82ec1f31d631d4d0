"""How numbers and names are written in the allocation's labels and messages (one place, so the
constraint labels, the binding-constraint sentences and the diagnosis all read the same)."""

from __future__ import annotations

import re

_UNSAFE = re.compile(r"[^A-Za-z0-9]")


def safe_name(s: object) -> str:
    """A solver-safe name part: every character but ASCII letters and digits becomes '_'."""
    return _UNSAFE.sub("_", str(s))


def musd(v: float) -> str:
    """US$ millions for labels: 12.3, 1,250, 0.05."""
    if v == 0:
        return "0"
    if abs(v) >= 100:
        return f"{v:,.0f}"
    return f"{v:.4g}"


def pct(v: float) -> str:
    """A fraction as a percentage for labels: 0.25 -> '25%'."""
    return f"{v * 100:.4g}%"


def type_name(p: str) -> str:
    """A project-type id in words: 'production_capacity' -> 'production capacity'."""
    return p.replace("_", " ")
