"""SMAA with data uncertainty (issue 10 item 5): criterion values sampled from their stated sd.

Checked against an INDEPENDENT Monte-Carlo written here as a plain loop: the values are drawn with
numpy, each sample is ranked with pymcdm's TOPSIS (min-max normalisation, validation on) or a
hand-written vector-normalised TOPSIS (Hwang & Yoon 1981), and ranks are counted. Fed the same
draws (the seeded stream documented in mcda/robustness_values.py) the acceptabilities agree
exactly; with independent draws within a stated Monte-Carlo tolerance.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mcda.errors import InputError
from mcda.problem import DecisionProblem
from mcda.robustness_sampling import AroundWeights, FixedWeights, UniformSimplex
from mcda.robustness_smaa import smaa
from mcda.robustness_values import value_uncertainty

IDS = ["A", "B", "C", "D", "E"]
CRIT = ["size", "gov", "cost"]
X = np.array(
    [
        [10.0, 0.50, 3.0],
        [12.0, -0.20, 4.0],
        [9.0, 0.10, 2.5],
        [11.0, 0.05, 3.5],
        [8.0, 0.60, 5.0],
    ]
)
TYPES = {"size": "benefit", "gov": "benefit", "cost": "cost"}
SD = {
    ("A", "gov"): 0.3,
    ("B", "gov"): 0.25,
    ("C", "gov"): 0.4,
    ("D", "gov"): 0.2,
    ("E", "gov"): 0.35,
    ("B", "size"): 1.0,
}


def problem() -> DecisionProblem:
    return DecisionProblem(pd.DataFrame(X, index=pd.Index(IDS), columns=CRIT), TYPES)


def table(sd: dict | None = None, year: dict | None = None) -> pd.DataFrame:
    sd = SD if sd is None else sd
    rows = [{"id": a, "criterion": c, "sd": v} | ({"year": year[a, c]} if year else {}) for (a, c), v in sd.items()]
    return pd.DataFrame(rows)


def hand_topsis_vector(Xs: np.ndarray, w: np.ndarray, benefit: np.ndarray) -> np.ndarray:
    """Hwang & Yoon TOPSIS: r = x / ||x||, v = w r, ideal/anti-ideal by direction, closeness."""
    R = Xs / np.sqrt((Xs**2).sum(axis=0))
    V = R * w
    best = np.where(benefit, V.max(axis=0), V.min(axis=0))
    worst = np.where(benefit, V.min(axis=0), V.max(axis=0))
    dp = np.sqrt(((V - best) ** 2).sum(axis=1))
    dm = np.sqrt(((V - worst) ** 2).sum(axis=1))
    return dm / (dp + dm)


def ranks_min(scores: np.ndarray) -> np.ndarray:
    """Rank 1 = best; ties (to 12 decimals) share the smaller rank."""
    s = np.round(scores, 12)
    return np.array([1 + int((s > v).sum()) for v in s])


def independent_acceptability(draw_w, draw_z, n: int, score) -> np.ndarray:
    """The plain Monte-Carlo loop: draw a weight vector and the uncertain values, rank, count."""
    cells = [(IDS.index(a), CRIT.index(c), v) for (a, c), v in SD.items()]
    cells.sort()  # row-major: alternative, then criterion (the documented stream order)
    counts = np.zeros((len(IDS), len(IDS)))
    W, Z = draw_w(n), draw_z(n, len(cells))  # all weights first, then all normals (the same stream)
    for s in range(n):
        Xs = X.copy()
        for q, (i, j, sd) in enumerate(cells):
            Xs[i, j] += sd * Z[s, q]
        r = ranks_min(score(Xs, W[s]))
        counts[np.arange(len(IDS)), r - 1] += 1
    return counts / n


BENEFIT = np.array([TYPES[c] == "benefit" for c in CRIT])


def test_same_draws_give_exactly_the_independent_monte_carlo_hand_topsis():
    p = problem()
    vu = value_uncertainty(p, table())
    sampler = AroundWeights(p, pd.Series([1.0, 2.0, 1.0], index=CRIT), 30)
    n, seed = 3000, 11
    res = smaa(p, sampler, n_samples=n, seed=seed, method="topsis", values=vu)
    rng = np.random.default_rng(seed)  # one block (n < BLOCK): the weights, then the values' normals
    W = sampler.draw(n, rng)
    Z = rng.standard_normal((n, len(SD)))
    ref = independent_acceptability(lambda k: W, lambda k, c: Z, n, lambda Xs, w: hand_topsis_vector(Xs, w, BENEFIT))
    np.testing.assert_array_equal(res.acceptability.to_numpy(), ref)


def test_independent_draws_agree_with_pymcdm_topsis_within_monte_carlo_error():
    from pymcdm.methods import TOPSIS
    from pymcdm.normalizations import minmax_normalization

    p = problem()
    vu = value_uncertainty(p, table())
    n = 6000
    res = smaa(p, UniformSimplex(p), n_samples=n, seed=5, method="topsis", normalization="minmax", values=vu)
    rng = np.random.default_rng(987654)  # independent stream
    types = np.where(BENEFIT, 1, -1)
    topsis = TOPSIS(normalization_function=minmax_normalization)
    ref = independent_acceptability(
        lambda k: rng.dirichlet(np.ones(len(CRIT)), size=k),
        lambda k, c: rng.standard_normal((k, c)),
        n,
        lambda Xs, w: topsis(Xs, w, types, validation=False),  # checked inputs; its validation is slow
    )
    b = res.acceptability.to_numpy()
    # two independent estimates of the same shares: |b1 - b2| <= 5 standard errors of their difference
    se = np.sqrt(np.maximum(b * (1 - b), ref * (1 - ref)) * 2 / n)
    assert (np.abs(b - ref) <= 5 * se + 1e-3).all(), np.abs(b - ref).max()
    # and data uncertainty matters here: the exact-value run differs by far more than that
    exact = smaa(p, UniformSimplex(p), n_samples=n, seed=5, method="topsis", normalization="minmax")
    assert np.abs(exact.acceptability.to_numpy() - b).max() > 0.05


@pytest.mark.parametrize("method", ["topsis", "wsm", "vikor", "promethee2"])
def test_zero_sd_equals_the_weights_only_run_exactly(method):
    p = problem()
    vu = value_uncertainty(p, table(dict.fromkeys(SD, 0.0)))
    assert vu.n_cells == 0 and vu.measured_criteria == []
    sampler = AroundWeights(p, pd.Series([1.0, 2.0, 1.0], index=CRIT), 40)
    a = smaa(p, sampler, n_samples=2500, seed=3, method=method)
    b = smaa(p, sampler, n_samples=2500, seed=3, method=method, values=vu)
    pd.testing.assert_frame_equal(a.acceptability, b.acceptability, check_exact=True)
    pd.testing.assert_frame_equal(a.central_weights, b.central_weights, check_exact=True)
    # with no value to sample, SMAA-2's confidence over value samples is the exact-value 1/0
    pd.testing.assert_series_equal(a.confidence, b.confidence, check_exact=True)
    assert a.values == "" and "exact" in b.values


def test_a_criterion_with_a_huge_sd_spreads_the_ranks():
    p = problem()
    w = FixedWeights(p, [0.2, 0.6, 0.2])
    exact = smaa(p, w, n_samples=2000, seed=1)
    assert exact.acceptability.max(axis=1).eq(1.0).all()  # fixed weights, exact values: one rank each
    huge = value_uncertainty(p, table({(a, "gov"): 50.0 for a in IDS}))
    res = smaa(p, w, n_samples=2000, seed=1, values=huge)
    acc = res.acceptability.to_numpy()
    assert (acc.max(axis=1) < 0.6).all()  # no country keeps its rank
    assert ((acc > 0.05).sum(axis=1) >= 3).all()  # each takes at least three ranks often
    assert res.measured_criteria == ("gov",)


def test_confidence_factors_mean_something_with_data_uncertainty():
    p = problem()
    vu = value_uncertainty(p, table())
    res = smaa(p, UniformSimplex(p), n_samples=4000, seed=2, values=vu, confidence_k=2)
    have = res.confidence.dropna()
    assert len(have) >= 2
    assert ((have >= 0) & (have <= 1)).all()
    assert ((have > 0) & (have < 1)).any()  # not the exact-value 0/1 any more
    top2 = res.confidence_top_k.dropna()
    assert (top2 >= have.reindex(top2.index)).all()  # in the top 2 at least as often as first
    assert "confidence_top_2" in res.summary(2).columns


def test_confidence_factor_replays_the_documented_stream():
    """The confidence pass: after the main run, value samples from the same generator, each ranked at the
    central weight vectors; recomputed here with the hand TOPSIS."""
    p = problem()
    vu = value_uncertainty(p, table())
    sampler = FixedWeights(p, [0.3, 0.4, 0.3])
    n = 1500
    res = smaa(p, sampler, n_samples=n, seed=9, values=vu)
    rng = np.random.default_rng(9)
    sampler.draw(n, rng)
    rng.standard_normal((n, len(SD)))  # the main run's draws
    Zc = rng.standard_normal((n, len(SD)))
    cells = sorted((IDS.index(a), CRIT.index(c), v) for (a, c), v in SD.items())
    cw = res.central_weights.to_numpy()
    for i in np.flatnonzero(res.confidence.notna().to_numpy()):
        wc = cw[i] / cw[i].sum()
        firsts = 0
        for s in range(n):
            Xs = X.copy()
            for q, (a, j, sd) in enumerate(cells):
                Xs[a, j] += sd * Zc[s, q]
            firsts += ranks_min(hand_topsis_vector(Xs, wc, BENEFIT))[i] == 1
        assert res.confidence.iloc[i] == firsts / n


def test_widening_for_age():
    p = problem()
    years = dict.fromkeys(SD, 2023) | {("A", "gov"): 2013}
    vu = value_uncertainty(p, table(year=years), widen_rate=0.1)
    i, j = IDS.index("A"), CRIT.index("gov")
    assert vu.sd[i, j] == pytest.approx(0.3 * (1 + 0.1 * 10))
    assert vu.sd[IDS.index("B"), j] == pytest.approx(0.25)  # the newest year: not widened
    off = value_uncertainty(p, table(year=years))
    assert off.sd[i, j] == 0.3
    ref = value_uncertainty(p, table(year=years), widen_rate=0.1, reference_year=2025)
    assert ref.sd[IDS.index("B"), j] == pytest.approx(0.25 * 1.2)
    with pytest.raises(InputError, match="year is missing"):
        value_uncertainty(p, table(), widen_rate=0.1)


@pytest.mark.parametrize(
    ("rows", "match", "where"),
    [
        ([{"id": "A", "criterion": "gov", "sd": -0.1}], "negative", "line 2, column sd"),
        ([{"id": "A", "criterion": "gov", "sd": float("nan")}], "missing", "line 2, column sd"),
        ([{"id": "A", "criterion": "gov", "sd": "0,2"}], "not a number", "line 2, column sd"),
        ([{"id": "A", "criterion": "gov", "sd": np.inf}], "not a finite", "line 2, column sd"),
        ([{"id": "Z", "criterion": "gov", "sd": 0.1}], "unknown id", "line 2, column id"),
        ([{"id": "A", "criterion": "nope", "sd": 0.1}], "unknown criterion", "line 2, column criterion"),
        (
            [{"id": "A", "criterion": "gov", "sd": 0.1}, {"id": "A", "criterion": "gov", "sd": 0.2}],
            "listed twice",
            "line 3, column criterion",
        ),
        ([{"id": "A", "criterion": "gov", "sd": 0.1, "year": "2020s"}], "four-digit year", "line 2, column year"),
        ([{"id": "", "criterion": "gov", "sd": 0.1}], "id is missing", "line 2, column id"),
    ],
)
def test_bad_tables_name_the_cell(rows, match, where):
    with pytest.raises(InputError, match=match) as e:
        value_uncertainty(problem(), pd.DataFrame(rows), where="u.csv")
    assert e.value.where == f"u.csv, {where}"


def test_known_but_unused_rows_are_ignored_and_other_problems_refused():
    p = problem()
    vu = value_uncertainty(
        p,
        pd.DataFrame([{"id": "F", "criterion": "gov", "sd": 0.1}, {"id": "A", "criterion": "hdi", "sd": 0.1}]),
        known_ids=IDS + ["F"],
        known_criteria=CRIT + ["hdi"],
    )
    assert vu.n_cells == 0
    other = DecisionProblem(pd.DataFrame(X[:4], index=pd.Index(IDS[:4]), columns=CRIT), TYPES)
    with pytest.raises(InputError, match="another problem"):
        smaa(other, n_samples=10, values=value_uncertainty(p, table()))


def test_imputed_values_stay_exact():
    Xm = pd.DataFrame(X, index=pd.Index(IDS), columns=CRIT)
    Xm.loc["A", "gov"] = np.nan
    p = DecisionProblem(Xm, TYPES, missing="impute:median")
    vu = value_uncertainty(p, table())
    assert vu.sd[0, CRIT.index("gov")] == 0 and vu.n_cells == len(SD) - 1
    assert any("A/gov" in n for n in vu.notes)


def test_a_sample_the_method_refuses_is_named():
    Xp = X.copy()
    Xp[:, 1] += 1.0  # positive, as WPM needs; a huge sd pushes samples below zero
    p = DecisionProblem(pd.DataFrame(Xp, index=pd.Index(IDS), columns=CRIT), TYPES)
    vu = value_uncertainty(p, table({("A", "gov"): 100.0}))
    with pytest.raises(InputError, match="sampled value does not suit wpm"):
        smaa(p, n_samples=200, seed=0, method="wpm", values=vu)


# ------------------------------------------------------------------ the command line


@pytest.fixture
def files(tmp_path):
    m = tmp_path / "m.csv"
    m.write_text("id,size,gov,cost\n" + "".join(f"{a},{','.join(map(str, r))}\n" for a, r in zip(IDS, X, strict=True)))
    c = tmp_path / "c.csv"
    c.write_text("criterion,direction,weight\nsize,benefit,1\ngov,benefit,1\ncost,cost,1\n")
    u = tmp_path / "u.csv"
    u.write_text("id,criterion,sd,year\n" + "".join(f"{a},{k},{v},2023\n" for (a, k), v in SD.items()))
    return tmp_path, m, c, u


def test_cli_uncertainty_matches_the_library_and_reports_confidence(files, cli):
    d, m, c, u = files
    r = cli(
        "mcda", "smaa", m, "--criteria", c, "--samples", 1000, "--seed", 4, "--uncertainty", u, "--out", d / "o.csv"
    )
    assert r.returncode == 0, r.stderr
    out = pd.read_csv(d / "o.csv").set_index("alternative")
    assert list(out.columns) == [f"rank_{i}" for i in range(1, 6)] + ["confidence", "holistic"]
    p = problem()
    lib = smaa(p, UniformSimplex(p), n_samples=1000, seed=4, values=value_uncertainty(p, table()))
    np.testing.assert_allclose(out.iloc[:, :5].to_numpy(), lib.acceptability.to_numpy(), rtol=0, atol=1e-12)
    assert "gov, size" in r.stderr or "size, gov" in r.stderr  # the note names the sampled criteria
    plain = cli("mcda", "smaa", m, "--criteria", c, "--samples", 1000, "--seed", 4, "--out", d / "p.csv")
    assert plain.returncode == 0 and "confidence" not in (d / "p.csv").read_text()


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("id,criterion,sd\nA,gov,-1\n", "line 2, column sd"),
        ("id,criterion,sd\nA,gov,NaN\n", "line 2, column sd"),
        ("id,criterion,sd\nA,gov,high\n", "line 2, column sd"),
        ("id,criterion,sd\nQ,gov,0.1\n", "line 2, column id"),
        ("id,criterion,sd\nA,hdi,0.1\n", "line 2, column criterion"),
        ("id,criterion,sd\nA,gov,0.1\nB,gov,0.1\nA,gov,0.2\n", "line 4, column criterion"),
        ("id,criterion\nA,gov\n", "missing column(s): sd"),
    ],
)
def test_cli_bad_uncertainty_tables_exit_2_naming_the_cell(files, cli, text, where):
    d, m, c, _u = files
    bad = d / "bad.csv"
    bad.write_text(text)
    r = cli("mcda", "smaa", m, "--criteria", c, "--samples", 10, "--uncertainty", bad, "--out", d / "o.csv")
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and str(bad) in lines[0] and where in lines[0], r.stderr


def test_cli_widen_needs_a_table(files, cli):
    d, m, c, _u = files
    r = cli("mcda", "smaa", m, "--criteria", c, "--widen", 0.1, "--out", d / "o.csv")
    assert r.returncode == 2 and "--widen" in r.stderr


@pytest.mark.parametrize(
    ("method", "opts"),
    [("topsis", {}), ("topsis", {"normalization": "minmax"}), ("wsm", {}), ("wsm", {"normalization": "vector"})],
)
def test_stacked_form_equals_the_generic_per_sample_form(method, opts):
    from mcda.robustness_batch import BatchScorer
    from mcda.robustness_values import sample_scores, sample_scores_many

    rng = np.random.default_rng(42)
    n, m = 9, 4
    Xr = rng.uniform(1, 10, (n, m))
    ids = [f"a{i}" for i in range(n)]
    cids = [f"c{j}" for j in range(m)]
    p = DecisionProblem(
        pd.DataFrame(Xr, index=ids, columns=cids), dict(zip(cids, ["benefit", "cost"] * 2, strict=True))
    )
    sd = {(a, c): float(rng.uniform(0.1, 2)) for a in ids for c in cids[:2]}
    vu = value_uncertainty(p, pd.DataFrame([{"id": a, "criterion": c, "sd": v} for (a, c), v in sd.items()]))
    scorer = BatchScorer(p, method, **opts)
    assert callable(getattr(scorer.method, "sampled_scores", None))
    W = UniformSimplex(p).draw(300, rng)
    Z = vu.normals(300, rng)
    fast, slow = sample_scores(scorer, vu, W, Z), sample_scores(scorer, vu, W, Z, allow_stacked=False)
    np.testing.assert_allclose(fast, slow, rtol=0, atol=1e-12)
    Wc = W[:3]
    np.testing.assert_allclose(
        sample_scores_many(scorer, vu, Wc, Z), sample_scores_many(scorer, vu, Wc, Z, allow_stacked=False), atol=1e-12
    )


def test_stacked_normalisation_declines_a_slice_the_plain_one_refuses():
    from mcda.normalization import normalize, normalize_stack

    X = np.array([[[1.0, 2.0], [3.0, 4.0]], [[1.0, 2.0], [1.0, 5.0]]])  # slice 1: first column constant
    assert normalize_stack(X, [1, -1], "minmax") is None
    np.testing.assert_array_equal(normalize_stack(X[:1], [1, -1], "minmax")[0], normalize(X[0], [1, -1], "minmax"))
    assert normalize_stack(np.zeros((1, 2, 2)), [1, 1], "vector") is None
    assert normalize_stack(X, [1, 1], "max") is None  # no stacked form: slice by slice
