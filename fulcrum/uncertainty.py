"""A scenario's data uncertainty: which stated standard deviations apply, and SMAA with them.

The scenario field ``robustness.data_uncertainty`` names the table (``shipped`` = the stated
uncertainty of the shipped data, ``datasets/uncertainty.csv``; or a CSV inside the scenario's
folder); :func:`scenario_values` validates it against the scenario's ranking problem
(:func:`mcda.robustness_values.value_uncertainty`), :func:`scenario_smaa` runs SMAA-2 with the
weights around the scenario's and the values sampled, and :func:`smaa_markdown` /
:func:`smaa_table` are what ``mcda run`` writes. Funding acceptability stays weights-only.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from fulcrum.pipeline import RankingOutcome, method_of
from fulcrum.scenario import SHIPPED_DATASETS, Scenario
from mcda.errors import InputError
from mcda.text import safe_repr

WHERE = "robustness.data_uncertainty"
SHIPPED = "shipped"


def uncertainty_table(scenario: Scenario) -> tuple[pd.DataFrame, str] | None:
    """The scenario's uncertainty table as read and how reports name it (None when it asks for none)."""
    rb = scenario.robustness
    name = rb.data_uncertainty if rb is not None else "none"
    return table_for(scenario, name)


def table_for(scenario: Scenario, name: str) -> tuple[pd.DataFrame, str] | None:
    """The uncertainty table ``name`` (none | shipped | a CSV in the scenario's folder) for this scenario."""
    if name == "none":
        return None
    if name == SHIPPED:
        if scenario.data.dataset not in SHIPPED_DATASETS:
            raise InputError(
                "'shipped' uncertainty belongs to the shipped country data, but this scenario ranks its own "
                f"dataset {safe_repr(scenario.data.dataset, 60)}",
                where=WHERE,
                hint="Name a CSV id,criterion,sd beside the scenario file, or use none.",
            )
        from mcda.data import UNCERTAINTY_CSV, load_uncertainty

        return load_uncertainty(), f"datasets/{UNCERTAINTY_CSV.name}"
    base = scenario.base_dir
    hint = 'Use "none", "shipped", or a CSV id,criterion,sd[,year] inside the scenario file\'s folder.'
    if base is None:
        raise InputError(
            "this scenario was not read from a file, so it has no folder to read an uncertainty table from",
            where=WHERE,
            hint=hint,
        )
    try:
        root = Path(base).resolve()
        target = (root / name).resolve()
    except (OSError, RuntimeError, ValueError):
        raise InputError(f"{safe_repr(name)} cannot be resolved to a file", where=WHERE, hint=hint) from None
    if not target.is_relative_to(root):
        raise InputError(f"{safe_repr(name)} is outside the scenario's folder", where=WHERE, hint=hint)
    from mcda.io import read_uncertainty

    try:
        return read_uncertainty(target), name
    except InputError as e:
        raise InputError(e.one_line(), where=WHERE) from None


def values_for(outcome: RankingOutcome, name: str, widen_per_year: float = 0.0) -> Any:
    """The validated value uncertainty (``mcda.robustness_values.ValueUncertainty``) of a ranking run for
    the table ``name``; None for ``none``."""
    from mcda.robustness_values import value_uncertainty

    got = table_for(outcome.scenario, name)
    if got is None:
        return None
    table, source = got
    try:
        vu = value_uncertainty(
            outcome.problem,
            table,
            known_ids=[str(i) for i in outcome.countries.index],
            known_criteria=[str(c) for c in outcome.countries.columns],
            widen_rate=widen_per_year,
            source=source,
            where=source,
        )
    except InputError as e:
        raise InputError(e.one_line(), where=WHERE) from None
    vu = _year_notes(vu, outcome.countries)
    transformed = [c.id for c in outcome.scenario.criteria if c.transform != "none" and c.id in vu.measured_criteria]
    if transformed:
        raise InputError(
            f"criteria {', '.join(transformed)} carry a stated sd in their own units but are ranked on a transform",
            where=WHERE,
            hint="Set their transform to none, or rank without data uncertainty.",
        )
    return vu


