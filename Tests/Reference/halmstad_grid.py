#!/usr/bin/env python3
"""Counts the Halmstad sample's police events of a year in 1 km squares of SCB's grid, independently of
the pipeline: reads SampleData/police/brott_YEAR.csv (Windows-1252, semicolons) with Python's csv module,
leaves out the rows the generator planted as bad (SampleData/expected_counts.json) and rows without X/Y,
and prints one line per square: the square id (easting 6 digits + northing 7 digits of the lower-left
corner) and its count. Usage: halmstad_grid.py YEAR [SIZE]"""
import csv, io, json, sys

year = sys.argv[1]
size = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
expected = json.load(open("SampleData/expected_counts.json", encoding="utf-8"))["police"][year]
bad_records = {row["record"] for row in expected["bad_rows"]}
text = open(f"SampleData/police/brott_{year}.csv", encoding="cp1252", newline="").read()
rows = list(csv.reader(io.StringIO(text), delimiter=";"))
header, records = rows[0], rows[1:]
x_index, y_index = header.index("X"), header.index("Y")
counts = {}
for number, record in enumerate(records, start=1):
    if number in bad_records or not record[x_index].strip() or not record[y_index].strip():
        continue
    x, y = float(record[x_index]), float(record[y_index])
    square = f"{int(x // size) * size:06d}{int(y // size) * size:07d}"
    counts[square] = counts.get(square, 0) + 1
for square in sorted(counts):
    print(square, counts[square])
