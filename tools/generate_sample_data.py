#!/usr/bin/env python3
"""Generate the area code lists for Halmstad and the synthetic sample exports.

Writes
  Pipelines/codelists/areas_halmstad.csv
  Pipelines/codelists/deso_crosswalk.csv
  SampleData/police/brott_2020.csv ... brott_2023.csv
  SampleData/police/trygghetsmatning_halmstad.csv
  SampleData/population/befolkning_halmstad.csv
  SampleData/bra/anmalda_brott_sol.csv
  SampleData/county-board/alkoholtillsyn_2022.xml, alkoholtillsyn_2023.xml
  SampleData/schools/skolverket_behorighet.csv
  SampleData/schools/franvaro_ss12000.xml
  SampleData/schools/skolenkaten.csv
  SampleData/expected_counts.json

Everything is synthetic (no real person, no real case) except the reference
lists it reads (Brå's crime codes, SCB's municipalities and counties) and the
published population totals for Halmstad, Hallands län (2022, 2023) and Sweden.
Every file uses its own random.Random with a fixed seed, so the output is
byte-for-byte reproducible and regenerating one part does not shift another.

Standard library only:  python3 tools/generate_sample_data.py
(crime_categories.csv must exist; build it with tools/build_crime_categories.py)
"""

import calendar
import csv
import datetime as dt
import json
import os
import random
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CODELISTS = os.path.join(ROOT, "Pipelines", "codelists")
SAMPLE = os.path.join(ROOT, "SampleData")
SCB_KOMMUNER = os.environ.get(
    "SCB_KOMMUNER_LAN", os.path.join(ROOT, "..", "shared", "data", "scb_kommuner_lan.csv")
)
if not os.path.exists(SCB_KOMMUNER):
    SCB_KOMMUNER = "/work/shared/data/scb_kommuner_lan.csv"

SEED = 20240501
YEARS = [2020, 2021, 2022, 2023]
MUNICIPALITY = ("1380", "Halmstad")
COUNTY = ("13", "Hallands län")
NBSP = "\u00a0"

# ---------------------------------------------------------------------------
# Areas: synthetic districts and DeSO for Halmstad
# ---------------------------------------------------------------------------

# id, name, aliases, centre (SWEREF 99 TM E, N), spread (m), DeSO plan
# DeSO plan: list of (letter, population weight). Centres are plausible but
# compressed into E 365 000-385 000, N 6 270 000-6 295 000 (synthetic).
DISTRICTS = [
    ("1380D01", "Centrum", ["Halmstad centrum", "Halmstad C"], (368700, 6283200), 600,
     [("C", 1.00), ("C", 1.05), ("C", 0.95), ("C", 1.02), ("C", 0.90), ("C", 0.98)]),
    ("1380D02", "Andersberg", [], (370500, 6281800), 500,
     [("C", 1.05), ("C", 1.04), ("C", 1.02), ("C", 1.00), ("C", 0.95)]),
    ("1380D03", "Vallås", [], (367800, 6281100), 550,
     [("C", 1.05), ("C", 1.03), ("C", 1.00), ("C", 1.00), ("C", 0.90)]),
    ("1380D04", "Linehed", [], (370600, 6284700), 550,
     [("C", 1.00), ("C", 0.95), ("C", 0.90), ("C", 0.90), ("C", 0.85)]),
    ("1380D05", "Sannarp", [], (366300, 6281900), 550,
     [("C", 1.00), ("C", 0.95), ("C", 0.95), ("C", 0.90), ("C", 0.85)]),
    ("1380D06", "Söndrum", [], (366100, 6282700), 400,
     [("C", 1.00), ("C", 1.00), ("C", 0.95), ("C", 0.90), ("C", 0.85)]),
    ("1380D07", "Fyllinge", [], (369300, 6286900), 700,
     [("C", 0.95), ("C", 0.95), ("C", 0.90), ("C", 0.90), ("C", 0.85)]),
    ("1380D08", "Getinge", [], (367300, 6292700), 800,
     [("B", 0.95), ("B", 0.85), ("A", 0.45), ("A", 0.42)]),
    ("1380D09", "Oskarström", [], (375700, 6292600), 800,
     [("B", 1.00), ("B", 0.95), ("B", 0.90), ("A", 0.70)]),
    ("1380D10", "Harplinge", [], (366900, 6289500), 900,
     [("B", 0.90), ("A", 0.80)]),
    ("1380D11", "Simlångsdalen", [], (383000, 6286900), 1200,
     [("B", 0.70), ("A", 0.60)]),
    ("1380D12", "Kvibille", [], (368600, 6291800), 1200,
     [("B", 0.75), ("A", 0.65)]),
]

# Crosswalk changes valid from 2024-01-01 (synthetic).
CHANGE_YEAR = 2024
SPLIT_OLD = "1380C0120"                     # Vallås 1 -> two new areas
SPLIT_NEW = [("1380C0121", 0.6), ("1380C0122", 0.4)]
MERGE_OLD = ["1380A0390", "1380A0400"]      # Getinge 3 + Getinge 4 -> one
MERGE_NEW = "1380A0391"


def build_deso():
    """Return list of dicts: code, name, district_code, district_name, letter,
    weight, status ('active' until 2023, 'retired' in 2024, 'new' from 2024)."""
    out = []
    number = 0
    for dcode, dname, _aliases, _centre, _spread, plan in DISTRICTS:
        for i, (letter, weight) in enumerate(plan, start=1):
            number += 1
            code = f"1380{letter}{number:03d}0"
            out.append(dict(code=code, name=f"{dname} {i}", district_code=dcode,
                            district_name=dname, letter=letter, weight=weight, index=i,
                            status="active"))
    by_code = {d["code"]: d for d in out}
    assert SPLIT_OLD in by_code and all(c in by_code for c in MERGE_OLD), "crosswalk codes"
    for c in [SPLIT_OLD] + MERGE_OLD:
        by_code[c]["status"] = "retired"
        by_code[c]["name"] += f" (upphörd {CHANGE_YEAR})"
    src = by_code[SPLIT_OLD]
    for (code, _share), suffix in zip(SPLIT_NEW, "ab"):
        out.append(dict(code=code, name=f"{src['district_name']} {src['index']}{suffix}",
                        district_code=src["district_code"], district_name=src["district_name"],
                        letter=src["letter"], weight=0, index=src["index"], status="new"))
    m0, m1 = by_code[MERGE_OLD[0]], by_code[MERGE_OLD[1]]
    out.append(dict(code=MERGE_NEW, name=f"{m0['district_name']} {m0['index']}+{m1['index']}",
                    district_code=m0["district_code"], district_name=m0["district_name"],
                    letter=m0["letter"], weight=0, index=m0["index"], status="new"))
    return out


