"""Scenario file: one validated JSON document holding every input of a ranking (and allocation).

The same file is saved and loaded by the app and run by the command line, so a scenario gives
the same outputs everywhere. Validation is by pydantic with unknown fields forbidden, so a
misspelled field is an error naming the field, never silently ignored.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator, model_validator

from mcda.errors import InputError
from optimisation.spec import AllocationSpec
from optimisation.spec import format_validation_error as _format_pydantic_error

SCHEMA_VERSION = 1


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DataSpec(_Strict):
    """Which data to rank: the shipped country table or a user CSV, the candidate set, missing policy."""

    dataset: str = Field("default", min_length=1, description="'default' for the shipped countries.csv, or a CSV path (relative to the scenario file)")
    candidates: Optional[list[str]] = Field(None, description="ISO3 codes to rank; null = every row of the dataset")
    missing: Union[str, dict[str, str]] = Field(
        "error",
        description="error | drop_criterion | drop_alternative | impute:<median|mean|min|max|worst>, "
        "or {criterion id: policy, 'default': policy} to set it per criterion",
    )

    @field_validator("candidates", mode="before")
    @classmethod
    def _ids_as_text(cls, v):
        return [str(x) if isinstance(x, (int, float)) and not isinstance(x, bool) else x for x in v] if isinstance(v, list) else v

    @field_validator("missing")
    @classmethod
    def _known_policy(cls, v):
        from mcda.problem import MISSING_POLICIES

        for key, pol in ([("missing", v)] if isinstance(v, str) else list(v.items())):
            if pol not in MISSING_POLICIES:
                raise ValueError(f"unknown missing-data policy '{pol}' for {key}; use one of {', '.join(MISSING_POLICIES)}")
        return v


class CriterionSpec(_Strict):
    """A criterion switched on, its direction (default: the criteria file's) and direct weight."""

    id: str
    direction: Optional[Literal["benefit", "cost"]] = None
    weight: Optional[float] = Field(None, ge=0, allow_inf_nan=False, strict=True,
                                    description="direct weight (any scale; normalised and shown)")
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
    weight: float = Field(1.0, gt=0, strict=True, allow_inf_nan=False, description="weight of this expert in the geometric-mean aggregation")
    groups: list[Judgement] = Field(default_factory=list, description="judgements between criterion groups")
    within: dict[str, list[Judgement]] = Field(default_factory=dict, description="judgements between criteria of each group")


class AHPSpec(_Strict):
    groups: Optional[dict[str, list[str]]] = Field(None, description="group -> criterion ids; null = the criteria file's groups")
    experts: list[ExpertJudgements] = Field(min_length=1)
    method: Literal["eigen", "geometric"] = "eigen"
    ri_table: str = "saaty1980"
    allow_extended_scale: bool = False


class WeightsSpec(_Strict):
    mode: Literal["direct", "ahp", "objective"] = "direct"
    objective_method: Literal["entropy", "critic", "std", "equal"] = "entropy"
    ahp: Optional[AHPSpec] = None

    @model_validator(mode="after")
    def _ahp_present(self) -> "WeightsSpec":
        if self.mode == "ahp" and self.ahp is None:
            raise ValueError("weights.mode is 'ahp' but weights.ahp (the judgements) is missing")
        return self


class MethodSpec(_Strict):
    name: str = "topsis"
    normalization: Optional[Literal["vector", "minmax"]] = None
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
    def _id_as_text(cls, v):
        return str(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v


class ShortlistSpec(_Strict):
    top_k: int = Field(4, ge=1, strict=True)

    @field_validator("top_k", mode="before")
    @classmethod
    def _numpy_int(cls, v):
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


class Scenario(_Strict):
    schema_version: Literal[1] = SCHEMA_VERSION
    name: str = "Untitled scenario"
    description: str = ""
    data: DataSpec = Field(default_factory=DataSpec)
    criteria: list[CriterionSpec] = Field(min_length=1)
    weights: WeightsSpec = Field(default_factory=WeightsSpec)
    method: MethodSpec = Field(default_factory=MethodSpec)
    shortlist: ShortlistSpec = Field(default_factory=ShortlistSpec)
    allocation: Optional[AllocationSpec] = None
    _base_dir: Optional[Path] = PrivateAttr(None)

    @property
    def base_dir(self) -> Path:
        """Folder that relative dataset paths are read from (the scenario file's folder, else cwd)."""
        return self._base_dir or Path.cwd()

    @model_validator(mode="after")
    def _check_criteria(self) -> "Scenario":
        ids = [c.id for c in self.criteria]
        dups = sorted({i for i in ids if ids.count(i) > 1})
        if dups:
            raise ValueError(f"criteria listed twice: {', '.join(dups)}")
        if self.weights.mode == "direct":
            missing = [c.id for c in self.criteria if c.weight is None]
            if missing:
                raise ValueError(f"weights.mode is 'direct' but these criteria have no weight: {', '.join(missing)}")
        return self


def format_validation_error(err: ValidationError, source: str = "scenario") -> InputError:
    """Turn a pydantic ValidationError into one readable InputError naming the field path.

    Shares the allocation section's formatter (optimisation.spec) so a misspelled field anywhere
    gets a 'did you mean' suggestion.
    """
    e = _format_pydantic_error(err, prefix="", root=Scenario, hint="See scenarios/README.md for the scenario file format.")
    where = f"{source}, field {e.where}" if e.where else source
    return InputError(e.message, where=where, hint=e.hint)


def parse_scenario(doc: dict | str, source: str = "scenario") -> Scenario:
    """Validate a scenario from a dict or JSON text."""
    if isinstance(doc, str):
        try:
            doc = json.loads(doc)
        except json.JSONDecodeError as e:
            raise InputError(f"not valid JSON ({e.msg} at line {e.lineno}, column {e.colno})", where=source) from None
    if not isinstance(doc, dict):
        raise InputError("a scenario must be a JSON object", where=source)
    version = doc.get("schema_version", SCHEMA_VERSION)
    if version != SCHEMA_VERSION:
        raise InputError(f"schema_version {version!r} is not supported (this version reads {SCHEMA_VERSION})", where=source)
    try:
        return Scenario.model_validate(doc)
    except ValidationError as e:
        raise format_validation_error(e, source) from None


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario JSON file; the file's folder anchors relative dataset paths."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("file not found", where=str(path)) from None
    except UnicodeDecodeError:
        raise InputError("file is not UTF-8 text", where=str(path)) from None
    sc = parse_scenario(text, source=str(path))
    sc._base_dir = path.resolve().parent
    return sc


def scenario_to_json(scenario: Scenario) -> str:
    """Serialise a scenario to stable, human-readable JSON (round-trips through parse_scenario)."""
    return json.dumps(scenario.model_dump(mode="json", exclude_none=False), indent=2, ensure_ascii=False) + "\n"
