"""ELECTRE III distillation on the Pereira (2017) example (issue 10, gap 4a): who is right, ours or py-mcda?

The credibility matrix is the one printed in the example (tests/mcda/test_methods_published.py, E3_*;
re-derived by hand there). The distillation is checked here step by step against the published
definition — Roy (1978); Roy & Bouyssou (1993), Aide multicritère à la décision, ch. 6; Figueira,
Mousseau & Roy (2005), ELECTRE methods, section 4.3.2 — with s(lambda) = 0.3 - 0.15 lambda:

* a distillation works on a set D0 (the alternatives not yet classed): lambda_0 = max sigma(a, b) over
  a != b in D0; lambda_1 = the largest sigma(a, b) in D0 below lambda_0 - s(lambda_0);
  a S b iff sigma(a, b) > lambda_1 and sigma(a, b) - sigma(b, a) > s(sigma(a, b)); qualification =
  strength - weakness in D0; D1 = the best (descending) or worst (ascending) qualified; repeat inside
  D1 with lambda_1 in place of lambda_0 until |D| = 1 or the level is 0. D is the next class; the
  procedure is then REPEATED on the remaining alternatives (lambda_0 recomputed on them).

By hand (a1..a6 = indices 0..5; sigma(a1,a2)=1, (a1,a6)=.9623, (a4,a2)=.7161, (a4,a3)=.4107,
(a5,a3)=.5476, a5 outranks a1, a2, a4, a6 at 1; every other off-diagonal entry 0):

Descending. D0 = A: lambda_0 = 1, lambda_1 = .7161 (largest below .85); a1 S a2, a1 S a6, a5 S a1, a2, a4, a6
(a4 -> a2 is not above .7161); qualifications a1 1, a2 -2, a3 0, a4 -1, a5 4, a6 -2 -> {a5}.
D0 = {a1,a2,a3,a4,a6}: lambda_0 = 1, lambda_1 = .7161; a1 S a2, a1 S a6 -> a1 2 -> {a1}.
D0 = {a2,a3,a4,a6}: lambda_0 = .7161, s = .1926, lambda_1 = largest below .5235 = .4107; a4 S a2
(.7161 > .4107, .7161 - 0 > .1926) -> a4 1, a2 -1, a3 0, a6 0 -> {a4}. Then {a2,a3,a6}: every sigma 0 -> one class.
Descending pre-order: a5 > a1 > a4 > {a2, a3, a6}.

Ascending. D0 = A: lambda_1 = .7161, worst qualification -2 -> {a2, a6}; inside, lambda 0, a tie -> last class.
D0 = {a1,a3,a4,a5}: lambda_0 = 1, lambda_1 = .5476 (largest below .85 in this set); a5 S a1, a5 S a4 (a5 -> a3 is
not above .5476) -> a1 -1, a4 -1, a3 0, a5 2 -> worst {a1, a4} (inside: sigma 0 both ways, a tie).
D0 = {a3,a5}: lambda_0 = .5476, s = .2179, lambda_1 = 0; a5 S a3 -> worst {a3}; then {a5}.
Ascending pre-order (best first): a5 > a3 > {a1, a4} > {a2, a6}.

py-mcda (Inria's ``mcda`` package, tests of Electre3.distillation on this example) expects descending
[[a5], [a1], [a2, a3, a4, a6]] and ascending (best first) [[a3, a5], [a1, a4], [a2, a6]]. Those are exactly
what one gets when every class is cut at ONE level taken from the WHOLE credibility matrix (.7161 here)
instead of levels recomputed on the alternatives still being distilled and refined inside
(:func:`_whole_matrix_levels` below reproduces both of their lists exactly): for {a2,a3,a4,a6} the level
stays at .7161 (set by a1 and a5, already classed), a4 S a2 at .7161 is not strict, and a4 is not
separated; likewise a3 from a5 in the ascending pre-order. The published definition recomputes
lambda_0 on the set being distilled and refines inside each class, so OURS IS RIGHT on this example
and nothing in mcda/methods/electre3.py changed; py-mcda's expected lists are that simpler variant.
"""

from __future__ import annotations

import numpy as np

from mcda.methods.electre3 import ALPHA, BETA, distillation, final_preorder
from mcda.problem import DecisionProblem
from tests.mcda.test_methods_published import E3_W, E3_X, _e3_method, _electre3_by_hand


def _sigma() -> np.ndarray:
    _, S = _electre3_by_hand(E3_X, E3_W, 0.3, 0.5, 0.7)
    np.fill_diagonal(S, 1.0)
    return S


def _whole_matrix_levels(S: np.ndarray, ascending: bool = False) -> list[list[int]]:
    """A variant that reproduces py-mcda's expectations: each class from ONE cut, its level lambda_1 taken
    from the WHOLE matrix (lambda_0 = 1 here, so lambda_1 = .7161 every time), no refinement inside."""
    n = S.shape[0]
    full = S[~np.eye(n, dtype=bool)]
    lam_max = float(full.max())
    below = full[full < lam_max - (ALPHA + BETA * lam_max)]
    lam = float(below.max()) if below.size else 0.0
    remaining, classes = list(range(n)), []
    while remaining:
        D = list(remaining)
        sub = S[np.ix_(D, D)]
        rel = (sub > lam) & (sub - sub.T > ALPHA + BETA * sub)
        np.fill_diagonal(rel, False)
        q = rel.sum(axis=1) - rel.sum(axis=0)
        best = q.min() if ascending else q.max()
        D = [a for a, qa in zip(D, q, strict=True) if qa == best]
        classes.append(sorted(D))
        remaining = [a for a in remaining if a not in D]
    return classes[::-1] if ascending else classes


def test_descending_and_ascending_distillation_follow_the_published_definition():
    S = _sigma()
    assert distillation(S) == [[4], [0], [3], [1, 2, 5]]
    assert distillation(S, ascending=True) == [[4], [2], [0, 3], [1, 5]]
    # the method's own explain table says the same (classes numbered from 1 = best)
    ex = _e3_method().explain(DecisionProblem.from_arrays(np.array(E3_X), np.ones(4)), E3_W)["distillation"]
    assert ex["descending_class"].tolist() == [2, 4, 4, 3, 1, 4]
    assert ex["ascending_class"].tolist() == [3, 4, 2, 3, 1, 4]
    # final partial pre-order: a5 first; a1 and a3 incomparable (a1 better descending, a3 ascending)
    _, rank = final_preorder(distillation(S), distillation(S, ascending=True), 6)
    assert rank.tolist() == [2, 5, 2, 3, 1, 5]
    assert ex["incomparable_with"]["A1"] == "A3"


def test_py_mcda_expectations_are_the_whole_matrix_variant():
    S = _sigma()
    assert _whole_matrix_levels(S) == [[4], [0], [1, 2, 3, 5]]  # py-mcda's desc_distillate
    assert _whole_matrix_levels(S, ascending=True) == [[2, 4], [0, 3], [1, 5]]  # py-mcda's asc_distillate
    assert _whole_matrix_levels(S) != distillation(S)