DESO = build_deso()
DESO_ACTIVE = [d for d in DESO if d["status"] in ("active", "retired")]   # valid 2020-2023
DISTRICT_BY_NAME = {d[1]: d for d in DISTRICTS}


def read_scb():
    with open(SCB_KOMMUNER, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 290, len(rows)
    return rows


def county_short(name):
    s = name[:-len(" län")] if name.endswith(" län") else name
    return s[:-1] if s.endswith("s") else s


def write_areas(scb):
    counties = {}
    for r in scb:
        counties.setdefault(r["county_code"], r["county_name"])
    assert len(counties) == 21
    muni_names = {r["municipality_name"] for r in scb}

    rows = [("00", "Sverige", "country", "", "Riket|0000|Hela landet|00 Riket")]
    skipped_short = []
    for code in sorted(counties):
        name = counties[code]
        short = county_short(name)
        aliases = [f"00{code}"]
        if short in muni_names:
            skipped_short.append(short)      # would collide with a municipality name
        else:
            aliases.append(short)
        aliases.append(f"{code} {name}")
        rows.append((code, name, "county", "00", "|".join(aliases)))
    for r in sorted(scb, key=lambda r: r["municipality_code"]):
        c, n = r["municipality_code"], r["municipality_name"]
        rows.append((c, n, "municipality", r["county_code"], f"{c} {n}|{n} kommun"))
    for dcode, dname, aliases, *_ in DISTRICTS:
        rows.append((dcode, dname, "district", MUNICIPALITY[0], "|".join(aliases)))
    for d in sorted(DESO, key=lambda d: d["code"]):
        rows.append((d["code"], d["name"], "deso", d["district_code"], f"{d['code']} {MUNICIPALITY[1]}"))
    district_codes = {dname: dcode for dcode, dname, *_ in DISTRICTS}
    for unit in school_units():  # school units (skolenhetskod), so school statistics map to districts
        rows.append((unit["code"], unit["name"], "school", district_codes[unit["district"]], ""))

    # sanity: unique codes, unique aliases, aliases do not clash with other names
    codes = [r[0] for r in rows]
    assert len(codes) == len(set(codes))
    seen = {}
    for r in rows:
        for a in filter(None, r[4].split("|")):
            assert a not in seen, f"alias {a} used twice"
            seen[a] = r[0]
    names = {}
    for r in rows:
        names.setdefault(r[1], []).append(r[0])
    for a, code in seen.items():
        assert a not in names or names[a] == [code], f"alias {a} is another area's name"

    path = os.path.join(CODELISTS, "areas_halmstad.csv")
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("code;name;level;parent;aliases\n")
        for r in rows:
            assert not any(";" in x for x in r)
            f.write(";".join(r) + "\n")

    path = os.path.join(CODELISTS, "deso_crosswalk.csv")
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("old_code;new_code;share;valid_from\n")
        for code, share in SPLIT_NEW:
            f.write(f"{SPLIT_OLD};{code};{share:.1f};{CHANGE_YEAR}-01-01\n")
        for old in MERGE_OLD:
            f.write(f"{old};{MERGE_NEW};1.0;{CHANGE_YEAR}-01-01\n")
    return dict(rows=len(rows), skipped_county_short_names=skipped_short)


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------

def ensure_dir(*parts):
    p = os.path.join(SAMPLE, *parts)
    os.makedirs(p, exist_ok=True)
    return p


def largest_remainder(total, weights):
    """Split integer total into len(weights) integers proportional to weights."""
    s = sum(weights)
    raw = [total * w / s for w in weights]
    ints = [int(x) for x in raw]
    rest = total - sum(ints)
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - ints[i]), i))
    for i in order[:rest]:
        ints[i] += 1
    assert sum(ints) == total
    return ints


def sv_number(value, decimals=0):
    """Swedish number: thousands separated by NBSP, decimal comma."""
    s = f"{value:,.{decimals}f}"
    return s.replace(",", NBSP).replace(".", ",")


def sv_decimal(value, decimals=1):
    return f"{value:.{decimals}f}".replace(".", ",")


def csv_field(value, sep):
    v = str(value)
    if any(ch in v for ch in (sep, '"', "\n", "\r")):
        return '"' + v.replace('"', '""') + '"'
    return v


# ---------------------------------------------------------------------------
# Police event export
# ---------------------------------------------------------------------------

