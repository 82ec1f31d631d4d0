"""How numbers and column names read on screen and in the printable reports: one place, pure functions.

Money in US$ with thousands separators (or US$ bn / M as fits), shares as %, indicator values in
the units of ``datasets/criteria.csv``, friendly column headers with a sentence of help, "–" for a
missing value, no raw solver slack (``-0.0000003`` reads 0), weights always as percent, a glossary
and one colour per criterion group. Display only: downloads and the command line keep machine
column names and full-precision numbers.
"""

from __future__ import annotations

import math
import re
from typing import Any

MISSING = "–"  # an en dash: a value that is not known (the reason goes on hover / in a note)
TINY = 1e-6  # |x| below this is solver round-off: shown as 0 (display only)


def _text(v: Any) -> str | None:
    """A value that is already text is shown as it is ('' as "–"); None for anything else."""
    if isinstance(v, str):
        return v if v.strip() else MISSING
    return None


def is_missing(v: Any) -> bool:
    """True for None, NaN and pandas' NA/NaT (a value to show as "–")."""
    if v is None:
        return True
    try:
        return bool(v != v)  # NaN, NaT
    except (TypeError, ValueError):  # pd.NA raises on bool()
        return True


def tidy(v: float, tiny: float = TINY) -> float:
    """``v`` with solver round-off removed: |v| < tiny becomes 0.0 (never "-0")."""
    return 0.0 if abs(v) < tiny else float(v)


def number(v: Any, digits: int = 2) -> str:
    """A plain number with thousands separators and at most ``digits`` decimals ("–" when missing)."""
    if (t := _text(v)) is not None:
        return t
    if is_missing(v):
        return MISSING
    x = tidy(float(v))
    if digits <= 0 or float(x).is_integer():
        return f"{x:,.0f}"
    s = f"{x:,.{digits}f}"
    return s.rstrip("0").rstrip(".") if "." in s else s


def money_usd(v: Any) -> str:
    """US dollars as a planner reads them: 683097891618.6 → 'US$ 683 bn', 12_300_000 → 'US$ 12.3M'."""
    if (t := _text(v)) is not None:
        return t
    if is_missing(v):
        return MISSING
    x = tidy(float(v), 0.5)
    a = abs(x)
    sign = "-" if x < 0 else ""
    if a >= 1e9:
        return f"{sign}US$ {_sig(a / 1e9)} bn"
    if a >= 1e6:
        return f"{sign}US$ {_sig(a / 1e6)}M"
    return f"{sign}US$ {a:,.0f}"


def money_musd(v: Any, digits: int | None = None) -> str:
    """An amount given in US$ millions: 362 → 'US$ 362.0M', 1638.4 → 'US$ 1,638M' (bn from 10,000M).

    ``digits`` decimals; by default one below US$1,000M and none from there (short enough for a metric)."""
    if (t := _text(v)) is not None:
        return t
    if is_missing(v):
        return MISSING
    if digits is None:
        digits = 1 if abs(float(v)) < 999.95 else 0
    x = tidy(float(v), 10 ** -(digits + 1))
    if abs(x) >= 10_000:
        return f"{'-' if x < 0 else ''}US$ {_sig(abs(x) / 1000)} bn"
    return f"{'-' if x < 0 else ''}US$ {abs(x):,.{digits}f}M"


def _sig(a: float) -> str:
    """Three significant figures, thousands separated: 683.09 → '683', 12.34 → '12.3', 1.234 → '1.23'."""
    if a >= 100:
        return f"{a:,.0f}"
    if a >= 10:
        return f"{a:.1f}"
    return f"{a:.2f}"


def pct(v: Any, digits: int = 1) -> str:
    """A share given as a fraction (0.125) shown as percent: '12.5%'."""
    if (t := _text(v)) is not None:
        return t
    if is_missing(v):
        return MISSING
    return f"{tidy(float(v), 10 ** -(digits + 4)) * 100:.{digits}f}%"


def points(v: Any, digits: int = 1) -> str:
    """A change of a share, as signed percentage points: 0.031 → '+3.1 pp'."""
    if (t := _text(v)) is not None:
        return t
    if is_missing(v):
        return MISSING
    x = tidy(float(v), 10 ** -(digits + 4)) * 100
    return f"{x:+.{digits}f} pp" if x else "0 pp"


def weight(v: Any) -> str:
    """A normalised criterion weight (fraction of 1): the one weight format of every page, e.g. '12.5%'."""
    return pct(v, 1)


def value_in_unit(v: Any, unit: Any) -> str:
    """An indicator value in its unit from criteria.csv: ('current US$', 683e9) → 'US$ 683 bn'."""
    if (t := _text(v)) is not None:
        return t
    if is_missing(v):
        return MISSING
    u = "" if is_missing(unit) else str(unit).strip()
    x = float(v)
    low = u.lower()
    if low.startswith("current us$ per person"):
        return f"{money_usd(x)} per person"
    if low.startswith(("current us$", "us$")) and "million" not in low and "ln(" not in low:
        return money_usd(x)
    if low.startswith("us$ million"):
        return money_musd(x)
    if low.startswith("%"):
        return f"{number(x, 1)}%"
    if low == "people":
        return f"{_sig(x / 1e6)} million people" if abs(x) >= 1e6 else f"{x:,.0f} people"
    if low == "year":
        return f"{x:.0f}"
    if low.startswith("km"):
        return f"{x:,.0f} km"
    if low.startswith("index 0-100"):
        return number(x, 1)
    if low.startswith(("index", "estimate")):
        return number(x, 3)
    return number(x, 3)


