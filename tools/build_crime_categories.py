#!/usr/bin/env python3
"""Build Pipelines/codelists/crime_categories.csv from the crime-code names in
Pipelines/codelists/brottskoder.csv (Brå's list, copied unchanged).

The rules below match on the *names* (benamning) of the codes, never on a code
prefix alone, because the first two digits of a Brå code only roughly follow the
chapter of Brottsbalken (93xx/94xx hold chapter 3/4 crimes, 98xx chapter 8, ...).
A few rules are additionally restricted to a code group (kodgrupp) where a word
is ambiguous (for example "bedrägeri" outside chapter 9).

The output is an explicit list, one row per (category, code); a code may be in
several categories. Retired codes are included (their end year stays in
brottskoder.csv). The script prints the count per category and, with
--verbose, every code with its name so the result can be reviewed by eye.

Standard library only. Usage:
    python3 tools/build_crime_categories.py [--verbose]
"""

import csv
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CODELISTS = os.path.join(ROOT, "Pipelines", "codelists")
SOURCE = os.path.join(CODELISTS, "brottskoder.csv")
TARGET = os.path.join(CODELISTS, "crime_categories.csv")

# Category ids in output order.
CATEGORIES = [
    "vald",
    "misshandel",
    "ran",
    "bostadsinbrott",
    "fordonsbrott",
    "skadegorelse",
    "klotter",
    "narkotika",
    "vald_mot_tjansteman",
    "bedrageri",
]


def rx(pattern):
    return re.compile(pattern, re.IGNORECASE)


# --- building blocks -------------------------------------------------------

# Assault (misshandel, incl. grov). Names are spelled "Misshandel", "Missh",
# "Grov missh", "Grov misshandel". "Vållande till kroppsskada" is NOT assault
# and does not contain the word, so it is excluded by construction.
MISSHANDEL = rx(r"^(grov\s+)?missh(andel)?\b")

# Attempted murder/manslaughter, incl. the combined codes "Försök, förberedelse,
# stämpling till mord eller dråp" and the old abbreviated "Förs mord/dråp".
# Completed ("Fullbordat", "Fullb"), Barnadråp and Mordbrand are excluded.
FORSOK_MORD = rx(r"^förs(ök)?\b.*\b(mord|dråp)\b")

# Rape incl. aggravated, completed and attempted ("Försök till våldtäkt",
# "Fullbordad våldtäkt", old "Våldtäkt, även grov"). Oaktsam våldtäkt
# (negligent rape, BrB 6:1a, since 2018) is a separate crime and excluded.
VALDTAKT = rx(r"\bvåldtäkt")
OAKTSAM = rx(r"^oaktsam")

# Gross violation of (a woman's) integrity.
GROV_FRIDSKRANKNING = rx(r"^grov\s+(kvinno)?fridskränkning")

# Violence against a public official (chapter 17): only the codes that name
# violence ("Våld mot tjänsteman", "Våld mot tjänstem/polis"). "Hot eller
# förgripelse mot tjänsteman" (1705) is a threat, "Våldsamt motstånd" (1706) a
# different crime, "Förolämpning" an insult: not violent crime.
VALD_MOT_TJM = rx(r"^våld mot tjänstem")
# Violence or threat against a public official (chapter 17 heading
# "våld eller hot mot tjänsteman"): the violence codes plus 1705.
VALD_HOT_TJM = rx(r"^(våld mot tjänstem|hot eller förgripelse mot tjänsteman)")

# Robbery incl. aggravated: the word "rån" on its own or as the last part of a
# compound ("bankrån", "butiksrån"), but not "intrång", "trafikolycksplats".
RAN = rx(r"(^|[\s,(/])(\w*rån)\b")
RAN_WORDS = {"rån", "bankrån", "postrån", "butiksrån", "taxirån"}

# Residential burglary: theft by breaking into a flat, a villa/terraced house
# or another kind of dwelling, completed or attempted. Not holiday homes
# (fritidshus, 0826), not cellars/attics (0825), not firearm theft (0836).
BOSTADSINBROTT = rx(
    r"^(inbrottsstöld\b.*\b(villa|radhus|lägenhet|annan typ av bostad)"
    r"|stöld genom inbrott i lägenhet eller villa)"
)