# (code, weight, time profile, place: 'in'/'out'/None, group for district weights)
POLICE_CODES = [
    ("0853", 9.0, "day", "in", "shop"),        # stöld i butik (snatteri)
    ("0880", 10.0, "mixed", None, "theft"),    # annan stöld / snatteri
    ("9830", 6.5, "mixed", "out", "theft"),    # cykel
    ("9829", 1.8, "mixed", "out", "theft"),    # elcykel
    ("9833", 0.8, "mixed", "out", "centre"),   # elsparkcykel
    ("9817", 1.8, "day", None, "centre"),      # fickstöld
    ("0841", 0.8, "mixed", "out", "theft"),    # stöld från cykel
    ("0846", 0.8, "day", "in", "theft"),       # stöld skola
    ("0818", 0.8, "night", "in", "shop"),      # inbrott butik
    ("0811", 0.5, "night", "in", "theft"),     # inbrott skola
    ("0825", 2.0, "mixed", "in", "flat"),      # inbrott källare/vind
    ("9826", 0.6, "day", "out", "theft"),      # drivmedel smitning
    ("9828", 4.5, "night", "out", "theft"),    # stöld ur fordon
    ("9827", 2.5, "night", "out", "theft"),    # stöld ur fordon fast int/ext
    ("0801", 0.8, "night", "out", "theft"),    # försök biltillgrepp
    ("0802", 1.8, "night", "out", "theft"),    # biltillgrepp
    ("9801", 1.4, "mixed", "in", "villa"),     # bostadsinbrott villa
    ("0857", 0.7, "mixed", "in", "villa"),     # försök villa
    ("9802", 1.0, "mixed", "in", "flat"),      # bostadsinbrott lägenhet
    ("0874", 0.6, "mixed", "in", "flat"),      # försök lägenhet
    ("0826", 0.3, "mixed", "in", "rural"),     # fritidshus
    ("1203", 4.0, "night", "out", "damage"),   # annan skadegörelse
    ("1212", 1.5, "night", "out", "damage"),   # annan skadegörelse (dubbel benämning)
    ("1201", 3.0, "night", "out", "damage"),   # skadegörelse motorfordon
    ("1205", 1.8, "night", "out", "damage"),   # skadegörelse stat/kommun
    ("1208", 0.9, "night", "out", "centre"),   # klotter kollektivtrafik
    ("1209", 3.8, "night", "out", "damage"),   # klotter övrigt
    ("1210", 0.4, "night", "out", "damage"),   # brand
    ("1211", 0.4, "night", "out", "damage"),   # bilbrand
    ("0357", 2.8, "night", "out", "violence"), # misshandel utomhus man obekant
    ("0355", 0.9, "night", "out", "violence"), # misshandel utomhus kvinna obekant
    ("0367", 1.0, "night", "in", "violence"),  # misshandel inomhus man obekant
    ("0365", 0.6, "night", "in", "violence"),  # misshandel inomhus kvinna obekant
    ("9365", 1.0, "mixed", "in", "home"),      # misshandel kvinna nära relation inomhus
    ("9369", 0.5, "mixed", "in", "home"),      # misshandel man nära relation inomhus
    ("9385", 0.3, "mixed", "in", "home"),
    ("0377", 0.4, "night", "out", "violence"), # grov misshandel
    ("9319", 0.5, "mixed", "out", "violence"), # misshandel pojke 15-17 utomhus
    ("9323", 0.2, "mixed", "in", "violence"),
    ("9447", 1.8, "mixed", None, "violence"),  # olaga hot man obekanta
    ("9443", 0.9, "mixed", None, "violence"),  # olaga hot kvinna obekanta
    ("9440", 0.9, "mixed", "in", "home"),      # olaga hot kvinna parrelation
    ("0459", 0.3, "day", None, "centre"),      # olaga hot grupp
    ("9463", 1.4, "mixed", None, "violence"),  # ofredande man
    ("9459", 1.0, "mixed", None, "violence"),  # ofredande kvinna
    ("0412", 0.2, "mixed", "in", "home"),      # grov kvinnofridskränkning
    ("0661", 0.15, "night", "in", "home"),     # våldtäkt inomhus
    ("9635", 0.15, "night", "in", "home"),
    ("9471", 0.5, "night", "in", "flat"),      # hemfridsbrott
    ("0901", 2.8, "day", None, "fraud"),       # datorbedrägeri
    ("0983", 2.8, "day", None, "fraud"),       # kortbedrägeri utan kort
    ("0987", 1.4, "day", None, "fraud"),       # annonsbedrägeri
    ("0957", 0.9, "day", None, "fraud"),       # social manipulation
    ("0906", 0.9, "day", None, "fraud"),       # övrigt bedrägeri
    ("9467", 0.4, "day", None, "fraud"),       # dataintrång
    ("5010", 2.8, "evening", "out", "drugs"),  # narkotika innehav
    ("5011", 3.8, "evening", "out", "drugs"),  # narkotika bruk
    ("5005", 0.6, "evening", "out", "drugs"),  # överlåtelse
    ("5004", 0.05, "mixed", "in", "drugs"),
    ("1701", 0.3, "night", "out", "centre"),   # våld mot tjänsteman (polis)
    ("1703", 0.2, "night", "out", "centre"),   # ordningsvakt
    ("1704", 0.3, "night", None, "violence"),
    ("1705", 0.5, "night", None, "violence"),  # hot mot tjänsteman
    ("9810", 0.35, "night", "out", "violence"),  # rån privatperson
    ("9806", 0.3, "evening", "out", "violence"), # rån mot ungdom
    ("0870", 0.15, "evening", "in", "shop"),   # butiksrån
    ("3005", 1.8, "night", "out", "traffic"),  # rattfylleri
    ("3070", 1.5, "evening", "out", "traffic"),
    ("3008", 0.8, "day", "out", "traffic"),    # smitning
    ("0407", 0.5, "mixed", None, "violence"),  # ofredande (gammal kod, fortf. giltig)
    ("1714", 0.3, "night", "out", "centre"),   # förolämpning mot polis
    ("1706", 0.3, "night", "out", "centre"),   # våldsamt motstånd
]

# district base weights (share of events) and per-group multipliers
DISTRICT_BASE = {
    "Centrum": 0.25, "Andersberg": 0.14, "Vallås": 0.12, "Linehed": 0.07,
    "Sannarp": 0.06, "Söndrum": 0.06, "Fyllinge": 0.06, "Getinge": 0.05,
    "Oskarström": 0.06, "Harplinge": 0.04, "Simlångsdalen": 0.03, "Kvibille": 0.03,
}
URBAN = {"Centrum", "Andersberg", "Vallås", "Linehed", "Sannarp", "Söndrum", "Fyllinge"}
GROUP_MULT = {
    "shop":     {"Centrum": 3.0, "Andersberg": 1.2, "Vallås": 1.0, "Linehed": 1.5},
    "centre":   {"Centrum": 3.5, "Andersberg": 1.3, "Vallås": 1.2},
    "villa":    {"Centrum": 0.1, "Andersberg": 0.2, "Vallås": 0.4, "Söndrum": 2.5, "Fyllinge": 2.5,
                 "Sannarp": 1.5, "Getinge": 1.8, "Harplinge": 2.2, "Kvibille": 2.0,
                 "Simlångsdalen": 2.0, "Oskarström": 1.5},
    "flat":     {"Centrum": 1.6, "Andersberg": 2.0, "Vallås": 1.8, "Linehed": 1.3,
                 "Söndrum": 0.4, "Fyllinge": 0.4, "Harplinge": 0.2, "Kvibille": 0.2,
                 "Simlångsdalen": 0.2, "Getinge": 0.5},
    "rural":    {"Centrum": 0.0, "Andersberg": 0.0, "Vallås": 0.0, "Linehed": 0.1,
                 "Sannarp": 0.1, "Söndrum": 1.0, "Fyllinge": 0.5, "Harplinge": 3.0,
                 "Simlångsdalen": 4.0, "Kvibille": 3.0, "Getinge": 2.5, "Oskarström": 1.5},
    "violence": {"Centrum": 1.8, "Andersberg": 1.5, "Vallås": 1.4},
    "damage":   {"Andersberg": 1.4, "Vallås": 1.4, "Centrum": 1.2},
    "drugs":    {"Centrum": 1.8, "Andersberg": 1.6, "Vallås": 1.5},
    "home":     {},
    "theft":    {"Centrum": 1.3},
    "fraud":    {},
    "traffic":  {"Centrum": 0.8, "Oskarström": 1.5, "Getinge": 1.5},
}
# yearly trend per district (medborgarlöften: Andersberg/Vallås slowly down)
DISTRICT_TREND = {"Andersberg": [1.0, 0.97, 0.93, 0.88], "Vallås": [1.0, 0.98, 0.95, 0.92]}
MONTH_WEIGHT = [0.80, 0.75, 0.85, 0.92, 1.05, 1.25, 1.42, 1.30, 1.00, 0.95, 0.85, 0.92]
YEAR_ROWS = {2020: 2420, 2021: 2360, 2022: 2510, 2023: 2590}