def _year_notes(vu: Any, data: pd.DataFrame) -> Any:
    """Say so when an sd is stated for another year than the value it is applied to (``<criterion>_year``
    in the data, e.g. a value replayed as of an earlier date): the sd is still applied, as stated."""
    from dataclasses import replace

    cells = vu.cells
    if cells.empty or "year" not in cells:
        return vu
    off = []
    for r in cells.itertuples():
        col = f"{r.criterion}_year"
        if col not in data.columns or r.year is None or pd.isna(r.year):
            continue
        got = pd.to_numeric(pd.Series([data.at[r.alternative, col]] if r.alternative in data.index else []))
        year = float(r.year)  # a number here (None and NaN skipped above)
        if len(got) and pd.notna(got.iloc[0]) and float(got.iloc[0]) != year:
            off.append(f"{r.alternative}/{r.criterion} (value {int(got.iloc[0])}, sd {int(year)})")
    if not off:
        return vu
    note = f"The stated sd belongs to another year than the value for {len(off)} value(s): " + ", ".join(off[:10])
    note += f" and {len(off) - 10} more." if len(off) > 10 else "."
    return replace(vu, notes=(*vu.notes, note))


def scenario_values(outcome: RankingOutcome) -> Any:
    """The value uncertainty the scenario's ``robustness`` section asks for (None = values exact)."""
    rb = outcome.scenario.robustness
    if rb is None or rb.data_uncertainty == "none":
        return None
    return values_for(outcome, rb.data_uncertainty, rb.widen_per_year)


def scenario_smaa(outcome: RankingOutcome, values: Any, progress: Any = None) -> Any:
    """SMAA-2 of a run as its ``robustness`` section says: weights +-spread around the scenario's, the
    criterion values sampled from ``values`` (confidence factors and top-k confidence over value samples)."""
    from mcda.robustness_sampling import AroundWeights
    from mcda.robustness_smaa import smaa

    rb = outcome.scenario.robustness
    if rb is None:
        raise InputError("the scenario has no robustness section", where="robustness")
    n = len(outcome.problem.alternatives)
    k = max(1, min(outcome.scenario.shortlist.top_k, n))
    return smaa(
        outcome.problem,
        AroundWeights(outcome.problem, outcome.weights, rb.weight_spread),
        n_samples=rb.samples,
        seed=rb.seed,
        method=method_of(outcome.scenario),
        values=values,
        confidence_k=k if values is not None else None,
        progress=progress,
    )


def smaa_table(res: Any, k: int) -> pd.DataFrame:
    """``smaa.csv``: one row per alternative (rank_1, top_k, holistic, expected rank, confidence factors)."""
    summ = res.summary(k)
    return summ[[c for c in summ.columns if not str(c).startswith("cw_")]]


def measured_sentence(values: Any) -> str:
    """Which criteria carry measured uncertainty, and which are exact, in one sentence."""
    if values is None:
        return "Criterion values are exact (no data uncertainty sampled)."
    measured = ", ".join(values.measured_criteria) or "none of the criteria in use"
    exact = ", ".join(values.exact_criteria) or "none"
    return f"Criteria carrying measured uncertainty: {measured}. Exact: {exact}."


def smaa_markdown(res: Any, values: Any, k: int) -> str:
    """The report.md section of a run's SMAA with data uncertainty."""
    from fulcrum.markdown import md_table, md_text

    tab = smaa_table(res, k)
    lines = [
        "",
        "## Robustness: SMAA with data uncertainty",
        "",
        md_text(f"{res.n_samples} samples, seed {res.seed}; weights: {res.sampler}; {res.values or 'values exact'}."),
        "",
        md_text(measured_sentence(values)),
        "",
        md_text(
            "confidence: the share of value samples in which the country ranks first at its central weights "
            f"(SMAA-2); confidence_top_{k}: the share in which it is among the first {k}. Blank: it never ranks first."
        ),
        "",
        md_table(tab.round(4)),
    ]
    lines += ["", *[md_text(n) for n in values.notes]] if values is not None and values.notes else []
    return "\n".join(lines) + "\n"


