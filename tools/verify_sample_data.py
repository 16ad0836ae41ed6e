#!/usr/bin/env python3
"""Read every code list and sample export back with its stated encoding and
check layout, sums and the planted bad rows against SampleData/expected_counts.json.

Standard library only:  python3 tools/verify_sample_data.py
Exits with status 1 and prints the failures if anything is off.
"""

import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CL = os.path.join(ROOT, "Pipelines", "codelists")
SD = os.path.join(ROOT, "SampleData")
BRA_SHA256 = "4edb00a31fa1510a2d43172e017566a3bbb1c519e71ab707489432c0cc69b31f"
YEARS = [2020, 2021, 2022, 2023]
FAIL = []


def check(cond, msg):
    if not cond:
        FAIL.append(msg)
    return cond


def raw(path):
    with open(path, "rb") as f:
        return f.read()


def codelists():
    b = raw(os.path.join(CL, "brottskoder.csv"))
    check(hashlib.sha256(b).hexdigest() == BRA_SHA256, "brottskoder.csv differs from Brå's list")
    codes = {r["brottskod"]: r for r in csv.DictReader(io.StringIO(b.decode("utf-8")), delimiter=";")}
    check(len(codes) == 1361, f"brottskoder: {len(codes)} codes")

    text = raw(os.path.join(CL, "crime_categories.csv")).decode("utf-8")
    check("\r" not in text, "crime_categories: CR found")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    cats = {}
    for r in rows:
        check(r["crime_code"] in codes, f"crime_categories: unknown code {r['crime_code']}")
        cats.setdefault(r["category"], set()).add(r["crime_code"])
    check(len(rows) == sum(len(v) for v in cats.values()), "crime_categories: duplicate rows")
    check(set(cats) == {"vald", "misshandel", "ran", "bostadsinbrott", "fordonsbrott", "skadegorelse",
                        "klotter", "narkotika", "vald_mot_tjansteman", "bedrageri"}, "categories")
    check(cats["misshandel"] <= cats["vald"] and cats["ran"] <= cats["vald"], "vald must hold misshandel and rån")
    check(cats["klotter"] <= cats["skadegorelse"], "skadegörelse must hold klotter")
    check({"1208", "1209"} <= cats["klotter"], "klotter 1208/1209")
    check({"5004", "5005", "5010", "5011"} <= cats["narkotika"], "narkotika codes")

    text = raw(os.path.join(CL, "areas_halmstad.csv")).decode("utf-8")
    areas = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    by = {a["code"]: a for a in areas}
    check(len(by) == len(areas), "areas: duplicate codes")
    levels = {}
    for a in areas:
        levels.setdefault(a["level"], []).append(a)
        if a["level"] != "country":
            check(a["parent"] in by, f"areas: parent of {a['code']} missing")
    check(len(levels["county"]) == 21 and len(levels["municipality"]) == 290, "areas: counts")
    with open("/work/shared/data/scb_kommuner_lan.csv", encoding="utf-8") as f:
        scb = list(csv.DictReader(f))
    for r in scb:
        a = by.get(r["municipality_code"])
        check(a and a["name"] == r["municipality_name"] and a["parent"] == r["county_code"],
              f"areas: municipality {r['municipality_code']}")
        check(by[r["county_code"]]["name"] == r["county_name"], f"areas: county {r['county_code']}")
    check(by["13"]["aliases"].split("|")[:2] == ["0013", "Halland"], "areas: Halland aliases")
    check(len(levels["district"]) == 12, "areas: 12 districts")
    deso = levels["deso"]
    for d in deso:
        check(re.fullmatch(r"1380[ABC]\d{4}", d["code"]), f"deso code {d['code']}")
        check(by[d["parent"]]["level"] == "district", f"deso parent {d['code']}")
    active = [d for d in deso if "(upphörd" not in d["name"]]
    xw = list(csv.DictReader(io.StringIO(raw(os.path.join(CL, "deso_crosswalk.csv")).decode("utf-8")),
                             delimiter=";"))
    new_codes = {r["new_code"] for r in xw}
    old_codes = {r["old_code"] for r in xw}
    for r in xw:
        check(r["old_code"] in by and by[r["old_code"]]["name"].endswith("(upphörd 2024)"), "crosswalk old")
        check(r["new_code"] in by and "(upphörd" not in by[r["new_code"]]["name"], "crosswalk new")
    for o in old_codes:
        s = sum(float(r["share"]) for r in xw if r["old_code"] == o)
        check(abs(s - 1.0) < 1e-9, f"crosswalk shares of {o} sum to {s}")
    pre2024 = [d for d in deso if d["code"] not in new_codes]
    for dist in levels["district"]:
        n = sum(1 for d in pre2024 if d["parent"] == dist["code"])
        check(2 <= n <= 6, f"district {dist['name']} has {n} DeSO before 2024")
    return codes, cats, {a["name"]: a for a in levels["district"]}, pre2024, len(deso), len(active)