HOURS = {
    #        0    1    2    3    4    5    6    7    8    9   10   11   12   13   14   15   16   17   18   19   20   21   22   23
    "day":   [0.3, 0.2, 0.1, 0.1, 0.1, 0.2, 0.4, 0.8, 1.2, 1.6, 2.0, 2.2, 2.3, 2.4, 2.5, 2.6, 2.7, 2.5, 2.0, 1.5, 1.1, 0.8, 0.6, 0.4],
    "mixed": [0.8, 0.6, 0.5, 0.4, 0.3, 0.3, 0.5, 0.8, 1.0, 1.1, 1.2, 1.3, 1.4, 1.4, 1.5, 1.6, 1.7, 1.8, 1.8, 1.7, 1.6, 1.4, 1.2, 1.0],
    "evening": [1.2, 0.9, 0.7, 0.4, 0.2, 0.1, 0.2, 0.3, 0.4, 0.5, 0.7, 0.8, 0.9, 1.0, 1.2, 1.4, 1.6, 1.8, 2.0, 2.2, 2.3, 2.2, 1.9, 1.5],
    "night": [2.2, 2.4, 2.2, 1.6, 0.9, 0.4, 0.3, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.4, 1.6, 1.8, 2.0, 2.1],
}
# weekend nights: boost hours 21-23 on Fri/Sat and 0-4 on Sat/Sun
WEEKEND_NIGHT_BOOST = {"night": 2.6, "evening": 1.8, "mixed": 1.3, "day": 1.0}

FRITEXT = [
    "Cykel stulen utanför stationen",
    "Klotter på busskur; anmält av bolaget",
    "Målsägande uppger att dörren var uppbruten\nInget gods saknas enligt första uppgift",
    "Butikspersonal har \"bild\" på gärningspersonen",
    "Bråk utanför krog, flera inblandade",
    "Vittne hörde glas krossas vid 23-tiden",
    "Misstänkt påträffad i trapphus; avvek innan patrull kom",
    "Ordningsvakt ingrep",
    "Märken efter bändverktyg vid altandörr",
    "Bil uppbruten på parkering, väska saknas",
    "Anmälan via e-tjänst\nUppgifter kompletteras senare",
    "Sten kastad mot fönster på skola",
    "Kontakt via annonssajt, betalade med Swish",
    "Tips från allmänheten om försäljning vid lekplats",
]

BAD_DATES = {2020: "2020-02-30", 2021: "2021-02-30", 2022: "2022-04-31", 2023: "2023-02-29"}
PNR_NOTE = "Anmälaren ringde från 850412-1230 och uppgav att plånbok saknas"   # synthetic


def luhn_ok(pnr10):
    digits = [int(c) for c in pnr10]
    total = 0
    for i, d in enumerate(digits):
        v = d * (2 if i % 2 == 0 else 1)
        total += v // 10 + v % 10
    return total % 10 == 0


def load_codes():
    with open(os.path.join(CODELISTS, "brottskoder.csv"), encoding="utf-8", newline="") as f:
        codes = {r["brottskod"]: r for r in csv.DictReader(f, delimiter=";")}
    cats = {}
    with open(os.path.join(CODELISTS, "crime_categories.csv"), encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f, delimiter=";"):
            cats.setdefault(r["crime_code"], []).append(r["category"])
    return codes, cats


