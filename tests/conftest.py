"""Shared pytest setup for the whole suite.

* hypothesis runs derandomised and without deadlines (shared, noisy CI machines);
* ``cli`` runs a console command in this process, ``cli_process`` in a fresh interpreter
  (tests/support/cli.py says when each is right);
* ``shipped`` gives the shipped scenarios and their ranking outcomes, computed once per session;
  ``default_scenario``, ``default_doc``, ``default_outcome``, ``paper_outcome`` are its common uses.
  Every call returns a private deep copy, so a test that changes what it was given cannot change
  what another test sees (``test_shipped_copies_are_private`` in tests/test_fixtures.py checks it).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings

from tests.support.cli import run_cli, run_process
from tests.support.shipped import SHIPPED, Shipped

settings.register_profile(
    "fulcrum",
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("fulcrum")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Make ``--dist loadgroup`` group again under pytest 9.

    pytest-xdist 3.8 marks an ``xdist_group`` by appending ``@group`` to the private ``_nodeid``,
    which pytest 9 no longer reads (the id lives in ``_id``), so every group was silently spread over
    the workers (two app servers and two Chromiums). Do the same on the attribute pytest 9 reads; a
    no-op where xdist's own marking took effect.
    """
    if not getattr(config.option, "loadgroup", False):
        return
    from _pytest.nodeid import NodeId

    for item in items:
        marks = item.iter_markers("xdist_group")
        names = {str(m.args[0] if m.args else m.kwargs.get("name", "default")) for m in marks}
        if names and "@" not in item.nodeid.rpartition("]")[2]:
            item._id = NodeId.parse(f"{item.nodeid}@{'_'.join(sorted(names))}")


@pytest.fixture(scope="session")
def cli():
    """``cli("mcda", "rank", m, "--criteria", c)`` -> Ran(returncode, stdout, stderr), run in this process."""
    return run_cli


@pytest.fixture(scope="session")
def cli_process():
    """``cli_process("mcda", "run", sc, "--out", d)`` -> CompletedProcess, in a fresh interpreter."""
    return run_process


@pytest.fixture(scope="session")
def shipped() -> Shipped:
    """The shipped scenarios and their outcomes (tests/support/shipped.py), private copies each call."""
    return SHIPPED


@pytest.fixture
def default_scenario(shipped):
    """scenarios/default.json, validated."""
    return shipped.scenario("default")


@pytest.fixture
def default_doc(shipped) -> dict:
    """scenarios/default.json as the app's JSON document."""
    return shipped.doc("default")


@pytest.fixture
def default_outcome(shipped):
    """rank_scenario(scenarios/default.json)."""
    return shipped.outcome("default")


@pytest.fixture
def paper_outcome(shipped):
    """rank_scenario(scenarios/paper_2022.json)."""
    return shipped.outcome("paper_2022")


@pytest.fixture(scope="session", autouse=True)
def _library_in_tmp(tmp_path_factory):
    """Every test (and the app server the browser tests start) keeps its scenario library in a temp
    folder: never the user's real data folder. A test that needs its own library passes a URL."""
    import os

    old = os.environ.get("FULCRUM_LIBRARY_URL")
    os.environ["FULCRUM_LIBRARY_URL"] = str(tmp_path_factory.mktemp("library") / "library.sqlite")
    yield
    if old is None:
        os.environ.pop("FULCRUM_LIBRARY_URL", None)
    else:
        os.environ["FULCRUM_LIBRARY_URL"] = old