def smaa_html(res: Any, values: Any, k: int) -> str:
    """The report.html section of a run's SMAA with data uncertainty (inserted before the footer)."""
    from fulcrum.report_html import _e, _section, _table

    tab = smaa_table(res, k)
    fmt = {c: ".4f" for c in tab.columns if c != "alternative"}
    body = [
        (
            f"<p>{_e(res.n_samples)} samples, seed {_e(res.seed)}; weights: {_e(res.sampler)}; "
            f"{_e(res.values or 'values exact')}.</p>"
        ),
        f"<p><strong>{_e(measured_sentence(values))}</strong></p>",
        (
            f"<p>confidence: the share of value samples in which the country ranks first at its central weights "
            f"(SMAA-2); confidence_top_{k}: the share in which it is among the first {k}. Blank: it never ranks "
            "first.</p>"
        ),
        _table(tab, formats=fmt),
    ]
    body += [f"<p>{_e(n)}</p>" for n in (values.notes if values is not None else ())]
    return _section("Robustness: SMAA with data uncertainty", body, major=False, sid="smaa")


# --------------------------------------------------------------------------- tracks


def track_values(outcome: RankingOutcome, name: str, widen_per_year: float = 0.0) -> list[Any]:
    """Per track (in track order), the validated value uncertainty of the track's own problem for the table
    ``name`` (None for ``none``); a track's error names the track."""
    out = []
    for o in outcome.tracks:
        try:
            out.append(values_for(o, name, widen_per_year))
        except InputError as e:
            raise InputError(f"track '{o.track}': {e.message}", where=e.where, hint=e.hint) from None
    return out


def scenario_track_values(outcome: RankingOutcome) -> list[Any] | None:
    """The per-track value uncertainty the scenario's ``robustness`` section asks for (None = values exact)."""
    rb = outcome.scenario.robustness
    if rb is None or rb.data_uncertainty == "none":
        return None
    return track_values(outcome, rb.data_uncertainty, rb.widen_per_year)


@dataclass
class TracksSMAA:
    """SMAA over tracks with the data sampled: each track's own SMAA-2 and the final shortlist's acceptability."""

    per_track: list[tuple[str, Any, int]]  # (track name, SMAAResult, the track's quota as k)
    final: Any  # fulcrum.tracks.TrackAcceptability (weights and values sampled, overlap rule per sample)
    values: list[Any]  # per track: ValueUncertainty or None


def scenario_tracks_smaa(outcome: RankingOutcome, values: list[Any] | None, progress: Any = None) -> TracksSMAA:
    """SMAA of a tracks run as its ``robustness`` section says: per track, SMAA-2 with the weights +-spread
    around the track's and its values sampled (confidence over value samples, top-k = the track's quota);
    and how often each country is in the FINAL shortlist when every track's weights and values are sampled
    and the overlap rule is applied to each sample (:func:`fulcrum.tracks.track_acceptability`)."""
    from fulcrum.tracks import track_acceptability
    from mcda.robustness_sampling import AroundWeights
    from mcda.robustness_smaa import smaa

    rb = outcome.scenario.robustness
    if rb is None:
        raise InputError("the scenario has no robustness section", where="robustness")
    vals = [None] * len(outcome.tracks) if values is None else list(values)
    per = []
    for o, v in zip(outcome.tracks, vals, strict=True):
        k = max(1, min(o.scenario.shortlist.top_k, len(o.problem.alternatives)))
        res = smaa(
            o.problem,
            AroundWeights(o.problem, o.weights, rb.weight_spread),
            n_samples=rb.samples,
            seed=rb.seed,
            method=method_of(o.scenario),
            values=v,
            confidence_k=k if v is not None else None,
            progress=progress,
        )
        per.append((str(o.track), res, k))
    final = track_acceptability(outcome, spread=rb.weight_spread, n_samples=rb.samples, seed=rb.seed, values=vals)
    return TracksSMAA(per, final, vals)


def tracks_smaa_table(ts: TracksSMAA) -> pd.DataFrame:
    """``smaa.csv`` over tracks: each track's SMAA rows (as :func:`smaa_table`) under a first column ``track``."""
    parts = []
    for name, res, k in ts.per_track:
        t = smaa_table(res, k).copy()
        t.insert(0, "track", name)
        parts.append(t)
    return pd.concat(parts, ignore_index=True)