def police_year(year, codes, cats):
    rng = random.Random(SEED * 10 + year)
    yi = YEARS.index(year)
    for code, *_ in POLICE_CODES:
        assert code in codes and not codes[code]["upphord"].strip(), code

    days = [dt.date(year, 1, 1) + dt.timedelta(days=i)
            for i in range(366 if calendar.isleap(year) else 365)]
    day_w = [MONTH_WEIGHT[d.month - 1] * (1.08 if d.weekday() >= 4 else 1.0) for d in days]
    code_w = [w * (1.0 + 0.06 * yi if grp == "fraud" else 1.0) for _, w, _, _, grp in POLICE_CODES]
    dist_names = [d[1] for d in DISTRICTS]
    deso_by_district = {}
    for d in DESO_ACTIVE:
        deso_by_district.setdefault(d["district_name"], []).append(d)

    events = []
    n = YEAR_ROWS[year]
    for _ in range(n):
        code, _w, prof, place, grp = rng.choices(POLICE_CODES, weights=code_w)[0]
        day = rng.choices(days, weights=day_w)[0]
        wd = day.weekday()
        hw = list(HOURS[prof])
        boost = WEEKEND_NIGHT_BOOST[prof]
        for h in range(24):
            if (h >= 21 and wd in (4, 5)) or (h <= 4 and wd in (5, 6)):
                hw[h] *= boost
        hour = rng.choices(range(24), weights=hw)[0]
        minute = 0 if rng.random() < 0.2 else rng.randrange(60)
        mult = GROUP_MULT[grp]
        dw = [DISTRICT_BASE[d] * mult.get(d, 1.0) * DISTRICT_TREND.get(d, [1, 1, 1, 1])[yi]
              for d in dist_names]
        district = rng.choices(dist_names, weights=dw)[0]
        dcode, dname, _al, (cx, cy), spread, _plan = DISTRICT_BY_NAME[district]
        desos = deso_by_district[district]
        deso = rng.choices(desos, weights=[d["weight"] for d in desos])[0]["code"]
        x = min(384999, max(365000, int(rng.gauss(cx, spread))))
        y = min(6294999, max(6270000, int(rng.gauss(cy, spread))))
        area, xs, ys = district, str(x), str(y)
        if grp == "fraud" and rng.random() < 0.6:       # frauds often lack a place
            area, deso, xs, ys = "", "", "", ""
        elif rng.random() < 0.05:
            deso = ""
        klockslag = "" if rng.random() < 0.03 else f"{hour:02d}:{minute:02d}"
        if place == "in":
            plats = "Inomhus"
        elif place == "out":
            plats = "Utomhus"
        else:
            plats = rng.choice(["Inomhus", "Utomhus"])
        if rng.random() < 0.10:
            plats = ""
        fritext = rng.choice(FRITEXT) if rng.random() < 0.07 else ""
        events.append(dict(code=code, date=day.isoformat(), sortkey=(day, hour, minute),
                           time=klockslag, area=area, deso=deso, x=xs, y=ys,
                           plats=plats, fritext=fritext))

    # reports are registered in date order; about 5 % of reports hold two crimes
    events.sort(key=lambda e: e["sortkey"])
    yy = year % 100
    serial = 100000 + rng.randrange(5000)
    rows = []
    for e in events:
        if rows and rng.random() < 0.05 and rows[-1]["date"] == e["date"]:
            e["case"] = rows[-1]["case"]
        else:
            serial += rng.randint(1, 9)
            e["case"] = f"5000-K{serial}-{yy:02d}"
        rows.append(e)

    # deliberate bad rows
    bad = []
    i_code = len(rows) // 3
    rows[i_code] = dict(rows[i_code], code="9999")
    bad.append((i_code, "unknown crime code 9999"))
    i_date = (2 * len(rows)) // 3
    rows[i_date] = dict(rows[i_date], date=BAD_DATES[year])
    bad.append((i_date, f"impossible date {BAD_DATES[year]}"))
    i_short = None
    if year == 2022:
        i_short = len(rows) // 2
        r = rows[i_short]
        rows[i_short] = dict(r, short=True, fritext=PNR_NOTE)
        bad.append((i_short, "too few fields (6 of 10); Fritext holds a personal identity number"))

    header = ["Ärendenummer", "Brottskod", "Brottsdatum", "Klockslag", "Område", "DeSO",
              "X", "Y", "Plats", "Fritext"]
    lines = [";".join(header)]
    for r in rows:
        if r.get("short"):
            fields = [r["case"], r["code"], r["date"], r["time"] or "14:20", r["area"] or "Centrum",
                      r["fritext"]]
        else:
            fields = [r["case"], r["code"], r["date"], r["time"], r["area"], r["deso"],
                      r["x"], r["y"], r["plats"], r["fritext"]]
        lines.append(";".join(csv_field(v, ";") for v in fields))

    # physical line numbers (1 = header); embedded line breaks in Fritext are LF
    phys = []
    line_no = 1
    for rec in lines[1:]:
        line_no += 1
        phys.append(line_no)
        line_no += rec.count("\n")
    text = "\r\n".join(lines) + "\r\n"
    path = os.path.join(ensure_dir("police"), f"brott_{year}.csv")
    with open(path, "wb") as f:
        f.write(text.encode("cp1252"))

    bad_idx = {i for i, _ in bad}
    good = [r for i, r in enumerate(rows) if i not in bad_idx]
    by_cat = {}
    for r in good:
        for c in cats.get(r["code"], []):
            by_cat[c] = by_cat.get(c, 0) + 1
    by_district = {}
    for r in good:
        key = r["area"] or "(tomt)"
        by_district[key] = by_district.get(key, 0) + 1
    return dict(
        file=os.path.relpath(path, ROOT),
        encoding="windows-1252", delimiter=";", line_ending="CRLF",
        records=len(rows),
        physical_lines_including_header=line_no,
        good_rows=len(good),
        bad_rows=[dict(line=phys[i], record=i + 1, reason=why) for i, why in sorted(bad)],
        good_rows_by_category=dict(sorted(by_cat.items())),
        good_rows_by_district=dict(sorted(by_district.items())),
        good_rows_without_area=sum(1 for r in good if not r["area"]),
        good_rows_without_deso=sum(1 for r in good if not r["deso"]),
        good_rows_without_time=sum(1 for r in good if not r["time"]),
        good_rows_with_fritext=sum(1 for r in good if r["fritext"]),
        records_with_embedded_line_break=sum(1 for r in rows if "\n" in r["fritext"]),
        distinct_case_numbers=len({r["case"] for r in rows}),
    )


# ---------------------------------------------------------------------------
# Population (SCB PX-Web CSV)
# ---------------------------------------------------------------------------

POP_TOTALS = {
    "00": {2020: 10379295, 2021: 10452326, 2022: 10521556, 2023: 10551707},
    "13": {2020: 336212, 2021: 339811, 2022: 342805, 2023: 343746},   # 2020/21 synthetic
    "1380": {2020: 103754, 2021: 104573, 2022: 105148, 2023: 105796},
}
AGES = ["0-14 år", "15-24 år", "25-44 år", "45-64 år", "65+ år"]
AGE_PROFILE = {
    "national": [17.6, 11.3, 26.3, 24.8, 20.0],
    "county":   [17.9, 11.0, 23.9, 25.6, 21.6],
    "Centrum":  [10.5, 17.5, 31.0, 20.0, 21.0],
    "Andersberg": [22.0, 14.5, 27.0, 20.5, 16.0],
    "Vallås":   [21.0, 13.5, 26.0, 22.0, 17.5],
    "urban":    [18.5, 11.0, 23.5, 25.0, 22.0],
    "rural":    [16.5, 10.0, 20.0, 28.5, 25.0],
}
MEN_SHARE = {"national": 0.502, "county": 0.499, "municipality": 0.495}


def profile_for(district):
    if district in AGE_PROFILE:
        return AGE_PROFILE[district]
    return AGE_PROFILE["urban"] if district in URBAN else AGE_PROFILE["rural"]


def split_age_sex(total, profile, men_share, rng, year_index):
    """rng is seeded per region (not per year) so the age/sex mix is stable
    over the years; only the ageing drift (65+) changes with year_index."""
    men = round(total * (men_share + rng.uniform(-0.006, 0.006)))
    women = total - men
    prof = [p * (1 + 0.012 * year_index if i == 4 else 1) for i, p in enumerate(profile)]
    cells = {}
    for sex, n in (("män", men), ("kvinnor", women)):
        p = [x * (1 + rng.uniform(-0.04, 0.04)) for x in prof]
        if sex == "kvinnor":
            p[4] *= 1.12
        cells[sex] = largest_remainder(n, p)
    return cells


