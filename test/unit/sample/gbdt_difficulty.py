"""How hard is the sample data? A bag-of-events XGBoost (the seed's method and hyperparameters) on full and truncated
sessions, trained on mixed-1..3 + known-attacker (70/15/15 stratified split), scored on the test split and on single.txt.
usage: gbdt_difficulty.py WORKSPACE VARIANT[,VARIANT...]   prints one JSON object per variant."""
import json, sys
import numpy as np, pandas as pd, xgboost as xgb
from sklearn.metrics import average_precision_score, roc_curve
from sklearn.model_selection import train_test_split

ws, variants = sys.argv[1], sys.argv[2].split(',')

def load(name):
    df = pd.read_csv(f'{ws}/{name}', sep='\t')
    df['LogTime'] = pd.to_datetime(df['LogTime'])
    return df

def flatten(df, variant, codes):
    df = df.sort_values(['SessionNo', 'LogTime'], kind='stable')
    if variant.startswith('first:'):
        df = df.groupby('SessionNo', sort=False).head(int(variant[6:]))
    elif variant.startswith('last:'):
        df = df.groupby('SessionNo', sort=False).tail(int(variant[5:]))
    X = pd.crosstab(df['SessionNo'], df['Act']).reindex(columns=codes, fill_value=0).astype(float)
    g = df.groupby('SessionNo')
    duration = (g['LogTime'].max() - g['LogTime'].min()).dt.total_seconds()
    gaps = df.assign(gap=g['LogTime'].diff().dt.total_seconds()).groupby('SessionNo')['gap']
    X['duration'] = duration
    X['events_per_minute'] = g.size() / np.maximum(duration / 60, 1 / 60)
    X['mean_gap'] = gaps.mean().fillna(0)
    X['max_gap'] = gaps.max().fillna(0)
    return X, g['BadActor'].max().reindex(X.index)

def recall_at_fpr(y, p, fpr_max):
    fpr, tpr, _ = roc_curve(y, p)
    return float(tpr[fpr <= fpr_max].max())

train_files = pd.concat([load(f) for f in ['mixed-1.txt', 'mixed-2.txt', 'mixed-3.txt', 'known-attacker.txt']])
single = load('single.txt')
codes = sorted(set(train_files['Act']) | set(single['Act']))
params = {'max_depth': 5, 'eta': 0.2, 'gamma': 4, 'min_child_weight': 6, 'subsample': 0.7, 'objective': 'binary:logistic',
          'eval_metric': 'aucpr', 'seed': 42, 'nthread': 1}
for variant in variants:
    X, y = flatten(train_files, variant, codes)
    X_train, X_rest, y_train, y_rest = train_test_split(X, y, test_size=0.3, stratify=y, random_state=42)
    _, X_test, _, y_test = train_test_split(X_rest, y_rest, test_size=0.5, stratify=y_rest, random_state=42)
    booster = xgb.train(params, xgb.DMatrix(X_train, y_train), 50)
    p = booster.predict(xgb.DMatrix(X_test))
    Xs, ys = flatten(single, variant, codes)
    ps = booster.predict(xgb.DMatrix(Xs))
    print(json.dumps({
        'variant': variant,
        'test_sessions': int(len(y_test)), 'test_attackers': int(y_test.sum()),
        'recall_at_0_5': float(((p >= 0.5) & (y_test == 1)).sum() / y_test.sum()),
        'recall_at_5pct_fpr': recall_at_fpr(y_test, p, 0.05),
        'recall_at_1pct_fpr': recall_at_fpr(y_test, p, 0.01),
        'aucpr': float(average_precision_score(y_test, p)),
        'single_attackers': int(ys.sum()),
        'single_caught_at_0_5': int(((ps >= 0.5) & (ys == 1)).sum()),
        'single_false_positives_at_0_5': int(((ps >= 0.5) & (ys == 0)).sum()),
        'single_recall_at_5pct_fpr': recall_at_fpr(ys, ps, 0.05),
    }))
