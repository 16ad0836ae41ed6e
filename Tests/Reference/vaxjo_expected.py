#!/usr/bin/env python3
"""Independent expected values for the second synthetic kommun, Växjö (Pipelines/vaxjo.yaml).

Reads the exports in SampleData/vaxjo/ and the code lists in Pipelines/codelists/ itself (Python's
standard library only; nothing of the Swift code is called or copied) and computes every value the
pipeline publishes: counts, rates, shares with their Wilson intervals, zeros, markers and disclosure
control, with the change against the previous period and the three-period moving average.

Prints JSON: {"values": [{"indicator", "area", "period", "breakdown", "breakdown_value", "numerator",
"denominator", "value", "ci_low", "ci_high", "change_abs", "change_pct", "moving_avg_3", "status"}, ...],
"texts": [{"source", "area", "period", "measure", "name", "text"}, ...],
"files": [{"file", "read", "quarantined", "skipped"}, ...]} (rows read, rows quarantined, lines skipped
after the table's end, per delivered file).
Tests/EndToEndTests/SecondKommunTests.swift runs the pipeline and compares every published row with it.

The rules, as Pipelines/README.md states them:
- events: an event counts in its kommun and, when its district is known, in the district; a rate is
  count / population of the same area and year x scale; an area and period with a population, covered
  by an events delivery, without events is 0;
- disclosure (threshold 3): an event count 1-2 is suppressed (with its value); below the kommun, in a
  period with exactly one suppressed district, the ok district with the smallest count is suppressed too
  (zeros are not suppressed and never chosen);
- observations: a measure delivered for the area is used, else finer areas are summed (additive) or
  averaged weighted by respondents (delivered shares and values); a marker part makes the cell missing;
- a delivered share with respondents gets a 95 % Wilson interval; fewer than 3 respondents suppress it;
- a share over events is numerator / denominator x 100 with the Wilson interval on the denominator,
  suppressed when the numerator, the denominator or the events outside the numerator are 1 or 2;
- a marker cell (`X` suppressed, `..` missing) is published as status `missing` (its meaning in the
  note); `-` mapped to zero is the number 0.
"""

import csv
import datetime
import io
import json
import math
import os
import re
import sys
import xml.etree.ElementTree as ElementTree

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "SampleData", "vaxjo")
LISTS = os.path.join(ROOT, "Pipelines", "codelists")
KOMMUN = "0780"
COUNTY = "07"
THRESHOLD = 3
Z = 1.959963984540054


# ----------------------------------------------------------------------------------------------------
# Reading


def read_text(path, encoding):
    with open(path, "rb") as handle:
        data = handle.read()
    if encoding == "utf-8" and data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return data.decode(encoding)


# Per delivered file name: rows read, rows quarantined, and lines after the table's end (skipped).
FILES = {}


def count_file(path, read, quarantined=0, skipped=0):
    if path.startswith(DATA):  # a delivery, not a code list
        FILES[os.path.basename(path)] = {"read": read, "quarantined": quarantined, "skipped": skipped}


def table(path, encoding, delimiter, title_lines=0, ends=None):
    """Rows as dicts by header; `ends` is "blank" (the table ends at its first empty line) or a regex.
    The non-empty lines from the end on are skipped lines."""
    lines = read_text(path, encoding).splitlines()[title_lines:]
    kept = []
    for index, line in enumerate(lines):
        if (ends == "blank" and line.strip() == "") or (ends not in (None, "blank") and re.match(ends, line)):
            count_file(path, 0, skipped=sum(1 for rest in lines[index:] if rest.strip()))
            break
        kept.append(line)
    else:
        count_file(path, 0)
    reader = csv.reader(io.StringIO("\n".join(kept)), delimiter=delimiter)
    rows = list(reader)
    header = [name.strip() for name in rows[0]]
    result = [dict(zip(header, row)) for row in rows[1:] if row]
    if path.startswith(DATA):
        FILES[os.path.basename(path)]["read"] = len(result)
    return result