def population():
    rng = random.Random(SEED + 2)
    regions = []   # (label, {year: {sex: [5 ages]}})
    for code, label, prof, ms in (("00", "00 Riket", "national", "national"),
                                  ("13", "13 Hallands län", "county", "county")):
        data = {}
        for yi, y in enumerate(YEARS):
            data[y] = split_age_sex(POP_TOTALS[code][y], AGE_PROFILE[prof], MEN_SHARE[ms],
                                    random.Random(f"{SEED}-{code}"), yi)
        regions.append((label, data))

    growth = {d["code"]: rng.uniform(-0.004, 0.016) for d in DESO_ACTIVE}
    deso_data = {d["code"]: {} for d in DESO_ACTIVE}
    for yi, y in enumerate(YEARS):
        w = [d["weight"] * (1 + growth[d["code"]]) ** yi for d in DESO_ACTIVE]
        totals = largest_remainder(POP_TOTALS["1380"][y], w)
        for d, t in zip(DESO_ACTIVE, totals):
            assert 700 <= t <= 2700, (d["code"], t)
            deso_data[d["code"]][y] = split_age_sex(
                t, profile_for(d["district_name"]), MEN_SHARE["municipality"],
                random.Random(f"{SEED}-{d['code']}"), yi)
    muni = {y: {s: [sum(deso_data[c][y][s][i] for c in deso_data) for i in range(5)]
                for s in ("män", "kvinnor")} for y in YEARS}
    regions.append(("1380 Halmstad", muni))
    for d in DESO_ACTIVE:
        regions.append((f"{d['code']} Halmstad", deso_data[d["code"]]))

    def q(v):
        return '"' + str(v) + '"'

    lines = [q("Folkmängden efter region, ålder, kön och år"), "",
             ",".join(q(h) for h in ["region", "ålder", "kön"] + [str(y) for y in YEARS])]
    for label, data in regions:
        for ai, age in enumerate(AGES + ["totalt ålder"]):
            for sex in ("män", "kvinnor", "totalt"):
                vals = []
                for y in YEARS:
                    sexes = ("män", "kvinnor") if sex == "totalt" else (sex,)
                    if ai < 5:
                        vals.append(sum(data[y][s][ai] for s in sexes))
                    else:
                        vals.append(sum(sum(data[y][s]) for s in sexes))
                lines.append(",".join(q(v) for v in [label, age, sex] + vals))
    # check the published totals
    for label, data in regions[:3]:
        code = label.split()[0]
        for y in YEARS:
            assert sum(sum(data[y][s]) for s in ("män", "kvinnor")) == POP_TOTALS[code][y]
    path = os.path.join(ensure_dir("population"), "befolkning_halmstad.csv")
    with open(path, "wb") as f:
        f.write(("\r\n".join(lines) + "\r\n").encode("iso-8859-1"))
    return dict(file=os.path.relpath(path, ROOT), regions=len(regions),
                data_rows=len(lines) - 3,
                deso_total_min=min(sum(sum(deso_data[c][y][s]) for s in ("män", "kvinnor"))
                                   for c in deso_data for y in YEARS),
                deso_total_max=max(sum(sum(deso_data[c][y][s]) for s in ("män", "kvinnor"))
                                   for c in deso_data for y in YEARS))


# ---------------------------------------------------------------------------
# Brå SOL export (Excel -> CSV)
# ---------------------------------------------------------------------------

SOL_TYPES = [  # name, national rate per 100 000 (approx. level), Halmstad factor, Halland factor
    ("Samtliga brott", 14300, 0.74, 0.70),
    ("Misshandel inkl. grov", 830, 0.80, 0.72),
    ("Rån inkl. grovt", 78, 0.55, 0.40),
    ("Bostadsinbrott", 120, 0.95, 0.95),
    ("Skadegörelse", 1650, 0.82, 0.75),
    ("Narkotikabrott", 1000, 0.72, 0.62),
    ("Bedrägeri", 2050, 0.62, 0.60),
]
SOL_TREND = {  # year multipliers per type (national level)
    "Samtliga brott": [1.00, 0.97, 0.93, 0.94],
    "Misshandel inkl. grov": [1.00, 0.96, 0.99, 0.97],
    "Rån inkl. grovt": [1.00, 0.92, 0.80, 0.78],
    "Bostadsinbrott": [1.00, 0.88, 0.80, 0.76],
    "Skadegörelse": [1.00, 0.95, 0.90, 0.92],
    "Narkotikabrott": [1.00, 0.95, 0.90, 0.88],
    "Bedrägeri": [1.00, 1.02, 0.96, 1.04],
}
# cells shown as '..' (suppressed / not available) or '-' (nothing to report)
SOL_SPECIAL = {
    ("Halmstad", "Rån inkl. grovt", 2021): "..",
    ("Hallands län", "Bostadsinbrott", 2023): "-",
    ("Hela landet", "Narkotikabrott", 2023): "..",
}


