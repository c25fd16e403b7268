#!/usr/bin/env python3
"""The pandas workflow diagnoza is compared with (bench/compare.sh): what a researcher would
write for the survey of bench/gen_survey.py, without charts.

Work done: read the CSV; for each of the 40 rating questions, the frequency of every answer and
its share with a 95% Wilson interval, overall and within each group of each of the 5 grouping
variables; for each of the 10 multiple-choice questions, the share of respondents who ticked each
of the 12 options (among those who answered), overall and by group; mean and median of the 5
integers; all tables written to one HTML file.

    bench/pandas_report.py survey.csv out.html
"""
import math
import sys

import pandas as pd

Z = 1.959963984540054


def wilson(k, n):
    if n == 0:
        return (float("nan"), float("nan"))
    p = k / n
    d = 1 + Z * Z / n
    c = (p + Z * Z / (2 * n)) / d
    h = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / d
    return (c - h, c + h)


def freq(df, col, by=None):
    if by is None:
        counts = df[col].value_counts().rename("n").reset_index()
        counts.columns = [col, "n"]
        counts["base"] = counts["n"].sum()
    else:
        counts = df.groupby(by)[col].value_counts().rename("n").reset_index()
        counts["base"] = counts.groupby(by)["n"].transform("sum")
    counts["share"] = counts["n"] / counts["base"]
    ci = [wilson(k, n) for k, n in zip(counts["n"], counts["base"])]
    counts["ci_low"] = [a for a, _ in ci]
    counts["ci_high"] = [b for _, b in ci]
    return counts


def main():
    csv, out = sys.argv[1], sys.argv[2]
    df = pd.read_csv(csv, dtype=str, keep_default_na=False)
    groups = ["plec", "wiek", "miejsce", "status", "gospodarstwo"]
    ratings = [c for c in df.columns if c.startswith("ocena_")]
    multi = [c for c in df.columns if c.startswith("wybor_")]
    ints = [c for c in df.columns if c.startswith("liczba_")]
    parts = ["<html><head><meta charset='utf-8'><title>Raport</title></head><body>"]
    for q in ratings:
        answered = df[df[q] != ""]
        parts.append(f"<h2>{q}</h2>")
        parts.append(freq(answered, q).to_html(index=False))
        for g in groups:
            parts.append(freq(answered, q, g).to_html(index=False))
    for q in multi:
        answered = df[df[q] != ""]
        ticks = answered[q].str.get_dummies(sep=" ")
        parts.append(f"<h2>{q}</h2>")
        shares = ticks.mean().rename("share").to_frame()
        parts.append(shares.to_html())
        for g in groups:
            parts.append(ticks.groupby(answered[g]).mean().to_html())
    nums = df[ints].apply(pd.to_numeric, errors="coerce")
    parts.append(nums.agg(["mean", "median"]).to_html())
    parts.append("</body></html>")
    with open(out, "w") as f:
        f.write("\n".join(parts))


if __name__ == "__main__":
    main()
