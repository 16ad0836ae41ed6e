"""Halmstad's problem index for the kommun, computed from the delivered survey file alone (standard library).

The kommun's value is the mean of its districts weighted by their respondents; a district whose cell is a
marker ('..') has no number and is left out, so that year's value is partial. Prints one line per year:
`YEAR VALUE USED OF`. Used by SamplePipelineTests to check the published problemindex.csv; shares no code
with the Swift pipeline.
"""
import csv
import sys

path = sys.argv[1] if len(sys.argv) > 1 else "SampleData/police/trygghetsmatning_halmstad.csv"
by_year = {}
with open(path, encoding="utf-8-sig", newline="") as file:
    for row in csv.DictReader(file, delimiter=";"):
        by_year.setdefault(row["År"], []).append(row)
for year, rows in sorted(by_year.items()):
    weighted = respondents = used = 0
    for row in rows:
        try:
            value = float(row["Problemindex"].replace(",", ".").strip())
            base = float(row["Antal svarande"].strip())
        except ValueError:
            continue
        weighted += value * base
        respondents += base
        used += 1
    print(year, f"{weighted / respondents:.6f}", used, len(rows))
