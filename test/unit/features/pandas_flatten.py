"""Reference flattening in pandas, for the equivalence test (flatten-pandas.test.ts).

usage: python3 pandas_flatten.py FILE VARIANT...   (VARIANT: full, first:N, last:N, middle:N, with optional ,min:N)
Prints JSON: {variant: {session: {"label": 0|1, "counts": {act: n}, "time": [duration_s, events_per_min,
mean_gap_s, max_gap_s]}}}. Sessions are ordered by (LogTime, file order); the label is the session's max BadActor.
"""
import json
import sys

import pandas as pd


def main():
    path, specs = sys.argv[1], sys.argv[2:]
    df = pd.read_csv(path, sep="\t", dtype={"SessionNo": str, "Act": str})
    df["LogTime"] = pd.to_datetime(df["LogTime"])
    df["seq"] = range(len(df))
    df = df.sort_values(["SessionNo", "LogTime", "seq"], kind="stable")
    labels = df.groupby("SessionNo")["BadActor"].max()
    sizes = df.groupby("SessionNo").size()
    out = {}
    for spec in specs:
        parts = dict(p.split(":") if ":" in p else (p, "") for p in spec.split(","))
        g = df.groupby("SessionNo", sort=False)
        if "first" in parts:
            kept = g.head(int(parts["first"]))
        elif "last" in parts:
            kept = g.tail(int(parts["last"]))
        elif "middle" in parts:
            n = int(parts["middle"])
            pos = g.cumcount()
            size = df["SessionNo"].map(sizes)
            start = ((size - n).clip(lower=0)) // 2
            kept = df[(pos >= start) & (pos < start + n)]
        else:
            kept = df
        if "min" in parts:
            kept = kept[kept["SessionNo"].map(sizes) >= int(parts["min"])]
        pivot = pd.pivot_table(kept[["SessionNo", "Act"]].assign(one=1), index="SessionNo", columns="Act", values="one", aggfunc="sum").fillna(0)
        t = kept.groupby("SessionNo")["LogTime"]
        first, last = t.min(), t.max()
        gaps = kept.groupby("SessionNo")["LogTime"].diff().dt.total_seconds()
        maxgap = gaps.groupby(kept["SessionNo"]).max().fillna(0)
        k = kept.groupby("SessionNo").size()
        result = {}
        for sess, row in pivot.iterrows():
            dur = (last[sess] - first[sess]).total_seconds()
            result[sess] = {
                "label": int(labels[sess]),
                "counts": {a: int(v) for a, v in row.items() if v},
                "time": [dur, k[sess] / max(dur, 60) * 60, dur / (k[sess] - 1) if k[sess] > 1 else 0.0, float(maxgap[sess])],
            }
        out[spec] = result
    json.dump(out, sys.stdout)


main()
