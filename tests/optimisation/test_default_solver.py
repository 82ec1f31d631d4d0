"""HiGHS is the default solver (issue 11: "HiGHS through PuLP as the default solver, CBC as
fallback"): a spec without ``solver`` solves with HiGHS; without highspy it solves with CBC and its
notes say so; ``"solver": "cbc"`` stays selectable; HiGHS's banner never reaches a command's
standard output (the golden stdout is the command's own lines)."""

import json
import sys

import pytest

import optimisation as opt
from optimisation.solving import HIGHS_FALLBACK_NOTE
from optimisation.spec import parse_spec
from tests.optimisation.instances import BASE, PRI

pytest.importorskip("highspy")


def test_a_spec_without_solver_asks_for_highs():
    assert parse_spec(dict(BASE)).solver == "highs"
    assert parse_spec({**BASE, "solver": "cbc"}).solver == "cbc"


def test_default_solves_with_highs_and_cbc_stays_selectable(types, countries):
    """Both solvers prove the same optimum (hand-solvable instance: g's first band and i's band
    are worth 1 per US$1M; budgets 25 aid and 40 investment); only the default names HiGHS."""
    res = opt.solve(PRI, countries, types, BASE)
    cbc = opt.solve(PRI, countries, types, {**BASE, "solver": "cbc"})
    assert res.status == cbc.status == "optimal"
    assert res.solver == "highs" and cbc.solver == "cbc"
    assert (res.solver_label, cbc.solver_label) == ("HiGHS", "CBC")  # as reports write them
    assert res.objective == pytest.approx(cbc.objective, rel=1e-9)
    assert HIGHS_FALLBACK_NOTE not in res.notes and HIGHS_FALLBACK_NOTE not in cbc.notes


@pytest.mark.parametrize("asked", [None, "highs"])
def test_without_highspy_highs_falls_back_to_cbc_and_says_so(types, countries, monkeypatch, asked):
    want = opt.solve(PRI, countries, types, {**BASE, "solver": "cbc"})
    monkeypatch.setitem(sys.modules, "highspy", None)  # `import highspy` raises ImportError
    spec = dict(BASE) if asked is None else {**BASE, "solver": asked}
    res = opt.solve(PRI, countries, types, spec)
    assert res.status == "optimal" and res.solver == "cbc"
    assert HIGHS_FALLBACK_NOTE in res.notes
    assert res.objective == pytest.approx(want.objective, rel=1e-9)


def test_the_solve_command_prints_no_highs_banner(cli_process, tmp_path):
    """The first HiGHS instance of a process prints its banner from C to file descriptor 1, before
    PuLP can switch its output off; in a fresh interpreter the command's standard output must be
    its own two lines, and summary.json names the solver."""
    out = tmp_path / "out"
    p = cli_process("optimisation", "solve", "scenarios/default.json", "--out", out)
    assert p.returncode == 0, p.stderr
    assert "HiGHS" not in p.stdout and "Copyright" not in p.stdout, p.stdout
    assert p.stdout.splitlines()[0].startswith("optimal: benefit")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["solver"] == "highs" and HIGHS_FALLBACK_NOTE not in summary["notes"]


def test_the_solve_command_without_highspy_solves_with_cbc(cli_process, tmp_path):
    """highspy hidden in a fresh interpreter (a package of that name that fails to import, first on
    the path): exit 0, the same allocation, solver 'cbc', and the note in summary.json."""
    hide = tmp_path / "hide" / "highspy"
    hide.mkdir(parents=True)
    (hide / "__init__.py").write_text('raise ImportError("highspy hidden by the test")\n', encoding="utf-8")
    runs = {}
    for name, env in (("highs", None), ("fallback", {"PYTHONPATH": str(hide.parent)})):
        out = tmp_path / name
        p = cli_process("optimisation", "solve", "scenarios/default.json", "--out", out, env=env)
        assert p.returncode == 0, p.stderr
        runs[name] = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    fb = runs["fallback"]
    assert fb["solver"] == "cbc" and HIGHS_FALLBACK_NOTE in fb["notes"]
    assert fb["objective"] == pytest.approx(runs["highs"]["objective"], rel=1e-7)
