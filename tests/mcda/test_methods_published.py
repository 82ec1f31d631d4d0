"""Ranking methods against worked examples published in books and papers.

Every expected number below is copied from the cited publication (or derived by hand in the
comments), never from this code's output. Where a publication rounds, the tolerance is half a
unit of its last printed decimal unless a comment says otherwise.

Provenance audit (each block says which applies): for several examples the original table could
not be read from any stored copy; the figures then come from a *secondary transcription* (named,
with the file it sits in) and were re-derived independently from the method's published formulas
in plain numpy (no mcda import); the re-derived values are quoted in the comments so that every
expected value here is backed by a computation that is not this code.
"""

from __future__ import annotations

import numpy as np
import pytest

from mcda.methods import COPRAS, EDAS, MABAC, PROMETHEE2, SPOTIS, TOPSIS, VIKOR, WPM, WSM
from mcda.problem import DecisionProblem

# ---------------------------------------------------------------------------------------------
# TOPSIS — Hwang, C.-L. & Yoon, K. (1981). Multiple Attribute Decision Making: Methods and
# Applications. Lecture Notes in Economics and Mathematical Systems 186, Springer, pp. 133-134:
# the fighter-aircraft example (4 aircraft x 6 attributes: max speed [Mach], ferry range [NM],
# max payload [lb], acquisition cost [$10^6] (cost), reliability, maneuverability).
# Provenance: the book itself is not in any stored source, so the page numbers and the printed
# C*, ideal and separation figures below are NOT confirmed from a copy of it. Confirmed instead:
# the weights w = (.2 .1 .1 .1 .2 .3) and the attribute-wise order of the four aircraft on every
# attribute (f4 "price is minimal") in the lecture notes of the Czech University of Life Sciences
# that rework the same "Fighter Aircraft Problem" (orms.pef.czu.cz, pages 21ExFAPPM "Permutation
# Method" and 22ExFAPLAM "Linear Assignment Method"); the full matrix as transcribed in several
# public repositories ([2, 1500, 20000, 5.5, 5, 9], [2.5, 2700, 18000, 6.5, 3, 5], ...).
# Independent re-derivation (plain numpy, vector normalisation, cost on X4):
#   r_1 = (.46714 .58393 .42043 .51386), r_6 = (.67082 .37268 .52175 .37268), r_4 = 5.5/sqrt(117.75) ...
#   A* = (.11679 .06591 .05308 .04147 .13472 .20125), A- = (.08409 .03662 .04550 .05990 .05774 .11180)
#   S* = (.05456 .11968 .05798 .10094), S- = (.09838 .04390 .09204 .04584)
#   C* = (.64328 .26838 .61354 .31229); from separations rounded to 4 dp: (.6431 .2683 .6133 .3122).
# Every figure asserted below lies within its stated tolerance of these exact values, so the
# test holds on the independent derivation even where the printed book figure is unconfirmed.
# ---------------------------------------------------------------------------------------------
AIRCRAFT = [
    [2.0, 1500, 20000, 5.5, 5, 9],
    [2.5, 2700, 18000, 6.5, 3, 5],
    [1.8, 2000, 21000, 4.5, 7, 7],
    [2.2, 1800, 20000, 5.0, 5, 5],
]
AIRCRAFT_TYPES = [1, 1, 1, -1, 1, 1]
AIRCRAFT_W = [0.2, 0.1, 0.1, 0.1, 0.2, 0.3]


@pytest.fixture
def aircraft():
    return DecisionProblem.from_arrays(AIRCRAFT, AIRCRAFT_TYPES, alternatives=["A1", "A2", "A3", "A4"])


def test_topsis_hwang_yoon_1981_closeness(aircraft):
    # Published relative closeness C*: A1 .643, A2 .268, A3 .613, A4 .312 (ranking A1 > A3 > A4 > A2).
    # The book computes C* from separations rounded to 4 decimals: for A3 .0920/(.0580+.0920) = .6133,
    # printed .613, while the unrounded value is .61354. Hence a tolerance of 1e-3 (not 5e-4).
    c = TOPSIS().scores(aircraft, np.array(AIRCRAFT_W))
    np.testing.assert_allclose(c, [0.643, 0.268, 0.613, 0.312], atol=1e-3)
    r = TOPSIS().rank(aircraft, np.array(AIRCRAFT_W))
    assert list(r["alternative"]) == ["A1", "A3", "A4", "A2"]
    assert list(r["rank"]) == [1, 2, 3, 4]


def test_topsis_hwang_yoon_1981_intermediate_tables(aircraft):
    ex = TOPSIS(normalization="vector").explain(aircraft, np.array(AIRCRAFT_W))
    # Normalised matrix, column X1 as printed (.4671 .5839 .4204 .5139) and X6 (.6708 .3727 .5217 .3727).
    np.testing.assert_allclose(ex["normalized"]["C1"], [0.4671, 0.5839, 0.4204, 0.5139], atol=5e-5)
    np.testing.assert_allclose(ex["normalized"]["C6"], [0.6708, 0.3727, 0.5217, 0.3727], atol=5e-5)
    # Ideal A* = (.1168 .0659 .0531 .0414 .1347 .2012), negative ideal A- = (.0841 .0366 .0455 .0598 .0577 .1118);
    # separations S* = (.0545 .1197 .0580 .1009), S- = (.0983 .0439 .0920 .0458).
    # The book's normalised cost column X4 is said to carry a small slip (.5063 .5983 .4143 .4603; the
    # exact values are 5.5/sqrt(117.75) = .50686 ...; this printed column is not confirmed from a stored
    # copy), which moves 4th decimals by up to 1e-4, hence 1.5e-4. The exact values derived in the
    # header comment (e.g. A*_4 = .04147, S-_1 = .09838) are within 1.5e-4 of every figure below.
    np.testing.assert_allclose(ex["ideal"]["ideal"], [0.1168, 0.0659, 0.0531, 0.0414, 0.1347, 0.2012], atol=1.5e-4)
    np.testing.assert_allclose(ex["ideal"]["anti_ideal"], [0.0841, 0.0366, 0.0455, 0.0598, 0.0577, 0.1118], atol=1.5e-4)
    np.testing.assert_allclose(ex["separation"]["d_ideal"], [0.0545, 0.1197, 0.0580, 0.1009], atol=1.5e-4)
    np.testing.assert_allclose(ex["separation"]["d_anti_ideal"], [0.0983, 0.0439, 0.0920, 0.0458], atol=1.5e-4)


