"""The project's two descriptions of itself agree: requirements*.txt (exact pins, what `make venv`
and Streamlit deployments install) and pyproject.toml (what `pip install .` declares).

- every pinned runtime requirement is a ``[project].dependencies`` entry whose specifier the pin
  satisfies, and every dependency is pinned;
- the same between requirements-dev.txt and the union of the ``test`` and ``dev`` extras;
- every ``[project.scripts]`` entry (the ``fulcrum`` console command) names a callable that exists.
"""

from __future__ import annotations

import importlib
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version


def _root() -> Path:
    """The folder holding pyproject.toml (wherever this file sits under tests/)."""
    for d in Path(__file__).resolve().parents:
        if (d / "pyproject.toml").is_file():
            return d
    raise AssertionError("no pyproject.toml above tests/")


ROOT = _root()
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _pins(name: str) -> dict[str, Version]:
    """canonical name -> pinned version of a requirements file (its own lines, not its -r includes)."""
    out: dict[str, Version] = {}
    for n, raw in enumerate((ROOT / name).read_text(encoding="utf-8").splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith("-r "):
            continue
        req = Requirement(line)
        specs = list(req.specifier)
        assert len(specs) == 1 and specs[0].operator == "==", f"{name}:{n}: {line!r} is not an exact pin (==)"
        key = canonicalize_name(req.name)
        assert key not in out, f"{name}:{n}: {req.name} pinned twice"
        out[key] = Version(specs[0].version)
    return out


def _declared(entries: list[str]) -> dict[str, Requirement]:
    """canonical name -> requirement of a pyproject dependency list."""
    out: dict[str, Requirement] = {}
    for e in entries:
        req = Requirement(e)
        key = canonicalize_name(req.name)
        assert key not in out, f"pyproject.toml declares {req.name} twice"
        out[key] = req
    return out


def _mismatches(pins: dict[str, Version], declared: dict[str, Requirement]) -> list[str]:
    """What keeps a pinned file and a pyproject list from describing the same set."""
    out = [f"{k} is pinned but not declared in pyproject.toml" for k in sorted(pins.keys() - declared.keys())]
    out += [f"{k} is declared in pyproject.toml but not pinned" for k in sorted(declared.keys() - pins.keys())]
    out += [
        f"{k}=={pins[k]} does not satisfy pyproject's {declared[k]}"
        for k in sorted(pins.keys() & declared.keys())
        if not declared[k].specifier.contains(pins[k], prereleases=True)
    ]
    return out


def test_runtime_pins_match_project_dependencies() -> None:
    assert _mismatches(_pins("requirements.txt"), _declared(PYPROJECT["project"]["dependencies"])) == []


def test_dev_pins_match_test_and_dev_extras() -> None:
    extras = PYPROJECT["project"]["optional-dependencies"]
    assert _mismatches(_pins("requirements-dev.txt"), _declared(extras["test"] + extras["dev"])) == []


def test_dev_requirements_build_on_the_runtime_pins() -> None:
    lines = [ln.strip() for ln in (ROOT / "requirements-dev.txt").read_text(encoding="utf-8").splitlines()]
    assert "-r requirements.txt" in lines


def test_a_drifted_pin_is_reported() -> None:
    """The comparison itself: a pin outside the declared range, and a package on one side only."""
    declared = _declared(["numpy>=2.4.6", "pandas>=3.1.1"])
    pins = {"numpy": Version("2.4.5"), "scipy": Version("1.17.1")}
    assert _mismatches(pins, declared) == [
        "scipy is pinned but not declared in pyproject.toml",
        "pandas is declared in pyproject.toml but not pinned",
        "numpy==2.4.5 does not satisfy pyproject's numpy>=2.4.6",
    ]


@pytest.mark.parametrize("name", sorted(PYPROJECT["project"]["scripts"]))
def test_console_script_points_to_a_callable(name: str) -> None:
    target = PYPROJECT["project"]["scripts"][name]
    module, _, attr = target.partition(":")
    assert attr, f"{name} = {target!r} names no function (module:function)"
    obj = importlib.import_module(module)
    for part in attr.split("."):
        obj = getattr(obj, part)
    assert callable(obj), f"{name} = {target!r} is not callable"


def test_fulcrum_console_script_is_declared() -> None:
    assert PYPROJECT["project"]["scripts"].get("fulcrum") == "fulcrum.cli:main"
