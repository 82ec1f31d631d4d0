"""The shipped scenarios (scenarios/<name>.json) and ``rank_scenario`` of each, loaded and ranked once
per test process; every call hands out a deep copy, so a test that changes what it was given cannot
change what another test sees (tests/test_fixtures.py checks it). Tests use the ``shipped`` fixture
(tests/conftest.py); helper functions that are not fixtures use ``SHIPPED``."""

from __future__ import annotations

import copy
import json

from tests.support import SCENARIOS


class Shipped:
    """The shipped scenarios (scenarios/<name>.json) and ``rank_scenario`` of each, computed once;
    every call hands out a deep copy (the originals are never given to a test)."""

    def __init__(self) -> None:
        self._scenarios: dict = {}
        self._outcomes: dict = {}

    def _scenario(self, name: str):
        from fulcrum.scenario import load_scenario

        if name not in self._scenarios:
            self._scenarios[name] = load_scenario(SCENARIOS / f"{name}.json")
        return self._scenarios[name]

    def scenario(self, name: str = "default"):
        """The validated Scenario of scenarios/<name>.json (a private copy)."""
        return self._scenario(name).model_copy(deep=True)

    def doc(self, name: str = "default") -> dict:
        """The scenario as the JSON document the app saves (a fresh dict)."""
        from fulcrum.scenario import scenario_to_json

        return json.loads(scenario_to_json(self._scenario(name)))

    def outcome(self, name: str = "default"):
        """``rank_scenario`` of the shipped scenario (a private copy of the one computed per session)."""
        from fulcrum.pipeline import rank_scenario

        if name not in self._outcomes:
            self._outcomes[name] = rank_scenario(self._scenario(name))
        return copy.deepcopy(self._outcomes[name])


SHIPPED = Shipped()
