import Report

extension ReportData {
    /// A synthetic, Halmstad-like report with every section filled: for tests, previews and
    /// `scripts/check-report.sh`. The figures are invented; no real person or event is described.
    public static var sample: ReportData {
        ReportData(
            title: "Lägesbild brottslighet Halmstads kommun 2023 (exempeldata)",
            municipality: Municipality(name: "Halmstad", code: "1380", county: "Hallands län"),
            generatedAt: "2024-03-18 06:15",
            runID: "20240318T061500Z-7f3a",
            suppressionThreshold: 5,
            summary: SampleData.summary,
            indicators: SampleData.indicators,
            areas: SampleData.areas,
            patterns: [SampleData.patterns],
            schools: SampleData.schools,
            countyBoard: SampleData.countyBoard,
            sources: SampleData.sources
        )
    }
}

private enum SampleData {
    static let years = (2015...2023).map(String.init)

    /// A series with change, percent change and 3-year moving average derived from the values.
    static func series(
        _ values: [Double?], periods: [String] = years, suppressed: Set<Int> = [],
        ci: [Int: (Double, Double)] = [:], flags: [Int: [PointFlag]] = [:], notes: [Int: String] = [:]
    ) -> [SeriesPoint] {
        var points: [SeriesPoint] = []
        for (index, period) in periods.enumerated() {
            let value = index < values.count ? values[index] : nil
            if suppressed.contains(index) {
                points.append(.suppressed(period, reason: notes[index]))
                continue
            }
            guard let value else {
                points.append(.missing(period, reason: notes[index]))
                continue
            }
            let previous = index > 0 && !suppressed.contains(index - 1) ? values[index - 1] : nil
            let change = previous.map { value - $0 }
            let percent = previous.flatMap { $0 == 0 ? nil : (value - $0) / $0 * 100 }
            var average: Double?
            if index >= 2 {
                let window = (index - 2...index).map { suppressed.contains($0) ? nil : values[$0] }
                if window.allSatisfy({ $0 != nil }) { average = window.compactMap { $0 }.reduce(0, +) / 3 }
            }
            points.append(
                SeriesPoint(
                    period: period, value: value, note: notes[index], changeAbsolute: change, changePercent: percent,
                    movingAverage3: average, ciLow: ci[index]?.0, ciHigh: ci[index]?.1, flags: flags[index] ?? []))
        }
        return points
    }

    static func comparison(_ kind: ComparisonSeries.Kind, _ name: String, _ values: [Double?]) -> ComparisonSeries {
        ComparisonSeries(kind: kind, name: name, points: series(values))
    }

