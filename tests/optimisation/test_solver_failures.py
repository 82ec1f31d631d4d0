"""A solver that is stopped, killed or returns garbage is never reported as an allocation
(issue 8, item 6).

Rule: a result that is not proven optimal is kept only if every constraint holds for the values
returned (re-checked, relative tolerance); its status says what it is. Every result with an
allocation is checked once more (pool use <= budget, all constraints); a violation turns it into a
solver failure. A failure is said in words ("solver failed" / "solver stopped"), never as
"infeasible"; the command lines exit 4 for it (3 is only a proven infeasible model).

The checks here recompute pool use and constraint activity from the returned allocation table,
not from the code's own constraint table.
"""

import contextlib
import io
import json
import math
import stat
from pathlib import Path
from types import SimpleNamespace

import pulp
import pytest

import optimisation as opt
from tests.optimisation.instances import BASE, PRI
from tests.support import ROOT

REL = 1e-6


def _assert_allocation_holds(res):
    """Independent re-check from the allocation table: pool use within the budgets, every pair
    within its absorptive capacity (types g: 20, i: 30 in the two-type instance), nothing negative."""
    a = res.allocation
    assert (a[["aid_musd", "investment_musd", "total_musd"]].to_numpy() >= -1e-7).all()
    for pool, col in (("aid", "aid_musd"), ("investment", "investment_musd")):
        assert a[col].sum() <= res.budgets[pool] * (1 + REL) + 1e-7, (pool, a[col].sum(), res.budgets[pool])


# ---------------------------------------------------------------- fake solvers (monkeypatched)


def _garbage(prob):
    """Values far outside the model: every variable at 1000 (the budgets are 25 and 40)."""
    for v in prob.variables():
        v.varValue = 1000.0


def _fake_solve(values, status, sol_status, highs_status=None):
    """A solve that sets ``values`` and PuLP's status pair; with ``highs_status`` (a HiGHS model
    status name, e.g. kTimeLimit) it also attaches what PuLP's HiGHS interface leaves behind."""

    def solve(self, solver=None, **kw):
        values(self)
        self.assignStatus(status, sol_status)
        if highs_status is not None:
            self.solverModel = SimpleNamespace(
                getModelStatus=lambda: SimpleNamespace(name=highs_status),
                getInfo=lambda: SimpleNamespace(mip_gap=float("inf")),
            )
        return status

    return solve


#: the stopped-on-time report of each solver: CBC's "Stopped on time" and HiGHS's kTimeLimit both
#: reach PuLP as (Optimal, IntegerFeasible); HiGHS's model status says why
STOPPED_ON_TIME = {"cbc": None, "highs": "kTimeLimit"}


@pytest.mark.parametrize("solver", ["cbc", "highs"])
def test_stopped_solver_with_values_that_break_constraints_is_not_an_allocation(types, countries, monkeypatch, solver):
    # what PuLP reports for CBC's "Stopped on time - objective value ..." and HiGHS's time limit
    monkeypatch.setattr(
        pulp.LpProblem,
        "solve",
        _fake_solve(_garbage, pulp.LpStatusOptimal, pulp.LpSolutionIntegerFeasible, STOPPED_ON_TIME[solver]),
    )
    res = opt.solve(PRI, countries, types, {**BASE, "solver": solver})
    assert not res.ok and res.status == "stopped" and res.solver_failed
    msg = str(res.message)
    assert msg.startswith("solver stopped") and "time limit" in msg and "before it found a feasible allocation" in msg
    assert "infeasible" not in msg
    assert "above the aid budget" in msg  # the overspend is named


def test_optimal_claim_with_values_that_break_constraints_is_a_solver_failure(types, countries, monkeypatch):
    monkeypatch.setattr(pulp.LpProblem, "solve", _fake_solve(_garbage, pulp.LpStatusOptimal, pulp.LpSolutionOptimal))
    res = opt.solve(PRI, countries, types, BASE)
    assert not res.ok and res.status == "solver_error" and res.solver_failed
    assert str(res.message).startswith("solver failed") and "infeasible" not in str(res.message)