def number(text):
    """A Swedish number: decimal comma, space thousands, a trailing %."""
    cleaned = text.replace("\u00a0", "").replace(" ", "").replace("%", "").replace(",", ".")
    return float(cleaned)


def areas():
    rows = table(os.path.join(LISTS, "areas_vaxjo.csv"), "utf-8", ";")
    by_name = {}
    for row in rows:
        by_name[row["name"].lower()] = row["code"]
        by_name[row["code"].lower()] = row["code"]
        for alias in filter(None, row["aliases"].split("|")):
            by_name[alias.lower()] = row["code"]
    return {row["code"]: row for row in rows}, by_name


AREAS, AREA_BY_NAME = areas()
DISTRICTS = sorted(code for code, row in AREAS.items() if row["level"] == "district")
SCHOOLS = sorted(code for code, row in AREAS.items() if row["level"] == "school")
MUNICIPALITIES = sorted(code for code, row in AREAS.items() if row["level"] == "municipality")


def crime_categories():
    """Code -> set of categories: the `Kategori` column and every truthy flag column."""
    rows = table(os.path.join(LISTS, "brottskoder_vaxjo.csv"), "cp1252", ",")
    truthy = {"1", "ja", "j", "x", "true", "sant"}
    result = {}
    for row in rows:
        categories = {row["Kategori"].strip()}
        if row["Våldsbrott"].strip().lower() in truthy:
            categories.add("vald")
        if row["Narkotikaflagga"].strip().lower() in truthy:
            categories.add("narkotika")
        result[row["Kod"].strip()] = categories
    return result


def valid_date(text, pattern):
    try:
        return datetime.datetime.strptime(text, pattern).date()
    except ValueError:
        return None


def police_events():
    """Accepted police events: (date, hour, district or None, place, categories)."""
    codes = crime_categories()
    events = []
    for year in range(2020, 2024):
        path = os.path.join(DATA, "polisen", f"anmalningar_{year}.csv")
        for row in table(path, "utf-8", ","):
            stamp = row["Tidpunkt"]
            date = valid_date(stamp[:10], "%Y-%m-%d")
            code = row["Kod"]
            if date is None or code not in codes:
                FILES[os.path.basename(path)]["quarantined"] += 1
                continue  # quarantined: an impossible date or a code not in the kommun's list
            hour = int(stamp[11:13]) if len(stamp) > 11 else None
            district = AREA_BY_NAME[row["Stadsdel"].lower()] if row["Stadsdel"] else None
            events.append({"date": date, "hour": hour, "district": district, "place": row["Miljö"],
                           "categories": codes[code]})
    return events


def incidents():
    """Accepted EST incidents: (date, district, category)."""
    types = {row["Kod"]: row["Kategori"]
             for row in table(os.path.join(LISTS, "est_handelsetyper_vaxjo.csv"), "utf-8", ";")}
    result = []
    path = os.path.join(DATA, "est", "est_handelser_2023.csv")
    for row in table(path, "cp1252", ";", ends=r"^Summa"):
        date = valid_date(row["Datum"], "%d.%m.%Y")
        if date is None or row["Typ"] not in types:
            continue
        result.append({"date": date, "district": AREA_BY_NAME[row["Område"].lower()],
                       "categories": {types[row["Typ"]]}})
    return result


def population():
    """(area, year) -> inhabitants: the districts' totals as delivered, the kommun as their sum."""
    path = os.path.join(DATA, "scb", "folkmangd_stadsdelar.csv")
    result = {}
    for row in table(path, "latin-1", "\t", title_lines=1, ends="blank"):
        if row["Kön"].strip().lower() != "totalt":
            continue
        district = AREA_BY_NAME[row["Stadsdel"].lower()]
        year = row["År"]
        result[(district, year)] = number(row["Folkmängd"])
        result[(KOMMUN, year)] = result.get((KOMMUN, year), 0) + number(row["Folkmängd"])
    return result


# A marker cell: (None, meaning). Meanings as the pipeline file maps them.
SUPPRESSED, MISSING, ZERO = "suppressed", "missing", "zero"


