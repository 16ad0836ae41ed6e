#!/usr/bin/env python3
"""Writes the synthetic workbook and JSON samples for Halmstad, byte for byte the same on every run.

    python3 tools/generate_format_samples.py

- SampleData/bra/anmalda_brott_halmstad.xlsx: a Brå-style table saved from Excel. Sheet 'Info' first
  (so the pipeline names the sheet), then 'Tabell1': a title row merged across the table, an empty row,
  a two-row header (Region, Brottstyp and År merged down over both rows; 'Anmälda brott' merged across
  'Antal' and 'Per 100 000 inv.'), data rows with shared strings, whole and decimal numbers, formulas
  with cached values and a '..' marker as an inline string, then an empty row and a source note.
- SampleData/kolada/kolada_N07403.json: a Kolada v3 answer for N07403 (reported violent crimes per
  100 000 inhabitants) for Halmstad (1380), Hallands län (0013) and Sweden (0000), 2020-2023.
- SampleData/population/befolkning_scb_api.json: a JSON-stat 2.0 answer of SCB's PxWebApi 2: population
  31 December for 00, 13 and 1380, 2020-2023 (the real totals, as in befolkning_halmstad.csv).

Standard library only. Every number but the population totals is invented.
"""

import json
import os
import zipfile
from xml.sax.saxutils import escape

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
YEARS = [2020, 2021, 2022, 2023]
POPULATION = {
    "Halmstad": [103754, 104573, 105148, 105796],
    "Hallands län": [336212, 339811, 342805, 343746],
    "Hela landet": [10379295, 10452326, 10521556, 10551707],
}
REPORTED = {
    ("Halmstad", "Olaga hot"): [812, 845, 903, 877],
    ("Halmstad", "Ofredande"): [402, 388, 420, 415],
    ("Hallands län", "Olaga hot"): [2640, 2702, 2851, 2790],
    ("Hallands län", "Ofredande"): [1301, 1275, 1344, 1322],
    ("Hela landet", "Olaga hot"): [96210, 98342, 101567, 99874],
    ("Hela landet", "Ofredande"): [41210, 40876, 42354, None],  # None: '..' (not published)
}

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
NS_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


class Strings:
    """The shared string table; rich text items are kept as given."""

    def __init__(self):
        self.items = []
        self.index = {}

    def add(self, text, rich=None):
        key = rich or text
        if key not in self.index:
            self.index[key] = len(self.items)
            self.items.append(rich or "<t>%s</t>" % escape(text))
        return self.index[key]

    def xml(self):
        body = "".join("<si>%s</si>" % item for item in self.items)
        return '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst %s count="%d" uniqueCount="%d">%s</sst>' % (
            NS, len(self.items), len(self.items), body)


def cell(ref, value, strings, style=0):
    if value is None:
        return ""
    if isinstance(value, str):
        return '<c r="%s" t="s"%s><v>%d</v></c>' % (ref, ' s="%d"' % style if style else "", strings.add(value))
    return '<c r="%s"%s><v>%s</v></c>' % (ref, ' s="%d"' % style if style else "", value)


def row(number, cells):
    return '<row r="%d">%s</row>' % (number, "".join(cells))


def sheet(rows, merges=()):
    merge_xml = ""
    if merges:
        merge_xml = '<mergeCells count="%d">%s</mergeCells>' % (
            len(merges), "".join('<mergeCell ref="%s"/>' % m for m in merges))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet %s %s><sheetData>%s</sheetData>%s'
            '</worksheet>') % (NS, NS_R, "".join(rows), merge_xml)