def test_overspending_optimal_claim_is_caught_even_when_the_rows_hold(types, countries, monkeypatch):
    """Garbage that satisfies every row but overspends through the pool totals A, I would pass a
    row check that trusts A and I; pool use is recomputed from the allocation itself."""

    def overspend(prob):
        for v in prob.variables():
            v.varValue = 0.0
        for v in prob.variables():
            if v.name.startswith("x_A_g_0"):
                v.varValue = 10.0  # within the band, aid 10 <= 25: fine ...
        for v in prob.variables():
            if v.name == "aid_used":
                v.varValue = 10.0

    monkeypatch.setattr(pulp.LpProblem, "solve", _fake_solve(overspend, pulp.LpStatusOptimal, pulp.LpSolutionOptimal))
    res = opt.solve(PRI, countries, types, {**BASE, "budget_aid_musd": 5})  # ... but the aid budget is 5
    assert res.status == "solver_error" and "above the aid budget" in str(res.message)


@pytest.mark.parametrize("solver", ["cbc", "highs"])
def test_stopped_solver_with_a_feasible_allocation_is_kept_and_labelled(types, countries, monkeypatch, solver):
    """Stopped early with values that satisfy every constraint (here: nothing allocated, which
    the instance allows): written, status 'feasible', and it says it is not proven optimal."""

    def zeros(prob):
        for v in prob.variables():
            v.varValue = 0.0

    monkeypatch.setattr(
        pulp.LpProblem,
        "solve",
        _fake_solve(zeros, pulp.LpStatusOptimal, pulp.LpSolutionIntegerFeasible, STOPPED_ON_TIME[solver]),
    )
    res = opt.solve(PRI, countries, types, {**BASE, "solver": solver})
    assert res.ok and res.status == "feasible" and not res.solver_failed
    assert "not proven optimal" in res.status_detail and "time limit" in res.status_detail
    assert "gap unknown" in res.status_detail
    assert str(res.message).startswith("feasible (")
    # no dual and no "nothing beneficial left" claim at a point that is not an optimum
    assert all(math.isnan(v) for v in res.shadow_prices.values())
    assert not any("left unspent" in n for n in res.notes)
    _assert_allocation_holds(res)


def test_killed_solver_raises_pulp_solver_error(types, countries, monkeypatch):
    def killed(self, solver=None, **kw):
        raise pulp.PulpSolverError("Pulp: Error while trying to execute cbc (killed by signal 9)")

    monkeypatch.setattr(pulp.LpProblem, "solve", killed)
    res = opt.solve(PRI, countries, types, BASE)
    assert res.status == "solver_error" and res.solver_failed and res.diagnosis is None
    msg = str(res.message)
    assert msg.startswith("solver failed") and "killed" in msg and "infeasible" not in msg


@pytest.fixture
def killed_cbc(tmp_path, monkeypatch):
    """A real CBC process that is killed (SIGKILL) before it writes a solution, run through
    PuLP's own COIN_CMD code path."""
    from pulp.apis import coin_api

    exe = tmp_path / "cbc"
    exe.write_text("#!/bin/sh\nkill -9 $$\n")
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setattr(coin_api, "pulp_cbc_path", str(exe))
    return exe


def test_killed_cbc_process_is_a_solver_failure(types, countries, killed_cbc):
    res = opt.solve(PRI, countries, types, {**BASE, "solver": "cbc"})  # CBC runs as a process; HiGHS in-process
    assert res.status == "solver_error" and "solver failed" in str(res.message)


# ---------------------------------------------------------------- a real tiny time limit


@pytest.fixture(scope="module")
def paper(shipped):
    from fulcrum.allocate import spec_of

    return shipped.outcome("paper_2022_single_track"), spec_of(shipped.scenario("paper_2022_single_track"))


