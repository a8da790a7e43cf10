"""The seed's own flattening method, as in its notebook (groupby-apply of drop_pct/first_n/last_n, then
pivot_table per variant and add_missing_columns), timed for the flatten benchmark.

usage: python3 flatten_seed_pandas.py FRACTION FILE...
FRACTION < 1 keeps that share of the sessions (chosen by a hash of SessionNo) so the run takes seconds, not minutes.
Prints JSON: {"seconds": read + six variants (without choosing the subset), "readSeconds": reading every row,
"prepSeconds": the notebook's timed cell (prep_jobs) alone, "rows": rows used, "sessions": sessions used}.
Everything after the read works on the subset's rows and sessions; the read is of every row.
"""
import json
import sys
import time
import warnings
import zlib

import numpy as np
import pandas as pd

warnings.simplefilter("ignore")
bad_col, sess_col, txn_col, logtime_col = "BadActor", "SessionNo", "Act", "LogTime"


def main():
    fraction, files = float(sys.argv[1]), sys.argv[2:]
    t0 = time.perf_counter()
    frames = [pd.read_csv(f, sep="\t") for f in files]
    txn = pd.concat(frames)
    t_read = time.perf_counter()
    if fraction < 1:
        keep = txn[sess_col].astype(str).map(lambda s: zlib.crc32(s.encode()) % 10000 < fraction * 10000)
        txn = txn[keep]
    t_subset = time.perf_counter()
    txn[logtime_col] = pd.to_datetime(txn[logtime_col])
    txn[txn_col] = txn[txn_col].astype(str)
    all_txn_types = np.sort(txn[txn_col].unique())

    def add_missing_columns(df_target, source_cols):
        missing_cols = set(source_cols) - set(df_target.columns)
        if 0 < len(missing_cols):
            df_target = df_target.assign(**dict([(col, 0.0) for col in missing_cols]))
        return df_target

    def flatten_groups(txn_log):
        txn_narrow = txn_log[[txn_col, bad_col]]
        txn_pivot = pd.pivot_table(txn_narrow, index=[sess_col, bad_col], columns=[txn_col], aggfunc=[len]).fillna(0)
        txn_pivot.columns = txn_pivot.columns.droplevel(0)
        txn_flat = txn_pivot.rename_axis(None, axis=1).reset_index()
        txn_full = add_missing_columns(txn_flat, all_txn_types)
        txn_xs = txn_full.drop(columns=[sess_col, bad_col])
        txn_xs = txn_xs.reindex(sorted(txn_xs.columns), axis=1)
        return pd.concat([txn_full[[sess_col, bad_col]], txn_xs], sort=True, axis=1)

    def drop_pct(df, n=0.1):
        return df.sample(frac=1 - n)

    def first_n(df, n=5):
        return df.head(n)

    def last_n(df, n=5):
        return df.tail(n)

    def grappl(fun, parm):
        return lambda df: df.apply(fun, parm).drop(sess_col, axis=1)

    jobs = [["drop0", [drop_pct, 0.0]], ["drop10", [drop_pct, 0.2]], ["first5", [first_n, 5]], ["first10", [first_n, 10]], ["last5", [last_n, 5]], ["last10", [last_n, 10]]]
    txng = txn.groupby(sess_col)
    t1 = time.perf_counter()
    groups = [[name, grappl(fun, parm)(txng)] for [name, [fun, parm]] in jobs]
    flats = [[name, flatten_groups(t)] for [name, t] in groups]
    t2 = time.perf_counter()
    print(json.dumps({"seconds": t2 - t0 - (t_subset - t_read), "readSeconds": t_read - t0, "prepSeconds": t2 - t1, "rows": int(len(txn)), "sessions": int(txn[sess_col].nunique()), "shapes": [list(f.shape) for _, f in flats]}))


main()