def unit_note(unit: Any) -> str:
    """The unit for a column's hover help ('' when unknown)."""
    return "" if is_missing(unit) else f"Unit: {unit}"


def short_label(label: Any) -> str:
    """A name without its parenthesised detail, for a narrow box: 'Infrastructure (rural roads)' → 'Infrastructure'."""
    s = str(label)
    head = s.split(" (")[0].strip()
    return head or s


# ----------------------------------------------------------------------------- column headers
HEADERS: dict[str, tuple[str, str]] = {
    # machine name: (header, help)
    "alternative": ("ID", "ISO 3166 alpha-3 code of the country."),
    "country": ("Country", ""),
    "name": ("Country", ""),
    "country_name": ("Country", ""),
    "rank": ("Rank", "1 = best under the current method and weights."),
    "score": ("Score", "The method's overall score (higher is better for every method shown here)."),
    "status": ("Shortlist", "Whether the country is on the shortlist, below the cut, or excluded."),
    "reason": ("Why", ""),
    "priority": ("Priority", "The country's share of the allocation priority, from its rank or score."),
    "project_type": ("Project type", ""),
    "type": ("Project type", ""),
    "aid_musd": ("Aid, US$M", "Grant aid allocated, in US$ millions."),
    "investment_musd": ("Investment, US$M", "Investment allocated, in US$ millions."),
    "total_musd": ("Total, US$M", "Aid plus investment, in US$ millions."),
    "benefit": (
        "Benefit (units)",
        (
            "Units of benefit: the model's objective, the sum of US$M allocated × impact per US$1M × the "
            "country's priority. A relative yardstick for comparing allocations, not money."
        ),
    ),
    "aid_share": ("Aid share", "Share of a project type's money that comes from the aid pool (0–100%)."),
    "impact_per_musd": ("Impact per US$1M", "Units of benefit one US$ million produces in this project type."),
    "min_size_musd": ("Minimum project size, US$M", ""),
    "weight": ("Weight", "Normalised weight: all weights sum to 100%."),
    "lower": (
        "Lowest weight",
        "The weight can fall to here (others keeping their proportions) with the same shortlist.",
    ),
    "upper": (
        "Highest weight",
        "The weight can rise to here (others keeping their proportions) with the same shortlist.",
    ),
    "change_down": (
        "Room downwards",
        "How far this weight can fall (percentage points, others rescaled) before the shortlist changes.",
    ),
    "change_up": (
        "Room upwards",
        "How far this weight can rise (percentage points, others rescaled) before the shortlist changes.",
    ),
    "leaves_below": ("Leaves below", "Countries that leave the shortlist just below the lower bound."),
    "enters_below": ("Enters below", "Countries that enter the shortlist just below the lower bound."),
    "leaves_above": ("Leaves above", "Countries that leave the shortlist just above the upper bound."),
    "enters_above": ("Enters above", "Countries that enter the shortlist just above the upper bound."),
    "holistic": (
        "Holistic acceptability",
        "SMAA's weighted acceptability: rank-1 share counts most, lower ranks less.",
    ),
    "expected_rank": ("Expected rank", "Average rank over all sampled weight vectors."),
    "confidence": (
        "Confidence factor",
        "Share of samples in which the country ranks first with its central weights (SMAA).",
    ),
    "shadow_price": (
        "Shadow price",
        "What one more unit of this limit (e.g. another US$1M) would add to the benefit.",
    ),
    "constraint": ("Constraint", ""),
    "meaning": ("In words", ""),
    "one_more_1m_adds": ("Another US$1M adds", "Units of benefit gained if this limit were US$1M looser."),
    "one_less_1m_loses": ("One US$1M less loses", "Units of benefit lost if this limit were US$1M tighter."),
    "slack_musd": ("Slack, US$M", "How far the constraint is from binding, in US$ millions (0 = binding)."),
    "binding": ("Binding", "The constraint holds with equality: it limits the allocation."),
    "slack": ("Slack", "How far the constraint is from binding (0 = binding)."),
    "label": ("Name", ""),
    "group": ("Group", ""),
    "direction": ("Direction", "Benefit: more is better. Cost: less is better."),
    "unit": ("Unit", ""),
    "source": ("Source", ""),
    "year": ("Year", "Year of the data actually used (a range when countries differ)."),
}

_RANK_N = re.compile(r"^rank_(\d+)$")
_TOP_N = re.compile(r"^top_(\d+)$")
_CW = re.compile(r"^cw_(.+)$")