def bra_sol():
    rng = random.Random(SEED + 3)
    regions = [("Hela landet", "00", 1.0, 0), ("Hallands län", "13", None, 3), ("Halmstad", "1380", None, 2)]
    header = ["Region", "Brottstyp"]
    for y in YEARS:
        header += [f"{y} Antal", f"{y} Per 100 000 inv."]
    lines = ["Anmälda brott, antal och per 100 000 invånare" + ";" * (len(header) - 1),
             ";".join(header)]
    special_cells = []
    for region, code, _f, fi in regions:
        for name, rate, f_halmstad, f_halland in SOL_TYPES:
            factor = {0: 1.0, 3: f_halland, 2: f_halmstad}[fi]
            cells = [region, name]
            for yi, y in enumerate(YEARS):
                pop = POP_TOTALS[code][y]
                antal = round(rate * factor * SOL_TREND[name][yi] * pop / 1e5
                              * (1 + rng.uniform(-0.04, 0.04)))
                per = antal / pop * 1e5
                mark = SOL_SPECIAL.get((region, name, y))
                if mark:
                    cells += [mark, mark]
                    special_cells.append(dict(line=len(lines) + 1, region=region, type=name,
                                              year=y, value=mark))
                else:
                    cells += [sv_number(antal), sv_number(per, 1)]
            lines.append(";".join(cells))
    path = os.path.join(ensure_dir("bra"), "anmalda_brott_sol.csv")
    with open(path, "wb") as f:
        f.write(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return dict(file=os.path.relpath(path, ROOT), data_rows=len(lines) - 2, special_cells=special_cells)


# ---------------------------------------------------------------------------
# Police trygghetsmätning
# ---------------------------------------------------------------------------

TRYGGHET_LEVEL = {
    "Centrum": 2.7, "Andersberg": 3.3, "Vallås": 3.0, "Linehed": 2.0, "Sannarp": 1.8,
    "Söndrum": 1.3, "Fyllinge": 1.4, "Getinge": 1.2, "Oskarström": 1.9, "Harplinge": 1.0,
    "Simlångsdalen": 0.9, "Kvibille": 0.9,
}
TRYGGHET_SUPPRESSED = {("Simlångsdalen", 2021), ("Kvibille", 2023)}


def trygghet():
    rng = random.Random(SEED + 4)
    lines = ["Område;År;Problemindex;Antal svarande"]
    marks = []
    base_resp = {d[1]: (rng.randint(140, 320) if d[1] in URBAN else rng.randint(35, 80))
                 for d in DISTRICTS}
    for _dc, dname, *_ in DISTRICTS:
        for yi, y in enumerate(YEARS):
            trend = -0.08 * yi if dname in ("Andersberg", "Vallås") else 0.02 * yi
            val = max(0.0, min(6.0, TRYGGHET_LEVEL[dname] + trend + rng.uniform(-0.25, 0.25)))
            resp = round(base_resp[dname] * rng.uniform(0.85, 1.15))
            if (dname, y) in TRYGGHET_SUPPRESSED:
                resp = rng.randint(6, 14)
                lines.append(f"{dname};{y};..;{resp}")
                marks.append(dict(line=len(lines), area=dname, year=y))
            else:
                lines.append(f"{dname};{y};{sv_decimal(val)};{resp}")
    path = os.path.join(ensure_dir("police"), "trygghetsmatning_halmstad.csv")
    with open(path, "wb") as f:
        f.write(("\r\n".join(lines) + "\r\n").encode("utf-8-sig"))
    return dict(file=os.path.relpath(path, ROOT), data_rows=len(lines) - 1, suppressed=marks)


# ---------------------------------------------------------------------------
# Länsstyrelsen alcohol licensing (XML)
# ---------------------------------------------------------------------------

def alkohol(year, scb):
    rng = random.Random(SEED + 5 + year)
    munis = [(r["municipality_code"], r["municipality_name"]) for r in scb if r["county_code"] == "13"]
    assert len(munis) == 6
    base = {"1315": (14, 0, 9), "1380": (192, 14, 205), "1381": (58, 2, 41),
            "1382": (96, 4, 88), "1383": (148, 7, 150), "1384": (121, 3, 112)}
    drift = 1.0 if year == 2022 else 1.04
    measures = [
        ("serveringstillstand", "Serveringstillstånd till allmänheten (stadigvarande)"),
        ("oppet_efter_0100", "Serveringsställen med serveringstid efter kl. 01.00"),
        ("tillsynsbesok", "Tillsynsbesök (förebyggande och inre tillsyn på plats)"),
    ]
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<!-- Syntetiska exempeldata för Lagesbild; inga verkliga tillståndshavare -->',
           f'<lst:Export xmlns:lst="urn:se:lansstyrelsen:alkoholtillsyn:1" ar="{year}" '
           f'lan="13" lansnamn="Hallands län" skapad="{year + 1}-02-14">',
           '  <lst:Avsandare>Länsstyrelsen i Hallands län, enheten för tillståndsfrågor</lst:Avsandare>']
    for code, name in munis:
        out.append(f'  <lst:Kommun kod="{code}" namn="{name}">')
        for (key, label), b in zip(measures, base[code]):
            v = max(0, round(b * drift * (1 + rng.uniform(-0.05, 0.05))))
            out.append(f'    <lst:Uppgift typ="{key}">')
            out.append(f'      <lst:Benamning>{label}</lst:Benamning>')
            out.append(f'      <lst:Antal>{v}</lst:Antal>')
            out.append('    </lst:Uppgift>')
        if code == "1380":
            out.append('    <lst:Kommentar><![CDATA[Två tillstånd återkallade under året; '
                       'tillsynen samordnad med polisen i lokalpolisområde Halmstad-Laholm '
                       '(s.k. "krogtillsyn" & restaurangkontroller <fredagar>).]]></lst:Kommentar>')
        out.append('  </lst:Kommun>')
    out.append('</lst:Export>')
    path = os.path.join(ensure_dir("county-board"), f"alkoholtillsyn_{year}.xml")
    with open(path, "wb") as f:
        f.write(("\n".join(out) + "\n").encode("utf-8"))
    return os.path.relpath(path, ROOT)


# ---------------------------------------------------------------------------
# Schools
# ---------------------------------------------------------------------------

SCHOOLS = [  # name, district, pupils in the school, since year, level of eligibility (%)
    ("Centrumskolan", "Centrum", 420, 2020, 88),
    ("Andersbergsskolan", "Andersberg", 380, 2020, 68),
    ("Vallåsskolan", "Vallås", 360, 2020, 72),
    ("Linehedsskolan", "Linehed", 310, 2020, 84),
    ("Sannarpsskolan", "Sannarp", 290, 2020, 86),
    ("Söndrumsskolan", "Söndrum", 330, 2020, 93),
    ("Fyllingeskolan", "Fyllinge", 300, 2020, 91),
    ("Getingeskolan", "Getinge", 250, 2020, 87),
    ("Oskarströms skola", "Oskarström", 280, 2020, 80),
    ("Harplinge skola", "Harplinge", 190, 2020, 90),
    ("Kvibille skola", "Kvibille", 140, 2020, 89),
    ("Friskolan Centrum", "Centrum", 160, 2022, 92),
]


def school_units():
    rng = random.Random(SEED + 6)
    codes = set()
    units = []
    for name, district, pupils, since, level in SCHOOLS:
        while True:
            c = f"{rng.randint(10000000, 99999999)}"
            if c not in codes:
                codes.add(c)
                break
        units.append(dict(code=c, name=name, district=district, pupils=pupils, since=since, level=level))
    return units


SKOLVERKET_MISSING = {("Kvibille skola", 2020)}          # '.' no pupils in year 9
SKOLVERKET_SUPPRESSED = {("Harplinge skola", 2021), ("Kvibille skola", 2022)}  # '..'


