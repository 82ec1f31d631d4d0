"""Baseline for ``python -m mcda smaa`` (bench_robustness.py [4]): SMAA-2 rank acceptability in tight numpy.

Usage: python bench/smaa_numpy_baseline.py MATRIX.csv CRITERIA.csv OUT.csv SAMPLES SEED [einsum|matmul]

What a careful analyst would write by hand for the same job, with no validation: read the same two
CSVs (pandas), draw the same weights (uniform on the simplex: standard exponentials normalised per
row, from ``numpy.random.default_rng(SEED)`` in blocks of 20,000 rows), TOPSIS with vector
normalisation (cost columns ``1 - x/||x||``) as ONE matrix product per block
(``||w*(r - r*)||^2 = (w^2) . (r - r*)^2`` for the ideal and the anti-ideal together), ranks by
counting into one reused buffer (scores rounded to 12 decimals straight into one row per
alternative; tied alternatives share the better rank), the counts of (alternative, rank) by a
bincount per alternative, and write ``alternative,rank_1..rank_n``. Memory stays flat.
The product is numpy's einsum (default) or a plain ``@`` (``matmul``): the two forms an analyst
would write; the bench runs both and compares with the faster. Nothing else: no central weights,
no checks.
"""

import sys

import numpy as np
import pandas as pd

BLOCK = 20_000

matrix_csv, criteria_csv, out_csv = sys.argv[1:4]
n_samples, seed = int(sys.argv[4]), int(sys.argv[5])
product = sys.argv[6] if len(sys.argv) > 6 else "einsum"
df = pd.read_csv(matrix_csv, index_col=0)
crit = pd.read_csv(criteria_csv, index_col="criterion")
X = df[crit.index].to_numpy(dtype=float)
cost = (crit["direction"] == "cost").to_numpy()
n, m = X.shape
R = X / np.sqrt((X * X).sum(axis=0))
R[:, cost] = 1.0 - R[:, cost]
A = np.ascontiguousarray(np.hstack([((R - R.max(axis=0)) ** 2).T, ((R - R.min(axis=0)) ** 2).T]))  # m x 2n
rng = np.random.default_rng(seed)
counts = np.zeros(n * n, dtype=np.int64)
done = 0
while done < n_samples:
    k = min(BLOCK, n_samples - done)
    W = rng.standard_exponential((k, m))
    W /= W.sum(axis=1, keepdims=True)
    # k x 2n: squared distances to the ideal | the anti-ideal
    D = np.einsum("ij,jk->ik", W * W, A) if product == "einsum" else (W * W) @ A
    np.sqrt(D, out=D)
    total = D[:, :n] + D[:, n:]
    np.divide(D[:, n:], total, out=total)  # closeness, k x n
    key = np.empty((n, k))
    np.round(total.T, 12, out=key)  # rounded straight into one row per alternative
    rank = np.ones((n, k), dtype=np.uint8)
    better = np.empty((n, k), dtype=bool)
    for a in range(n):
        np.greater(key[a], key, out=better)
        rank += better.view(np.uint8)
    for i in range(n):
        counts[i * n : (i + 1) * n] += np.bincount(rank[i], minlength=n + 1)[1:]
    done += k
acc = pd.DataFrame(counts.reshape(n, n) / n_samples, index=df.index, columns=[f"rank_{r}" for r in range(1, n + 1)])
acc.reset_index().to_csv(out_csv, index=False)
