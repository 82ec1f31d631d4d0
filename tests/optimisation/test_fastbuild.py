"""optimisation.fastbuild.MatrixLP: a model built from numpy blocks solves to the optimum PuLP/CBC
finds for the same rows written one by one; duplicate terms add up; infeasible is a status."""

import numpy as np
import pulp
import pytest

from mcda.errors import InputError

pytest.importorskip("highspy")
from optimisation.fastbuild import MatrixLP


def _random_lp(seed):
    rng = np.random.default_rng(seed)
    n, m = 40, 12
    return (
        rng.uniform(0.1, 2, n),
        rng.uniform(1, 5, n),
        rng.uniform(0, 1, (m, n)) * (rng.random((m, n)) < 0.4),
        rng.uniform(5, 20, m),
    )


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_same_optimum_as_pulp_row_by_row(seed):
    c, up, A, b = _random_lp(seed)
    m = MatrixLP("max")
    x = m.add_vars(len(c), 0.0, up, c)
    r, j = np.nonzero(A)
    m.add_rows(r, x[j], A[r, j], upper=b)
    # a GE row and an equality through a pool variable
    t = m.add_vars(1)
    m.add_rows(np.zeros(len(c) + 1, int), np.concatenate([x, t]), np.concatenate([np.ones(len(c)), [-1.0]]), 0.0, 0.0)
    m.add_rows([0], t, 1.0, lower=3.0)
    res = m.solve()

    prob = pulp.LpProblem("ref", pulp.LpMaximize)
    xs = [pulp.LpVariable(f"x{i}", 0, float(up[i])) for i in range(len(c))]
    tv = pulp.LpVariable("t", 0)
    prob += pulp.lpSum(float(c[i]) * xs[i] for i in range(len(c)))
    for i in range(A.shape[0]):
        prob += pulp.lpSum(float(A[i, k]) * xs[k] for k in range(len(c)) if A[i, k]) <= float(b[i])
    prob += pulp.lpSum(xs) - tv == 0
    prob += tv >= 3.0
    prob.solve(pulp.PULP_CBC_CMD(msg=False))
    assert res.status == "optimal" and pulp.LpStatus[prob.status] == "Optimal"
    assert res.objective == pytest.approx(pulp.value(prob.objective), rel=1e-7)


def test_duplicate_terms_add_up_and_infeasible_is_a_status():
    m = MatrixLP("min")
    x = m.add_vars(2, 0.0, 10.0, [1.0, 1.0])
    m.add_rows([0, 0, 0], [x[0], x[0], x[1]], [1.0, 1.0, 1.0], lower=4.0)  # 2 x0 + x1 >= 4
    res = m.solve()
    assert res.status == "optimal" and res.objective == pytest.approx(2.0)
    m.add_rows([0], [x[0]], [1.0], upper=-1.0)  # x0 <= -1 with x0 >= 0
    assert m.solve().status == "infeasible"
    with pytest.raises(InputError):
        MatrixLP("maximise")