# ---------------------------------------------------------------------------------------------
# VIKOR — Papathanasiou, J. & Ploskas, N. (2018). "VIKOR". In: Multiple Criteria Decision Aid:
# Methods, Examples and Python Implementations. Springer Optimization and Its Applications 136,
# ch. 2, pp. 31-55, doi:10.1007/978-3-319-91648-4_2 — numerical example: 6 alternatives x 4
# benefit criteria, w = (0.4, 0.3, 0.1, 0.2), v = (n+1)/(2n) = 0.625 for n = 4 criteria.
# Published Q = (0.640, 1.000, 0.693, 0.271, 0.000, 0.694).
# Provenance: SECONDARY transcription — the chapter (and its table number) is not in any stored
# source. Matrix, weights, v = 0.625 and Q to 3 dp are as transcribed in the test suites of
# energyinpython/pyrepo-mcda (tests/test_mcda_methods.py, Test_VIKOR), energyinpython/crispyn
# (tests/test_mcda_methods.py) and energyinpython/objective-weights-for-mcda, all citing
# "Papathanasiou & Ploskas (2018), Vikor, pp. 31-55". Independent re-derivation from S and R in
# test_vikor_s_and_r_by_hand (S* = .08, S- = .766667, R* = .08, R- = .4):
#   Q = .625 (S - .08)/.686667 + .375 (R - .08)/.32 = (.639932, 1, .692918, .271411, 0, .693893).
# ---------------------------------------------------------------------------------------------
PP_MATRIX = [[8, 7, 2, 1], [5, 3, 7, 5], [7, 5, 6, 4], [9, 9, 7, 3], [11, 10, 3, 7], [6, 9, 5, 4]]
PP_W = np.array([0.4, 0.3, 0.1, 0.2])


@pytest.fixture
def pp():
    return DecisionProblem.from_arrays(PP_MATRIX, [1, 1, 1, 1])


def test_vikor_papathanasiou_ploskas_2018_q(pp):
    q = VIKOR(v=0.625).scores(pp, PP_W)
    np.testing.assert_allclose(q, [0.640, 1.000, 0.693, 0.271, 0.000, 0.694], atol=5e-4)
    assert VIKOR.higher_is_better is False
    r = VIKOR(v=0.625).rank(pp, PP_W)
    # lower Q is better: A5 (0.000) first, A2 (1.000) last
    assert r.iloc[0]["alternative"] == "A5" and r.iloc[-1]["alternative"] == "A2"


def test_vikor_s_and_r_by_hand(pp):
    # Hand computation (f* = 11, 10, 7, 7; f- = 5, 3, 2, 1; ranges 6, 7, 5, 6):
    # A1 = (8,7,2,1): t = .4*3/6, .3*3/7, .1*5/5, .2*6/6 = .2, .128571, .1, .2 -> S = .628571, R = .2
    # A2 = (5,3,7,5): .4, .3, 0, .066667 -> S = .766667, R = .4
    # A3 = (7,5,6,4): .266667, .214286, .02, .1 -> S = .600952, R = .266667
    # A4 = (9,9,7,3): .133333, .042857, 0, .133333 -> S = .309524, R = .133333
    # A5 = (11,10,3,7): 0, 0, .08, 0 -> S = .08, R = .08
    # A6 = (6,9,5,4): .333333, .042857, .04, .1 -> S = .516190, R = .333333
    ex = VIKOR(v=0.625).explain(pp, PP_W)
    ind = ex["indices"]
    np.testing.assert_allclose(ind["S"], [0.628571, 0.766667, 0.600952, 0.309524, 0.08, 0.516190], atol=1e-6)
    np.testing.assert_allclose(ind["R"], [0.2, 0.4, 0.266667, 0.133333, 0.08, 0.333333], atol=1e-6)
    np.testing.assert_allclose(ex["regret"].loc["A1"], [0.2, 0.128571, 0.1, 0.2], atol=1e-6)
    # Conditions: A5 best by Q (0), A4 second (0.271); DQ = 1/(6-1) = 0.2 -> C1 holds (0.271 >= 0.2);
    # A5 also has the least S and R -> C2 holds; the compromise solution is A5 alone.
    assert bool(ex["conditions"].loc["C1 acceptable advantage", "holds"])
    assert bool(ex["conditions"].loc["C2 acceptable stability", "holds"])
    assert list(ex["compromise"]["alternative"]) == ["A5"]


