#!/usr/bin/env python3
"""Independent reference for the county report (scope: county or country), standard library only.

Usage: county_ranking.py SAMPLE_DIR EXPORT_DIR INDICATOR_ID COUNTY_CODE [GROUPS_CSV KOMMUN_CODE CRIME_TYPE]

Reads the indicator's exported CSV (EXPORT_DIR/INDICATOR_ID.csv) for each kommun's count (numerator) and
checks its population against the SCB file of the sample (SAMPLE_DIR/population/befolkning.csv) itself.
Then, for the latest year, computes what the county report must show, without Lagesbild's code:
- each kommun's rate per 100 000 and its exact (Garwood) 95 % Poisson interval, found by bisection on the
  Poisson distribution function (regularised incomplete gamma, series and continued fraction);
- the county's rate from the summed counts and populations;
- each kommun's rate ratio against the rest of the county, with the 95 % interval exp(log RR ± z·√(1/k₁+1/k₂)),
  and "higher" / "lower" / "within-noise" when the interval lies above 1, below 1 or spans it;
- the ranking: highest rate first.
With GROUPS_CSV, KOMMUN_CODE and CRIME_TYPE ('' for all crimes) it also computes the kommun's municipality
group's rate per year from Brå's SOL file (SAMPLE_DIR/bra/anmalda_brott_sol.csv) and the SCB populations:
sum over the group of rate × population / 100 000 over the sum of the populations, or None when a kommun of
the group has no rate or population; `members_with_values` says how many had both, `from_counts` is the same from Brå's "Antal" column.
Prints JSON.
"""

import csv
import io
import json
import math
import sys

Z = 1.959963984540054


def gamma_p(a, x):
    """Regularised lower incomplete gamma P(a, x)."""
    if x <= 0:
        return 0.0
    if x < a + 1:
        term = total = 1.0 / a
        n = a
        while abs(term) > abs(total) * 1e-15:
            n += 1
            term *= x / n
            total += term
        return total * math.exp(-x + a * math.log(x) - math.lgamma(a))
    # Continued fraction for Q(a, x) (modified Lentz).
    tiny = 1e-300
    b = x + 1 - a
    c = 1 / tiny
    d = 1 / b
    h = d
    i = 1
    while True:
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < 1e-15:
            break
        i += 1
    return 1 - math.exp(-x + a * math.log(x) - math.lgamma(a)) * h


def poisson_cdf(k, mu):
    """P(X <= k) for X ~ Poisson(mu) = Q(k + 1, mu)."""
    return 1 - gamma_p(k + 1, mu)


def bisect(f, lo, hi):
    for _ in range(200):
        mid = (lo + hi) / 2
        if f(mid):
            hi = mid
        else:
            lo = mid
    return (lo + hi) / 2


def garwood(k):
    """Exact 95 % interval for a Poisson mean after observing k."""
    hi_bound = k + 20 * math.sqrt(k + 1) + 20
    # lower: P(X >= k; mu) = 0.025, i.e. P(X <= k - 1; mu) = 0.975; 0 when k = 0.
    lower = 0.0 if k == 0 else bisect(lambda mu: poisson_cdf(k - 1, mu) <= 0.975, 0.0, hi_bound)
    # upper: P(X <= k; mu) = 0.025.
    upper = bisect(lambda mu: poisson_cdf(k, mu) <= 0.025, 0.0, hi_bound)
    return lower, upper


def number(text):
    return float(text.replace("\u00a0", "").replace(" ", "").replace(",", "."))


def populations(sample):
    """(kommun code, year) → total population from the PX-Web file."""
    with open(sample + "/population/befolkning.csv", encoding="iso-8859-1") as f:
        lines = f.read().splitlines()
    rows = list(csv.reader(lines[2:]))
    header = rows[0]
    result = {}
    for row in rows[1:]:
        if len(row) < 4 or row[1] != "totalt ålder" or row[2] != "totalt":
            continue
        code = row[0].split(" ")[0]
        if len(code) != 4:
            continue
        for column, cell in zip(header[3:], row[3:]):
            result[(code, column)] = float(cell)
    return result


