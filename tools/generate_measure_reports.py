#!/usr/bin/env python3
"""Write the synthetic status reports of Halmstad's action plan measures (SampleData/atgarder/).

One file per quarter, 2022K1-2023K4, as the measure owners save them from Swedish Excel: semicolons,
decimal comma, thousands with a space, CRLF; 2022 as "CSV (semikolonavgränsad)" in Windows-1252, 2023
as "CSV UTF-8" with a byte-order mark. No randomness: the numbers are written out below, so the files
are the same on every run. What is planted (see SampleData/README.md, "atgarder"):

- M02 is late (försenad) in 2023K3 and 2023K4;
- M06 has no report for the latest quarter, 2023K4;
- a comment of M04 in 2023K2 holds a fake personal identity number (19850412-1234), which must come
  out masked;
- three bad rows: M03 reporting on 2021K4 (before it started, in the 2022K1 file), an unknown measure
  M99 (2023K2) and a status word not in the list, "nästan klar" (M07, 2023K3).

Standard library only:  python3 tools/generate_measure_reports.py
"""

import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FOLDER = os.path.join(ROOT, "SampleData", "atgarder")
HEADER = ["Åtgärd", "Period", "Status", "Prestation", "Antal", "Timmar", "Kostnad (kr)", "Kommentar"]
QUARTERS = [f"{year}K{quarter}" for year in (2022, 2023) for quarter in (1, 2, 3, 4)]

# Measure → (output name, outputs per quarter over the 8 quarters, hours per quarter, cost per quarter).
# None: no report that quarter.
MEASURES = {
    "M01": ("trygghetsvandringar", [3, 3, 2, 4, 3, 2, 3, 3], [75, 80.5, 70, 74.5, 75, 75, 75, 75], [22500] * 8),
    "M02": ("tillsynsbesök nattetid", [10, 11, 9, 10, 10, 10, 4, 3], [130] * 8, [65000] * 6 + [30000, 25000]),
    "M03": ("nya belysningspunkter", [4, 8, 7, 6, 5, 9, 6, 5], [None] * 8, [280000, 310000, 300000, 310000] * 2),
    "M04": ("nattvandringspass", [18, 22, 24, 16, 19, 21, 25, 17], [36, 40, 42, 32, 37, 38.5, 41, 33.5], [15000] * 8),
    "M05": ("kvällar med öppet efter kl. 21", [24, 25, 26, 25, 25, 24, 25, 26], [450] * 8, [237500] * 8),
    "M06": ("samverkansmöten", [2, 3, 2, 3, 2, 3, 2, None], [50] * 8, [30000] * 8),
    "M07": ("saneringar", [35, 41, 39, 33, 38, 40, None, 36], [None] * 8, [100000] * 8),
    "M08": ("skolor med rastvärdar", [3, 3, 2, 4, 3, 3, 3, 3], [600] * 8, [275000] * 8),
    "ML1": ("dialogmöten", [1, 1, 1, 1, 1, 1, 1, 1], [100] * 8, [None] * 8),
    "ML2": ("trygghetsvandringar", [0, 2, 1, 2, 1, 2, 1, 2], [20, 30, 30, 30, 30, 30, 30, 30], [None] * 8),
}

STATUS = {("M02", "2023K3"): "försenad", ("M02", "2023K4"): "försenad", ("M03", "2023K4"): "genomförd",
          ("ML2", "2022K1"): "ej påbörjad", ("M01", "2022K2"): "Pågår"}

COMMENTS = {
    ("M02", "2023K3"): "Två av tre tillsynsinspektörer sjukskrivna; besöken återupptas i februari.",
    ("M02", "2023K4"): "Fortsatt underbemanning. Ny inspektör börjar 2024-02-01.",
    ("M03", "2023K4"): "Sista etappen på Storgatan klar i november.",
    ("M04", "2023K2"): "Kontaktperson 19850412-1234 har slutat; föreningen utser en ny.",
    ("M01", "2022K3"): "Färre vandringar under semestern.",
    ("ML2", "2022K1"): "Löftet undertecknat 1 mars; första vandringen i april.",
}

# Rows that normalize must quarantine: (file quarter, row fields).
BAD_ROWS = {
    "2022K1": [["M03", "2021K4", "genomförd", "nya belysningspunkter", "3", "", "90 000", "Förstudie hösten 2021."]],
    "2023K2": [["M99", "2023K2", "pågår", "", "5", "10", "", "Okänd åtgärd."]],
    "2023K3": [["M07", "2023K3", "nästan klar", "saneringar", "37", "", "100 000", ""]],
}


def number(value):
    """A number as Swedish Excel writes it: decimal comma, thousands separated by a space."""
    if value is None:
        return ""
    if float(value).is_integer():
        whole = int(value)
        return f"{whole:,}".replace(",", " ")
    return str(value).replace(".", ",")


def field(text):
    """A field as Excel writes it: quoted when it holds a semicolon, a quote or a line break."""
    if any(character in text for character in ';"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def main():
    os.makedirs(FOLDER, exist_ok=True)
    for index, quarter in enumerate(QUARTERS):
        rows = [HEADER]
        for measure, (output, counts, hours, costs) in MEASURES.items():
            if counts[index] is None:
                continue
            rows.append([
                measure, quarter, STATUS.get((measure, quarter), "pågår"), output, number(counts[index]),
                number(hours[index]), number(costs[index]), COMMENTS.get((measure, quarter), ""),
            ])
        rows += BAD_ROWS.get(quarter, [])
        text = "".join(";".join(field(cell) for cell in row) + "\r\n" for row in rows)
        path = os.path.join(FOLDER, f"statusrapport_{quarter}.csv")
        if quarter.startswith("2022"):
            data = text.encode("windows-1252")
        else:
            data = b"\xef\xbb\xbf" + text.encode("utf-8")
        with open(path, "wb") as file:
            file.write(data)


if __name__ == "__main__":
    main()