    static let indicators: [IndicatorSection] = [
        IndicatorSection(
            id: "anmalda-brott-totalt", title: "Anmälda brott totalt",
            definition:
                "Samtliga anmälda brott med brottsplats i kommunen, per 100 000 invånare (folkmängd 31 december).",
            unit: "per 100 000 inv.", decimals: 0, better: .lower,
            series: series(
                [12_480, 12_210, 12_650, 12_020, 11_840, 11_310, 11_050, 11_420, 10_960],
                flags: [4: [PointFlag(.seriesBreak, "Ny brottskod för bedrägerier via internet från 2019.")]]),
            seriesName: "Halmstad",
            comparisons: [
                comparison(
                    .county, "Hallands län", [11_350, 11_120, 11_300, 10_980, 10_870, 10_620, 10_410, 10_590, 10_240]),
                comparison(
                    .country, "Riket", [15_020, 15_160, 15_030, 14_900, 15_290, 15_050, 14_350, 14_120, 13_800]),
            ]),
        IndicatorSection(
            id: "valdsbrott", title: "Anmälda våldsbrott",
            definition: "Våldsbrott enligt Koladas nyckeltal N07403: försök till mord och dråp, misshandel, våldtäkt, "
                + "grov fridskränkning, grov kvinnofridskränkning, våld mot tjänsteman och rån, per 100 000 invånare.",
            unit: "per 100 000 inv.", decimals: 0, better: .lower,
            series: series(
                [1_120, 1_098, 1_142, 1_106, 1_089, 1_051, 1_036, 1_074, 1_002],
                flags: [7: [PointFlag(.jump, "Ökningen följer en kampanj om våld i nära relationer.")]]),
            seriesName: "Halmstad",
            comparisons: [
                comparison(.county, "Hallands län", [1_010, 995, 1_020, 990, 978, 951, 944, 962, 931]),
                comparison(.country, "Riket", [1_180, 1_196, 1_212, 1_205, 1_198, 1_170, 1_140, 1_150, 1_121]),
            ]),
        IndicatorSection(
            id: "bostadsinbrott", title: "Bostadsinbrott",
            definition: "Inbrottsstöld i villa, radhus och lägenhet, inklusive försök, per 100 000 invånare.",
            unit: "per 100 000 inv.", decimals: 1, better: .lower,
            series: series(
                [412.5, 398.2, 377.9, 342.1, 310.4, 268.3, nil, 221.7, 209.3],
                notes: [6: "Leveransen för 2021 saknades."]),
            seriesName: "Halmstad",
            comparisons: [
                comparison(.county, "Hallands län", [380.2, 365.0, 351.4, 330.8, 299.5, 260.1, 240.6, 228.0, 215.2])
            ]),
        IndicatorSection(
            id: "ran-centrum", title: "Rån i centrum",
            definition: "Anmälda rån, inklusive grovt rån, med brottsplats i stadsdelen Centrum. Antal.",
            unit: "antal", decimals: 0, better: .lower,
            series: series(
                [14, 11, 9, nil, 8, 6, nil, 7, 9], suppressed: [3, 6],
                notes: [3: "Färre än 5 anmälningar.", 6: "Färre än 5 anmälningar."]),
            seriesName: "Centrum"),
    ]

    static let summary = Summary(
        largestChanges: [
            IndicatorChange(
                indicatorID: "valdsbrott", title: "Anmälda våldsbrott", period: "2023", previousPeriod: "2022",
                value: 1_002, unit: "per 100 000 inv.", decimals: 0, changeAbsolute: -72,
                changePercent: -6.7, better: .lower, test: .beyondChance,
                testNote: "kvot mot föregående år 0,93 (95 % intervall 0,88–0,98)"),
            IndicatorChange(
                indicatorID: "trygghet-ak9", title: "Elever i åk 9 som känner sig trygga", period: "2023",
                previousPeriod: "2022", value: 81.4, unit: "%", changeAbsolute: -3.6, changePercent: -4.2,
                better: .higher, test: .beyondChance, testNote: "skillnad mellan andelarna z = \u{2212}2,41"),
            IndicatorChange(
                indicatorID: "anmalda-brott-totalt", title: "Anmälda brott totalt", period: "2023",
                previousPeriod: "2022", value: 10_960, unit: "per 100 000 inv.", decimals: 0, changeAbsolute: -460,
                changePercent: -4.0, better: .lower, test: .withinNoise,
                testNote: "kvot mot föregående år 0,96 (95 % intervall 0,91–1,01)"),
            IndicatorChange(
                indicatorID: "serveringstillstand", title: "Serveringstillstånd efter kl. 01", period: "2023",
                previousPeriod: "2022", value: 2.4, unit: "per 10 000 inv.", decimals: 1, changeAbsolute: 0.3,
                changePercent: 14.3, better: .lower),
        ],
        targets: [
            TargetFollowUp(
                indicatorID: "valdsbrott", indicatorTitle: "Anmälda våldsbrott", commitment: .actionPlan,
                unit: "per 100 000 inv.", decimals: 0, better: .lower, baselineYear: 2020, baselineValue: 1_051,
                targetYear: 2025, targetValue: 950, latestPeriod: "2023", latestValue: 1_002,
                changeSinceBaseline: -49, status: .onTheWay),
            TargetFollowUp(
                indicatorID: "otrygghet-andersberg", indicatorTitle: "Andel otrygga i Andersberg (trygghetsmätning)",
                commitment: .citizenPromise, unit: "%", better: .lower, baselineYear: 2021, baselineValue: 34.0,
                targetYear: 2024, targetValue: 25.0, latestPeriod: "2023", latestValue: 33.1,
                changeSinceBaseline: -0.9, status: .notOnTheWay, note: "Minskningen är mindre än vad målet kräver."),
            TargetFollowUp(
                indicatorID: "skadegorelse-vallas", indicatorTitle: "Skadegörelse i Vallås",
                commitment: .citizenPromise, unit: "per 1 000 inv.", better: .lower, baselineYear: 2022,
                baselineValue: 18.2, targetYear: 2025, targetValue: 14.0, latestPeriod: nil, latestValue: nil,
                changeSinceBaseline: nil, status: .tooLittleData, note: "Endast ett år efter utgångsläget."),
            TargetFollowUp(
                indicatorID: "behorighet-gy", indicatorTitle: "Elever behöriga till gymnasiet",
                commitment: .actionPlan, unit: "%", better: .higher, baselineYear: 2020, baselineValue: 84.1,
                targetYear: 2026, targetValue: 90.0, latestPeriod: "2023", latestValue: 86.9,
                changeSinceBaseline: 2.8, status: .onTheWay),
        ],
        paragraphs: [
            "Anmälda brott per invånare fortsätter att minska och ligger under riket men över Hallands län. "
                + "Våldsbrotten minskade 2023 efter en tillfällig ökning 2022. Tryggheten bland elever i årskurs 9 "
                + "minskade."
        ])