# Vehicle crime: taking a motor vehicle (car, motorcycle, moped, other motor
# vehicle, lorry) and theft from/out of a motor vehicle. Boats (0805) and
# non-motorised vehicles (bicycles) are excluded; so are firearm theft from a
# vehicle (0838) and diesel theft from a fuel tank (9823).
FORDON_TILLGREPP = rx(
    r"^(tillgrepp (av )?motordr fortskaffningsmedel, (förs till biltillgrepp|fullb biltillgrepp|motorcykel|moped|annat)"
    r"|tillgrepp av lastbil)"
)
FORDON_STOLD_UR = rx(r"^stöld ur (eller|och|/)?\s*(från )?(motordrivet fordon|lastbil)|^stöld ur/från motordrivet fordon")

# Criminal damage incl. graffiti (chapter 12 names). "Tagande av olovlig väg"
# (1204) is in chapter 12 but is not damage.
SKADEGORELSE = rx(r"^(skadegörelse|annan skadegörelse|klotter)")
# Graffiti: names with "klotter" except "(ej klotter)".
KLOTTER = rx(r"klotter")
EJ_KLOTTER = rx(r"ej klotter")

# Narcotics: offences against narkotikastrafflagen (manufacture, supply,
# possession, use; incl. retired 5006/5012). Drug smuggling (40xx/41xx),
# 5001 (lagen om kontroll av narkotika) and drugged driving (3070) are other
# laws and excluded, as in Brå's "narkotikabrott".
NARKOTIKA = rx(r"narkotikastrafflagen|narkstrafflagen")

# Fraud (chapter 9 "bedrägeri"): every chapter-09 code whose name contains a
# form of "bedr" (bedrägeri, bedrägligt beteende, Bedr/grovt bedr, ...).
BEDRAGERI = rx(r"bedr")


def categorise(code, name, group):
    """Return the set of category ids for one code."""
    cats = set()
    n = name.strip()

    is_misshandel = bool(MISSHANDEL.search(n))
    words = {m.group(2).lower() for m in RAN.finditer(n)}
    is_ran = bool(words & RAN_WORDS)
    is_valdtakt = bool(VALDTAKT.search(n)) and not OAKTSAM.search(n)

    if is_misshandel:
        cats.add("misshandel")
    if is_ran:
        cats.add("ran")

    if (
        FORSOK_MORD.search(n)
        or is_misshandel
        or is_valdtakt
        or GROV_FRIDSKRANKNING.search(n)
        or VALD_MOT_TJM.search(n)
        or is_ran
    ):
        cats.add("vald")

    if BOSTADSINBROTT.search(n):
        cats.add("bostadsinbrott")
    if FORDON_TILLGREPP.search(n) or FORDON_STOLD_UR.search(n):
        cats.add("fordonsbrott")
    if SKADEGORELSE.search(n):
        cats.add("skadegorelse")
    if KLOTTER.search(n) and not EJ_KLOTTER.search(n):
        cats.add("klotter")
    if NARKOTIKA.search(n):
        cats.add("narkotika")
    if VALD_HOT_TJM.search(n):
        cats.add("vald_mot_tjansteman")
    if group == "09" and BEDRAGERI.search(n):
        cats.add("bedrageri")
    return cats


def main(argv):
    verbose = "--verbose" in argv or "-v" in argv
    with open(SOURCE, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter=";"))

    per_cat = {c: [] for c in CATEGORIES}
    for r in rows:
        for c in categorise(r["brottskod"], r["benamning"], r["kodgrupp"]):
            per_cat[c].append(r)

    with open(TARGET, "w", encoding="utf-8", newline="") as f:
        f.write("category;crime_code\n")
        for c in CATEGORIES:
            for r in sorted(per_cat[c], key=lambda r: r["brottskod"]):
                f.write(f"{c};{r['brottskod']}\n")

    total = 0
    print(f"{'category':<22}{'codes':>6}{'end_year':>9}{'no_end':>9}")
    for c in CATEGORIES:
        n = len(per_cat[c])
        retired = sum(1 for r in per_cat[c] if r["upphord"].strip())
        total += n
        print(f"{c:<22}{n:>6}{retired:>9}{n - retired:>9}")
    print(f"{'rows written':<22}{total:>6}  -> {os.path.relpath(TARGET, ROOT)}")

    if verbose:
        for c in CATEGORIES:
            print(f"\n== {c} ==")
            for r in sorted(per_cat[c], key=lambda r: r["brottskod"]):
                end = f" [upphörd {r['upphord']}]" if r["upphord"].strip() else ""
                print(f"  {r['brottskod']}  {r['benamning'][:110]}{end}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
