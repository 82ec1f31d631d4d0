"""Scenario -> data -> DecisionProblem -> weights -> ranking -> shortlist, as one pure function.

The app, the command line and the allocation step all call `rank_scenario`, so the same scenario
gives the same ranking everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from fulcrum.scenario import Scenario, dataset_path
from mcda.errors import InputError
from mcda.problem import DecisionProblem
from mcda.shortlist import make_shortlist
from mcda.text import safe_repr


@dataclass
class RankingOutcome:
    """Everything a ranking run produced, for display, export and the allocation step.

    Made by :func:`rank_scenario`; the comment beside each field says what it holds, and
    :attr:`shortlist` is the shortlisted rows with their allocation priorities.
    """

    scenario: Scenario
    countries: pd.DataFrame  # the dataset used (all columns), indexed by alternative id
    criteria: pd.DataFrame  # metadata of the criteria in use (direction, label, group, ...)
    problem: DecisionProblem
    weights: pd.Series  # normalised, indexed by criterion id (those in the problem)
    ranking: pd.DataFrame  # alternative, score, rank, method, contrib_<criterion>...
    shortlist_table: pd.DataFrame  # every alternative with status and reason
    higher_is_better: bool = True
    notes: list[str] = field(default_factory=list)
    ahp: Any = None  # AHP hierarchy result when weights came from judgements
    as_of: Any = None  # mcda.data.AsOfReport when data.as_of replays the data on a date (None: latest data)
    data_notes: list[str] = field(default_factory=list)  # the data date and its flags (also in notes)
    tracks: list[RankingOutcome] = field(default_factory=list)  # each track's own outcome (fulcrum.tracks)
    track: str = ""  # the track's name, for a track's own outcome

    @property
    def shortlist(self) -> pd.DataFrame:
        """Shortlisted alternatives indexed by id: rank, score, priority (sums to 1), position.

        Cut once per shortlist table (a page reads it many times a rerun); each caller gets its own
        copy-on-write view, and a table replaced since (fulcrum.tracks) is cut again."""
        table = self.shortlist_table
        memo = self.__dict__.get("_shortlist_cut")
        if memo is None or memo[0] is not table:
            s = table[table["status"] == "shortlisted"]
            memo = (table, s.set_index("alternative")[["rank", "score", "priority", "position"]])
            self.__dict__["_shortlist_cut"] = memo
        return memo[1].copy(deep=False)


def load_dataset(scenario: Scenario) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """The scenario's data table and criteria metadata (:func:`load_dataset_as_of` without its report)."""
    countries, meta, _ = load_dataset_as_of(scenario)
    return countries, meta


def load_dataset_as_of(scenario: Scenario) -> tuple[pd.DataFrame, pd.DataFrame | None, Any]:
    """The scenario's data table (indexed by id) and criteria metadata (None for a user CSV).

    Parameters
    ----------
    scenario : Scenario
        Its ``data.dataset`` is ``default`` (the shipped countries table) or a file inside the
        scenario's folder.

    Returns
    -------
    tuple of (DataFrame, DataFrame or None, AsOfReport or None)
        The data table indexed by alternative id (as it stood on ``data.as_of`` when set: yearly
        indicators published by then, China-relations statuses from the dated events), the criteria
        metadata (shipped data only) and the replay's report (None for the latest data).

    Raises
    ------
    InputError
        A dataset outside the scenario's folder, or a file that cannot be read as a matrix.
    """
    from mcda import data as mdata

    spec = scenario.data
    path = dataset_path(scenario)  # None: shipped; else a file inside the scenario's folder (or InputError)
    if path is None:
        countries = mdata.load_countries()
        meta = mdata.load_criteria()
    else:
        from mcda.io import read_matrix

        try:
            countries = read_matrix(path)
        except InputError as e:
            raise InputError(e.one_line(), where="data.dataset") from None
        meta = None
    from fulcrum.asof import replay

    countries, as_of = replay(scenario, countries, shipped=path is None)
    if spec.candidates is not None:  # sets and counters: linear in the number of candidates
        from collections import Counter

        dup = sorted(c for c, k in Counter(spec.candidates).items() if k > 1)
        if dup:
            raise InputError(
                f"candidate(s) listed twice: {_some(dup)}", where="data.candidates", hint="List each candidate once."
            )
        known = set(countries.index)
        unknown = [c for c in spec.candidates if c not in known]
        if unknown:
            raise InputError(
                f"candidate(s) not in the dataset: {_some(unknown)}",
                where="data.candidates",
                hint="Use ids (ISO3 codes) present in the dataset.",
            )
        countries = countries.loc[list(spec.candidates)]
    return countries, meta, as_of