def workbook_xlsx(path):
    strings = Strings()
    info = sheet([
        row(1, [cell("A1", "Källa", strings), cell("B1", "Brå, kriminalstatistik (syntetiska siffror)", strings)]),
        row(2, [cell("A2", "Uttaget", strings), cell("B2", 45299, strings, style=1)]),  # 2024-01-08
    ])
    title = ('<r><rPr><b/></rPr><t xml:space="preserve">Anmälda brott </t></r>'
             '<r><t>i Halmstad, Hallands län och hela landet 2020–2023</t></r>')
    rows = [
        row(1, ['<c r="A1" t="s" s="4"><v>%d</v></c>' % strings.add(None, rich=title)]),
        row(3, [cell("A3", "Region", strings), cell("B3", "Brottstyp", strings), cell("C3", "År", strings),
                cell("D3", "Anmälda brott", strings)]),
        row(4, [cell("D4", "Antal", strings), cell("E4", "Per 100 000 inv.", strings)]),
    ]
    number = 5
    for (region, crime), counts in REPORTED.items():
        for year, count, population in zip(YEARS, counts, POPULATION[region]):
            cells = [cell("A%d" % number, region, strings), cell("B%d" % number, crime, strings),
                     cell("C%d" % number, year, strings)]
            if count is None:
                cells.append('<c r="D%d" t="inlineStr"><is><t>..</t></is></c>' % number)
                cells.append('<c r="E%d" t="inlineStr"><is><t>..</t></is></c>' % number)
            else:
                rate = round(count / population * 100000, 1)
                cells.append(cell("D%d" % number, count, strings, style=2))
                # A formula with its cached value, as Excel saves it.
                cells.append('<c r="E%d" s="3"><f>ROUND(D%d/%d*100000,1)</f><v>%s</v></c>' % (
                    number, number, population, repr(rate)))
            rows.append(row(number, cells))
            number += 1
    rows.append(row(number + 1, [cell("A%d" % (number + 1), "Källa: Brå. Siffrorna är syntetiska.", strings)]))
    table = sheet(rows, merges=["A1:E1", "A3:A4", "B3:B4", "C3:C4", "D3:E3"])
    styles = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet %s>'
              '<numFmts count="1"><numFmt numFmtId="164" formatCode="#,##0.0"/></numFmts>'
              '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/>'
              '<name val="Calibri"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill>'
              '</fills><borders count="1"><border/></borders>'
              '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
              '<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
              '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
              '<xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
              '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
              '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
              '</styleSheet>') % NS
    parts = [
        ("[Content_Types].xml",
         '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
         '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
         '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
         '<Default Extension="xml" ContentType="application/xml"/>'
         '<Override PartName="/xl/workbook.xml" '
         'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
         '<Override PartName="/xl/worksheets/sheet1.xml" '
         'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
         '<Override PartName="/xl/worksheets/sheet2.xml" '
         'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
         '<Override PartName="/xl/styles.xml" '
         'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
         '<Override PartName="/xl/sharedStrings.xml" '
         'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
         '</Types>'),
        ("_rels/.rels",
         '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
         'officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        ("xl/workbook.xml",
         '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook %s %s><workbookPr/>'
         '<sheets><sheet name="Info" sheetId="1" r:id="rId1"/><sheet name="Tabell1" sheetId="2" r:id="rId2"/>'
         '</sheets></workbook>' % (NS, NS_R)),
        ("xl/_rels/workbook.xml.rels",
         '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
         'worksheet" Target="worksheets/sheet1.xml"/>'
         '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
         'worksheet" Target="worksheets/sheet2.xml"/>'
         '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
         'styles" Target="styles.xml"/>'
         '<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
         'sharedStrings" Target="sharedStrings.xml"/></Relationships>'),
        ("xl/worksheets/sheet1.xml", info),
        ("xl/worksheets/sheet2.xml", table),
        ("xl/styles.xml", styles),
        ("xl/sharedStrings.xml", strings.xml()),
    ]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts:
            info_entry = zipfile.ZipInfo(name, date_time=(2024, 1, 8, 0, 0, 0))
            info_entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info_entry, text.encode("utf-8"))


def kolada_json(path):
    values = {
        "1380": [1004.3, 978.1, 1012.5, 965.2],
        "0013": [912.4, 880.0, 901.7, 873.3],
        "0000": [1125.6, 1098.2, 1120.4, 1087.9],
    }
    items = []
    for municipality, series in values.items():
        for year, value in zip(YEARS, series):
            items.append({
                "kpi": "N07403",
                "municipality": municipality,
                "period": year,
                "values": [
                    {"gender": "T", "count": 1, "status": "", "value": value},
                    {"gender": "K", "count": 0, "status": "Missing", "value": None},
                    {"gender": "M", "count": 0, "status": "Missing", "value": None},
                ],
            })
    answer = {"count": len(items), "values": items, "next_url": None, "previous_url": None}
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        json.dump(answer, out, ensure_ascii=False, indent=1)
        out.write("\n")


def jsonstat_json(path):
    regions = {"00": "Riket", "13": "Hallands län", "1380": "Halmstad"}
    totals = [POPULATION["Hela landet"], POPULATION["Hallands län"], POPULATION["Halmstad"]]
    dataset = {
        "version": "2.0",
        "class": "dataset",
        "label": "Folkmängden efter region och år (syntetiskt svar med verkliga totaler)",
        "source": "SCB",
        "updated": "2024-02-22T07:00:00Z",
        "id": ["Region", "ContentsCode", "Tid"],
        "size": [3, 1, 4],
        "dimension": {
            "Region": {"label": "region",
                       "category": {"index": {code: i for i, code in enumerate(regions)}, "label": regions}},
            # One category: JSON-stat allows the index to be left out.
            "ContentsCode": {"label": "tabellinnehåll", "category": {"label": {"BE0101N1": "Folkmängd"}}},
            "Tid": {"label": "år", "category": {"index": [str(y) for y in YEARS],
                                                "label": {str(y): str(y) for y in YEARS}}},
        },
        "value": [value for series in totals for value in series],
        "role": {"time": ["Tid"], "metric": ["ContentsCode"], "geo": ["Region"]},
    }
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        json.dump(dataset, out, ensure_ascii=False, indent=1)
        out.write("\n")


if __name__ == "__main__":
    workbook_xlsx(os.path.join(ROOT, "SampleData/bra/anmalda_brott_halmstad.xlsx"))
    kolada_json(os.path.join(ROOT, "SampleData/kolada/kolada_N07403.json"))
    jsonstat_json(os.path.join(ROOT, "SampleData/population/befolkning_scb_api.json"))