def cell(text, markers):
    text = text.strip()
    if text in markers:
        meaning = markers[text]
        return (0.0, None) if meaning == ZERO else (None, meaning)
    return (number(text), None)


def bra():
    """(measure, crime type, area, year) -> (value or None, marker meaning)."""
    markers = {"X": SUPPRESSED, "-": ZERO, "..": MISSING}
    result = {}
    for row in table(os.path.join(DATA, "bra", "bra_kronoberg.csv"), "cp1252", ",", ends="blank"):
        area = AREA_BY_NAME[row["Region"].lower()]
        for measure, column in (("bra_reported", "Antal"), ("bra_reported_per_100k", "Per 100 000 invånare")):
            result[(measure, row["Brottskategori"], area, row["År"])] = cell(row[column], markers)
    return result


def county_board():
    """(measure, municipality, year) -> (value or None, marker meaning), and the comments."""
    result, comments = {}, {}
    for year in (2022, 2023):
        path = os.path.join(DATA, "lansstyrelsen", f"tillsyn_{year}.xml")
        root = ElementTree.parse(path).getroot()
        period = root.get("ar")
        count_file(path, len(root.findall("Kommun")))
        for kommun in root.findall("Kommun"):
            code = kommun.findtext("Kommunkod").strip()
            for measure, element in (("serveringstillstand", "Serveringstillstand"),
                                     ("tillsynsbesok", "Tillsynsbesok")):
                text = (kommun.findtext(element) or "").strip()
                result[(measure, code, period)] = (number(text), None) if text else (None, MISSING)
            comments[(code, period)] = (kommun.findtext("Kommentar") or "").strip()
    return result, comments


def school_year(text):
    """`2019/20`, `läsåret 2020/21`, `2021/2022`, `lå 2022/23` -> `2019/20`."""
    match = re.fullmatch(r"(?:läsåret|lå)?\s*(\d{4})/(\d{2}|\d{4})", text.strip().lower())
    start = int(match.group(1))
    end = int(match.group(2)[-2:])
    assert end == (start + 1) % 100, text
    return f"{start}/{end:02d}"


def term_school_year(text):
    """`HT2021` -> 2021/22, `VT 2022` -> 2021/22."""
    match = re.fullmatch(r"(ht|vt)\s*(\d{4})", text.strip().lower())
    start = int(match.group(2)) if match.group(1) == "ht" else int(match.group(2)) - 1
    return f"{start}/{(start + 1) % 100:02d}"


def grades():
    """(school, school year) -> {merit, eligible, pupils, comment}; markers as meanings."""
    markers = {"X": SUPPRESSED, "": MISSING}
    result = {}
    for row in table(os.path.join(DATA, "skolor", "slutbetyg_ak9.csv"), "utf-8", ";", ends="blank"):
        result[(row["Skolenhetskod"], school_year(row["Läsår"]))] = {
            "merit": cell(row["Meritvärde"], markers),
            "eligible": cell(row["Behöriga yrkesprogram (%)"], markers),
            "pupils": number(row["Antal elever"]),
            "comment": row["Kommentar"],
        }
    return result


def absence():
    """(school, school year) -> [offered, invalid] minutes, the terms summed."""
    result = {}
    for row in table(os.path.join(DATA, "skolor", "franvaro_terminer.csv"), "cp1252", "|"):
        key = (row["Skolenhetskod"], term_school_year(row["Termin"]))
        sums = result.setdefault(key, [0.0, 0.0])
        sums[0] += number(row["Erbjuden undervisningstid (min)"])
        sums[1] += number(row["Ogiltig frånvaro (min)"])
    return result


def survey():
    """(school, year) -> (share, respondents) for Åk 9; a range that is not one calendar year is
    rejected (the only other range in the file covers no whole month, quarter or year)."""
    result = {}
    for row in table(os.path.join(DATA, "skolor", "skolenkat_trygghet.csv"), "utf-8", "\t"):
        start, end = row["Från"], row["Till"]
        if not (start[4:] == "-01-01" and end[4:] == "-12-31" and start[:4] == end[:4]):
            FILES["skolenkat_trygghet.csv"]["quarantined"] += 1
            continue
        if row["Årskurs"] == "Åk 9":
            result[(row["Skolenhetskod"], start[:4])] = (number(row["Andel trygga (%)"]), number(row["Svarande"]))
    return result