def _some(ids: list, shown: int = 10) -> str:
    """The first few ids of a long list, and how many more (an error message stays one short line)."""
    text = ", ".join(safe_repr(i, 40)[1:-1] for i in ids[:shown])
    return text + (f" and {len(ids) - shown:,} more" if len(ids) > shown else "")


def criteria_table(scenario: Scenario, meta: pd.DataFrame | None, available: pd.Index) -> pd.DataFrame:
    """Metadata for the scenario's criteria, with the scenario's direction overrides applied."""
    rows = []
    by_id = meta.to_dict("index") if meta is not None else {}  # read once: a row lookup per criterion was slow
    for i, c in enumerate(scenario.criteria):
        if c.id not in available:
            raise InputError(
                f"unknown criterion '{c.id}' (not a column of the dataset)",
                where=f"criteria[{i}].id",
                hint="Use a criterion id from datasets/criteria.csv or a column of your data file.",
            )
        base = dict(by_id.get(c.id, {}))
        direction = c.direction or base.get("direction")
        if direction is None:
            raise InputError(
                f"criterion '{c.id}' has no direction",
                where=f"criteria[{i}].direction",
                hint="Set direction to benefit or cost.",
            )
        rows.append({**base, "id": c.id, "direction": direction})
    return pd.DataFrame(rows).set_index("id")