def final_table(ts: TracksSMAA) -> pd.DataFrame:
    """``smaa_final.csv``: share of samples in the final shortlist, picked by each track, in each track's top-k."""
    return ts.final.table


def _track_sentences(ts: TracksSMAA) -> list[str]:
    """Per track: how its values were sampled and which criteria carry measured uncertainty."""
    return [
        f"Track '{name}': {res.values or 'values exact'}. {measured_sentence(v)}"
        for (name, res, _), v in zip(ts.per_track, ts.values, strict=True)
    ]


FINAL_WORDS = (
    "final: the share of samples in which the country is in the final shortlist (every track's weights and "
    "values sampled, the overlap rule applied to each sample); picked_by:<track>: the share in which that "
    "track picked it; top_k:<track>: the share in which it is in that track's own top-k, as if the track ran alone."
)


def tracks_smaa_markdown(ts: TracksSMAA) -> str:
    """The report.md section of a tracks run's SMAA with data uncertainty."""
    from fulcrum.markdown import md_table, md_text

    res0 = ts.per_track[0][1]
    lines = [
        "",
        "## Robustness: SMAA with data uncertainty, per track and for the final shortlist",
        "",
        md_text(f"{res0.n_samples} samples, seed {res0.seed}; weights: {res0.sampler}, per track."),
        "",
        *[f"- {md_text(s)}" for s in _track_sentences(ts)],
    ]
    for name, res, k in ts.per_track:
        lines += [
            "",
            f"### Track '{md_text(name)}'",
            "",
            md_text(
                "confidence: the share of value samples in which the country ranks first at its central weights "
                f"(SMAA-2); confidence_top_{k}: the share in which it is among the track's first {k}. "
                "Blank: it never ranks first."
            ),
            "",
            md_table(smaa_table(res, k).round(4)),
        ]
    lines += ["", "### Final shortlist", "", md_text(FINAL_WORDS), "", md_table(final_table(ts).round(4))]
    notes = list(dict.fromkeys(n for v in ts.values if v is not None for n in v.notes))
    lines += ["", *[md_text(n) for n in notes]] if notes else []
    return "\n".join(lines) + "\n"


def tracks_smaa_html(ts: TracksSMAA) -> str:
    """The report.html section of a tracks run's SMAA with data uncertainty."""
    from fulcrum.report_html import _e, _section, _table

    res0 = ts.per_track[0][1]
    body = [
        f"<p>{_e(res0.n_samples)} samples, seed {_e(res0.seed)}; weights: {_e(res0.sampler)}, per track.</p>",
        "<ul>" + "".join(f"<li>{_e(s)}</li>" for s in _track_sentences(ts)) + "</ul>",
    ]
    for name, res, k in ts.per_track:
        tab = smaa_table(res, k)
        body += [
            f"<h3>{_e(f'Track {name!r}')}</h3>",
            _table(tab, formats={str(c): ".4f" for c in tab.columns if c != "alternative"}),
        ]
    fin = final_table(ts)
    body += [
        "<h3>Final shortlist</h3>",
        f"<p>{_e(FINAL_WORDS)}</p>",
        _table(fin, formats={str(c): ".4f" for c in fin.columns if c not in ("alternative", "name")}),
    ]
    notes = list(dict.fromkeys(n for v in ts.values if v is not None for n in v.notes))
    body += [f"<p>{_e(n)}</p>" for n in notes]
    return _section("Robustness: SMAA with data uncertainty, per track and final", body, major=False, sid="smaa")


def tracks_robustness_outputs(outcome: RankingOutcome, files: dict[str, bytes]) -> tuple[Any, str, str]:
    """``mcda run`` over tracks with ``robustness.data_uncertainty``: adds smaa.csv (per track, ``track``
    column) and smaa_final.csv (final shortlist) to ``files``; returns (TracksSMAA, report.md, report.html)."""
    from mcda.export import csv_text

    ts = scenario_tracks_smaa(outcome, scenario_track_values(outcome))
    files["smaa.csv"] = csv_text(tracks_smaa_table(ts)).encode("utf-8")
    files["smaa_final.csv"] = csv_text(final_table(ts)).encode("utf-8")
    return ts, tracks_smaa_markdown(ts), tracks_smaa_html(ts)
