#!/usr/bin/env python3
"""Independent reference values for Lagesbild's follow-up statistics (Sources/Model/Statistics).

Prints JSON for a fixed table of cases. The quantiles come from SciPy; the Poisson trend is fitted by
IRLS in numpy and the binomial trend by scipy.optimize, both on years counted from the first year
(the Swift code centres them on their mean), so this is a second implementation, not a port.
Tests/ModelTests/FollowUpStatisticsTests.swift runs it and compares every value.

Needs numpy and scipy:  python3 -m pip install numpy scipy
"""

import json
import math

import numpy as np
from scipy import optimize, stats

NORMAL = [1e-10, 0.001, 0.025, 0.3, 0.5, 0.8, 0.975, 0.999999]
CHI_SQUARE = [(0.025, 2), (0.975, 2), (0.025, 6), (0.975, 8), (0.005, 1), (0.995, 1), (0.5, 30),
              (0.025, 500), (0.975, 2002), (1e-6, 4), (0.05, 0.5), (0.999, 3)]
STUDENT_T = [(0.975, 1), (0.975, 2), (0.95, 3), (0.025, 5), (0.995, 10), (0.9, 30), (0.975, 1000),
             (0.6, 2.5)]
POISSON = [(k, 0.95) for k in (0, 1, 2, 3, 5, 10, 25, 100, 1000)] + [(7, 0.90), (4, 0.99)]
WILSON = [(8, 10, 0.95), (0, 20, 0.95), (20, 20, 0.95), (37.5, 120, 0.95), (1, 3, 0.95),
          (450, 1000, 0.95), (8, 10, 0.90)]
RATE_RATIO = [(30, 10000, 20, 12000, 0.95), (265, 105796, 222, 103754, 0.95), (5, 1000, 1, 1000, 0.95),
              (30, 10000, 20, 12000, 0.90)]
# (area before, area after, comparison before, comparison after) as (count, exposure), and the level.
DID = [(((40, 8000), (25, 8100), (300, 90000), (290, 91000)), 0.95),
       (((12, 3000), (18, 3050), (150, 40000), (160, 40500)), 0.90)]
TRENDS = [
    {"name": "violence rising", "model": "poisson", "years": [2020, 2021, 2022, 2023],
     "counts": [222, 237, 249, 265], "exposures": [103754, 104573, 105148, 105796], "scale": 100000,
     "level": 0.95, "predict": [2020, 2023, 2026]},
    {"name": "small counts", "model": "poisson", "years": [2020, 2021, 2022], "counts": [3, 4, 5],
     "exposures": [10000, 10000, 10000], "scale": 10000, "level": 0.95, "predict": [2022, 2025]},
    {"name": "falling large counts", "model": "poisson", "years": [2018, 2019, 2020, 2021, 2022, 2023],
     "counts": [900, 860, 830, 790, 760, 720],
     "exposures": [150000, 151200, 152500, 153100, 154000, 155200], "scale": 100000, "level": 0.95,
     "predict": [2018, 2026, 2030]},
    {"name": "a zero count", "model": "poisson", "years": [2019, 2020, 2021, 2022, 2023],
     "counts": [0, 2, 1, 3, 4], "exposures": [5000, 5000, 5100, 5100, 5200], "scale": 1000,
     "level": 0.90, "predict": [2023, 2027]},
    {"name": "survey share falling", "model": "binomial", "years": [2019, 2020, 2021, 2022],
     "successes": [312, 298, 280, 265], "trials": [1000, 980, 1010, 990], "scale": 100, "level": 0.95,
     "predict": [2019, 2022, 2026]},
    {"name": "weighted share", "model": "binomial", "years": [2021, 2022, 2023],
     "successes": [40.5, 38.2, 45.7], "trials": [120, 115.5, 130], "scale": 1, "level": 0.95,
     "predict": [2023, 2025]},
    {"name": "noisy values", "model": "linear", "years": [2019, 2020, 2021, 2022],
     "values": [12.1, 14.3, 11.8, 13.9], "level": 0.95, "predict": [2022, 2025]},
    {"name": "falling values", "model": "linear", "years": [2018, 2019, 2020, 2021, 2022],
     "values": [50, 48, 45.5, 44, 41], "level": 0.90, "predict": [2018, 2024]},
]


def z_value(level):
    return stats.norm.ppf(1 - (1 - level) / 2)


def poisson_interval(k, level):
    alpha = 1 - level
    low = 0.0 if k == 0 else stats.chi2.ppf(alpha / 2, 2 * k) / 2
    return low, stats.chi2.ppf(1 - alpha / 2, 2 * k + 2) / 2


def wilson(successes, trials, level):
    z = z_value(level)
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def log_ratio_interval(log_ratio, counts, level):
    se = math.sqrt(sum(1 / c for c in counts))
    z = z_value(level)
    return math.exp(log_ratio), math.exp(log_ratio - z * se), math.exp(log_ratio + z * se)


