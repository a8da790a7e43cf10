"""Writes sklearn-reference.json: scikit-learn 1.2's values for the metric test cases (run with /usr/bin/python3).

Each case: labels, scores, threshold, and sklearn's confusion matrix (flagged when score >= threshold), accuracy,
precision/recall/f1 (zero_division=0), fpr, roc_auc_score (null when one class only), average_precision_score,
and the highest recall with fpr <= 0.05 on roc_curve(drop_intermediate=False) with the highest threshold reaching it.
"""
import json
import os
import warnings

import numpy as np
from sklearn.metrics import (accuracy_score, average_precision_score, confusion_matrix, f1_score, precision_score,
                             recall_score, roc_auc_score, roc_curve)

warnings.filterwarnings('ignore')


def case(name, labels, scores, threshold=0.5):
    y = np.asarray(labels, dtype=int)
    s = np.asarray(scores, dtype=np.float64)
    pred = (s >= threshold).astype(int)
    tn, fp, fn, tp = confusion_matrix(y, pred, labels=[0, 1]).ravel()
    both = len(set(y.tolist())) == 2
    fpr_curve, tpr_curve, thr = roc_curve(y, s, drop_intermediate=False) if both else (None, None, None)
    if both:
        ok = fpr_curve <= 0.05
        best = tpr_curve[ok].max()
        idx = int(np.nonzero(ok & (tpr_curve == best))[0][0])
        recall5, thr5 = float(best), (float(thr[idx]) if idx > 0 else None)
    else:
        recall5, thr5 = None, None
    return {
        'name': name, 'labels': y.tolist(), 'scores': s.tolist(), 'threshold': threshold,
        'tp': int(tp), 'fp': int(fp), 'tn': int(tn), 'fn': int(fn),
        'accuracy': accuracy_score(y, pred),
        'precision': precision_score(y, pred, zero_division=0),
        'recall': recall_score(y, pred, zero_division=0),
        'f1': f1_score(y, pred, zero_division=0),
        'fpr': float(fp / (fp + tn)) if fp + tn else 0.0,
        'rocAuc': roc_auc_score(y, s) if both else None,
        'prAuc': float(average_precision_score(y, s)) if y.sum() > 0 else 0.0,
        'recallAtFpr5': recall5, 'thresholdAtFpr5': thr5,
    }


def main():
    rng = np.random.default_rng(11)
    cases = [
        case('ties', [0, 0, 1, 1, 0, 1, 0, 1, 1, 0], [0.1, 0.5, 0.5, 0.9, 0.5, 0.7, 0.2, 0.7, 0.3, 0.9]),
        case('all tied', [0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5]),
        case('perfect', [0, 0, 0, 1, 1], [0.1, 0.2, 0.3, 0.8, 0.9]),
        case('inverted', [1, 1, 0, 0], [0.1, 0.2, 0.8, 0.9]),
        case('all negative', [0, 0, 0, 0, 0], [0.1, 0.6, 0.6, 0.2, 0.9]),
        case('all positive', [1, 1, 1, 1], [0.1, 0.6, 0.6, 0.9]),
        case('threshold 0.3', [0, 1, 0, 1, 1, 0], [0.3, 0.3, 0.29, 0.31, 0.1, 0.9], threshold=0.3),
    ]
    y = (rng.random(2000) < 0.2).astype(int)
    s = np.round(np.clip(rng.normal(0.35 + 0.25 * y, 0.2), 0, 1), 2)
    cases.append(case('2000 rows, many ties', y, s))
    y = (rng.random(4000) < 0.005).astype(int)
    s = np.round(rng.beta(1 + 3 * y, 6), 5)
    cases.append(case('rare positives (0.5%)', y, s))
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'sklearn-reference.json')
    with open(out, 'w') as fh:
        json.dump(cases, fh)
        fh.write('\n')


if __name__ == '__main__':
    main()
