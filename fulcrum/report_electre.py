"""ELECTRE III's own tables in the exports (issue 10, gap 4c): thresholds, concordance, credibility, the
distillation pre-orders and the vetoes that fired, in report.md, report.html and results.xlsx when a ranking
(or a track) uses ``electre3``. Render only: the tables are the method's ``explain`` tables
(:mod:`mcda.methods.electre3`) for the run's problem and weights."""

from __future__ import annotations

import pandas as pd

from fulcrum.pipeline import RankingOutcome, method_of

NAMES = ("electre3", "electre_iii")
WORDS = (
    "ELECTRE III's score is the net credibility flow; Roy's distillation is shown beside it: descending and "
    "ascending pre-orders (class 1 = best; s(lambda) = 0.3 - 0.15 lambda), the final partial pre-order "
    "(final_rank: 1 + how many alternatives precede it in both) and the incomparabilities. Concordance "
    "C(a, b) and credibility sigma(a, b) read row a, column b: how credible it is that a outranks b."
)
_TABLES = ("thresholds", "concordance", "credibility", "distillation", "vetoes")


def _rankings(outcome: RankingOutcome) -> list[tuple[str, RankingOutcome]]:
    """(label, outcome) of every ranking of the run that uses ELECTRE III ('' for a single ranking)."""
    outs = [(o.track, o) for o in outcome.tracks] if outcome.tracks else [("", outcome)]
    return [(t, o) for t, o in outs if o.scenario.method.name in NAMES]


def electre_tables(o: RankingOutcome) -> dict[str, pd.DataFrame]:
    """The ELECTRE III tables of one ranking (its method rebuilt from its scenario: the one builder)."""
    ex = method_of(o.scenario).explain(o.problem, o.weights)
    return {k: ex[k] for k in _TABLES if k in ex}


def _with_index(df: pd.DataFrame, name: str) -> pd.DataFrame:
    """The index as a first column (matrices: row alternative; thresholds: criterion)."""
    if isinstance(df.index, pd.RangeIndex):
        return df
    return df.rename_axis(name).reset_index()


def electre_markdown(outcome: RankingOutcome) -> list[str]:
    """Lines of the report.md section (none unless a ranking uses ELECTRE III)."""
    from fulcrum.markdown import md_table, md_text

    runs = _rankings(outcome)
    if not runs:
        return []
    lines = ["", "## ELECTRE III: outranking tables", "", md_text(WORDS)]
    for label, o in runs:
        t = electre_tables(o)
        if label:
            lines += ["", f"### Track '{md_text(label)}'"]
        lines += ["", "Thresholds (criterion units):", "", md_table(_with_index(t["thresholds"], "criterion"))]
        lines += ["", "Distillation:", "", md_table(_with_index(t["distillation"], "alternative"))]
        for k in ("concordance", "credibility"):
            lines += ["", f"{k.capitalize()} (row a outranks column b):", "", md_table(_with_index(t[k], "a").round(3))]
        v = t["vetoes"]
        lines += ["", f"Vetoes that lowered a credibility: {len(v)}."]
        if len(v):
            lines += ["", md_table(v[["a", "b", "criterion", "effect"]])]
    return lines


def electre_html(outcome: RankingOutcome) -> str:
    """The report.html section ('' unless a ranking uses ELECTRE III)."""
    from fulcrum.report_html import _e, _section, _table

    runs = _rankings(outcome)
    if not runs:
        return ""
    body = [f"<p>{_e(WORDS)}</p>"]
    for label, o in runs:
        t = electre_tables(o)
        if label:
            body.append(f"<h3>{_e(f'Track {label!r}')}</h3>")
        body += [
            "<h4>Thresholds (criterion units)</h4>",
            _table(_with_index(t["thresholds"], "criterion")),
            "<h4>Distillation</h4>",
            _table(_with_index(t["distillation"], "alternative")),
        ]
        for k in ("concordance", "credibility"):
            m = _with_index(t[k], "a")
            body += [
                f"<h4>{_e(k.capitalize())} (row a outranks column b)</h4>",
                _table(m, {str(c): ".3f" for c in m.columns if c != "a"}),
            ]
        v = t["vetoes"]
        body.append(f"<p>Vetoes that lowered a credibility: {len(v)}.</p>")
        if len(v):
            body.append(_table(v[["a", "b", "criterion", "effect"]]))
    return _section("ELECTRE III: outranking tables", body, major=False, sid="electre3")


def electre_sheets(outcome: RankingOutcome) -> dict[str, pd.DataFrame]:
    """XLSX sheets 'electre <table>' (with tracks 'electre <n> <table>'); none unless a ranking uses ELECTRE III."""
    out: dict[str, pd.DataFrame] = {}
    runs = _rankings(outcome)
    for label, o in runs:
        n = next((i for i, t in enumerate(outcome.tracks, start=1) if t.track == label), 0) if label else 0
        prefix = f"electre {n} " if n else "electre "
        for k, df in electre_tables(o).items():
            out[(prefix + k)[:31]] = _with_index(df, "criterion" if k == "thresholds" else "alternative")
    return out