# ----------------------------------------------------------------------------------------------------
# Computing


def wilson(p, n):
    """95 % Wilson score interval of a share p (0-1) among n, in per cent."""
    z2 = Z * Z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    margin = Z / (1 + z2 / n) * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return max(0.0, centre - margin) * 100, min(1.0, centre + margin) * 100


def period_of(date, kind):
    if kind == "year":
        return str(date.year)
    if kind == "quarter":
        return f"{date.year}-Q{(date.month - 1) // 3 + 1}"
    if kind == "month":
        return f"{date.year}-{date.month:02d}"
    if kind == "week":
        year, week, _ = date.isocalendar()
        return f"{year}-W{week:02d}"
    raise ValueError(kind)


def previous(period):
    """The period before: 2023 -> 2022, 2023-Q1 -> 2022-Q4, 2023-W01 -> 2022-W52, 2021/22 -> 2020/21."""
    if re.fullmatch(r"\d{4}", period):
        return str(int(period) - 1)
    if "/" in period:
        start = int(period[:4]) - 1
        return f"{start}/{(start + 1) % 100:02d}"
    year, part = int(period[:4]), period[5:]
    if part.startswith("Q"):
        quarter = int(part[1:])
        return f"{year - 1}-Q4" if quarter == 1 else f"{year}-Q{quarter - 1}"
    if part.startswith("W"):
        week = int(part[1:])
        if week > 1:
            return f"{year}-W{week - 1:02d}"
        return f"{year - 1}-W{datetime.date(year - 1, 12, 28).isocalendar()[1]:02d}"
    month = int(part)
    return f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}"


def value_row(numerator, denominator, value, status="ok", ci=(None, None)):
    return {"numerator": numerator, "denominator": denominator, "value": value, "ci_low": ci[0],
            "ci_high": ci[1], "status": status}


def suppress(row):
    for key in ("numerator", "value", "ci_low", "ci_high"):
        row[key] = None
    row["status"] = "suppressed"


def primary(row):
    """An event count of 1 or 2 is suppressed, with the value derived from it."""
    if row["numerator"] is not None and 0 < row["numerator"] < THRESHOLD:
        suppress(row)


def secondary(table_rows, group):
    """In each group with exactly one suppressed cell, the ok cell with the smallest count (not a zero)
    is suppressed too. `table_rows` maps (area, period, breakdown value) -> row."""
    groups = {}
    for key in table_rows:
        groups.setdefault(group(key), []).append(key)
    for keys in groups.values():
        if sum(1 for key in keys if table_rows[key]["status"] == "suppressed") != 1:
            continue
        candidates = sorted((table_rows[key]["numerator"], key) for key in keys
                            if table_rows[key]["status"] == "ok" and table_rows[key]["numerator"] != 0)
        if candidates:
            suppress(table_rows[candidates[0][1]])


def analyse(table_rows):
    """Change against the previous period and the 3-period moving average, per series (ok values only)."""
    for row in table_rows.values():
        row["change_abs"] = row["change_pct"] = row["moving_avg_3"] = None
    for (area, period, part), row in table_rows.items():
        if row["status"] != "ok" or row["value"] is None:
            continue
        before = table_rows.get((area, previous(period), part))
        if not before or before["status"] != "ok" or before["value"] is None:
            continue
        row["change_abs"] = row["value"] - before["value"]
        if before["value"] != 0:
            row["change_pct"] = (row["value"] - before["value"]) / abs(before["value"]) * 100
        earlier = table_rows.get((area, previous(previous(period)), part))
        if earlier and earlier["status"] == "ok" and earlier["value"] is not None:
            row["moving_avg_3"] = (row["value"] + before["value"] + earlier["value"]) / 3


