"""What makes a report memo-ready (issue 13 item 8): the sources and years of every criterion used,
and a robustness summary. Pure: tables and text for fulcrum.report (Markdown) and
fulcrum.report_html (HTML); the wording of values comes from fulcrum.format.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

import pandas as pd

from fulcrum import format as F
from fulcrum.markdown import md_table, md_text

if TYPE_CHECKING:
    from fulcrum.pipeline import RankingOutcome

SOURCES_NOTE = (
    "Sources, licences and derivation rules: datasets/SOURCES.md. Years are those of the values actually "
    "used for the countries ranked (the latest available per country"
)
SMAA_HOW = (
    "Not computed for this report. To see how robust the shortlist is to the weights: open the app's Robustness "
    "page (rank acceptability, pair swap, sweeps, stability), or set "
    '"robustness": {"data_uncertainty": "shipped"} in the scenario so that `fulcrum run` adds an SMAA '
    "section and smaa.csv (`fulcrum smaa` does the same for a decision-matrix file)."
)


def _outcomes(outcome: RankingOutcome) -> list[RankingOutcome]:
    """The outcome itself, or each track's outcome (a tracks scenario ranks each track on its own criteria)."""
    return list(outcome.tracks) if getattr(outcome, "tracks", None) else [outcome]


def _years(outcome: RankingOutcome, cid: str) -> str:
    """'2020–2025' / '2024': the years of the values used for the ranked countries ('' when not recorded)."""
    col = f"{cid}_year"
    c = outcome.countries
    if col not in c.columns:
        return ""
    ranked = outcome.ranking["alternative"] if "alternative" in outcome.ranking.columns else c.index
    y = pd.to_numeric(c[col].reindex(pd.Index(ranked)), errors="coerce").dropna()
    if y.empty:
        return ""
    lo, hi = int(y.min()), int(y.max())
    return str(lo) if lo == hi else f"{lo}–{hi}"


def sources_table(outcome: RankingOutcome) -> pd.DataFrame:
    """One row per criterion used: criterion, group, unit, source, years used (from the data, else criteria.csv)."""
    rows: dict[str, dict[str, str]] = {}
    for o in _outcomes(outcome):
        crit = o.criteria
        for cid in crit.index:
            if str(cid) in rows:
                continue
            r = crit.loc[cid]

            def get(k: str, r: Any = r) -> str:
                v = r.get(k)
                return "" if F.is_missing(v) else str(v)

            rows[str(cid)] = {
                "criterion": get("label") or str(cid),
                "group": get("group"),
                "unit": get("unit"),
                "source": get("source") or "the scenario's own data (no source recorded)",
                "years used": _years(o, str(cid)) or get("year"),
            }
    return pd.DataFrame(list(rows.values()), columns=["criterion", "group", "unit", "source", "years used"])


def _as_of_sentence(outcome: RankingOutcome) -> str:
    a = outcome.scenario.data.as_of
    return f"; data as it stood on {a})." if a else ")."


def sources_markdown(outcome: RankingOutcome) -> list[str]:
    """'## Sources and years' of report.md."""
    t = sources_table(outcome)
    if t.empty:
        return []
    return ["", "## Sources and years", "", md_table(t), "", md_text(SOURCES_NOTE + _as_of_sentence(outcome))]


def sources_html(outcome: RankingOutcome) -> str:
    """The sources-and-years table of report.html (criterion names in their group's colour)."""
    t = sources_table(outcome)
    if t.empty:
        return ""
    colours = F.group_colours(t["group"])
    head = "".join(f"<th>{escape(c)}</th>" for c in t.columns)
    body = []
    for _, r in t.iterrows():
        sw = (
            f'<span class=swatch style="background:{colours[r["group"]]}"></span>'
            if r["group"] in colours and r["group"]
            else ""
        )
        cells = [f"<td>{sw}{escape(r['criterion'])}</td>"] + [f"<td>{escape(str(r[c]))}</td>" for c in t.columns[1:]]
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f"<table class=sources><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
        f"<p class=caption>{escape(SOURCES_NOTE + _as_of_sentence(outcome))}</p>"
    )


# ------------------------------------------------------------------------------ robustness
def cut_margin(outcome: RankingOutcome) -> str:
    """The score gap at the shortlist's cut, in words ('' when there is no cut to speak of)."""
    if getattr(outcome, "tracks", None):  # each track has its own cut: no single margin to state
        return ""
    sl = list(outcome.shortlist.index)
    r = outcome.ranking
    if not sl or "alternative" not in r.columns:
        return ""
    names = outcome.countries["country"] if "country" in outcome.countries.columns else None

    def name(a: str) -> str:
        return f"{names.get(a, a)} ({a})" if names is not None else str(a)

    ranked = r.sort_values("rank", kind="stable")
    inside = ranked[ranked["alternative"].isin(sl)]
    eligible = [str(a) for a in getattr(outcome, "eligible", []) or []] or None
    below = ranked[~ranked["alternative"].isin(sl) & (ranked["rank"] > inside["rank"].max())]
    if eligible is not None:
        below = below[below["alternative"].isin(eligible)]
    if inside.empty or below.empty:
        return ""
    last, nxt = inside.iloc[-1], below.iloc[0]
    gap = abs(float(last["score"]) - float(nxt["score"]))
    spread = float(ranked["score"].max() - ranked["score"].min()) or 1.0
    return (
        f"At the cut, the last country on the shortlist, {name(last['alternative'])} (score {last['score']:.4f}), "
        f"leads the first below it, {name(nxt['alternative'])} (score {nxt['score']:.4f}), by {gap:.4f} "
        f"({F.pct(gap / spread)} of the range of scores)."
    )


def robustness_markdown(outcome: RankingOutcome, smaa_below: bool = False) -> list[str]:
    """'## Robustness' of report.md: the margin at the cut, and where the SMAA acceptability is (or how to get it)."""
    out = ["", "## Robustness", ""]
    m = cut_margin(outcome)
    if m:
        out += [md_text(m), ""]
    out.append(
        "SMAA rank acceptability of the shortlist: in the section below."
        if smaa_below
        else SMAA_HOW  # fixed wording: no user text in it
    )
    return out


def robustness_html(outcome: RankingOutcome, smaa_below: bool = False) -> str:
    """The robustness summary of report.html."""
    m = cut_margin(outcome)
    how = "SMAA rank acceptability of the shortlist: in the section below." if smaa_below else SMAA_HOW
    return (f"<p>{escape(m)}</p>" if m else "") + f"<p>{escape(how)}</p>"
