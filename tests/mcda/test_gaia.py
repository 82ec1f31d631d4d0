"""GAIA plane (mcda.gaia; Mareschal & Brans 1988, EJOR 34:69-77): PCA of PROMETHEE's unicriterion
net flows, checked on matrices whose principal components are known by construction and on properties
that hold for any data (delta = 1 with two criteria, the stick is the projected weight vector, the
net flow is the point . stick when nothing is lost)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mcda.errors import InputError
from mcda.gaia import gaia_of, gaia_plane, unicriterion_flows
from mcda.methods.promethee import PROMETHEE2
from mcda.problem import DecisionProblem


def frame(a, alts=None, cids=None) -> pd.DataFrame:
    a = np.asarray(a, float)
    return pd.DataFrame(
        a,
        index=alts or [f"a{i}" for i in range(a.shape[0])],
        columns=cids or [f"c{j}" for j in range(a.shape[1])],
    )


def test_pca_of_a_matrix_with_known_components():
    # three orthogonal centred columns with variances 8/4, 2/4, 1/4: the components are the criteria themselves
    phi = frame([[2, 0, 0.5], [-2, 0, 0.5], [0, 1, -0.5], [0, -1, -0.5]])
    g = gaia_plane(phi, pd.Series({"c0": 0.5, "c1": 0.3, "c2": 0.2}))
    np.testing.assert_allclose(g.eigenvalues, [2.0, 0.5, 0.25], atol=1e-12)
    assert g.delta == pytest.approx(2.5 / 2.75, abs=1e-12)
    np.testing.assert_allclose(g.axes.to_numpy(), [[1, 0], [0, 1], [0, 0]], atol=1e-12)
    np.testing.assert_allclose(g.stick, (0.5, 0.3), atol=1e-12)
    np.testing.assert_allclose(g.points.to_numpy(), [[2, 0], [-2, 0], [0, 1], [0, -1]], atol=1e-12)


def test_eigenvalues_equal_the_singular_values_of_the_flow_matrix():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(12, 5))
    phi = unicriterion_flows(DecisionProblem(pd.DataFrame(X, columns=list("abcde")), dict.fromkeys("abcde", "benefit")))
    g = gaia_plane(phi, pd.Series(0.2, index=list("abcde")))
    s = np.linalg.svd(phi.to_numpy(), compute_uv=False)
    np.testing.assert_allclose(g.eigenvalues, s**2 / 12, atol=1e-12)
    assert g.delta == pytest.approx((s[0] ** 2 + s[1] ** 2) / (s**2).sum(), abs=1e-12)
    assert 0 < g.delta < 1


def test_two_criteria_keep_everything_and_the_stick_ranks_like_promethee():
    rng = np.random.default_rng(7)
    X = pd.DataFrame(rng.normal(size=(9, 2)), columns=["x", "y"], index=[f"A{i}" for i in range(9)])
    p = DecisionProblem(X, {"x": "benefit", "y": "benefit"})
    w = pd.Series({"x": 0.7, "y": 0.3})
    g = gaia_of(p, w)
    assert g.delta == pytest.approx(1.0, abs=1e-12)
    # with nothing lost, PROMETHEE II's net flow Phi.w is the point's product with the stick
    net = unicriterion_flows(p).to_numpy() @ w.to_numpy()
    np.testing.assert_allclose(g.points.to_numpy() @ np.array(g.stick), net, atol=1e-12)
    # and distances between countries are kept (a rotation/reflection of the flow space)
    P, F = g.points.to_numpy(), unicriterion_flows(p).to_numpy()
    dP = np.linalg.norm(P[:, None] - P[None], axis=2)
    dF = np.linalg.norm(F[:, None] - F[None], axis=2)
    np.testing.assert_allclose(dP, dF, atol=1e-12)


def test_stick_is_the_projected_weight_vector_and_points_up_right():
    rng = np.random.default_rng(11)
    p = DecisionProblem(pd.DataFrame(rng.normal(size=(15, 4)), columns=list("pqrs")), dict.fromkeys("pqrs", "benefit"))
    w = pd.Series({"p": 0.4, "q": 0.1, "r": 0.3, "s": 0.2})
    g = gaia_of(p, w)
    np.testing.assert_allclose(g.stick, w.to_numpy() @ g.axes.to_numpy(), atol=1e-12)
    assert g.stick[0] >= 0 and g.stick[1] >= 0
    # weights are read as proportions: doubling them changes nothing
    g2 = gaia_of(p, 2 * w)
    np.testing.assert_allclose(g2.stick, g.stick, atol=1e-12)
    # all weight on one criterion: the stick is along that criterion's axis
    g3 = gaia_of(p, pd.Series({"p": 1.0, "q": 0.0, "r": 0.0, "s": 0.0}))
    np.testing.assert_allclose(g3.stick, g3.axes.loc["p"].to_numpy(), atol=1e-12)


def test_flows_are_promethee_own_and_follow_its_preference_functions():
    X = pd.DataFrame({"g": [1.0, 2.0, 4.0, 8.0], "c": [3.0, 1.0, 2.0, 2.0]}, index=list("ABCD"))
    p = DecisionProblem(X, {"g": "benefit", "c": "cost"})
    usual = unicriterion_flows(p)
    # usual criterion, n-1 = 3: A beats none on g -> (0-3)/3; c is a cost: B (lowest) beats all three
    assert usual.loc["A", "g"] == pytest.approx(-1.0)
    assert usual.loc["B", "c"] == pytest.approx(1.0)
    lin = unicriterion_flows(p, PROMETHEE2(preference="vshape", p=8.0))
    assert lin.loc["A", "g"] == pytest.approx(-(1 + 3 + 7) / 8 / 3)
    assert not np.allclose(lin.to_numpy(), usual.to_numpy())


def test_refuses_what_has_no_plane():
    with pytest.raises(InputError, match="two criteria"):
        gaia_plane(frame([[1], [-1]]), pd.Series({"c0": 1.0}))
    with pytest.raises(InputError, match="same value"):
        gaia_plane(frame(np.zeros((3, 2))), pd.Series({"c0": 0.5, "c1": 0.5}))
    with pytest.raises(InputError, match="weight"):
        gaia_plane(frame([[1, 0], [-1, 0]]), pd.Series({"c0": 1.0}))