def matches(event, where):
    for key, wanted in (where or {}).items():
        if key == "hours":
            first, last = (int(part) for part in wanted.split("-"))
            hour = event["hour"]
            if hour is None or not (first <= hour or hour <= last if first > last else first <= hour <= last):
                return False
        else:
            values = wanted if isinstance(wanted, list) else [wanted]
            if event[key] not in values:
                return False
    return True


def count_events(events, category, level, kind, where=None):
    """(area, period) -> count of the events of `category` matching `where`."""
    counts = {}
    for event in events:
        if category != "all" and category not in event["categories"]:
            continue
        if not matches(event, where):
            continue
        area = KOMMUN if level == "municipality" else event["district"]
        if area is None:
            continue
        key = (area, period_of(event["date"], kind), "")
        counts[key] = counts.get(key, 0) + 1
    return counts


OUTPUT = []


def listed_indicators():
    """The ids under `indicators:` in Pipelines/vaxjo.yaml (an indicator commented out there is left out
    here too); read as text, one `  - id: NAME` line each."""
    with open(os.path.join(ROOT, "Pipelines", "vaxjo.yaml"), encoding="utf-8") as handle:
        text = handle.read()
    section = re.search(r"^indicators:\n(.*?)(?=^\S|\Z)", text, re.S | re.M).group(1)
    return set(re.findall(r"^  - id: (\S+)$", section, re.M))


LISTED = listed_indicators()


def keeps_texts():
    """True when a source of Pipelines/vaxjo.yaml keeps text attributes (`texts:` not commented out)."""
    with open(os.path.join(ROOT, "Pipelines", "vaxjo.yaml"), encoding="utf-8") as handle:
        return re.search(r"^    texts:$", handle.read(), re.M) is not None


def publish(indicator, table_rows, breakdown="", series=True):
    """Adds a table's rows, keyed (area, period, breakdown value), with their change and moving average
    (not for patterns: their cells are no series)."""
    if indicator not in LISTED:
        return
    if series:
        analyse(table_rows)
    else:
        for row in table_rows.values():
            row["change_abs"] = row["change_pct"] = row["moving_avg_3"] = None
    for (area, period, part), row in sorted(table_rows.items()):
        OUTPUT.append(dict(row, indicator=indicator, area=area, period=period, breakdown=breakdown,
                           breakdown_value=part))


# ----------------------------------------------------------------------------------------------------
# The indicators of Pipelines/vaxjo.yaml

POLICE_YEARS = [str(year) for year in range(2020, 2024)]


def covered_periods(kind, first, last):
    """Every period of `kind` with a day between the dates `first` and `last`."""
    periods, day = [], first
    while day <= last:
        period = period_of(day, kind)
        if period not in periods:
            periods.append(period)
        day += datetime.timedelta(days=1)
    return periods


def event_table(events, category, level, kind, covered, population=None, scale=None):
    """An event count or rate table at `level`: zeros where a covered period has no event (for a rate,
    where the area has a population), primary and secondary suppression."""
    counts = count_events(events, category, level, kind)
    areas = [KOMMUN] if level == "municipality" else DISTRICTS
    for area in areas:
        for period in covered:
            if population is None or (area, period) in population:
                counts.setdefault((area, period, ""), 0)
    rows = {}
    for key, count in counts.items():
        if population is None:
            rows[key] = value_row(count, None, count)
        else:
            base = population[(key[0], key[1])]
            rows[key] = value_row(count, base, count / base * scale)
        primary(rows[key])
    if level != "municipality":
        secondary(rows, lambda key: key[1])
    return rows


def place_pattern(events):
    """The `place` pattern: yearly counts per place text of the kommun (events without one left out)."""
    rows = {}
    for event in events:
        if event["place"]:
            key = (KOMMUN, str(event["date"].year), event["place"])
            rows.setdefault(key, value_row(0, None, 0))
            rows[key]["numerator"] += 1
            rows[key]["value"] += 1
    for row in rows.values():
        primary(row)
    secondary(rows, lambda key: key[1])
    return rows


