"""Benchmark data for bench/train.bench.ts (run with /usr/bin/python3; needs numpy), generated at bench time, never committed.

Synthetic "bag of event counts per session" sessions, as in ../shared/reference/gbdt-prototype/gen.py: 37 count features,
three attacker subtypes and look-alike decoys. Writes, for each positive rate (p30: 30%, p01: 1%), the label-first CSV
(SageMaker convention) and a .npy copy (so XGBoost's side loads without parsing) of a 250k-row training set and a
50k-row test set into OUT_DIR.

usage: train-data.py OUT_DIR
"""
import os
import sys

import numpy as np

F = 37


def make(n, pos_rate, seed):
    rng = np.random.default_rng(seed)
    prm = np.random.default_rng(12345)  # fixed feature "physics" across files
    rate = np.exp(prm.normal(-0.8, 1.0, F))  # per-event mean count when present
    pres = prm.uniform(0.05, 0.5, F)  # P(event type occurs in session)
    heavy = [0, 1, 2]
    rate[heavy] = [25.0, 12.0, 6.0]
    pres[heavy] = [0.98, 0.9, 0.8]
    y = (rng.random(n) < pos_rate).astype(np.int8)
    act = rng.gamma(2.0, 0.5, n)  # session activity level (mean 1)
    R = np.tile(rate, (n, 1))
    P = np.tile(pres, (n, 1))
    sub = rng.random(n)
    pos = y == 1
    A = pos & (sub < 0.45)
    B = pos & (sub >= 0.45) & (sub < 0.75)
    C = pos & (sub >= 0.75)
    for j, m in [(4, 4.0), (9, 3.0), (15, 5.0)]:
        R[A, j] *= m
        P[A, j] = np.minimum(1, P[A, j] * 2.5)
    for j, m in [(6, 5.0), (22, 4.0)]:
        R[B, j] *= m
        P[B, j] = np.minimum(1, P[B, j] * 3.0)
    R[B, 1] *= 0.5
    for j in [30, 31, 32, 33]:
        R[C, j] *= 2.5
        P[C, j] = np.minimum(1, P[C, j] * 2.0)
    R[pos, 2] *= 1.3
    dec = (~pos) & (rng.random(n) < 0.05)  # negatives that look a bit like subtype A
    R[dec, 4] *= 2.0
    P[dec, 4] = np.minimum(1, P[dec, 4] * 1.5)
    X = (rng.random((n, F)) < P) * rng.poisson(R * act[:, None])
    return y, X.astype(np.int32)


def main(out):
    os.makedirs(out, exist_ok=True)
    for tag, rate in [('p30', 0.30), ('p01', 0.01)]:
        for name, n, seed in [('train250k', 250000, 2), ('test50k', 50000, 3)]:
            y, X = make(n, rate, seed + (100 if tag == 'p01' else 0))
            M = np.column_stack([y, X])
            base = os.path.join(out, '%s_%s' % (tag, name))
            np.savetxt(base + '.csv.tmp', M, fmt='%d', delimiter=',')
            np.save(base + '.npy', M.astype(np.float32))
            os.replace(base + '.csv.tmp', base + '.csv')


if __name__ == '__main__':
    main(sys.argv[1])
