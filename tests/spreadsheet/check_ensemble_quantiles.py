#!/usr/bin/env python3
"""Every number of ensemble_summary.csv and ensemble_risk.csv, recomputed with numpy from
draws.csv (ctest: ensemble_quantiles_numpy).

Runs `corridor ensemble --keep-draws` on a fixture, groups draws.csv by
(scenario, case, year, commodity, entity_kind, entity, metric), and checks:
  ensemble_summary.csv  mean, sd (numpy.std with ddof=1), p05..p95 (numpy.percentile with its
                        default linear interpolation), min, max and the draw count;
  ensemble_risk.csv     p_shortfall (share above 0), expected_unserved (mean), unserved_p90 and
                        _p95, cvar95_unserved (mean of the worst ceil(5 %) draws), p_online
                        (share of draws with route capacity above 0), capacity_at_risk (P10).
A utilisation at capacity 0 has no value in a draw (draws.csv leaves it empty, as `run` does):
the statistics are over the draws with a value, `draws` counts them, and a metric with none
has empty statistics.
corridor prints each value with the decimals of its unit; it must be numpy's value correctly
rounded to them: |printed - numpy| <= half a unit in the last place (plus 1e-9 for the binary
representation of the printed text).

Usage: check_ensemble_quantiles.py --corridor BUILD/corridor --root REPO
Run it with the Python that has numpy and pandas (Debian's /usr/bin/python3).
"""

import argparse
import math
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

KEY = ["scenario", "case", "year", "commodity", "entity_kind", "entity", "metric"]
QUANTILES = {"p05": 5, "p10": 10, "p50": 50, "p90": 90, "p95": 95}


def decimals(text):
    return len(text.split(".")[1]) if "." in text else 0


def close(printed, exact, what, failures):
    tolerance = 0.5 * 10 ** -decimals(printed) + 1e-9
    if not math.isfinite(exact) or abs(float(printed) - exact) > tolerance:
        failures.append(f"{what}: corridor {printed}, numpy {exact!r}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corridor", required=True, type=Path)
    parser.add_argument("--root", required=True, type=Path)
    parser.add_argument("--fixture", default="tests/fixtures/ensemble/tiny.yaml")
    parser.add_argument("--draws", default="1999")  # odd, so interpolation weights vary
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="corridor-ensemble-numpy-") as scratch:
        out = Path(scratch) / "out"
        subprocess.run([str(args.corridor.resolve()), "ensemble", args.fixture, "-o", str(out),
                        "--keep-draws", "--draws", args.draws, "-q"],
                       cwd=args.root, check=True, stdout=subprocess.DEVNULL)
        read = dict(dtype=str, keep_default_na=False)
        draws = pd.read_csv(out / "draws.csv", **read)
        summary = pd.read_csv(out / "ensemble_summary.csv", **read)
        risk = pd.read_csv(out / "ensemble_risk.csv", **read)

    draws["x"] = pd.to_numeric(draws["value"].replace("", np.nan))
    groups = {key: g["x"].dropna().to_numpy() for key, g in draws.groupby(KEY, sort=False)}
    empty_values = int((draws["value"] == "").sum())
    if empty_values and not set(draws.loc[draws["value"] == "", "metric"]) <= {"utilisation"}:
        failures_early = ["an empty value in draws.csv outside utilisation"]
    else:
        failures_early = []
    failures = failures_early
    if len(groups) != len(summary):
        failures.append(f"{len(groups)} metrics in draws.csv, {len(summary)} summary rows")
    for row in summary.itertuples(index=False):
        key = tuple(getattr(row, k) for k in KEY)
        x = groups[key]
        what = "/".join(key)
        if int(row.draws) != len(x):
            failures.append(f"{what}: draws {row.draws}, draws.csv has {len(x)}")
        if len(x) == 0:
            stats = [row.mean, row.sd, row.min, row.max] + [getattr(row, c) for c in QUANTILES]
            if any(v != "" for v in stats):
                failures.append(f"{what}: statistics of no value are not empty")
            continue
        close(row.mean, float(np.mean(x)), what + " mean", failures)
        close(row.sd, float(np.std(x, ddof=1)), what + " sd", failures)
        for column, q in QUANTILES.items():
            close(getattr(row, column), float(np.percentile(x, q)), f"{what} {column}", failures)
        close(row.min, float(np.min(x)), what + " min", failures)
        close(row.max, float(np.max(x)), what + " max", failures)

    checked = set()
    for row in risk.itertuples(index=False):
        base = tuple(getattr(row, k) for k in KEY[:-1])
        metric = row.metric
        source = "capacity" if metric in ("p_online", "capacity_at_risk") else "shortfall"
        x = groups[base + (source,)]
        tail = np.sort(x)[len(x) - math.ceil(0.05 * len(x)):]
        exact = {
            "p_shortfall": np.mean(x > 0),
            "expected_unserved": np.mean(x),
            "unserved_p90": np.percentile(x, 90),
            "unserved_p95": np.percentile(x, 95),
            "cvar95_unserved": np.mean(tail),
            "p_online": np.mean(x > 0),
            "capacity_at_risk": np.percentile(x, 10),
        }[metric]
        close(row.value, float(exact), "/".join(base) + " " + metric, failures)
        checked.add(metric)
    expected_metrics = {"p_shortfall", "expected_unserved", "unserved_p90", "unserved_p95",
                        "cvar95_unserved", "p_online", "capacity_at_risk"}
    if checked != expected_metrics:
        failures.append(f"risk metrics {sorted(checked)}, expected {sorted(expected_metrics)}")

    for f in failures[:20]:
        print("ensemble_quantiles_numpy:", f, file=sys.stderr)
    if failures:
        print(f"ensemble_quantiles_numpy: {len(failures)} mismatches", file=sys.stderr)
        return 1
    print(f"ensemble_quantiles_numpy: {len(summary)} summary rows and {len(risk)} risk rows "
          f"equal numpy's values from {len(draws)} draws.csv rows ({empty_values} without a "
          f"value)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