def test_vikor_ties_in_s_and_r_by_hand():
    # Two alternatives, each best on one equally weighted criterion: S = (.5, .5), R = (.5, .5).
    # Both ranges are 0, so by the convention stated in VIKOR's docstring both Q terms are 0:
    # Q = (0, 0) and the alternatives tie (pymcdm 1.4.0 gives NaN here).
    p = DecisionProblem.from_arrays([[1, 2], [2, 1]], [1, 1])
    q = VIKOR().scores(p, np.array([0.5, 0.5]))
    np.testing.assert_array_equal(q, [0.0, 0.0])
    assert list(VIKOR().rank(p, np.array([0.5, 0.5]))["rank"]) == [1, 1]


# ---------------------------------------------------------------------------------------------
# PROMETHEE II — Papathanasiou, J. & Ploskas, N. (2018). "PROMETHEE". In: Multiple Criteria
# Decision Aid (as above), ch. 3, pp. 57-89 — same 6 x 4 matrix and weights, linear preference
# function (type V) with indifference q = 1 and preference p = 2 on every criterion.
# Published net flows phi = (-0.26, -0.52, -0.22, 0.36, 0.70, -0.06).
# Provenance: SECONDARY transcription — the chapter's table is not in any stored source; matrix,
# weights, p, q and phi are as transcribed in energyinpython/pyrepo-mcda's test suite
# (Test_PROMETHEE_II) and energyinpython/objective-weights-for-mcda (tests/test_mcda_methods.py),
# both citing "Papathanasiou & Ploskas (2018), Promethee, pp. 57-89".
# Independent re-derivation: on integer data with q = 1, p = 2 every P_j(a, b) is 0 (d <= 1) or
# 1 (d >= 2), so pi(a, b) = sum of w_j over criteria where a beats b by >= 2, and
# phi = (sum_b pi(a,b) - sum_b pi(b,a)) / 5. E.g. A5 = (11,10,3,7) beats A1, A2, A3 on C1,C2,C4
# (.9 each) and A4, A6 on C1,C4 (.6 each) -> 3.9 out; A2, A3, A4, A6 beat it on C3 (.1 each) -> .4
# in; phi(A5) = 3.5/5 = .70. All six (numpy): exactly -.26 -.52 -.22 .36 .70 -.06, so the
# published figures are exact, hence 1e-9.
# ---------------------------------------------------------------------------------------------
def test_promethee2_papathanasiou_ploskas_2018_linear(pp):
    method = PROMETHEE2(preference="linear", p=2, q=1)
    phi = method.scores(pp, PP_W)
    np.testing.assert_allclose(phi, [-0.26, -0.52, -0.22, 0.36, 0.70, -0.06], atol=1e-9)
    # pymcdm 1.4.0 defect: a PROMETHEE_II built with p/q fails on its second call. Ours must not.
    np.testing.assert_array_equal(method.scores(pp, PP_W), phi)
    np.testing.assert_array_equal(method.rank(pp, PP_W).sort_values("alternative")["score"], phi)


def test_promethee2_usual_by_hand():
    # 3 alternatives x 3 benefit criteria, w = (.5, .3, .2), usual criterion (P = 1 if d > 0):
    #   A1 = (4,3,2), A2 = (3,2,4), A3 = (5,1,3)
    #   pi(A1,A2) = .5+.3 = .8, pi(A2,A1) = .2, pi(A1,A3) = .3, pi(A3,A1) = .5+.2 = .7,
    #   pi(A2,A3) = .3+.2 = .5, pi(A3,A2) = .5
    #   phi+ = ((.8+.3)/2, (.2+.5)/2, (.7+.5)/2) = (.55, .35, .60)
    #   phi- = ((.2+.7)/2, (.8+.5)/2, (.3+.5)/2) = (.45, .65, .40)
    #   phi  = (.10, -.30, .20)
    p = DecisionProblem.from_arrays([[4, 3, 2], [3, 2, 4], [5, 1, 3]], [1, 1, 1])
    ex = PROMETHEE2().explain(p, np.array([0.5, 0.3, 0.2]))
    np.testing.assert_allclose(ex["flows"]["phi_plus"], [0.55, 0.35, 0.60], atol=1e-12)
    np.testing.assert_allclose(ex["flows"]["phi_minus"], [0.45, 0.65, 0.40], atol=1e-12)
    np.testing.assert_allclose(ex["flows"]["phi"], [0.10, -0.30, 0.20], atol=1e-12)


def test_promethee2_vshape_and_cost_by_hand():
    # One cost criterion, V-shape (type III) with p = 4: values 1, 3, 5 (lower is better).
    # d(A1,A2) = 2 -> P = .5; d(A1,A3) = 4 -> 1; d(A2,A3) = 2 -> .5; reversed pairs 0.
    # phi(A1) = (.5 + 1)/2 = .75; phi(A2) = (.5 - .5)/2 = 0; phi(A3) = (-1 - .5)/2 = -.75
    p = DecisionProblem.from_arrays([[1, 7], [3, 7.5], [5, 8]], [-1, 1])
    phi = PROMETHEE2(preference={"C1": "vshape", "C2": "usual"}, p={"C1": 4}).scores(p, np.array([1.0, 0.0]))
    np.testing.assert_allclose(phi, [0.75, 0.0, -0.75], atol=1e-12)


