"""Properties of the ranking methods, checked with hypothesis on random decision problems.

The tests iterate over the registry (``mcda.methods.METHODS``, each with its default options,
plus the option sets in ``VARIANTS``), and each checks exactly what the method *declares* it
promises (``dominance``, ``permutation_invariant``, ``zero_weight_ignored``,
``scale_invariant``, the contribution identity ``contributions_sum_to``) — so a method added to
the registry is tested here without editing this file. Values are drawn in [10, 100] so that
every method applies (WPM, COPRAS, EDAS, ARAS need positive data).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from mcda.errors import InputError
from mcda.methods import METHODS, PROMETHEE2, TOPSIS, VIKOR, RankingMethod, get_method, rank_scores, register_method
from mcda.normalization import normalize
from mcda.problem import DecisionProblem

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# option sets that change the maths (every registered method is also tested with its defaults)
VARIANTS = {
    "topsis_minmax": ("topsis", {"normalization": "minmax"}),
    "wsm_vector": ("wsm", {"normalization": "vector"}),
    "promethee2_linear": ("promethee2", {"preference": "linear", "p": 30, "q": 5}),
    "wpm_sum": ("wpm", {"normalization": "sum"}),
    "ahp_ideal": ("ahp", {"mode": "ideal"}),
    "electre3_vetoes": ("electre3", {"thresholds": {"*": {"q": 5, "p": 20, "v": 50}}}),
}
# every registered method with a configuration to which the property applies
ALL = {name: (name, {}) for name in METHODS} | {k: v for k, v in VARIANTS.items() if v[0] in METHODS}


def build(key: str) -> RankingMethod:
    name, opts = ALL[key]
    return get_method(name, **opts)


def promised(prop: str) -> list[str]:
    """The configurations whose method declares the property (e.g. ``scale_invariant``)."""
    return [k for k in ALL if getattr(build(k), prop)]


# Invariance to multiplying one column by c > 0: declared by the methods whose normalisation is a
# ratio or a range (vector, min-max, x/max, x/sum, x/mean, data bounds, column best) or that use
# only ratios of differences / signs (VIKOR, PROMETHEE usual). NOT PROMETHEE with absolute
# thresholds p, q, SPOTIS with given bounds, ARAS with given optimal values (all in data units).
SCALE_INVARIANT = promised("scale_invariant")


def test_every_registered_method_declares_what_it_promises():
    for name in METHODS:
        m = get_method(name)
        assert m.name == name and METHODS[name] == m.description and m.description
        assert m.contribution_meaning, name
        assert m.contributions_sum_to in CONTRIBUTION_TARGETS, f"{name}: add its identity to CONTRIBUTION_TARGETS"
        for prop in ("dominance", "permutation_invariant", "zero_weight_ignored", "scale_invariant"):
            assert isinstance(getattr(m, prop), bool), (name, prop)
    assert not build("promethee2_linear").scale_invariant  # thresholds are in the data's units


@st.composite
def problems(draw, min_n=3, max_n=8, min_m=2, max_m=5):
    n = draw(st.integers(min_n, max_n))
    m = draw(st.integers(min_m, max_m))
    vals = draw(st.lists(st.lists(st.floats(10, 100, allow_nan=False), min_size=m, max_size=m), min_size=n, max_size=n))
    X = np.array(vals)
    assume((np.ptp(X, axis=0) > 1e-3).all())  # DecisionProblem rejects constant columns
    types = np.array(draw(st.lists(st.sampled_from([1, -1]), min_size=m, max_size=m)))
    w = np.array(draw(st.lists(st.floats(0.05, 1.0), min_size=m, max_size=m)))
    return X, types, w


def make(X, types):
    return DecisionProblem.from_arrays(X, types)


def _close(a, b, tol=1e-9):
    np.testing.assert_allclose(a, b, rtol=1e-9, atol=tol)


# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("key", SCALE_INVARIANT)
@SETTINGS
@given(data=problems(), c=st.floats(0.01, 1000), col=st.integers(0, 4))
def test_positive_scaling_of_a_column_changes_nothing(key, data, c, col):
    X, types, w = data
    col = col % X.shape[1]
    Y = X.copy()
    Y[:, col] *= c
    m = build(key)
    _close(m.scores(make(Y, types), w), m.scores(make(X, types), w), tol=1e-8)


@pytest.mark.parametrize("key", promised("permutation_invariant"))
@SETTINGS
@given(data=problems(), seed=st.integers(0, 2**32 - 1))
def test_permuting_alternatives_permutes_scores(key, data, seed):
    X, types, w = data
    perm = np.random.default_rng(seed).permutation(X.shape[0])
    m = build(key)
    _close(m.scores(make(X[perm], types), w), m.scores(make(X, types), w)[perm])


@pytest.mark.parametrize("key", promised("permutation_invariant"))
@SETTINGS
@given(data=problems(), seed=st.integers(0, 2**32 - 1))
def test_permuting_criteria_changes_nothing(key, data, seed):
    X, types, w = data
    perm = np.random.default_rng(seed).permutation(X.shape[1])
    m = build(key)
    p, q = make(X, types), make(X[:, perm], types[perm])
    _close(m.scores(q, w[perm]), m.scores(p, w))
    # contributions follow their criterion (ids are C1.. in column order, so compare by position)
    cp = m.rank(p, w).sort_values("alternative").filter(like="contrib_").to_numpy()
    cq = m.rank(q, w[perm]).sort_values("alternative").filter(like="contrib_").to_numpy()
    _close(cq, cp[:, perm])


# Dominance: if a is at least as good as b on every criterion, a's score is at least b's. Holds for
# all methods here because each is monotone in every (direction-adjusted) value with the other
# alternatives fixed: TOPSIS (D+ falls, D- rises), VIKOR (S and R fall, Q falls), PROMETHEE with a
# non-decreasing preference function, WSM/WPM/COPRAS/EDAS/MABAC/SPOTIS (sums or products of
# monotone per-criterion terms against shared references; AHP/ARAS likewise). Compared on scores
# with a 1e-12 slack (ranks could flip on round-off when the two are equal on every weighted criterion).
@pytest.mark.parametrize("key", promised("dominance"))
@SETTINGS
@given(
    data=problems(), a=st.integers(0, 7), b=st.integers(0, 7), worse=st.lists(st.floats(0, 5), min_size=5, max_size=5)
)
def test_dominating_alternative_never_scores_worse(key, data, a, b, worse):
    X, types, w = data
    n, m_ = X.shape
    a, b = a % n, b % n
    assume(a != b)
    Y = X.copy()
    Y[b] = X[a] - types * np.array(worse[:m_])  # b = a made worse (or equal) on every criterion
    assume((np.ptp(Y, axis=0) > 1e-3).all())
    m = build(key)
    s = m.scores(make(Y, types), w)
    if m.higher_is_better:
        assert s[a] >= s[b] - 1e-12
    else:
        assert s[a] <= s[b] + 1e-12


@pytest.mark.parametrize("key", list(ALL))
@SETTINGS
@given(data=problems(), c=st.floats(0.001, 1000))
def test_weights_scaled_by_a_constant_change_nothing(key, data, c):
    X, types, w = data
    p = make(X, types)
    m = build(key)
    _close(m.scores(p, w * c), m.scores(p, w))


# A criterion with weight 0 can take any values without changing any score. Holds for every
# method here because each normalises column by column (no normalisation mixes columns) and
# the weight multiplies the whole per-criterion term (MABAC: V_j = 0 and G_j = 0; WPM: r^0 = 1).
@pytest.mark.parametrize("key", promised("zero_weight_ignored"))
@SETTINGS
@given(data=problems(), col=st.integers(0, 4), seed=st.integers(0, 2**32 - 1))
def test_zero_weight_criterion_can_change_freely(key, data, col, seed):
    X, types, w = data
    col = col % X.shape[1]
    w = w.copy()
    w[col] = 0.0
    Y = X.copy()
    Y[:, col] = np.random.default_rng(seed).uniform(10, 100, X.shape[0])
    assume(np.ptp(Y[:, col]) > 1e-3)
    m = build(key)
    _close(m.scores(make(Y, types), w), m.scores(make(X, types), w))


# Contributions: each method declares the identity they satisfy (contribution_baseline +
# sum = contributions_sum_to): the score for TOPSIS (0.5), EDAS (0.5), WSM, PROMETHEE II, COPRAS,
# MABAC, SPOTIS, AHP (0); WPM: ln(score); VIKOR: S (from explain), not Q. A new method must
# declare one of these (or add its own here).
CONTRIBUTION_TARGETS = {
    "score": lambda m, p, w, r: r["score"].to_numpy(),
    "ln(score)": lambda m, p, w, r: np.log(r["score"].to_numpy()),
    "S (explain['indices'])": lambda m, p, w, r: m.explain(p, w)["indices"].loc[r["alternative"], "S"].to_numpy(),
    "net concordance (explain['flows'])": lambda m, p, w, r: (
        m.explain(p, w)["flows"].loc[r["alternative"], "net_concordance_flow"].to_numpy()
    ),
}


@pytest.mark.parametrize("key", list(ALL))
@SETTINGS
@given(data=problems())
def test_contributions_add_up(key, data):
    X, types, w = data
    p = make(X, types)
    m = build(key)
    r = m.rank(p, w)
    total = r.filter(like="contrib_").sum(axis=1).to_numpy()
    _close(m.contribution_baseline + total, CONTRIBUTION_TARGETS[m.contributions_sum_to](m, p, w, r))


@pytest.mark.parametrize("key", list(ALL))
@SETTINGS
@given(data=problems())
def test_rank_agrees_with_scores_fast_path(key, data):
    X, types, w = data
    p = make(X, types)
    m = build(key)
    r = m.rank(p, w).set_index("alternative").loc[p.alternatives]
    _close(r["score"].to_numpy(), m.scores(p, w))
    assert list(m.rank(p, w).columns[:4]) == ["alternative", "score", "rank", "method"]
    assert (np.diff(m.rank(p, w)["rank"].to_numpy()) >= 0).all()


# ---------------------------------------------------------------------------------------------
# independent implementation: pymcdm (1.4.0) where it is right
# ---------------------------------------------------------------------------------------------
@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")  # pymcdm's NaN on S/R ties
@SETTINGS
@given(data=problems())
def test_topsis_and_vikor_agree_with_pymcdm(data):
    from pymcdm import normalizations as pn
    from pymcdm.methods import TOPSIS as PT
    from pymcdm.methods import VIKOR as PV

    X, types, w = data
    p = make(X, types)
    wn = w / w.sum()
    _close(TOPSIS("vector").scores(p, w), PT(pn.vector_normalization)(X, wn, types, validation=False))
    _close(TOPSIS("minmax").scores(p, w), PT(pn.minmax_normalization)(X, wn, types, validation=False))
    ours = VIKOR(v=0.3).explain(p, w)["indices"]
    theirs = PV(v=0.3)(X, wn, types, validation=False, verbose=False)
    if np.isfinite(theirs).all():  # pymcdm gives NaN when all S or all R tie
        _close(ours["Q"].to_numpy(), theirs)


@SETTINGS
@given(data=problems())
def test_promethee_agrees_with_a_fresh_pymcdm_object(data):
    from pymcdm.methods import PROMETHEE_II

    X, types, w = data
    wn = w / w.sum()
    m = X.shape[1]
    theirs = PROMETHEE_II("vshape_2", p=[30.0] * m, q=[5.0] * m)(X, wn, types, validation=False)
    _close(PROMETHEE2(preference="linear", p=30, q=5).scores(make(X, types), w), theirs)


# ---------------------------------------------------------------------------------------------
# normalisation
# ---------------------------------------------------------------------------------------------
def test_minmax_constant_column_names_the_criterion():
    X = np.array([[1.0, 5.0], [2.0, 5.0]])
    with pytest.raises(InputError, match=r"criterion gdp.*same value"):
        normalize(X, [1, 1], "minmax", criterion_ids=["pop", "gdp"])
    with pytest.raises(InputError, match="criterion #2"):
        normalize(X, [1, 1], "minmax")


def test_vector_zero_column_and_ratio_kinds_need_positive_values():
    with pytest.raises(InputError, match="zero for every alternative"):
        normalize(np.array([[1.0, 0.0], [2.0, 0.0]]), [1, 1], "vector", ["a", "b"])
    with pytest.raises(InputError, match=r"values > 0.*criterion b"):
        normalize(np.array([[1.0, -1.0], [2.0, 3.0]]), [1, -1], "max", ["a", "b"])
    with pytest.raises(InputError, match="unknown normalisation"):
        normalize(np.ones((2, 2)), [1, 1], "zscore")


def test_normalisations_by_hand():
    X = np.array([[3.0, 1.0], [4.0, 2.0]])
    # vector: col1 /5 -> (.6, .8); col2 cost: 1 - x/sqrt(5)
    np.testing.assert_allclose(normalize(X, [1, -1], "vector"), [[0.6, 1 - 1 / 5**0.5], [0.8, 1 - 2 / 5**0.5]])
    np.testing.assert_allclose(normalize(X, [1, -1], "minmax"), [[0, 1], [1, 0]])
    np.testing.assert_allclose(normalize(X, [1, -1], "max"), [[0.75, 1.0], [1.0, 0.5]])
    np.testing.assert_allclose(normalize(X, [1, -1], "sum"), [[3 / 7, 2 / 3], [4 / 7, 1 / 3]])


# ---------------------------------------------------------------------------------------------
# registry, weights, errors
# ---------------------------------------------------------------------------------------------
def test_registry_names_and_late_registration():
    for name in ("topsis", "vikor", "promethee2", "wsm", "wpm", "copras", "edas", "mabac", "spotis", "ahp"):
        assert METHODS.get(name)
    assert get_method("topsis", normalization=None).normalization == "vector"  # None = not given
    with pytest.raises(InputError, match="unknown method"):
        get_method("electre")
    with pytest.raises(InputError, match="does not take"):
        get_method("vikor", normalization="minmax")

    class Const(RankingMethod):
        name = "const_test"

        def _compute(self, X, types, w, cids):
            return {"score": X[:, 0] * 0 + 1, "contrib": np.zeros_like(X)}

    register_method("const_test", Const, "test only")
    try:
        assert METHODS["const_test"] == "test only"
        p = make(np.array([[1.0, 2.0], [2.0, 1.0]]), [1, 1])
        assert list(get_method("const_test").rank(p, [1, 1])["rank"]) == [1, 1]
    finally:
        METHODS.pop("const_test")
        from mcda import methods as mm

        mm._FACTORIES.pop("const_test")


def test_weights_series_in_any_order_and_bad_weights():
    p = DecisionProblem.from_arrays(
        np.array([[1.0, 10.0], [2.0, 30.0], [3.0, 20.0]]), [1, -1], criterion_ids=["a", "b"]
    )
    m = TOPSIS()
    base = m.scores(p, np.array([0.3, 0.7]))
    _close(m.scores(p, pd.Series({"b": 0.7, "a": 0.3})), base)
    _close(m.scores(p, {"a": 3, "b": 7}), base)
    with pytest.raises(InputError, match="negative"):
        m.scores(p, np.array([-1.0, 1.0]))
    with pytest.raises(InputError, match="all weights are zero"):
        m.scores(p, np.array([0.0, 0.0]))
    with pytest.raises(InputError, match="unknown criterion: c"):
        m.scores(p, pd.Series({"a": 1.0, "b": 1.0, "c": 1.0}))
    with pytest.raises(InputError, match="expected 2 weights"):
        m.scores(p, np.array([1.0, 1.0, 1.0]))


def test_method_specific_input_errors():
    neg = DecisionProblem.from_arrays(
        np.array([[-1.0, 2.0], [1.0, 3.0], [0.5, 1.0]]), [1, -1], criterion_ids=["wgi", "x"]
    )
    with pytest.raises(InputError, match="values > 0"):
        get_method("wpm").scores(neg, [1, 1])
    with pytest.raises(InputError, match="COPRAS needs values >= 0"):
        get_method("copras").scores(neg, [1, 1])
    with pytest.raises(InputError, match="needs a preference threshold p"):
        get_method("promethee2", preference="linear").scores(neg, [1, 1])
    with pytest.raises(InputError, match=r"q .* must be below p"):
        get_method("promethee2", preference="linear", p=1, q=2).scores(neg, [1, 1])
    with pytest.raises(InputError, match="v must be in"):
        VIKOR(v=2)
    with pytest.raises(InputError, match="minmax"):
        TOPSIS(normalization="sum")
    # TOPSIS, VIKOR, PROMETHEE II, WSM(minmax), MABAC accept negative values (e.g. WGI scores)
    for name in ("topsis", "vikor", "promethee2", "wsm", "mabac", "spotis"):
        assert np.isfinite(get_method(name).scores(neg, [1, 1])).all()


def test_rank_scores_ties_share_the_smallest_rank():
    assert list(rank_scores(np.array([0.5, 0.9, 0.5, 0.1]))) == [2, 1, 2, 4]
    assert list(rank_scores(np.array([0.5, 0.9, 0.5, 0.1]), higher_is_better=False)) == [2, 4, 2, 1]
    assert list(rank_scores(np.array([0.5, 0.9, 0.5, 0.1]), ties="average")) == [2.5, 1, 2.5, 4]
    # scores equal up to round-off tie
    assert list(rank_scores(np.array([0.3, 0.1 + 0.2]))) == [1, 1]


def test_explain_tables_are_dataframes():
    p = DecisionProblem.from_arrays(np.array([[1.0, 10.0], [2.0, 30.0], [3.0, 20.0]]), [1, -1])
    for name in METHODS:
        ex = get_method(name).explain(p, [0.5, 0.5])
        assert {"about", "weights", "result"} <= set(ex)
        assert all(isinstance(v, pd.DataFrame) for v in ex.values())
        text = get_method(name).verbose(p, [0.5, 0.5])  # pymcdm-style verbose view: every table, captioned
        assert all(get_method(name).captions.get(k, k.replace("_", " ")) in text for k in ex)