    static let areas: [AreaRanking] = [
        AreaRanking(
            indicatorID: "vald-offentlig-miljo", indicatorTitle: "Våld i offentlig miljö", period: "2023",
            unit: "per 1 000 inv.", decimals: 1, areaLevel: "stadsdel",
            areas: [
                AreaValue(
                    code: "S01", name: "Centrum", value: 14.2, isHotSpot: true,
                    hotSpotReason: "Högst nivå tre år i rad; nattliv helger."),
                AreaValue(
                    code: "S02", name: "Andersberg", value: 9.8, isHotSpot: true,
                    hotSpotReason: "Medborgarlöfte sedan 2017."),
                AreaValue(
                    code: "S03", name: "Vallås", value: 7.4, isHotSpot: true,
                    hotSpotReason: "Medborgarlöfte sedan 2017."),
                AreaValue(code: "S04", name: "Linehed", value: 5.1),
                AreaValue(code: "S05", name: "Nyhem", value: 4.6),
                AreaValue(code: "S06", name: "Gustavsfält", value: 4.1),
                AreaValue(code: "S07", name: "Sofieberg", value: 3.3),
                AreaValue(code: "S08", name: "Söndrum", value: 2.2),
                AreaValue(code: "S09", name: "Oskarström", value: 2.9),
                AreaValue(code: "S10", name: "Getinge", value: 1.8),
                AreaValue(
                    code: "S11", name: "Harplinge", value: nil, status: .suppressed, note: "Färre än 5 händelser."),
                AreaValue(
                    code: "S12", name: "Kvibille", value: nil, status: .suppressed, note: "Färre än 5 händelser."),
            ],
            note: "Stadsdelarna är kommunens egna indelningar, sammanställda från DeSO.")
    ]

    static var patterns: Patterns {
        // Synthetic counts: more in the evening and at night, most on weekend nights; few in the early morning.
        var grid: [[PatternCell]] = []
        for day in 0..<7 {
            var row: [PatternCell] = []
            for hour in 0..<24 {
                let weekend = day >= 4
                let evening = hour >= 18 ? Double(hour - 16) * 2.5 : 0
                let night = hour <= 3 ? (weekend && day != 4 ? 28 - Double(hour) * 5 : 8 - Double(hour) * 2) : 0
                let daytime = (8...17).contains(hour) ? 7 + Double(day % 3) : 0
                let morning = (4...7).contains(hour) ? Double(hour - 3) : 0
                let count = (evening * (weekend ? 1.6 : 1) + night + daytime + morning + Double((day * 7 + hour) % 4))
                    .rounded()
                row.append(count < 5 ? .suppressed("Färre än 5 händelser.") : PatternCell(value: count))
            }
            grid.append(row)
        }
        let months: [PatternCell] = [
            118, 104, 121, 133, 152, 171, 198, 186, 149, 137, 122, 141,
        ].map { PatternCell(value: $0) }
        return Patterns(
            title: "Polisens händelser, våld och ordningsstörning i offentlig miljö", period: "2021–2023",
            weekdayHour: grid, monthOfYear: months,
            places: [
                PlaceCount(place: "Inomhus", cell: PatternCell(value: 412)),
                PlaceCount(place: "Utomhus", cell: PatternCell(value: 1_187)),
            ],
            note: "Händelser utan klockslag (cirka 4 %) ingår inte i veckodag × timme men i månadsdiagrammet.")
    }