# ---------------------------------------------------------------------------------------------
# COPRAS — Goswami, S. & Mitra, S. (2020). Selecting the best mobile model by applying AHP-COPRAS
# and AHP-ARAS decision making methodology. International Journal of Data and Network Science
# 4(1), 27-42 — 10 phones x 4 criteria (price is the cost criterion). Published utility degrees
# (Q_i / Q_max) as transcribed in the objective-weights-for-mcda test suite (energyinpython).
# pymcdm 1.4.0's COPRAS does NOT reproduce these (it counts the cost criterion as a benefit).
# Provenance: SECONDARY transcription only — the paper (and its table number) is not in any stored
# source; matrix, AHP weights and the 5-dp utility degrees are from energyinpython/
# objective-weights-for-mcda tests/test_mcda_methods.py (Test_COPRAS), which checks its own code to
# 5 dp, so these may be that code's output rather than the paper's table. Independent
# re-derivation (numpy, Zavadskas & Kaklauskas 1996: d_ij = w_j x_ij / sum_i x_ij,
# Q_i = S+_i + sum S- / (S-_i * sum 1/S-)): U = (1, .852616, .919299, .685229, .805152, .725866,
# .834356, .797579, .790968, .795331) — equal to the transcription within 1e-6.
# ---------------------------------------------------------------------------------------------
def test_copras_goswami_mitra_2020():
    m = [
        [80, 16, 2, 5],
        [110, 32, 2, 9],
        [130, 64, 4, 9],
        [185, 64, 4, 1],
        [135, 64, 3, 4],
        [140, 32, 3, 5],
        [185, 64, 6, 7],
        [110, 16, 3, 3],
        [120, 16, 4, 3],
        [340, 128, 6, 5],
    ]
    p = DecisionProblem.from_arrays(m, [-1, 1, 1, 1])
    u = COPRAS().scores(p, np.array([0.60338, 0.13639, 0.19567, 0.06456]))
    np.testing.assert_allclose(
        u, [1, 0.85262, 0.91930, 0.68523, 0.80515, 0.72587, 0.83436, 0.79758, 0.79097, 0.79533], atol=5e-6
    )


# ---------------------------------------------------------------------------------------------
# EDAS — Ersoy, Y. (2021). Equipment selection for an e-commerce company using entropy-based
# TOPSIS, EDAS and CODAS methods during the COVID-19. LogForum 17(3) — 6 alternatives x 6
# criteria, entropy weights; published appraisal scores AS as transcribed in pyrepo-mcda's tests.
# Provenance: SECONDARY transcription only — the paper's table is not in any stored source; data,
# weights and AS are from energyinpython/pyrepo-mcda tests/test_mcda_methods.py (Test_EDAS, checked
# there to 3 dp). Independent re-derivation (numpy; AV = column means, PDA/NDA by direction,
# SP/SN weighted sums, NSP = SP/max SP, NSN = 1 - SN/max SN, AS = (NSP + NSN)/2):
# AS = (.414141, .129994, .460694, .212006, .944340, .042958).
# ---------------------------------------------------------------------------------------------
def test_edas_ersoy_2021():
    m = [
        [256, 8, 41, 1.6, 1.77, 7347.16],
        [256, 8, 32, 1.0, 1.8, 6919.99],
        [256, 8, 53, 1.6, 1.9, 8400],
        [256, 8, 41, 1.0, 1.75, 6808.9],
        [512, 8, 35, 1.6, 1.7, 8479.99],
        [256, 4, 35, 1.6, 1.7, 7499.99],
    ]
    p = DecisionProblem.from_arrays(m, [1, 1, 1, 1, -1, -1])
    s = EDAS().scores(p, np.array([0.405, 0.221, 0.134, 0.199, 0.007, 0.034]))
    np.testing.assert_allclose(s, [0.414, 0.130, 0.461, 0.212, 0.944, 0.043], atol=5e-4)


# ---------------------------------------------------------------------------------------------
# MABAC — Işık, Ö., Aydın, Y. & Koşaroğlu, Ş. M. (2020). The assessment of the Logistics
# Performance Index of CEE countries with the new combination of SV and MABAC methods.
# LogForum 16(4) — 11 countries x 6 LPI components; published MABAC scores as transcribed in
# pyrepo-mcda's tests.
# Provenance: SECONDARY transcription only — the paper's table is not in any stored source; data,
# weights and the 6-dp scores are from energyinpython/pyrepo-mcda tests/test_mcda_methods.py
# (Test_MABAC, which itself checks only 4 dp). Independent re-derivation (numpy; min-max
# normalisation, V = w (N + 1), G_j = geometric column mean of V, score = sum_j (V - G)):
# (-.155317, -.089493, .505408, .132405, .246944, -.386756, -.179406, .362922, -.084198,
# -.167505, .139896) — four entries differ from the transcription by 1e-6 in the 6th decimal
# (truncated rather than rounded, or rounded inputs), inside the 5e-6 tolerance.
# ---------------------------------------------------------------------------------------------
def test_mabac_isik_2020():
    m = [
        [2.937588, 2.762986, 3.233723, 2.881315, 3.015289, 3.313491],
        [2.978555, 3.012820, 2.929487, 3.096154, 3.012820, 3.593939],
        [3.286673, 3.464600, 3.746009, 3.715632, 3.703427, 4.133620],
        [3.322037, 3.098638, 3.262154, 3.147851, 3.206675, 3.798684],
        [3.354866, 3.270945, 3.221880, 3.213207, 3.670508, 3.785941],
        [2.796570, 2.983000, 2.744904, 2.692550, 2.787563, 2.878851],
        [2.846491, 2.729618, 2.789990, 2.955624, 3.123323, 3.646595],
        [3.253458, 3.208902, 3.678499, 3.580044, 3.505663, 3.954262],
        [2.580718, 2.906903, 3.176497, 3.073653, 3.264727, 3.681887],
        [2.789011, 3.000000, 3.101099, 3.139194, 2.985348, 3.139194],
        [3.418681, 3.261905, 3.187912, 3.052381, 3.266667, 3.695238],
    ]
    p = DecisionProblem.from_arrays(m, [1] * 6)
    s = MABAC().scores(p, np.array([0.171761, 0.105975, 0.191793, 0.168824, 0.161768, 0.199880]))
    np.testing.assert_allclose(
        s,
        [
            -0.155317,
            -0.089493,
            0.505407,
            0.132405,
            0.246943,
            -0.386756,
            -0.179406,
            0.362921,
            -0.084198,
            -0.167505,
            0.139895,
        ],
        atol=5e-6,
    )