def event_share(events, category, numerator_where, denominator_where):
    """A share over events for the kommun per year, with its Wilson interval."""
    numerators = count_events(events, category, "municipality", "year", numerator_where)
    denominators = count_events(events, category, "municipality", "year", denominator_where)
    rows = {}
    for key, base in denominators.items():
        count = numerators.get(key, 0)
        rows[key] = value_row(count, base, count / base * 100, ci=wilson(count / base, base))
        # Suppressed when the numerator, the denominator or the events outside the numerator are 1 or 2.
        if any(0 < part < THRESHOLD for part in (count, base, base - count)):
            suppress(rows[key])
    return rows


def observed_table(values, areas, periods):
    """A table of delivered values: (area, period) -> (value, marker meaning) -> rows."""
    rows = {}
    for area in areas:
        for period in periods:
            if (area, period) not in values:
                continue
            value, meaning = values[(area, period)]
            if value is None:
                # A marker's meaning is kept in the note; the exported status is `missing`.
                rows[(area, period, "")] = value_row(None, None, None, status="missing")
            else:
                rows[(area, period, "")] = value_row(value, None, value)
    return rows


def main():
    police = police_events()
    est = incidents()
    people = population()
    per_100k = 100000

    # Crime from police reports.
    for indicator, category in (("anmalda_brott_per_100k", "all"), ("vald_per_100k", "vald"),
                                ("skadegorelse_per_100k", "skadegorelse")):
        for level in ("municipality", "district"):
            publish(indicator, event_table(police, category, level, "year", POLICE_YEARS, people, per_100k))
    publish("anmalda_brott_per_100k", place_pattern(police), breakdown="place", series=False)
    reported = bra()
    comparison = {}
    for area in ("00", COUNTY, KOMMUN):
        for year in POLICE_YEARS:
            value, meaning = reported[("bra_reported_per_100k", "Samtliga brott", area, year)]
            comparison[(area, year, "bra_reported_per_100k")] = value_row(None, None, value)
    publish("anmalda_brott_per_100k", comparison, breakdown="comparison")
    for level in ("municipality", "district"):
        publish("ran", event_table(police, "ran", level, "year", POLICE_YEARS))
    for kind in ("year", "quarter"):
        covered = covered_periods(kind, datetime.date(2020, 1, 1), datetime.date(2023, 12, 31))
        publish("narkotika", event_table(police, "narkotika", "municipality", kind, covered))
    publish("vald_utomhus_andel",
            event_share(police, "vald", {"place": "Utomhus"}, {"place": ["Utomhus", "Inomhus"]}))
    publish("nattetid_andel", event_share(police, "all", {"hours": "22-05"}, None))

    # Brå: Mord och dråp with `X` (suppressed) and `-` (zero).
    murders = {(area, year): reported[("bra_reported", "Mord och dråp", area, year)]
               for area in ("00", COUNTY, KOMMUN) for year in POLICE_YEARS}
    publish("bra_mord", observed_table(murders, ["00", COUNTY, KOMMUN], POLICE_YEARS))

    # Population: the districts as delivered, the kommun as their sum.
    population_rows = {}
    for (area, year), inhabitants in people.items():
        population_rows[(area, year, "")] = value_row(inhabitants, None, inhabitants)
    publish("folkmangd", population_rows)

    # County board: licences per 10 000 inhabitants; inspections for the kommun and the county (the sum
    # of its municipalities; one not reported makes the county's sum missing).
    board, _ = county_board()
    licences = {}
    inspections = {}
    for year in ("2022", "2023"):
        count, _ = board[("serveringstillstand", KOMMUN, year)]
        licences[(KOMMUN, year, "")] = value_row(count, people[(KOMMUN, year)],
                                                 count / people[(KOMMUN, year)] * 10000)
        own, _ = board[("tillsynsbesok", KOMMUN, year)]
        inspections[(KOMMUN, year, "")] = value_row(own, None, own)
        parts = [board[("tillsynsbesok", code, year)][0] for code in MUNICIPALITIES]
        inspections[(COUNTY, year, "")] = (value_row(None, None, None, status="missing") if None in parts
                                           else value_row(sum(parts), None, sum(parts)))
    publish("serveringstillstand_per_10k", licences)
    publish("tillsynsbesok", inspections)

    # Schools.
    grade_rows = grades()
    merit = {}
    for (school, year), row in grade_rows.items():
        value, meaning = row["merit"]
        end_year = str(int(year[:4]) + 1)  # school_year_as_year: end
        merit[(school, end_year, "")] = (value_row(value, None, value) if value is not None
                                         else value_row(None, None, None, status="missing"))
    publish("meritvarde", merit)

    eligible = {}
    by_year = {}
    for (school, year), row in grade_rows.items():
        share, pupils = row["eligible"][0], row["pupils"]
        eligible[(school, year, "")] = value_row(share, pupils, share, ci=wilson(share / 100, pupils))
        by_year.setdefault(year, []).append((share, pupils))
    for year, parts in by_year.items():
        total = sum(pupils for _, pupils in parts)
        mean = sum(share * pupils for share, pupils in parts) / total
        eligible[(KOMMUN, year, "")] = value_row(mean, total, mean, ci=wilson(mean / 100, total))
    publish("behorighet_yrkesprogram", eligible)
    # The same figures as calendar years: a school year counts as the year it ends in.
    publish("behorighet_yrkesprogram", {(area, str(int(year[:4]) + 1), part): dict(row)
                                        for (area, year, part), row in eligible.items()})

    minutes = absence()
    absent = {}
    for (school, year), (offered, invalid) in minutes.items():
        absent[(school, year, "")] = value_row(invalid, offered, invalid / offered * 100)
        sums = absent.setdefault((KOMMUN, year, ""), value_row(0.0, 0.0, None))
        sums["numerator"] += invalid
        sums["denominator"] += offered
    for (area, year, _), row in absent.items():
        if area == KOMMUN:
            row["value"] = row["numerator"] / row["denominator"] * 100
    publish("ogiltig_franvaro", absent)

    answers = survey()
    safety = {}
    for (school, year), (share, respondents) in answers.items():
        row = value_row(share, respondents, share, ci=wilson(share / 100, respondents))
        if respondents < THRESHOLD:
            suppress(row)
        safety[(school, year, "")] = row
    for year in sorted({year for _, year in answers}):
        parts = [value for (school, part_year), value in answers.items() if part_year == year]
        total = sum(respondents for _, respondents in parts)
        mean = sum(share * respondents for share, respondents in parts) / total
        safety[(KOMMUN, year, "")] = value_row(mean, total, mean, ci=wilson(mean / 100, total))
    publish("trygghet_ak9", safety)

    # The kommun's weekly EST incident reports: klotter per ISO week.
    weeks = covered_periods("week", datetime.date(2023, 1, 2), datetime.date(2023, 12, 31))
    for level in ("municipality", "district"):
        publish("klotter_est", event_table(est, "klotter_est", level, "week", weeks))
        publish("klotter_est", event_table(est, "klotter_est", level, "year", ["2023"]))

    # Text attributes (`texts:`): every non-empty comment, kept with each observation of its row.
    texts = []
    _, comments = county_board() if keeps_texts() else (None, {})
    for (code, year), comment in comments.items():
        if comment:
            for measure in ("serveringstillstand", "tillsynsbesok"):
                texts.append({"source": "county-board", "area": code, "period": year, "measure": measure,
                              "name": "comment", "text": comment})
    for (school, year), row in grade_rows.items():
        if row["comment"] and keeps_texts():
            for measure in ("merit_value", "eligible_vocational_share"):
                texts.append({"source": "grades", "area": school, "period": year, "measure": measure,
                              "name": "comment", "text": row["comment"]})

    files = [dict(counts, file=name) for name, counts in sorted(FILES.items())]
    json.dump({"values": OUTPUT, "texts": texts, "files": files}, sys.stdout, ensure_ascii=False, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