    static let schoolYears = (2019...2023).map(String.init)

    static let schools: [IndicatorSection] = [
        IndicatorSection(
            id: "behorighet-gy", title: "Elever i åk 9 behöriga till gymnasiets yrkesprogram",
            definition:
                "Andel elever i årskurs 9 som är behöriga till ett yrkesprogram, kommunens skolor (Skolverket).",
            unit: "%", decimals: 1, better: .higher,
            series: series(
                [84.1, 85.0, 84.1, 85.6, 86.9], periods: schoolYears,
                ci: [0: (82.0, 86.2), 1: (82.9, 87.1), 2: (82.0, 86.2), 3: (83.6, 87.6), 4: (85.0, 88.8)]),
            seriesName: "Halmstad",
            comparisons: [
                ComparisonSeries(
                    kind: .country, name: "Riket", points: series([85.6, 86.0, 85.9, 85.1, 84.7], periods: schoolYears))
            ]),
        IndicatorSection(
            id: "trygghet-ak9", title: "Elever i åk 9 som känner sig trygga i skolan",
            definition:
                "Andel elever i årskurs 9 som instämmer i påståendet ”Jag känner mig trygg i skolan” (Skolenkäten).",
            unit: "%", decimals: 1, better: .higher,
            series: series(
                [86.2, nil, 83.8, 85.0, 81.4], periods: schoolYears,
                ci: [0: (82.9, 89.5), 2: (80.1, 87.5), 3: (81.6, 88.4), 4: (77.6, 85.2)],
                notes: [1: "Skolenkäten genomfördes inte 2020 (pandemin)."]),
            seriesName: "Halmstad"),
    ]

    static let countyBoard: [IndicatorSection] = [
        IndicatorSection(
            id: "serveringstillstand", title: "Serveringstillstånd med öppet efter kl. 01",
            definition: "Stadigvarande serveringstillstånd till allmänheten med serveringstid efter kl. 01, "
                + "per 10 000 invånare (Länsstyrelsen Halland).",
            unit: "per 10 000 inv.", decimals: 1, better: .lower,
            series: series([2.3, 2.4, 1.9, 2.1, 2.4], periods: schoolYears), seriesName: "Halmstad",
            comparisons: [
                ComparisonSeries(
                    kind: .county, name: "Hallands län",
                    points: series([1.6, 1.7, 1.3, 1.5, 1.6], periods: schoolYears))
            ]),
        IndicatorSection(
            id: "tillsyn", title: "Tillsynsbesök på serveringsställen",
            definition: "Antal tillsynsbesök (yttre och inre tillsyn) på serveringsställen under året.",
            unit: "antal", decimals: 0, better: .higher,
            series: series([148, 96, 121, 163, 171], periods: schoolYears), seriesName: "Halmstad"),
    ]

