"""XGBoost's side of bench/train.bench.ts (run with /usr/bin/python3): trains tree_method=hist with 1 thread on the
bench data and prints one JSON line: wall and CPU seconds of DMatrix + training, peak RSS, test AUC, scoring rows/s.

usage: train-xgboost.py DATA_DIR TAG MODE      (MODE: plain = no evals; watched = AUC on train and test every round)
"""
import json
import resource
import sys
import time

import numpy as np
import xgboost as xgb
from sklearn.metrics import roc_auc_score

SEED_PARAMS = {'max_depth': 5, 'eta': 0.2, 'gamma': 4, 'min_child_weight': 6, 'subsample': 0.7, 'objective': 'binary:logistic',
               'tree_method': 'hist', 'nthread': 1, 'max_bin': 256}


def main(data_dir, tag, mode):
    train = np.load('%s/%s_train250k.npy' % (data_dir, tag))
    test = np.load('%s/%s_test50k.npy' % (data_dir, tag))
    params = dict(SEED_PARAMS)
    wall, cpu = time.perf_counter(), time.process_time()
    dtrain = xgb.DMatrix(train[:, 1:], label=train[:, 0], nthread=1)
    evals = []
    if mode == 'watched':
        params['eval_metric'] = 'auc'
        evals = [(dtrain, 'train'), (xgb.DMatrix(test[:, 1:], label=test[:, 0], nthread=1), 'validation')]
    booster = xgb.train(params, dtrain, 50, evals=evals, verbose_eval=False)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    x = np.ascontiguousarray(test[:, 1:])
    booster.inplace_predict(x)  # warm-up
    reps = 10
    t, c = time.perf_counter(), time.process_time()
    for _ in range(reps):
        p = booster.inplace_predict(x)
    score_seconds, score_cpu = time.perf_counter() - t, time.process_time() - c
    print(json.dumps({
        'trainSeconds': wall, 'cpuSeconds': cpu, 'peakRssMB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        'testAuc': roc_auc_score(test[:, 0], p), 'scoreRowsPerSecond': reps * len(x) / score_seconds,
        'scoreRowsPerCpuSecond': reps * len(x) / score_cpu,
    }))


if __name__ == '__main__':
    main(*sys.argv[1:4])