# ---------------------------------------------------------------------------------------------
# SPOTIS — Dezert, J., Tchamova, A., Han, D. & Tacnet, J.-M. (2020). The SPOTIS rank reversal free
# method for multi-criteria decision-making support. 23rd Int. Conf. on Information Fusion
# (FUSION), IEEE, pp. 1-8 — car example, 4 alternatives x 5 criteria with fixed bounds; published
# scores (0.4779, 0.5781, 0.5558, 0.5801). The paper prints its weights to 4 decimals
# (0.2941 = 5/17 ...), which moves the 4th decimal of the scores by up to 1 unit, hence 1.5e-4.
# Provenance: SECONDARY transcription only — the paper is not in any stored source; data, bounds,
# weights and scores are from energyinpython/pyrepo-mcda tests/test_mcda_methods.py (Test_SPOTIS,
# checked there to 3 dp). Independent re-derivation (numpy; score = sum_j w_j |x_ij - ideal_j| /
# (max_j - min_j), ideal = max bound for benefit, min bound for cost): with the printed weights
# (.477952, .578118, .555750, .580131); with w = (5, 4, 4, 1, 3)/17 (.477949, .578122, .555754,
# .580143) — both within 1.5e-4 of the published figures.
# ---------------------------------------------------------------------------------------------
def test_spotis_dezert_2020():
    m = [[15000, 4.3, 99, 42, 737], [15290, 5.0, 116, 42, 892], [15350, 5.0, 114, 45, 952], [15490, 5.3, 123, 45, 1120]]
    p = DecisionProblem.from_arrays(m, [-1, -1, -1, 1, 1])
    bounds = dict(
        zip(p.criterion_ids, zip([14000, 3, 80, 35, 650], [16000, 8, 140, 60, 1300], strict=False), strict=False)
    )
    s = SPOTIS(bounds=bounds).scores(p, np.array([0.2941, 0.2353, 0.2353, 0.0588, 0.1765]))
    np.testing.assert_allclose(s, [0.4779, 0.5781, 0.5558, 0.5801], atol=1.5e-4)
    assert SPOTIS.higher_is_better is False


# ---------------------------------------------------------------------------------------------
# WSM / WPM — hand computations (no published example used).
# ---------------------------------------------------------------------------------------------
def test_wsm_minmax_by_hand():
    # X = [[1, 10], [3, 30], [2, 20]], C1 benefit, C2 cost, w = (.25, .75)
    # min-max: C1 -> (0, 1, .5); C2 (cost) -> ((30-10)/20, 0, .5) = (1, 0, .5)
    # scores: .25*0 + .75*1 = .75; .25*1 + 0 = .25; .125 + .375 = .5
    p = DecisionProblem.from_arrays([[1, 10], [3, 30], [2, 20]], [1, -1])
    np.testing.assert_allclose(WSM().scores(p, np.array([0.25, 0.75])), [0.75, 0.25, 0.5], atol=1e-12)


def test_wpm_by_hand():
    # X = [[1, 4], [2, 1]], both benefit, w = (.25, .75); max normalisation r = [[.5, 1], [1, .25]]
    # A1 = .5^.25 * 1^.75 = 0.840896; A2 = 1 * .25^.75 = 0.353553
    p = DecisionProblem.from_arrays([[1, 4], [2, 1]], [1, 1])
    np.testing.assert_allclose(WPM().scores(p, np.array([0.25, 0.75])), [0.840896, 0.353553], atol=1e-6)


# ---------------------------------------------------------------------------------------------
# MABAC on a large table (issue 8, item 13). The border approximation area G_j = (prod_i V_ij)^(1/n)
# of Pamučar & Ćirović (2015), eq. (5), must be computed without underflow: the plain product of
# 800 values in (0, 1) is 0 in double precision. Reference computed here, independently of the
# code under test, in 50-digit decimal arithmetic (Decimal.ln / Decimal.exp), scalar by scalar.
# ---------------------------------------------------------------------------------------------
def test_mabac_border_area_does_not_underflow_at_n_800():
    from decimal import Decimal, localcontext

    rng = np.random.default_rng(13)
    n, m = 800, 5
    X = rng.random((n, m)) * [1, 10, 100, 1e3, 1e4] + [0, -5, 3, 0, 7]
    types = [1, -1, 1, -1, 1]
    w = np.array([0.3, 0.1, 0.25, 0.15, 0.2])
    got = MABAC().scores(DecisionProblem.from_arrays(X, types), w)

    with localcontext() as ctx:
        ctx.prec = 50
        V = [[None] * m for _ in range(n)]
        G = []
        for j in range(m):
            col = [Decimal(float(X[i, j])) for i in range(n)]
            lo, hi = min(col), max(col)
            for i in range(n):
                r = (col[i] - lo) / (hi - lo) if types[j] > 0 else (hi - col[i]) / (hi - lo)
                V[i][j] = Decimal(float(w[j])) * (r + 1)
            G.append((sum(V[i][j].ln() for i in range(n)) / n).exp())
        ref = [float(sum(V[i][j] - G[j] for j in range(m))) for i in range(n)]
    np.testing.assert_allclose(got, ref, rtol=0, atol=1e-12)