def skolverket(units):
    rng = random.Random(SEED + 7)
    header = ["Skolenhetskod", "Skolenhet", "Kommun", "År",
              "Andel behöriga till yrkesprogram (%)", "Genomsnittligt meritvärde"]
    lines = ["Slutbetyg årskurs 9 – andel behöriga till gymnasieskolans yrkesprogram och "
             "genomsnittligt meritvärde, Halmstad, 2020–2023",
             ";".join(header)]
    marks = []
    for u in units:
        for y in YEARS:
            if y < u["since"] or (u["name"], y) in SKOLVERKET_MISSING:
                beh = mer = "."
                marks.append(dict(line=len(lines) + 1, school=u["name"], year=y, value="."))
            elif (u["name"], y) in SKOLVERKET_SUPPRESSED:
                beh = mer = ".."
                marks.append(dict(line=len(lines) + 1, school=u["name"], year=y, value=".."))
            else:
                b = min(100.0, max(40.0, u["level"] + rng.uniform(-4, 4)))
                m = 150 + (b - 40) * 1.75 + rng.uniform(-8, 8)
                beh, mer = sv_decimal(b), sv_decimal(m)
            lines.append(";".join([u["code"], u["name"], "Halmstad", str(y), beh, mer]))
    path = os.path.join(ensure_dir("schools"), "skolverket_behorighet.csv")
    with open(path, "wb") as f:
        f.write(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return dict(file=os.path.relpath(path, ROOT), data_rows=len(lines) - 2, markers=marks)


SCHOOL_DAYS_2023 = {1: 16, 2: 15, 3: 23, 4: 15, 5: 19, 6: 10, 8: 8, 9: 21, 10: 18, 11: 21, 12: 15}
ABSENCE_SEASON = {1: 1.15, 2: 1.20, 3: 1.10, 4: 0.95, 5: 0.90, 6: 1.05, 8: 0.85,
                  9: 0.85, 10: 1.00, 11: 1.05, 12: 1.15}


def franvaro(units):
    rng = random.Random(SEED + 8)
    ns = "urn:x-lagesbild:ss12000:aggregatedattendance:1"
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<aggregatedAttendanceExport xmlns="{ns}" organisation="Halmstads kommun, '
           'Barn- och ungdomsförvaltningen" source="SS 12000 aggregatedAttendance (summerad per '
           'skolenhet och månad)" exportDate="2024-01-12" unit="minutes">']
    count = 0
    for u in units:
        valid_base = 0.075 + (0.02 if u["district"] in ("Andersberg", "Vallås") else 0.0)
        invalid_base = 0.012 + (0.012 if u["district"] in ("Andersberg", "Vallås", "Centrum") else 0.0)
        for month, days in SCHOOL_DAYS_2023.items():
            students = u["pupils"] + rng.randint(-6, 6)
            offered = students * days * 330
            valid = round(offered * valid_base * ABSENCE_SEASON[month] * (1 + rng.uniform(-0.1, 0.1)))
            invalid = round(offered * invalid_base * (1 + rng.uniform(-0.2, 0.2)))
            other = round(offered * rng.uniform(0.002, 0.006))
            attendance = offered - valid - invalid - other
            reported = round(offered * rng.uniform(0.975, 0.998))
            last = calendar.monthrange(2023, month)[1]
            out += [
                "  <aggregatedAttendance>",
                f"    <schoolUnit><schoolUnitCode>{u['code']}</schoolUnitCode>"
                f"<displayName>{u['name']}</displayName></schoolUnit>",
                "    <schoolType>GR</schoolType>",
                f"    <month>2023-{month:02d}</month>",
                f"    <startDate>2023-{month:02d}-01</startDate>",
                f"    <endDate>2023-{month:02d}-{last:02d}</endDate>",
                f"    <numberOfStudents>{students}</numberOfStudents>",
                f"    <offeredSum>{offered}</offeredSum>",
                f"    <reportedSum>{reported}</reportedSum>",
                f"    <attendanceSum>{attendance}</attendanceSum>",
                f"    <validAbsenceSum>{valid}</validAbsenceSum>",
                f"    <invalidAbsenceSum>{invalid}</invalidAbsenceSum>",
                f"    <otherAttendanceSum>{other}</otherAttendanceSum>",
                "  </aggregatedAttendance>",
            ]
            count += 1
    out.append("</aggregatedAttendanceExport>")
    path = os.path.join(ensure_dir("schools"), "franvaro_ss12000.xml")
    with open(path, "wb") as f:
        f.write(("\n".join(out) + "\n").encode("utf-8"))
    return dict(file=os.path.relpath(path, ROOT), elements=count)


SKOLENKAT_XX = ("Kvibille skola", "Åk 5", 2022)


def skolenkaten(units):
    rng = random.Random(SEED + 9)
    header = ["Skolenhetskod", "Skolenhet", "Årskurs", "År",
              "Trygghet (andel positiva)", "Studiero (andel positiva)", "Antal svarande"]
    lines = ["\t".join(header)]
    mark = None
    for u in units:
        base_t = 0.78 + (u["level"] - 80) / 200
        for grade in ("Åk 5", "Åk 9"):
            for y in (2021, 2022, 2023):
                if y < u["since"]:
                    continue
                n = max(5, round(u["pupils"] / 9 * rng.uniform(0.75, 0.95)))
                t = min(0.99, base_t + (0.06 if grade == "Åk 5" else -0.04) + rng.uniform(-0.04, 0.04))
                s = min(0.95, t - 0.18 + rng.uniform(-0.05, 0.05))
                if (u["name"], grade, y) == SKOLENKAT_XX:
                    ts, ss, n = "XX", "XX", 4
                    mark = len(lines) + 1
                else:
                    ts = sv_decimal(t * 100) + " %"
                    ss = sv_decimal(s * 100) + " %"
                lines.append("\t".join([u["code"], u["name"], grade, str(y), ts, ss, str(n)]))
    path = os.path.join(ensure_dir("schools"), "skolenkaten.csv")
    with open(path, "wb") as f:
        f.write(b"\xff\xfe" + ("\r\n".join(lines) + "\r\n").encode("utf-16-le"))
    return dict(file=os.path.relpath(path, ROOT), data_rows=len(lines) - 1, xx_line=mark)


# ---------------------------------------------------------------------------

def main():
    assert luhn_ok("8504121230"), "synthetic personal identity number must pass the check digit"
    scb = read_scb()
    areas = write_areas(scb)
    codes, cats = load_codes()
    expected = dict(
        generator="tools/generate_sample_data.py", seed=SEED,
        note="Counts for the synthetic police exports. A good row has 10 fields, a crime code "
             "that exists in Pipelines/codelists/brottskoder.csv and a real calendar date. "
             "'line' is the physical line number in the file (header = line 1; embedded line "
             "breaks inside quoted Fritext count as lines); 'record' is the 1-based data record.",
        police={},
    )
    for y in YEARS:
        expected["police"][str(y)] = police_year(y, codes, cats)
    expected["population"] = population()
    expected["bra_sol"] = bra_sol()
    expected["trygghetsmatning"] = trygghet()
    expected["alkoholtillsyn"] = [alkohol(2022, scb), alkohol(2023, scb)]
    units = school_units()
    expected["skolverket"] = skolverket(units)
    expected["franvaro"] = franvaro(units)
    expected["skolenkaten"] = skolenkaten(units)
    expected["areas"] = areas
    with open(os.path.join(SAMPLE, "expected_counts.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump(expected, f, ensure_ascii=False, indent=2)
        f.write("\n")
    for y in YEARS:
        p = expected["police"][str(y)]
        print(f"police {y}: {p['records']} records, {p['good_rows']} good, bad at lines "
              f"{[b['line'] for b in p['bad_rows']]}")
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