    static let sources = SourcesAndMethod(
        sources: [
            SourceRecord(
                name: "bra-sol", supplier: "Brå (SOL-exporten)", fileName: "sol_anmalda_brott_halmstad_2015-2023.csv",
                deliveryDate: "2024-02-20",
                sha256: "3f1c9a7e52b04d8e9a6c1f0b7d2e4a5968c3b1f0e7d9a2c4b6e8f0a1c3d5e7f9", rowsRead: 1_412,
                rowsAccepted: 1_412, rowsQuarantined: 0, status: .used),
            SourceRecord(
                name: "polisen-handelser", supplier: "Polisen, lokalpolisområde Halmstad-Laholm",
                fileName: "handelser_2021-2023.csv", deliveryDate: "2024-03-01",
                sha256: "a94b2c7d1e0f3a5b8c6d9e2f4a7b1c3d5e8f0a2b4c6d8e1f3a5b7c9d0e2f4a6b", rowsRead: 48_230,
                rowsAccepted: 47_911, rowsQuarantined: 319, status: .partial,
                note: "319 rader utan giltigt datum eller område ligger i karantän."),
            SourceRecord(
                name: "scb-folkmangd", supplier: "SCB (PX-Web)", fileName: "folkmangd_deso_2015-2023.csv",
                deliveryDate: "2024-02-22",
                sha256: "0d2e4f6a8b1c3d5e7f9a0b2c4d6e8f1a3b5c7d9e0f2a4b6c8d1e3f5a7b9c0d2e", rowsRead: 9_864,
                rowsAccepted: 9_864, rowsQuarantined: 0, status: .used),
            SourceRecord(
                name: "lansstyrelsen-tillstand", supplier: "Länsstyrelsen Halland", fileName: "tillstand_2019-2023.xml",
                deliveryDate: "2024-02-28",
                sha256: "c7e9a1b3d5f7092b4d6f8a0c2e4a6c8e0b2d4f6a8c0e2b4d6f8a1c3e5b7d9f1a", rowsRead: 212,
                rowsAccepted: 212, rowsQuarantined: 0, status: .used),
            SourceRecord(
                name: "skolverket-behorighet", supplier: "Skolverket", fileName: "behorighet_ak9_2019-2023.csv",
                deliveryDate: "2024-01-15",
                sha256: "5b7d9f1a3c5e7092b4d6f8a0c2e4b6d8f0a2c4e6b8d0f2a4c6e8b0d2f4a6c8e0", rowsRead: 140,
                rowsAccepted: 138, rowsQuarantined: 2, status: .partial, note: "2 rader med okänd skolenhetskod."),
            SourceRecord(
                name: "trygghetsmatning", supplier: "Polisen, trygghetsmätning", fileName: "trygghetsmatning_2023.csv",
                deliveryDate: "–", sha256: "", rowsRead: 0, rowsAccepted: 0, rowsQuarantined: 0, status: .notUsed,
                note: "Ingen leverans för 2023; målet för Andersberg följs upp med 2022 års mätning."),
        ],
        definitions: [
            Definition(
                term: "Anmälda brott",
                text: "Brott som anmälts till Polisen eller annan myndighet, räknade efter brottsplats. Anmälda brott "
                    + "speglar inte all brottslighet: anmälningsbenägenheten varierar mellan brottstyper och över tid."),
            Definition(
                term: "Våldsbrott (N07403)",
                text: "Summan av försök till mord och dråp, misshandel, våldtäkt, grov fridskränkning, "
                    + "grov kvinnofridskränkning, våld mot tjänsteman och rån."),
            Definition(
                term: "Per 100 000 invånare",
                text: "Antal delat med folkmängden den 31 december samma år, gånger 100 000."),
            Definition(
                term: "Medel 3 år",
                text: "Medelvärdet av årets och de två föregående årens värden (glidande medelvärde)."),
            Definition(
                term: "95 % konfidensintervall",
                text: "Intervallet som med 95 % säkerhet täcker den sanna andelen, givet antalet svarande."),
        ],
        suppressionNote: "Brå och Skolverket prickar själva små tal i sina exporter; dessa visas som prickade även "
            + "när kommunens egen gräns inte skulle kräva det. Summor som skulle avslöja ett prickat värde prickas "
            + "också (sekundär prickning).",
        limitations: [
            "Anmälda brott visar inte mörkertalet: brott som inte anmäls syns inte.",
            "Bedrägerier saknar ofta brottsplats och räknas därför inte alltid till kommunen.",
            "Brottskoder har upphört och tillkommit; serier med seriebrott är inte jämförbara före och efter brottet.",
            "Från referensår 2025 störs SCB:s folkmängd något (Cell Key Method): delområden summerar inte alltid till "
                + "kommunens total.",
            "Trygghetsmätningen 2023 levererades inte; tryggheten i bostadsområdena bygger på äldre mätningar.",
        ])
}
