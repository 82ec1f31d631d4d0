"""The shared fixtures keep their promises: shipped objects are private copies, and the in-process
command runner gives what a real ``python -m`` process gives (exit status, stdout, stderr)."""

from __future__ import annotations

import pytest


def test_shipped_copies_are_private(shipped):
    first = shipped.outcome("default")
    first.ranking.loc[first.ranking.index[0], "score"] = -1.0
    first.weights[:] = 0.0
    first.countries.loc[:, "country"] = "changed"
    sc = shipped.scenario("default")
    sc.name = "changed by a test"
    sc.criteria[0].weight = 123.0
    doc = shipped.doc("default")
    doc["criteria"].clear()
    again = shipped.outcome("default")
    assert (
        again.ranking["score"].iloc[0] != -1.0
        and again.weights.sum() > 0
        and (again.countries["country"] != "changed").all()
    )
    assert shipped.scenario("default").name != "changed by a test"
    assert shipped.scenario("default").criteria[0].weight != 123.0
    assert shipped.doc("default")["criteria"]


@pytest.mark.parametrize(
    "args",
    [
        ("mcda", "rank", "tests/golden/inputs/matrix.csv", "--criteria", "tests/golden/inputs/criteria.csv"),
        (
            "mcda",
            "rank",
            "tests/golden/inputs/matrix.csv",
            "--criteria",
            "tests/golden/inputs/criteria.csv",
            "--method",
            "nosuch",
        ),  # bad input: exit 2, one line
        ("optimisation", "solve", "no/such/scenario.json", "--out", "x"),
        ("mcda", "frobnicate"),  # usage error
    ],
)
def test_in_process_runner_gives_what_the_process_gives(cli, cli_process, args):
    here, there = cli(*args), cli_process(*args)
    assert (here.returncode, here.stdout, here.stderr) == (there.returncode, there.stdout, there.stderr)


def test_in_process_runner_reports_an_escaped_exception_as_the_interpreter_does(cli, monkeypatch):
    import fulcrum.cli

    def boom(*a, **k):
        raise SystemExit("stopped: a message")

    monkeypatch.setattr(fulcrum.cli, "mcda_main", boom)
    r = cli("mcda", "rank", "--help")
    assert (r.returncode, r.stderr) == (1, "stopped: a message\n")