# ---------------------------------------------------------------------------------------------
# ARAS — Zavadskas, E. K. & Turskis, Z. (2010). A new additive ratio assessment (ARAS) method in
# multicriteria decision-making. Technological and Economic Development of Economy 16(2), 159-172,
# doi:10.3846/tede.2010.10 — evaluation of the microclimate of 14 office rooms on 6 criteria:
# air per head (m3/h), relative humidity (%), air temperature (C), illumination (lx) — benefit;
# air flow rate (m/s), dew point (C) — cost. Table 1: the data, the expert weights and the
# optimal alternative x0 (norms, not the column best); Table 3: optimality function S_i and
# utility degree K_i = S_i / S_0.
# Provenance: SECONDARY transcription only — the paper's PDF is not in any stored source. Table 1
# and Table 3 (S0 = .0997, S_i, K_i, the ranking) are from a reference-notes file quoting the
# paper's Tables 1-3 (found by full-text search, file id 70955609505); the same Table 1 data,
# weights and x0 are in pymcdm's test suite (TestARAS.test_output2), whose 4-dp K agree with the
# re-derivation below and which notes "the output is different from [the paper]".
# Independent re-derivation (plain numpy, no mcda import: extended table with row 0 = x0, cost
# columns 1/x, column sums over rows 0..n, S = R @ w, K = S / S0):
#   normalised row 0 = (.154639 .077640 .084337 .084388 .083333 .106656); S0 = .099703
#   K = (.670574 .656376 .626853 .631494 .546418 .557955 .565824 .776221 .773369 .600308 .677223
#        .662769 .633359 .651066)
# Every room is within 1.3e-4 of the printed K (the paper rounds S to 4 dp before dividing),
# EXCEPT room 8: printed K8 = .7727, re-derived .7762. The notes trace this to a typo in the
# paper's Table 2 (room 8, illumination printed .0825 — room 1's value — instead of .0846, since
# room 8's 400 lx equals the optimum); with that typo the re-derivation gives K8 = .7730. The
# typo swaps the top two: the paper ranks room 9 first, the correct computation room 8 (as does
# the CODAS paper, Keshavarz Ghorabaee et al. 2016, Example 2, on the same data).
# ---------------------------------------------------------------------------------------------
ARAS_ROOMS = [
    [7.6, 46, 18, 390, 0.1, 11],
    [5.5, 32, 21, 360, 0.05, 11],
    [5.3, 32, 21, 290, 0.05, 11],
    [5.7, 37, 19, 270, 0.05, 9],
    [4.2, 38, 19, 240, 0.1, 8],
    [4.4, 38, 19, 260, 0.1, 8],
    [3.9, 42, 16, 270, 0.1, 5],
    [7.9, 44, 20, 400, 0.05, 6],
    [8.1, 44, 20, 380, 0.05, 6],
    [4.5, 46, 18, 320, 0.1, 7],
    [5.7, 48, 20, 320, 0.05, 11],
    [5.2, 48, 20, 310, 0.05, 11],
    [7.1, 49, 19, 280, 0.1, 12],
    [6.9, 50, 16, 250, 0.05, 10],
]
ARAS_W = np.array([0.21, 0.16, 0.26, 0.17, 0.12, 0.08])
ARAS_TYPES = [1, 1, 1, 1, -1, -1]
ARAS_CIDS = ["air", "humidity", "temperature", "illumination", "air_flow", "dew_point"]
ARAS_X0 = dict(zip(ARAS_CIDS, [15, 50, 24.5, 400, 0.05, 5], strict=False))


@pytest.fixture
def rooms():
    return DecisionProblem.from_arrays(
        ARAS_ROOMS, ARAS_TYPES, alternatives=[f"R{i}" for i in range(1, 15)], criterion_ids=ARAS_CIDS
    )


def test_aras_zavadskas_turskis_2010_table3(rooms):
    from mcda.methods.aras import ARAS

    K_published = [
        0.6707,
        0.6564,
        0.6269,
        0.6315,
        0.5464,
        0.5580,
        0.5659,
        0.7727,
        0.7734,
        0.6004,
        0.6773,
        0.6628,
        0.6334,
        0.6511,
    ]
    m = ARAS(optimal=ARAS_X0)
    K = m.scores(rooms, ARAS_W)
    others = [i for i in range(14) if i != 7]  # room 8: the paper's Table 2 typo (see above)
    np.testing.assert_allclose(K[others], np.array(K_published)[others], atol=1.5e-4)
    assert K[7] == pytest.approx(0.7762, abs=5e-5)  # room 8 corrected (pymcdm's test: .7762)
    S = m.explain(rooms, ARAS_W)["optimality"]["S"]
    assert S["optimal"] == pytest.approx(0.0997, abs=5e-5)  # S0, Table 3
    # published ranking 9 > 8 > 11 > 1 > 12 > 2 > 14 > 13 > 4 > 3 > 10 > 7 > 6 > 5, with 8 and 9 swapped
    order = [f"R{i}" for i in (8, 9, 11, 1, 12, 2, 14, 13, 4, 3, 10, 7, 6, 5)]
    assert list(m.rank(rooms, ARAS_W)["alternative"]) == order