def police(codes, expected, districts, deso):
    deso_parent = {d["code"]: d["parent"] for d in deso}
    for y in YEARS:
        exp = expected["police"][str(y)]
        b = raw(os.path.join(ROOT, exp["file"]))
        check(b"\xc4" in b and b"\xe5" in b and b"\xf6" in b, f"police {y}: no cp1252 bytes Ä/å/ö")
        check(b"\xc3" not in b, f"police {y}: looks like UTF-8")
        text = b.decode("cp1252")
        check(text.startswith("Ärendenummer;Brottskod;Brottsdatum;Klockslag;Område;DeSO;X;Y;Plats;Fritext\r\n"),
              f"police {y}: header")
        check(text.count("\r\n") == exp["records"] + 1, f"police {y}: CRLF count")
        check(len(text.split("\n")) - 1 == exp["physical_lines_including_header"], f"police {y}: physical lines")
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
        header, data = records[0], records[1:]
        check(len(data) == exp["records"], f"police {y}: records {len(data)}")
        good, bad = 0, []
        # physical line of each record
        lines = text.split("\r\n")
        line_no, starts = 1, []
        for rec_text in lines[1:-1]:
            line_no += 1
            starts.append(line_no)
            line_no += rec_text.count("\n")
        for i, r in enumerate(data):
            ok = len(r) == 10
            ok = ok and r[1] in codes
            try:
                ok = ok and dt.date.fromisoformat(r[2]).year == y
            except ValueError:
                ok = False
            if not ok:
                bad.append(starts[i])
                continue
            good += 1
            check(re.fullmatch(r"5000-K\d{6}-%02d" % (y % 100), r[0]), f"police {y}: case {r[0]}")
            check(re.fullmatch(r"\d{4}", r[1]) and not codes[r[1]]["upphord"], f"police {y}: code {r[1]}")
            check(r[3] == "" or re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", r[3]), f"police {y}: time {r[3]}")
            check(r[4] == "" or r[4] in districts, f"police {y}: area {r[4]}")
            if r[5]:
                check(deso_parent.get(r[5]) == districts[r[4]]["code"], f"police {y}: deso {r[5]} not in {r[4]}")
            if r[6]:
                check(365000 <= int(r[6]) <= 385000 and 6270000 <= int(r[7]) <= 6295000, f"police {y}: xy")
            check(r[8] in ("", "Inomhus", "Utomhus"), f"police {y}: plats {r[8]}")
            check(not re.search(r"\d{6}-?\d{4}", r[9]), f"police {y}: PNR-like text in a good row")
        check(good == exp["good_rows"], f"police {y}: good {good} != {exp['good_rows']}")
        check(bad == [b["line"] for b in exp["bad_rows"]], f"police {y}: bad lines {bad}")
        if y == 2022:
            check("850412-1230" in text, "police 2022: PNR row missing")


def population():
    b = raw(os.path.join(SD, "population", "befolkning_halmstad.csv"))
    check(b"\xe5" in b and b"\xf6" in b, "population: no latin-1 å/ö")
    text = b.decode("iso-8859-1")
    lines = text.split("\r\n")
    check(lines[0] == '"Folkmängden efter region, ålder, kön och år"' and lines[1] == "", "population: title")
    check(lines[2] == '"region","ålder","kön","2020","2021","2022","2023"', "population: header")
    rows = list(csv.reader(io.StringIO("\r\n".join(lines[2:]), newline="")))
    check(all(l == "" or (l.startswith('"') and l.endswith('"')) for l in lines[2:]), "population: unquoted field")
    data = {}
    for r in rows[1:]:
        if not r:
            continue
        data[(r[0], r[1], r[2])] = [int(v) for v in r[3:]]
    regions = sorted({k[0] for k in data})
    ages = ["0-14 år", "15-24 år", "25-44 år", "45-64 år", "65+ år"]
    for reg in regions:
        for yi in range(4):
            for sex in ("män", "kvinnor", "totalt"):
                s = sum(data[(reg, a, sex)][yi] for a in ages)
                check(s == data[(reg, "totalt ålder", sex)][yi], f"population: ages {reg} {sex}")
            for a in ages + ["totalt ålder"]:
                check(data[(reg, a, "män")][yi] + data[(reg, a, "kvinnor")][yi] == data[(reg, a, "totalt")][yi],
                      f"population: sex {reg} {a}")
    tot = lambda reg: data[(reg, "totalt ålder", "totalt")]
    check(tot("1380 Halmstad") == [103754, 104573, 105148, 105796], "population: Halmstad totals")
    check(tot("13 Hallands län")[2:] == [342805, 343746], "population: Halland totals")
    check(tot("00 Riket") == [10379295, 10452326, 10521556, 10551707], "population: Riket")
    deso = [r for r in regions if re.fullmatch(r"1380[ABC]\d{4} Halmstad", r)]
    for yi in range(4):
        check(sum(tot(r)[yi] for r in deso) == tot("1380 Halmstad")[yi], "population: DeSO sum")
        for r in deso:
            check(700 <= tot(r)[yi] <= 2700, f"population: DeSO size {r}")
    return len(deso)


def sol():
    b = raw(os.path.join(SD, "bra", "anmalda_brott_sol.csv"))
    check(b"\xa0" in b and b"\xe4" in b and b"\xe5" in b, "SOL: no 0xA0 / ä / å bytes")
    text = b.decode("cp1252")
    lines = text.split("\r\n")
    check(lines[0] == "Anmälda brott, antal och per 100 000 invånare;;;;;;;;;", "SOL: title")
    check(lines[1] == "Region;Brottstyp;2020 Antal;2020 Per 100 000 inv.;2021 Antal;2021 Per 100 000 inv.;"
          "2022 Antal;2022 Per 100 000 inv.;2023 Antal;2023 Per 100 000 inv.", "SOL: header")
    for l in lines[2:-1]:
        f = l.split(";")
        check(len(f) == 10, "SOL: field count")
        for v in f[2:]:
            check(v in ("..", "-") or re.fullmatch(r"\d{1,3}(\xa0\d{3})*(,\d)?", v), f"SOL: value {v!r}")
    check(text.count(";..;") >= 2 and ";-;" in text, "SOL: markers")


def simple_csvs():
    b = raw(os.path.join(SD, "police", "trygghetsmatning_halmstad.csv"))
    check(b.startswith(b"\xef\xbb\xbf"), "trygghet: BOM")
    text = b.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    check(rows[0] == ["Område", "År", "Problemindex", "Antal svarande"], "trygghet: header")
    check(len(rows) == 49 and sum(1 for r in rows if r[2] == "..") == 2, "trygghet: rows/markers")
    for r in rows[1:]:
        if r[2] != "..":
            check(0 <= float(r[2].replace(",", ".")) <= 6 and "," in r[2], "trygghet: index")

    b = raw(os.path.join(SD, "schools", "skolverket_behorighet.csv"))
    check(b"\xe5" in b and b"\xf6" in b and b"\x96" in b, "skolverket: cp1252 bytes")
    text = b.decode("cp1252")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    check(len(rows[0]) == 1 and rows[1][0] == "Skolenhetskod", "skolverket: title+header")
    check(any(r[4] == "." for r in rows[2:]) and any(r[4] == ".." for r in rows[2:]), "skolverket: markers")
    check(all(re.fullmatch(r"\d{8}", r[0]) for r in rows[2:]), "skolverket: codes")

    b = raw(os.path.join(SD, "schools", "skolenkaten.csv"))
    check(b.startswith(b"\xff\xfe"), "skolenkät: BOM")
    text = b[2:].decode("utf-16-le")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter="\t"))
    check(rows[0][2] == "Årskurs" and all(len(r) == 7 for r in rows), "skolenkät: layout")
    check(sum(r.count("XX") for r in rows) >= 1, "skolenkät: XX")
    check({r[2] for r in rows[1:]} == {"Åk 5", "Åk 9"}, "skolenkät: grades")