def header(col: Any, labels: dict[str, str] | None = None) -> tuple[str, str]:
    """(friendly header, help sentence) for a machine column name; unknown names read as they are."""
    c = str(col)
    if c in HEADERS:
        return HEADERS[c]
    lab = labels or {}
    if m := _RANK_N.match(c):
        k = int(m.group(1))
        return (
            f"Ranked {_ordinal(k)}",
            f"SMAA rank acceptability: share of sampled weight vectors in which the country ranks {_ordinal(k)}.",
        )
    if m := _TOP_N.match(c):
        k = int(m.group(1))
        return (f"In top {k}", f"Share of sampled weight vectors in which the country makes the top {k}.")
    if c == "top_k":
        return ("In top k", "Share of sampled weight vectors in which the country makes the shortlist's top k.")
    if m := _CW.match(c):
        crit = m.group(1)
        return (
            f"Central weight: {lab.get(crit, crit)}",
            (
                "SMAA central weight: the average weight of this criterion over the samples in which the "
                "country ranks first (exists only for countries that ever rank first)."
            ),
        )
    if c in lab:
        return (lab[c], "")
    if c.endswith("_musd"):
        return (c[: -len("_musd")].replace("_", " ").capitalize() + ", US$M", "In US$ millions.")
    return (c.replace("_", " ") if "_" in c and c.islower() else c, "")


def headers(cols: Any, labels: dict[str, str] | None = None) -> dict[str, str]:
    """{machine name: friendly header} for many columns (for ``DataFrame.rename``)."""
    return {str(c): header(c, labels)[0] for c in cols}


def _ordinal(k: int) -> str:
    suffix = "th" if 10 <= k % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return f"{k}{suffix}"


# ----------------------------------------------------------------------------- glossary
UNITS_OF_BENEFIT = (
    "Units of benefit: the allocation model's yardstick — US$ millions allocated × the project type's "
    "impact per US$1M × the country's priority from the ranking. Useful for comparing allocations of "
    "the same scenario; it is not money."
)

GLOSSARY: dict[str, str] = {
    "TOPSIS": "Technique for Order Preference by Similarity to Ideal Solution: ranks countries by how close "
    "they are to an ideal country (best on every criterion) and how far from the worst.",
    "VIKOR": "Compromise ranking: balances the group's overall utility against the worst single-criterion "
    "regret; v sets the balance.",
    "PROMETHEE": "Outranking method: compares every pair of countries criterion by criterion; the net flow "
    "is how much a country outranks the others minus how much it is outranked.",
    "ELECTRE": "Outranking with concordance, discordance and vetoes: a country outranks another unless a "
    "criterion vetoes it.",
    "AHP": "Analytic Hierarchy Process: weights derived from pairwise judgements ('A matters 3× as much as "
    "B'); the consistency ratio (CR) should stay below 0.10.",
    "SMAA": "Stochastic Multicriteria Acceptability Analysis: re-ranks with thousands of random weight "
    "vectors within ranges to see how robust each rank is.",
    "Acceptability": "Share of the sampled weight vectors in which a country reaches a given rank (or the "
    "shortlist). 100% = it does under every plausible weighting.",
    "Central weight": "The average weights under which a country ranks first (SMAA).",
    "Shortlist": "The countries chosen from the ranking (top k, or by score) that the allocation funds.",
    "Weight": "How much a criterion counts; normalised so all weights sum to 100%.",
    "Normalisation": "Putting criteria on a common 0–1 scale before combining them (e.g. min-max).",
    "Shadow price": "What one more unit of a limit would add to the benefit — e.g. what another US$1M "
    "of aid is worth. Zero when the limit does not bind.",
    "Binding": "A constraint that holds with equality in the optimal allocation: it is what stops the "
    "model from doing better.",
    "Slack": "How far a constraint is from binding; zero slack = binding.",
    "Units of benefit": UNITS_OF_BENEFIT,
    "Efficient frontier": "The best benefit reachable at each total budget; its slope is what another US$1M is worth.",
    "Equity floor": "Every shortlisted country gets at least a share of an equal split of the money.",
    "As-of date": "The date the data is taken as it stood: only values published by then are used.",
}


# ----------------------------------------------------------------------------- criterion-group colours
GROUP_COLOURS: dict[str, str] = {
    "economic": "#1f6feb",
    "political": "#d97706",
    "geographic": "#1a7f37",
    "social": "#8250df",
    "environmental": "#0f766e",
    "other": "#6e7781",
}
_SPARE = ["#cf222e", "#0969da", "#bf8700", "#a475f9", "#57606a", "#e16f24"]


def group_colours(groups: Any) -> dict[str, str]:
    """{group: colour} for the groups given, the same colour for a group in the app and the reports."""
    out: dict[str, str] = {}
    spare = iter(_SPARE * 4)
    for g in dict.fromkeys(str(x) for x in groups):
        out[g] = GROUP_COLOURS.get(g.lower()) or next(spare, "#6e7781")
    return out


def finite(v: Any) -> bool:
    """True for a real, finite number."""
    try:
        return math.isfinite(float(v))
    except (TypeError, ValueError):
        return False