def test_aras_optimal_row_defaults_to_the_column_best(rooms):
    from mcda.methods.aras import ARAS

    # Without given norms x0 is the best value in the data (pyDecision's convention). Utility
    # degrees of an independent implementation (pyDecision 5.1.1 aras_method, as quoted in the
    # same notes) and of the plain-numpy re-derivation above, which agree to 4 dp:
    pydecision = [
        0.8210,
        0.8002,
        0.7645,
        0.7706,
        0.6656,
        0.6799,
        0.6879,
        0.9485,
        0.9455,
        0.7307,
        0.8255,
        0.8072,
        0.7756,
        0.7960,
    ]
    np.testing.assert_allclose(ARAS().scores(rooms, ARAS_W), pydecision, atol=5e-5)
    assert ARAS().scale_invariant and not ARAS(optimal=ARAS_X0).scale_invariant


# ---------------------------------------------------------------------------------------------
# ELECTRE III — six alternatives x four benefit criteria, weights (9.00, 8.24, 5.98, 8.48),
# q = 0.30, p = 0.50, v = 0.70 on every criterion: the worked example of Pereira, V. (2017)
# "MCDA-04-ELECTRE III" (lesson notes, ResearchGate publication 319504879), shipped as the ELECTRE
# III example of pyDecision (Valdecy/pyDecision, README and examples) and transcribed, with its
# concordance and credibility matrices to 2 dp, in the test suite of py-mcda (Inria's ``mcda``
# package, tests/.../test_electre.py, TestElectre3.test_concordance / test_construct).
# Provenance: SECONDARY transcription — no book chapter with a printed ELECTRE III credibility
# matrix could be read in full from any stored source (Figueira, Mousseau & Roy 2005 and the
# ELECTRE III-IV software manual, Almeida Dias, Figueira & Roy 2006, were found only as excerpts).
# The figures below are therefore also re-derived independently by ``_electre3_by_hand`` (plain
# Python loops over Roy's formulas, no mcda import), which agrees with every printed entry:
#   C(a1,a6) = (9 + 8.24 + 5.98*0.6 + 8.48)/31.70 = .9620 -> sigma(a1,a6) = .9623 (no discordance
#   above C); sigma(a4,a2) = C = .7161 (c2: a2's 8.51 vs a4's 9.12 is a4's advantage, no veto on a4);
#   sigma(a4,a3) = C (.7319) * (1 - D4)/(1 - C) with D4 = (8.76-8.09-.5)/.2 = .85 -> .4107;
#   sigma(a5,a3) = .7319 * (1 - .8)/(1 - .7319) = .5476; every other off-diagonal entry is 0 or 1
#   (a full veto: a shortfall of at least v = 0.7 on some criterion).
# Distillation (descending / ascending pre-orders) varies between published variants and the
# two implementations disagree on this example; it is tested on hand-made cases below instead.
# ---------------------------------------------------------------------------------------------
E3_X = [
    [8.84, 8.79, 6.43, 6.95],
    [8.57, 8.51, 5.47, 6.91],
    [7.76, 7.75, 5.34, 8.76],
    [7.97, 9.12, 5.93, 8.09],
    [9.03, 8.97, 8.19, 8.10],
    [7.41, 7.87, 6.77, 7.23],
]
E3_W = [9.00, 8.24, 5.98, 8.48]
E3_CONCORDANCE = [  # printed to 2 dp
    [1.0, 1.0, 0.73, 0.69, 0.54, 0.96],
    [0.81, 1.0, 0.73, 0.32, 0.11, 0.78],
    [0.27, 0.46, 1.0, 0.55, 0.27, 0.81],
    [0.53, 0.72, 0.73, 1.0, 0.53, 0.81],
    [1.0, 1.0, 0.73, 1.0, 1.0, 1.0],
    [0.46, 0.46, 0.66, 0.19, 0.0, 1.0],
]
E3_CREDIBILITY = [  # printed to 2 dp (0.96, 0.72, 0.41, 0.55 are the non-trivial entries)
    [1, 1, 0, 0, 0, 0.96],
    [0, 1, 0, 0, 0, 0],
    [0, 0, 1, 0, 0, 0],
    [0, 0.72, 0.41, 1, 0, 0],
    [1, 1, 0.55, 1, 1, 1],
    [0, 0, 0, 0, 0, 1],
]


def _electre3_by_hand(X, w, q, p, v):
    """Roy's formulas, one pair and one criterion at a time (benefit criteria), for the test only."""
    n, m = len(X), len(X[0])
    tot = sum(w)
    C = [[0.0] * n for _ in range(n)]
    S = [[0.0] * n for _ in range(n)]
    for a in range(n):
        for b in range(n):
            conc, disc = 0.0, []
            for j in range(m):
                d = X[b][j] - X[a][j]  # how much b beats a
                cj = 1.0 if d <= q else 0.0 if d >= p else (p - d) / (p - q)
                conc += w[j] * cj / tot
                disc.append(0.0 if d <= p else 1.0 if d >= v else (d - p) / (v - p))
            s = conc
            for dj in disc:
                if dj > conc:
                    s *= (1 - dj) / (1 - conc)
            C[a][b], S[a][b] = conc, s
    return np.array(C), np.array(S)


@pytest.fixture(scope="module")
def e3():
    return DecisionProblem.from_arrays(np.array(E3_X), np.ones(4))


def _e3_method():
    from mcda.methods import get_method

    return get_method("electre3", thresholds={c: {"q": 0.3, "p": 0.5, "v": 0.7} for c in ("C1", "C2", "C3", "C4")})