def main():
    sample, exports, indicator, county = sys.argv[1:5]
    people = populations(sample)
    with open(f"{exports}/{indicator}.csv", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f)
                if r["area_level"] == "municipality" and r["breakdown"] == "" and r["period_type"] == "year"
                and r["area_code"].startswith(county)]
    latest = max(r["period"] for r in rows if r["status"] == "ok")
    kommuner = {}
    names = {}
    for r in rows:
        if r["period"] != latest or r["status"] != "ok":
            continue  # a suppressed kommun has no count to rank (the county test has none)
        code = r["area_code"]
        count = float(r["numerator"])
        population = people[(code, latest)]
        if abs(float(r["denominator"]) - population) > 0.5:
            raise SystemExit(f"{code} {latest}: exported population {r['denominator']} is not SCB's {population}")
        kommuner[code] = (count, population)
        names[code] = r["area_name"].removesuffix(f" ({code})")
    total_count = sum(c for c, _ in kommuner.values())
    total_population = sum(p for _, p in kommuner.values())
    ranking = []
    for code, (count, population) in kommuner.items():
        low, high = garwood(int(round(count)))
        rest_count = total_count - count
        rest_population = total_population - population
        entry = {"code": code, "name": names[code], "rate": count / population * 1e5,
                 "low": low / population * 1e5, "high": high / population * 1e5, "deviation": "not-testable"}
        if count > 0 and rest_count > 0:  # a log rate ratio needs a count on both sides
            log_ratio = math.log((count / population) / (rest_count / rest_population))
            se = math.sqrt(1 / count + 1 / rest_count)
            ratio_low, ratio_high = math.exp(log_ratio - Z * se), math.exp(log_ratio + Z * se)
            entry.update(ratio=math.exp(log_ratio), ratio_low=ratio_low, ratio_high=ratio_high,
                         deviation="higher" if ratio_low > 1 else "lower" if ratio_high < 1 else "within-noise")
        ranking.append(entry)
    ranking.sort(key=lambda e: -e["rate"])
    county_low, county_high = garwood(int(round(total_count)))
    result = {
        "period": latest, "ranking": ranking, "county_rate": total_count / total_population * 1e5,
        "county_low": county_low / total_population * 1e5, "county_high": county_high / total_population * 1e5,
    }
    if len(sys.argv) > 5:
        groups_csv, kommun, crime_type = sys.argv[5:8]
        with open(groups_csv, encoding="utf-8") as f:
            groups = {r["municipality_code"]: r["group_code"] for r in csv.DictReader(f, delimiter=";")}
        members = sorted(c for c, g in groups.items() if g == groups[kommun])
        with open(sample + "/codelists/areas.csv", encoding="utf-8") as f:
            codes = {r["name"]: r["code"] for r in csv.DictReader(f, delimiter=";") if r["level"] == "municipality"}
        with open(sample + "/bra/anmalda_brott_sol.csv", encoding="windows-1252") as f:
            sol = list(csv.reader(io.StringIO(f.read()), delimiter=";"))
        header = sol[1]
        wanted = crime_type or "Samtliga brott"
        rates = {}
        counts = {}
        for row in sol[2:]:
            if len(row) < 2 or row[1] != wanted or row[0] not in codes:
                continue
            for column, cell in zip(header[2:], row[2:]):
                year, measure = column.split(" ", 1)
                if cell in ("..", "-", ""):
                    continue
                if measure == "Per 100 000 inv.":
                    rates[(codes[row[0]], year)] = number(cell)
                elif measure == "Antal":
                    counts[(codes[row[0]], year)] = number(cell)
        years = sorted({y for (_, y) in rates})
        series = {}
        for year in years:
            have = [m for m in members if (m, year) in rates and (m, year) in people]
            if len(have) < len(members):
                series[year] = {"value": None, "members_with_values": len(have), "members": len(members)}
            else:
                implied = sum(rates[(m, year)] * people[(m, year)] / 1e5 for m in members)
                exposure = sum(people[(m, year)] for m in members)
                # Brå's own counts over the same populations: equal up to the rounding of Brå's rates.
                from_counts = (sum(counts[(m, year)] for m in members) / exposure * 1e5
                               if all((m, year) in counts for m in members) else None)
                series[year] = {"value": implied / exposure * 1e5, "from_counts": from_counts,
                                "members_with_values": len(have), "members": len(members)}
        result["group"] = series
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
