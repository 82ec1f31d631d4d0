"""optimisation.subnational: the array-built sub-national model (auxiliary sums, scaled objective)
reaches the optimum of the same model written plainly in PuLP, row by row, and its allocation keeps
every rule, checked from the data and from the matrix blocks independently of HiGHS."""

from dataclasses import replace

import numpy as np
import pulp
import pytest

from mcda.errors import InputError

pytest.importorskip("highspy")
from optimisation.fastbuild import MatrixLP
from optimisation.subnational import build_matrix, build_pulp, objective, synthetic_regions, violations

RULES = ["aid budget", "investment budget", "absorptive cap", "capacity", "equity floor", "type floor"]


def _instances():
    d = synthetic_regions(20)
    # the investment budget does not bind at the default; a tighter one and a high equity floor do
    return {"default": d, "tight": replace(d, budget_inv=d.budget_inv * 0.4, equity=0.8)}


def _pulp_values(prob, d):
    R, P, S, T = d.shape
    v = {k: var.value() for k, var in prob.variablesDict().items()}
    return np.array([v[f"x_{r}_{p}_{s}_{t}"] for r in range(R) for p in range(P) for s in range(S) for t in range(T)])


@pytest.fixture(scope="module", params=["default", "tight"])
def solved(request):
    d = _instances()[request.param]
    sub = build_matrix(d)
    res = sub.lp.solve()
    prob = build_pulp(d)
    prob.solve(pulp.HiGHS(msg=False))
    return d, sub, res, prob


def test_same_optimum_as_the_plain_pulp_model(solved):
    d, sub, res, prob = solved
    assert res.status == "optimal" and pulp.LpStatus[prob.status] == "Optimal"
    plain = pulp.value(prob.objective)
    assert res.objective / sub.scale == pytest.approx(plain, rel=1e-9)
    # and the plain model's optimum is itself feasible by the rules (the comparison is of two valid optima)
    assert max(violations(d, _pulp_values(prob, d)).values()) <= 1e-7


def test_the_array_allocation_keeps_every_rule(solved):
    d, sub, res, _ = solved
    x = res.x[sub.x]
    broken = {k: v for k, v in violations(d, x).items() if v > 1e-7}
    assert not broken
    assert sub.lp.violation(res.x) <= 1e-7  # A x within its row bounds, columns within theirs, from the arrays
    assert objective(d, x) == pytest.approx(res.objective / sub.scale, rel=1e-12)


def test_the_instance_makes_every_rule_bind(solved):
    """The comparison only covers rules that bind somewhere at the optimum: each one does, across the two instances."""
    d, sub, res, _ = solved
    x = res.x[sub.x]
    binding = {k for k, v in _slack(d, x).items() if v <= 1e-7}
    if d.equity > 0.5:
        assert {"investment budget", "equity floor"} <= binding
    else:
        assert set(RULES) - {"investment budget"} <= binding


def _slack(d, x):
    """Smallest slack of each rule (the negative of violations' margin)."""
    R = d.shape[0]
    x = x.reshape(d.shape)
    by_year = x.sum(axis=(0, 2))
    mine = x.sum(axis=(1, 2, 3))
    return {
        "aid budget": float(np.min(d.budget_aid - d.aid @ by_year)),
        "investment budget": float(np.min(d.budget_inv - (1 - d.aid) @ by_year)),
        "absorptive cap": float(np.min(d.cap[:, None] - x.sum(axis=(1, 2)))),
        "capacity": float(np.min(2 * d.K[None, :] - x.sum(axis=(2, 3)))),
        "equity floor": float(np.min(mine - d.equity / R * mine.sum())),
        "type floor": float(np.min(by_year - d.type_share[:, None] * by_year.sum(axis=0))),
    }


def test_violations_and_matrix_check_see_a_broken_allocation(solved):
    d, sub, res, _ = solved
    x = res.x[sub.x].copy()
    r = int(np.argmax(x.sum(axis=(1, 2, 3))))
    x[r] *= 1.5  # the richest region over its caps
    v = violations(d, x)
    assert v["absorptive cap"] > 1.0 or v["capacity"] > 1.0
    full = res.x.copy()
    full[sub.x[r]] *= 1.5
    assert sub.lp.violation(full) > 1.0


def test_matrix_violation_by_hand():
    m = MatrixLP("max")
    x = m.add_vars(2, 0.0, [4.0, 4.0])
    m.add_rows([0, 0], x, [1.0, 2.0], upper=6.0)  # x0 + 2 x1 <= 6
    assert m.violation([2.0, 2.0]) == 0.0
    assert m.violation([2.0, 3.0]) == pytest.approx(2.0)
    assert m.violation([5.0, 0.0]) == pytest.approx(1.0)  # a bound
    with pytest.raises(InputError):
        m.violation([1.0])


def test_solver_options_pass_through_and_a_refused_one_is_an_input_error():
    m = MatrixLP("max")
    x = m.add_vars(2, 0.0, [4.0, 4.0], [1.0, 1.0])
    m.add_rows([0, 0], x, [1.0, 2.0], upper=6.0)
    for solver in ("simplex", "ipm"):
        res = m.solve(options={"solver": solver, "parallel": "off"})
        assert res.status == "optimal" and res.highs_status == "Optimal" and res.objective == pytest.approx(5.0)
    with pytest.raises(InputError, match="solver"):
        m.solve(options={"solver": "fastest"})


def test_bad_region_count_is_an_input_error():
    for bad in (0, -3, 2.5, True):
        with pytest.raises(InputError):
            synthetic_regions(bad)