def apply_transforms(scenario: Scenario, matrix: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Apply per-criterion transforms (log) before validation; blanks stay blank."""
    out = matrix.copy()
    notes = []
    for i, c in enumerate(scenario.criteria):
        if c.transform != "log":
            continue
        raw = out[c.id]
        col = pd.to_numeric(raw, errors="coerce")
        text = col.isna() & raw.notna() & (raw.astype(str).str.strip() != "")
        if text.any():
            row = col.index[int(text.to_numpy().argmax())]
            raise InputError(
                f"value {raw[row]!r} is not a number",
                where=f"row {row}, column {c.id}",
                hint="Use plain numbers; leave the cell blank if the value is unknown.",
            )
        bad = col.notna() & (col <= 0)
        if bad.any():
            row = col.index[int(bad.to_numpy().argmax())]
            raise InputError(
                f"{c.id} cannot be ranked on a log scale: {row} has {col[row]:g}, and a log needs values above 0",
                where=f"row {row}, column {c.id}",
                hint=f"Keep {c.id} on the linear scale (in a scenario file: criteria[{i}].transform none), "
                "or use a criterion whose values are all positive.",
            )
        out[c.id] = np.log(col)
        notes.append(f"Criterion {c.id} ranked on its natural log (transform: log).")
    return out, notes


def scenario_weights(
    scenario: Scenario, problem: DecisionProblem, crit: pd.DataFrame
) -> tuple[pd.Series, list[str], Any]:
    """Normalised weights for the problem's criteria, notes on what happened, and any AHP result."""
    from mcda import weights as mw

    notes: list[str] = []
    mode = scenario.weights.mode
    ahp_result = None
    entered: dict[str, float | None]
    if mode == "direct":
        entered = {c.id: c.weight for c in scenario.criteria}
    elif mode == "objective":
        w = mw.objective(problem, scenario.weights.objective_method)
        notes.append(f"Weights: objective ({scenario.weights.objective_method}) computed from the data.")
        return w, notes, None
    else:
        from mcda.ahp import weights_from_spec

        ahp = scenario.weights.ahp
        if ahp is None:  # the Scenario validator requires it in AHP mode; a hand-built object may lack it
            raise InputError("weights.mode is 'ahp' but there is no weights.ahp section", where="weights.ahp")
        ahp_result = weights_from_spec(ahp, crit)
        entered = {str(k): float(v) for k, v in ahp_result.global_weights.items()}
        notes.append("Weights: AHP (two-level hierarchy, " + ahp.method + ").")
    dropped = [c for c in entered if c not in problem.criterion_ids]
    if dropped:
        notes.append("Weights of dropped criteria removed before normalising: " + ", ".join(dropped) + ".")
    kept = {c: v for c, v in entered.items() if c in problem.criterion_ids}
    return mw.direct(kept, problem.criterion_ids), notes, ahp_result


def scale_warnings(method: object, problem: DecisionProblem) -> list[str]:
    """Warn when vector normalisation meets interval-scale data (values <= 0, e.g. WGI estimates).

    Vector normalisation (x / ||x||) assumes a ratio scale with a true zero; on columns that cross
    zero it is not invariant to shifting the scale and can rank very differently from every other
    method. Min-max normalisation is shift- and scale-invariant.
    """
    if getattr(method, "normalization", None) != "vector":
        return []
    cols = [c for j, c in enumerate(problem.criterion_ids) if (problem.values[:, j] <= 0).any()]
    if not cols:
        return []
    return [
        "Warning: vector normalisation on criteria with values <= 0 (" + ", ".join(cols) + "): these are interval "
        "scales without a true zero, where vector normalisation is not shift-invariant; consider min-max normalisation."
    ]


def method_of(scenario: Scenario) -> Any:
    """The scenario's ranking method object with its options: the one builder from a scenario's
    ``method`` section to an ``mcda.methods`` object (ranking, robustness, funding, app).

    Parameters
    ----------
    scenario : Scenario
        Its ``method`` section: name, normalization and method options.

    Returns
    -------
    RankingMethod
        Built by :func:`mcda.methods.get_method`.

    Raises
    ------
    InputError
        An unknown method name or an option the method refuses.
    """
    from mcda.methods import get_method

    opts = dict(scenario.method.options)
    if scenario.method.normalization is not None:
        opts["normalization"] = scenario.method.normalization
    return get_method(scenario.method.name, **opts)


def scenario_method(outcome: RankingOutcome) -> Any:
    """The ranking method object of a scenario run, with its options (as ``rank_scenario`` builds it; over
    tracks, the first track's, as the outcome's ``problem`` and ``ranking`` are)."""
    return method_of(outcome.tracks[0].scenario if outcome.tracks else outcome.scenario)


def eligible_alternatives(outcome: RankingOutcome) -> list:
    """Alternatives of a scenario run that may be shortlisted (not removed by a filter or an exclusion)."""
    t = outcome.shortlist_table
    return list(t.loc[t["status"] != "excluded", "alternative"])


def rank_scenario(scenario: Scenario) -> RankingOutcome:
    """Run the ranking part of a scenario end to end (pure: reads only the dataset it names).

    Data -> criteria -> transforms -> validated problem -> weights -> method -> ranking ->
    shortlist, with every note on the way (missing data, transforms, weights, scale warnings).

    Parameters
    ----------
    scenario : Scenario
        A validated scenario (:func:`fulcrum.scenario.load_scenario` or ``Scenario.model_validate``).

    Returns
    -------
    RankingOutcome
        The dataset, criteria, problem, weights, ranking and shortlist table (see its fields).

    Raises
    ------
    InputError
        Any input that does not fit: the dataset (file, row, column), a criterion, a weight, a
        method option or a shortlist filter, naming the scenario field.
    """
    if scenario.tracks is not None:  # several rankings with quotas, joined (fulcrum.tracks)
        from fulcrum.tracks import rank_tracks

        return rank_tracks(scenario)
    countries, meta, as_of = load_dataset_as_of(scenario)
    crit = criteria_table(scenario, meta, countries.columns)
    matrix, transform_notes = apply_transforms(scenario, countries[list(crit.index)])
    problem = DecisionProblem(matrix, crit, missing=scenario.data.missing)
    weights, notes, ahp_result = scenario_weights(scenario, problem, crit)
    from fulcrum.asof import as_of_notes, used_columns

    data_notes = as_of_notes(as_of, used_columns(scenario), list(countries.index))
    notes = data_notes + problem.missing_report.lines() + transform_notes + notes
    method = method_of(scenario)
    notes += scale_warnings(method, problem)
    ranking = method.rank(problem, weights)
    sl = scenario.shortlist
    table = make_shortlist(
        ranking,
        countries,
        sl.top_k,
        filters=sl.filters,
        exclusions=sl.exclusions,
        higher_is_better=method.higher_is_better,
        priority_rule=sl.priority,
    )
    n_short = int((table["status"] == "shortlisted").sum())
    if n_short < sl.top_k:
        notes.append(
            f"Only {n_short} alternative(s) pass the filters and exclusions, fewer than top_k = {sl.top_k}"
            + ("; the shortlist is empty and no allocation can be made." if n_short == 0 else ".")
        )
    return RankingOutcome(
        scenario=scenario,
        countries=countries,
        criteria=problem.criteria,
        problem=problem,
        weights=weights,
        ranking=ranking,
        shortlist_table=table,
        higher_is_better=method.higher_is_better,
        notes=notes,
        ahp=ahp_result,
        as_of=as_of,
        data_notes=data_notes,
    )