def xmls():
    for y in (2022, 2023):
        p = os.path.join(SD, "county-board", f"alkoholtillsyn_{y}.xml")
        b = raw(p)
        check(b"<![CDATA[" in b and "å".encode() in b, f"alkohol {y}: CDATA/åäö")
        root = ET.fromstring(b)
        ns = {"lst": "urn:se:lansstyrelsen:alkoholtillsyn:1"}
        check(root.tag == "{urn:se:lansstyrelsen:alkoholtillsyn:1}Export" and root.get("ar") == str(y), "alkohol root")
        k = root.findall("lst:Kommun", ns)
        check(len(k) == 6 and all(len(x.findall("lst:Uppgift", ns)) == 3 for x in k), f"alkohol {y}: layout")
    root = ET.parse(os.path.join(SD, "schools", "franvaro_ss12000.xml")).getroot()
    ns = {"a": "urn:x-lagesbild:ss12000:aggregatedattendance:1"}
    els = root.findall("a:aggregatedAttendance", ns)
    check(len(els) == 12 * 11, f"franvaro: {len(els)} elements")
    for e in els:
        g = lambda t: int(e.find(f"a:{t}", ns).text)
        check(g("attendanceSum") + g("validAbsenceSum") + g("invalidAbsenceSum") + g("otherAttendanceSum")
              == g("offeredSum"), "franvaro: sums")


def main():
    with open(os.path.join(SD, "expected_counts.json"), encoding="utf-8") as f:
        expected = json.load(f)
    codes, cats, districts, deso, n_deso, n_active = codelists()
    police(codes, expected, districts, deso)
    n_pop_deso = population()
    check(n_pop_deso == len(deso), "population: DeSO list differs from the area list (pre-2024)")
    sol()
    simple_csvs()
    xmls()
    size = sum(os.path.getsize(os.path.join(dp, f)) for dp, _, fs in os.walk(SD) for f in fs)
    check(size < 2_000_000, f"SampleData is {size} bytes")
    if FAIL:
        print("FAILED:")
        for m in FAIL[:50]:
            print("  " + m)
        return 1
    print(f"all checks passed; SampleData {size} bytes; DeSO in area list {n_deso} "
          f"({len(deso)} valid 2020-2023, {n_active} valid from 2024)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
