"""Scenario file: one validated JSON document holding every input of a ranking (and allocation).

The same file is saved and loaded by the app and run by the command line, so a scenario gives
the same outputs everywhere. Validation is by pydantic with unknown fields forbidden, so a
misspelled field is an error naming the field, never silently ignored.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any, Final, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    SerializerFunctionWrapHandler,
    ValidationError,
    field_validator,
    model_serializer,
    model_validator,
)

from mcda.errors import InputError
from mcda.limits import MAX_INT_DIGITS, MAX_JSON_DEPTH, MAX_SCENARIO_BYTES, read_input_bytes
from mcda.text import check_text, first_bad, safe_repr
from optimisation.spec import AllocationSpec, _loc_to_path
from optimisation.spec import format_validation_error as _format_pydantic_error

SCHEMA_VERSION: Final = 1


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DataSpec(_Strict):
    """Which data to rank: the shipped country table or a user CSV, the candidate set, missing policy."""

    dataset: str = Field(
        "default",
        min_length=1,
        description="'default' for the shipped countries.csv, or a CSV/XLSX "
        "path inside the scenario file's folder (relative to it)",
    )
    candidates: list[str] | None = Field(None, description="ISO3 codes to rank; null = every row of the dataset")
    missing: str | dict[str, str] = Field(
        "error",
        description="error | drop_criterion | drop_alternative | impute:<median|mean|min|max|worst>, "
        "or {criterion id: policy, 'default': policy} to set it per criterion",
    )

    as_of: str | None = Field(
        None,
        description='"YYYY-MM-DD": replay the shipped data on that date (yearly indicators published by then, '
        "China-relations statuses from the dated events); null = the latest data",
    )

    @field_validator("as_of")
    @classmethod
    def _as_of_date(cls, v: str | None) -> str | None:
        """A real calendar date, not in the future (the data-start bound is checked with the data)."""
        if v is None:
            return v
        import datetime as dt

        from mcda.asof import parse_iso_date

        day = parse_iso_date(v)
        if day > dt.date.today():
            raise ValueError(f"{v} is in the future; give a date up to today, or leave as_of out for the latest data")
        return v

    @field_validator("candidates", mode="before")
    @classmethod
    def _ids_as_text(cls, v: Any) -> Any:
        return (
            [str(x) if isinstance(x, (int, float)) and not isinstance(x, bool) else x for x in v]
            if isinstance(v, list)
            else v
        )

    @field_validator("missing")
    @classmethod
    def _known_policy(cls, v: str | dict[str, str]) -> str | dict[str, str]:
        from mcda.problem import MISSING_POLICIES

        for key, pol in [("missing", v)] if isinstance(v, str) else list(v.items()):
            if pol not in MISSING_POLICIES:
                raise ValueError(
                    f"unknown missing-data policy '{pol}' for {key}; use one of {', '.join(MISSING_POLICIES)}"
                )
        return v


class CriterionSpec(_Strict):
    """A criterion switched on, its direction (default: the criteria file's) and direct weight."""

    id: str
    direction: Literal["benefit", "cost"] | None = None
    weight: float | None = Field(
        None, ge=0, allow_inf_nan=False, strict=True, description="direct weight (any scale; normalised and shown)"
    )
    transform: Literal["none", "log"] = Field(
        "none", description="log: rank on ln(value) (for heavily skewed sizes such as GDP); values must be > 0"
    )


class Judgement(_Strict):
    """'a is `value` times as important as b' (Saaty scale 1/9..9)."""

    a: str
    b: str
    value: float = Field(gt=0, strict=True, allow_inf_nan=False)


class ExpertJudgements(_Strict):
    name: str = "expert"
    weight: float = Field(
        1.0,
        gt=0,
        strict=True,
        allow_inf_nan=False,
        description="weight of this expert in the geometric-mean aggregation",
    )
    groups: list[Judgement] = Field(default_factory=list, description="judgements between criterion groups")
    within: dict[str, list[Judgement]] = Field(
        default_factory=dict, description="judgements between criteria of each group"
    )


class AHPSpec(_Strict):
    groups: dict[str, list[str]] | None = Field(
        None, description="group -> criterion ids; null = the criteria file's groups"
    )
    experts: list[ExpertJudgements] = Field(min_length=1)
    method: Literal["eigen", "geometric"] = "eigen"
    ri_table: str = "saaty1980"
    allow_extended_scale: bool = False


class WeightsSpec(_Strict):
    mode: Literal["direct", "ahp", "objective"] = "direct"
    objective_method: Literal["entropy", "critic", "std", "equal"] = "entropy"
    ahp: AHPSpec | None = None

    @model_validator(mode="after")
    def _ahp_present(self) -> WeightsSpec:
        if self.mode == "ahp" and self.ahp is None:
            raise ValueError("weights.mode is 'ahp' but weights.ahp (the judgements) is missing")
        return self


class MethodSpec(_Strict):
    name: str = "topsis"
    normalization: Literal["vector", "minmax"] | None = None
    options: dict[str, Any] = Field(default_factory=dict)


class FilterSpec(_Strict):
    """A hard filter on a dataset column, e.g. prc_relations == 1. Failing rows are excluded with `reason`."""

    column: str
    op: Literal["==", "!=", ">=", "<=", ">", "<", "in", "not in"] = "=="
    value: Any
    reason: str = Field(min_length=1)
    if_unknown: Literal["exclude", "keep"] = Field(
        "exclude", description="what to do when the row's value is blank (unknown): exclude it (default) or keep it"
    )


class ExclusionSpec(_Strict):
    """A manual exclusion; the reason is carried into every output."""

    id: str
    reason: str = Field(min_length=1)

    @field_validator("id", mode="before")
    @classmethod
    def _id_as_text(cls, v: Any) -> Any:
        return str(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v


class ShortlistSpec(_Strict):
    top_k: int = Field(4, ge=1, strict=True)

    @field_validator("top_k", mode="before")
    @classmethod
    def _numpy_int(cls, v: Any) -> Any:
        """numpy integers count as integers; text, booleans and floats stay errors (strict)."""
        import numbers

        return int(v) if isinstance(v, numbers.Integral) and not isinstance(v, bool) else v

    filters: list[FilterSpec] = Field(default_factory=list)
    exclusions: list[ExclusionSpec] = Field(default_factory=list)
    priority: Literal["score_share", "rank_sum", "equal"] = Field(
        "score_share",
        description="how shortlist scores become allocation priorities (sum to 1): score_share = min-max "
        "scaled score over all ranked alternatives (best 1, worst 0) divided by its shortlist sum; "
        "rank_sum = (k - r + 1) / sum; equal = 1/k",
    )


#: the sections a track holds (the same models and meaning as the scenario's own sections)
TRACK_SECTIONS: Final = ("criteria", "weights", "method", "shortlist")


def _check_ranking_sections(owner: Any) -> None:
    """Criteria listed once; in direct mode every criterion has a weight (a scenario's or a track's)."""
    from collections import Counter

    dups = sorted(i for i, k in Counter(c.id for c in owner.criteria).items() if k > 1)
    if dups:
        raise ValueError(f"criteria listed twice: {', '.join(dups)}")
    if owner.weights.mode == "direct":
        missing = [c.id for c in owner.criteria if c.weight is None]
        if missing:
            raise ValueError(f"weights.mode is 'direct' but these criteria have no weight: {', '.join(missing)}")


class TrackSpec(_Strict):
    """One track: a named ranking with its own criteria, weights, method and shortlist (``top_k`` = its
    quota), each section the same model and meaning as the scenario's own section."""

    name: str = Field(min_length=1, description="the track's name, shown beside every country it picks")
    criteria: list[CriterionSpec] = Field(min_length=1)
    weights: WeightsSpec = Field(default_factory=WeightsSpec)
    method: MethodSpec = Field(default_factory=MethodSpec)
    shortlist: ShortlistSpec = Field(default_factory=ShortlistSpec)

    @field_validator("name")
    @classmethod
    def _named(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("a track name must not be blank")
        return v

    @model_validator(mode="after")
    def _check_criteria(self) -> TrackSpec:
        _check_ranking_sections(self)
        return self


class RobustnessSpec(_Strict):
    """Robustness a run reports: SMAA with the criterion values sampled from their stated uncertainty."""

    data_uncertainty: str = Field(
        "none",
        min_length=1,
        description="none | shipped (datasets/uncertainty.csv: WGI standard errors, with the shipped data) | "
        "a CSV id,criterion,sd[,year] inside the scenario file's folder",
    )
    widen_per_year: float = Field(
        0.0, ge=0, strict=True, allow_inf_nan=False, description="widen each sd by this share per year of age (0 = off)"
    )
    samples: int = Field(2000, ge=1, le=200_000, strict=True, description="SMAA samples `mcda run` draws")
    seed: int = Field(0, ge=0, strict=True, description="SMAA seed (same seed, same numbers)")
    weight_spread: float = Field(
        20.0, ge=0, le=100, strict=True, allow_inf_nan=False, description="weights sampled +-P%% around the scenario's"
    )


class Scenario(_Strict):
    """One planning scenario: every input of a run (data, criteria, weights, method, shortlist,
    allocation), validated as a whole.

    Read one with :func:`load_scenario` (a file) or :func:`parse_scenario` (text); each field's
    model and ``description`` say what it holds; unknown fields are refused. With ``tracks`` the
    ranking sections live in each track and the top-level ones must not be given.
    """

    schema_version: Literal[1] = SCHEMA_VERSION
    name: str = "Untitled scenario"
    description: str = ""
    data: DataSpec = Field(default_factory=DataSpec)
    criteria: list[CriterionSpec] = Field(default_factory=list)
    weights: WeightsSpec = Field(default_factory=WeightsSpec)
    method: MethodSpec = Field(default_factory=MethodSpec)
    shortlist: ShortlistSpec = Field(default_factory=ShortlistSpec)
    tracks: list[TrackSpec] | None = Field(
        None,
        min_length=1,
        description="several rankings with quotas: the final shortlist is each track's picks in track order, "
        "a country picked by an earlier track skipped by the later ones",
    )
    allocation: AllocationSpec | None = None
    robustness: RobustnessSpec | None = None
    _base_dir: Path | None = PrivateAttr(None)

    @property
    def base_dir(self) -> Path | None:
        """Folder a ``data.dataset`` path is read from (the scenario file's folder, or the folder the app
        passes); None for a scenario not read from a file, which may use only shipped dataset names."""
        return self._base_dir

    @field_validator("tracks")
    @classmethod
    def _unique_track_names(cls, v: list[TrackSpec] | None) -> list[TrackSpec] | None:
        from collections import Counter

        if v is not None:
            dups = [n for n, k in Counter(t.name.strip() for t in v).items() if k > 1]
            if dups:
                raise ValueError(f"track name '{dups[0]}' is used twice; give each track its own name")
        return v

    @model_validator(mode="after")
    def _check_criteria(self) -> Scenario:
        if self.tracks is not None:
            given = [f for f in TRACK_SECTIONS if f in self.model_fields_set]
            if given:
                raise ValueError(
                    f"{given[0]} is given at the top level and tracks as well: with tracks, each track holds its "
                    f"own {'/'.join(TRACK_SECTIONS)} (remove the top-level {given[0]})"
                )
            return self
        if not self.criteria:
            raise ValueError("criteria: give at least one criterion (or tracks, each with its own criteria)")
        _check_ranking_sections(self)
        return self

    @model_serializer(mode="wrap")
    def _dump(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """Without tracks the document is as before (no ``tracks`` key); with tracks the unused top-level
        ranking sections are left out, so a dump parses back."""
        doc = handler(self)
        if self.tracks is None:
            doc.pop("tracks", None)
        else:
            for f in TRACK_SECTIONS:
                doc.pop(f, None)
        return doc

    def track_scenario(self, i: int) -> Scenario:
        """Track ``i`` as a scenario of its own (shared data, the track's sections, no allocation): the
        input of the one ranking path (:func:`fulcrum.pipeline.rank_scenario`) for that track."""
        if self.tracks is None:
            raise ValueError("this scenario has no tracks")
        t = self.tracks[i]
        sc = Scenario.model_validate(
            {
                "name": t.name,
                "data": self.data.model_dump(),
                **{
                    f: getattr(t, f).model_dump() if f != "criteria" else [c.model_dump() for c in t.criteria]
                    for f in TRACK_SECTIONS
                },
            }
        )
        sc._base_dir = self._base_dir
        return sc


def format_validation_error(err: ValidationError, source: str = "scenario") -> InputError:
    """Turn a pydantic ValidationError into one readable InputError naming the field path.

    Shares the allocation section's formatter (optimisation.spec) so a misspelled field anywhere
    gets a 'did you mean' suggestion.
    """
    e = _format_pydantic_error(
        err, prefix="", root=Scenario, hint="See scenarios/README.md for the scenario file format."
    )
    where = f"{source}, field {e.where}" if e.where else source
    return InputError(e.message, where=where, hint=e.hint)


#: fields whose text may span lines (tab, line feed and carriage return allowed; see mcda.text)
MULTILINE_FIELDS = {"description", "allocation.note"}
#: dataset names that mean a shipped table rather than a file
SHIPPED_DATASETS = ("default",)


class _Object(dict):
    """A JSON object as parsed, remembering keys that appeared more than once."""

    duplicates: list[str]


def _object(pairs: list[tuple[str, Any]]) -> _Object:
    obj = _Object()
    obj.duplicates = []
    for k, v in pairs:
        if k in obj and k not in obj.duplicates:
            obj.duplicates.append(k)
        obj[k] = v
    return obj


def _int_literal(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > MAX_INT_DIGITS:
        raise InputError(
            f"a number with {digits:,} digits is not a usable value (the limit is {MAX_INT_DIGITS} digits)"
        )
    return int(text)


def _loads(text: str, source: str) -> Any:
    """json.loads with duplicate keys remembered and integer literals capped (NaN, Infinity and 1e999
    are refused by :func:`check_document`, which can name their field)."""
    try:
        return json.loads(text, object_pairs_hook=_object, parse_int=_int_literal)
    except json.JSONDecodeError as e:
        raise InputError(f"not valid JSON ({e.msg} at line {e.lineno}, column {e.colno})", where=source) from None
    except RecursionError:
        raise InputError(
            f"JSON nested too deeply (a scenario is at most {MAX_JSON_DEPTH} levels deep)", where=source
        ) from None
    except InputError as e:
        raise InputError(e.message, where=source, hint=e.hint) from None
    except ValueError as e:  # e.g. a float literal Python cannot convert
        raise InputError(f"not valid JSON ({safe_repr(e, 120)})", where=source) from None


def check_document(doc: Any, source: str = "scenario") -> None:
    """The checks JSON parsing cannot make: nesting depth, duplicate keys, NaN/Infinity anywhere and the
    text rule (mcda.text) for every key and string, each error naming the field path."""

    def field(loc: tuple) -> str:  # built only for an error message
        return f"{source}, field {_loc_to_path(loc, '') or '(top level)'}"

    multiline = {tuple(f.split(".")) for f in MULTILINE_FIELDS}
    stack: list[tuple[Any, tuple, int]] = [(doc, (), 0)]
    while stack:
        node, loc, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise InputError(
                f"nested more than {MAX_JSON_DEPTH} levels deep",
                where=field(loc),
                hint="A scenario is a few levels deep; see scenarios/README.md.",
            )
        if isinstance(node, dict):
            dups = getattr(node, "duplicates", None)
            if dups:
                key = dups[0]
                check_text(str(key), field(loc), what="a key")
                raise InputError(
                    f"key '{key}' appears more than once",
                    where=field(loc + (key,)),
                    hint="Give each field once (JSON readers differ on which copy wins).",
                )
            items = list(node.items())
            for k, v in reversed(items):
                if not isinstance(k, str):
                    continue
                if first_bad(k) is not None:
                    check_text(k, field(loc), what="a key")
                stack.append((v, loc + (k,), depth + 1))
        elif isinstance(node, list):
            for i in range(len(node) - 1, -1, -1):
                stack.append((node[i], loc + (i,), depth + 1))
        elif isinstance(node, str):
            if first_bad(node, loc in multiline) is not None:
                check_text(node, field(loc), multiline=loc in multiline)
        elif isinstance(node, float) and not math.isfinite(node):
            raise InputError(
                f"{node} is not a finite number",
                where=field(loc),
                hint="Give a finite number (NaN and Infinity are not JSON numbers).",
            )


def _check_sections(doc: dict, source: str) -> None:
    """Which ranking sections the document must (not) have: the top-level criteria without tracks; with
    tracks, none of criteria/weights/method/shortlist at the top level (no silent precedence)."""
    hint = "See scenarios/README.md (Tracks) for the scenario file format."
    if doc.get("tracks") is None:
        if "criteria" not in doc:
            raise InputError("required field is missing", where=f"{source}, field criteria", hint=hint)
        if isinstance(doc["criteria"], list) and not doc["criteria"]:
            raise InputError("give at least one criterion", where=f"{source}, field criteria", hint=hint)
        return
    for f in TRACK_SECTIONS:
        if f in doc:
            raise InputError(
                f"{f} is given at the top level and tracks as well; with tracks, each track holds its own {f}",
                where=f"{source}, field {f}",
                hint=f"Move the top-level {f} into the tracks that use it, or remove tracks.",
            )


def parse_scenario(doc: dict | str, source: str = "scenario", base_dir: str | Path | None = None) -> Scenario:
    """Validate a scenario from a dict or JSON text.

    ``base_dir`` is the folder a ``data.dataset`` path is read from (the scenario file's folder; the
    app passes its own); without it only shipped dataset names are allowed.
    """
    if isinstance(doc, str):
        doc = _loads(doc, source)
    check_document(doc, source)
    if not isinstance(doc, dict):
        raise InputError("a scenario must be a JSON object", where=source)
    version = doc.get("schema_version", SCHEMA_VERSION)
    if version != SCHEMA_VERSION:
        shown = safe_repr(version) if isinstance(version, str) else repr(version)[:40]
        raise InputError(f"schema_version {shown} is not supported (this version reads {SCHEMA_VERSION})", where=source)
    _check_sections(doc, source)
    try:
        sc = Scenario.model_validate(doc)
    except ValidationError as e:
        raise format_validation_error(e, source) from None
    except RecursionError:
        raise InputError("nested too deeply", where=source) from None
    sc._base_dir = Path(base_dir) if base_dir is not None else None
    return sc


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario JSON file; the file's folder anchors relative dataset paths.

    Parameters
    ----------
    path : str or Path
        A UTF-8 JSON file (a byte-order mark is accepted) within the size limit.

    Returns
    -------
    Scenario
        Validated; ``base_dir`` is the file's folder.

    Raises
    ------
    InputError
        A missing, oversized, non-UTF-8 or non-JSON file, or a field that does not validate
        (one line naming the field).
    """
    path = Path(path)
    data = read_input_bytes(path, "scenario file", MAX_SCENARIO_BYTES)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("file is not UTF-8 text", where=str(path)) from None
    if text.startswith("\ufeff"):  # a byte-order mark, as Windows editors write it
        text = text[1:]
    return parse_scenario(text, source=str(path), base_dir=path.resolve().parent)


def dataset_path(scenario: Scenario) -> Path | None:
    """The data file a scenario names (None for a shipped dataset), refused unless it is inside the
    scenario's folder (symlinks resolved): a scenario must not read files elsewhere on the machine."""
    name = scenario.data.dataset
    if name in SHIPPED_DATASETS:
        return None
    hint = (
        "Put the data file in the scenario file's folder (or a subfolder) and name it relative to it, e.g. "
        '"data.csv"; or use "default" for the shipped country data.'
    )
    return scenario_file(scenario, name, "data.dataset", hint)


def scenario_file(scenario: Scenario, name: str, where: str, hint: str) -> Path:
    """The one rule for a file a scenario names (``data.dataset``, ``allocation.pipeline``): relative to
    the scenario file's folder and inside it (symlinks resolved); refused otherwise, naming ``where``."""
    check_text(name, where, what="file name")
    base = scenario.base_dir
    if base is None:
        raise InputError(
            "this scenario was not read from a file, so it has no folder to read a data file from",
            where=where,
            hint=hint,
        )
    try:
        root = Path(base).resolve()
        target = (root / name).resolve()
    except (OSError, RuntimeError, ValueError):  # a symlink loop, a NUL byte
        raise InputError(f"{safe_repr(name)} cannot be resolved to a file", where=where, hint=hint) from None
    if not target.is_relative_to(root):
        raise InputError(f"{safe_repr(name)} is outside the scenario's folder", where=where, hint=hint)
    return target


def scenario_to_json(scenario: Scenario) -> str:
    """Serialise a scenario to stable, human-readable JSON (round-trips through parse_scenario)."""
    doc = scenario.model_dump(mode="json", exclude_none=False)
    if doc.get("robustness", 0) is None:  # an absent robustness section stays absent (files written before it)
        del doc["robustness"]
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