def poisson_trend(case):
    years = np.array(case["years"], dtype=float)
    y = np.array(case["counts"], dtype=float)
    offset = np.log(np.array(case["exposures"], dtype=float))
    X = np.column_stack([np.ones_like(years), years - years[0]])
    beta = np.array([math.log(y.sum() / np.exp(offset).sum()), 0.0])
    for _ in range(200):  # IRLS: weighted least squares on the working response
        eta = X @ beta + offset
        mu = np.exp(eta)
        working = eta - offset + (y - mu) / mu
        W = np.diag(mu)
        new_beta = np.linalg.solve(X.T @ W @ X, X.T @ W @ working)
        done = np.max(np.abs(new_beta - beta)) < 1e-13
        beta = new_beta
        if done:
            break
    mu = np.exp(X @ beta + offset)
    covariance = np.linalg.inv(X.T @ np.diag(mu) @ X)
    return beta, covariance, lambda eta: case["scale"] * np.exp(eta), np.exp, z_value(case["level"])


def binomial_trend(case):
    years = np.array(case["years"], dtype=float)
    s = np.array(case["successes"], dtype=float)
    n = np.array(case["trials"], dtype=float)
    X = np.column_stack([np.ones_like(years), years - years[0]])

    def negative_log_likelihood(beta):
        eta = X @ beta
        return float(np.sum(s * np.logaddexp(0, -eta) + (n - s) * np.logaddexp(0, eta)))

    def gradient(beta):
        p = 1 / (1 + np.exp(-(X @ beta)))
        return -(X.T @ (s - n * p))

    def hessian(beta):
        p = 1 / (1 + np.exp(-(X @ beta)))
        return X.T @ np.diag(n * p * (1 - p)) @ X

    result = optimize.minimize(negative_log_likelihood, np.zeros(2), jac=gradient, hess=hessian,
                               method="trust-exact", options={"gtol": 1e-12})
    beta = result.x
    covariance = np.linalg.inv(hessian(beta))
    return beta, covariance, lambda eta: case["scale"] / (1 + np.exp(-eta)), np.exp, z_value(case["level"])


def linear_trend(case):
    years = np.array(case["years"], dtype=float)
    values = np.array(case["values"], dtype=float)
    x = years - years[0]
    fit = stats.linregress(x, values)
    residuals = values - (fit.intercept + fit.slope * x)
    n = len(values)
    s2 = float(residuals @ residuals) / (n - 2)
    sxx = float(((x - x.mean()) ** 2).sum())
    # Covariance of (intercept at x = 0, slope) for ordinary least squares.
    covariance = s2 * np.array([[1 / n + x.mean() ** 2 / sxx, -x.mean() / sxx], [-x.mean() / sxx, 1 / sxx]])
    assert abs(math.sqrt(covariance[1, 1]) - fit.stderr) < 1e-12 * max(1.0, fit.stderr)
    t = stats.t.ppf(1 - (1 - case["level"]) / 2, n - 2)
    beta = np.array([fit.intercept, fit.slope])
    return beta, covariance, lambda eta: eta, lambda slope: slope, t


def trend(case):
    fitter = {"poisson": poisson_trend, "binomial": binomial_trend, "linear": linear_trend}[case["model"]]
    beta, covariance, inverse_link, change, critical = fitter(case)
    slope_se = math.sqrt(covariance[1, 1])
    predictions = []
    for year in case["predict"]:
        row = np.array([1.0, year - case["years"][0]])
        eta = float(row @ beta)
        se = math.sqrt(float(row @ covariance @ row))
        predictions.append({"year": year, "value": float(inverse_link(eta)),
                            "low": float(inverse_link(eta - critical * se)),
                            "high": float(inverse_link(eta + critical * se))})
    output = {key: case[key] for key in case if key != "predict"}
    output.update({"annualChange": float(change(beta[1])),
                   "low": float(change(beta[1] - critical * slope_se)),
                   "high": float(change(beta[1] + critical * slope_se)),
                   "predictions": predictions})
    return output


def main():
    reference = {
        "normal": [{"p": p, "quantile": float(stats.norm.ppf(p))} for p in NORMAL],
        "chiSquare": [{"p": p, "df": df, "quantile": float(stats.chi2.ppf(p, df))} for p, df in CHI_SQUARE],
        "studentT": [{"p": p, "df": df, "quantile": float(stats.t.ppf(p, df))} for p, df in STUDENT_T],
        "poisson": [dict(zip(("count", "level", "low", "high"), (k, level, *map(float, poisson_interval(k, level)))))
                    for k, level in POISSON],
        "wilson": [dict(zip(("successes", "trials", "level", "low", "high"), (s, n, level, *wilson(s, n, level))))
                   for s, n, level in WILSON],
        "rateRatio": [
            dict(zip(("count1", "exposure1", "count2", "exposure2", "level", "ratio", "low", "high"),
                     (k1, e1, k2, e2, level,
                      *log_ratio_interval(math.log((k1 / e1) / (k2 / e2)), (k1, k2), level))))
            for k1, e1, k2, e2, level in RATE_RATIO],
        "differenceInDifferences": [],
        "trends": [trend(case) for case in TRENDS],
    }
    for cells, level in DID:
        (ab, ae), (aa, aae), (cb, cbe), (ca, cae) = cells
        log_ratio = (math.log(aa / aae) - math.log(ab / ae)) - (math.log(ca / cae) - math.log(cb / cbe))
        ratio, low, high = log_ratio_interval(log_ratio, (ab, aa, cb, ca), level)
        reference["differenceInDifferences"].append(
            {"cells": [list(cell) for cell in cells], "level": level, "ratio": ratio, "low": low, "high": high})
    print(json.dumps(reference, indent=1))


if __name__ == "__main__":
    main()