@pytest.mark.parametrize("solver", ["cbc", "highs"])
def test_tiny_time_limit_never_reports_an_allocation_that_breaks_the_budget(paper, solver):
    """allocation.time_limit_s = 1e-9: CBC sometimes finishes, sometimes stops with values that
    spend US$ 782M of a US$ 362M aid budget (reported as 'feasible' before). Whatever happens,
    an allocation shown must hold, and a stopped solve must say so."""
    from fulcrum.allocate import model_for_outcome

    outcome, spec = paper
    m = model_for_outcome(outcome, spec.model_copy(update={"solver": solver, "time_limit_s": 1e-9}))
    for _ in range(5):  # CBC's timer fires on most runs, not all
        res = m.solve(diagnose=False)
        assert res.status in ("optimal", "feasible", "stopped"), res.status
        if res.ok:
            _assert_allocation_holds(res)
            if res.status == "feasible":
                assert "time limit" in res.status_detail and "not proven optimal" in res.status_detail
        else:
            assert str(res.message).startswith("solver stopped") and "time limit" in str(res.message)
            assert "infeasible" not in str(res.message)


# ---------------------------------------------------------------- command lines: exit 4, words


def _scenario(tmp_path) -> Path:
    d = json.loads((ROOT / "scenarios" / "paper_2022_single_track.json").read_text(encoding="utf-8"))
    p = tmp_path / "scenario.json"
    p.write_text(json.dumps(d), encoding="utf-8")
    return p


def _main(module_main, argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = module_main(argv)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("failure", ["killed", "garbage"])
def test_optimisation_cli_exits_4_and_says_the_solver_failed(tmp_path, monkeypatch, failure):
    from fulcrum.cli_solve import main

    if failure == "killed":

        def solve(self, solver=None, **kw):
            raise pulp.PulpSolverError("Pulp: Error while trying to execute cbc")
    else:
        solve = _fake_solve(_garbage, pulp.LpStatusOptimal, pulp.LpSolutionIntegerFeasible)
    monkeypatch.setattr(pulp.LpProblem, "solve", solve)
    out = tmp_path / "out"
    out.mkdir()
    (out / "allocation.csv").write_text("stale\n")  # an earlier run's file must not survive
    code, _stdout, stderr = _main(main, ["solve", str(_scenario(tmp_path)), "--out", str(out)])
    assert code == 4, (code, stderr)
    assert ("solver failed" if failure == "killed" else "solver stopped") in stderr
    assert "infeasible" not in stderr and "Traceback" not in stderr
    assert not (out / "allocation.csv").exists()
    summary = json.loads((out / "summary.json").read_text())
    assert summary["status"] == ("solver_error" if failure == "killed" else "stopped")
    assert summary["status_detail"]


@pytest.mark.parametrize("failure", ["killed", "garbage"])
def test_mcda_run_exits_4_and_does_not_call_it_infeasible(tmp_path, monkeypatch, failure):
    from fulcrum.cli import mcda_main as main

    if failure == "killed":

        def solve(self, solver=None, **kw):
            raise pulp.PulpSolverError("Pulp: Error while trying to execute cbc")
    else:
        solve = _fake_solve(_garbage, pulp.LpStatusOptimal, pulp.LpSolutionOptimal)
    monkeypatch.setattr(pulp.LpProblem, "solve", solve)
    out = tmp_path / "out"
    code, _stdout, stderr = _main(main, ["run", str(_scenario(tmp_path)), "--out", str(out)])
    assert code == 4, (code, stderr)
    assert "solver failed" in stderr and "infeasible" not in stderr
    assert not (out / "allocation.csv").exists()
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "solver failed" in md and "infeasible" not in md.split("## Allocation", 1)[1]
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "solver failed" in html


def test_exit_4_is_documented_in_both_help_texts_and_the_readme():
    from fulcrum.cli import build_parser
    from fulcrum.cli_solve import _parser

    run_help = build_parser()._subparsers._group_actions[0].choices["run"].format_help()
    solve_help = _parser()._subparsers._group_actions[0].choices["solve"].format_help()
    for text in (run_help, solve_help):
        flat = " ".join(text.split())
        assert "3 the allocation is proven infeasible" in flat or "3 proven infeasible" in flat
        assert "4 the solver failed or was stopped before it found a feasible allocation" in flat
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert "**4** the solver failed" in readme