def test_electre3_pereira_2017_concordance_and_credibility(e3):
    ex = _e3_method().explain(e3, E3_W)
    np.testing.assert_allclose(ex["concordance"].to_numpy(), E3_CONCORDANCE, atol=0.005 + 1e-9)
    np.testing.assert_allclose(ex["credibility"].to_numpy(), E3_CREDIBILITY, atol=0.005 + 1e-9)
    C, S = _electre3_by_hand(E3_X, E3_W, 0.3, 0.5, 0.7)
    np.testing.assert_allclose(ex["concordance"].to_numpy(), C, atol=1e-12)
    np.testing.assert_allclose(ex["credibility"].to_numpy(), S, atol=1e-12)
    assert S[0, 5] == pytest.approx(0.9623, abs=5e-5) and S[3, 2] == pytest.approx(0.4107, abs=5e-5)


def test_electre3_net_credibility_flow_is_the_score(e3):
    _, S = _electre3_by_hand(E3_X, E3_W, 0.3, 0.5, 0.7)
    phi = (S.sum(axis=1) - S.sum(axis=0)) / 5  # the diagonal cancels
    m = _e3_method()
    np.testing.assert_allclose(m.scores(e3, E3_W), phi, atol=1e-12)
    # by hand from the matrix above: a5 (4 - .548 ... ) first, a1 second, a2 and a6 last
    assert list(m.rank(e3, E3_W)["alternative"][:2]) == ["A5", "A1"]
    # without vetoes the credibility is the concordance (the printed concordance again)
    no_veto = {c: {"q": 0.3, "p": 0.5} for c in ("C1", "C2", "C3", "C4")}
    from mcda.methods import get_method

    cred = get_method("electre3", thresholds=no_veto).explain(e3, E3_W)["credibility"].to_numpy()
    np.testing.assert_allclose(cred, E3_CONCORDANCE, atol=0.005 + 1e-9)


def test_electre3_a_veto_stops_outranking_whatever_the_concordance():
    from mcda.methods import get_method

    # a beats b on three heavy criteria; b beats a by 30 on a light fourth one (v = 25): no outranking
    X = np.array([[90.0, 90, 90, 10], [10.0, 10, 10, 40], [50.0, 50, 50, 25]])
    p = DecisionProblem.from_arrays(X, np.ones(4))
    w = [0.3, 0.3, 0.3, 0.1]
    veto = get_method("electre3", thresholds={"C4": {"q": 0, "p": 5, "v": 25}})
    ex = veto.explain(p, w)
    assert ex["concordance"].loc["A1", "A2"] == pytest.approx(0.9)
    assert ex["credibility"].loc["A1", "A2"] == 0.0
    fired = ex["vetoes"]
    row = fired[(fired["a"] == "A1") & (fired["b"] == "A2")].iloc[0]
    assert row["criterion"] == "C4" and row["discordance"] == 1.0
    assert "veto: A2 beats A1 on C4 by 30" in row["effect"] and "cannot outrank" in row["effect"]
    # partial: shortfall 15 between p = 5 and v = 25 -> D = 0.5 > C? A1 vs A3: C = 0.9, no effect
    assert ex["credibility"].loc["A1", "A3"] == pytest.approx(0.9)
    # the same data without the veto: A1 outranks A2 at 0.9
    assert get_method("electre3").explain(p, w)["credibility"].loc["A1", "A2"] == pytest.approx(0.9)
    # and a veto counts even on a criterion weighted 0 (when the concordance is below 1)
    q = DecisionProblem.from_arrays(np.array([[90.0, 10, 10], [10.0, 90, 40], [50.0, 50, 20]]), np.ones(3))
    zero = get_method("electre3", thresholds={"C3": {"p": 5, "v": 25}})
    assert zero.explain(q, [0.6, 0.4, 0.0])["credibility"].loc["A1", "A2"] == 0.0
    assert get_method("electre3").explain(q, [0.6, 0.4, 0.0])["credibility"].loc["A1", "A2"] == pytest.approx(0.6)
    assert not veto.zero_weight_ignored and get_method("electre3").zero_weight_ignored


def test_electre3_distillation_by_hand():
    from mcda.methods.electre3 import distillation, final_preorder

    # a chain a > b > c (sigma 1 one way, 0 the other) and d incomparable with everyone
    S = np.array(
        [
            [1.0, 1.0, 1.0, 0.0],
            [0.0, 1.0, 1.0, 0.0],
            [0.0, 0.0, 1.0, 0.0],
            [0.0, 0.0, 0.0, 1.0],
        ]
    )
    # descending: qualifications a 2, b 0, c -2, d 0 -> {a}; then b 1, c -1, d 0 -> {b}; then c and d:
    # no credibility above 0 between them (lambda_max = 0), so they tie: {c, d}
    assert distillation(S) == [[0], [1], [2, 3]]
    # ascending (worst first): c -2 -> {c}; then b -1 vs a 1, d 0 -> {b}; then d 0 vs a ... a 0: {a, d}
    assert distillation(S, ascending=True) == [[0, 3], [1], [2]]
    pos, rank = final_preorder(distillation(S), distillation(S, ascending=True), 4)
    assert pos.tolist() == [[1, 1], [2, 2], [3, 3], [3, 1]]
    # a precedes b, c, d (d: 3 vs 1, 1 vs 1); b and d are incomparable (2 < 3 but 2 > 1); d precedes c
    assert rank.tolist() == [1, 2, 4, 2]
