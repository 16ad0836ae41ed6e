import LagesbildModel
import Report

extension FollowUpReportData {
    /// A synthetic, Halmstad-like follow-up with every judgement, every measure status, a citizen promise, an
    /// overdue report, an effect and a previous follow-up: for tests and previews. The figures are invented.
    public static var sample: FollowUpReportData {
        FollowUpReportData(
            title: "Uppföljning av åtgärdsplanen, Halmstads kommun (exempeldata)",
            municipality: Municipality(name: "Halmstad", code: "1380", county: "Hallands län"),
            generatedAt: "2024-03-18 06:15", runID: "42",
            planTitle: "Åtgärdsplan mot brott och otrygghet 2021–2026", planAdopted: "2021-03-15",
            problems: [
                ProblemFollowUp(
                    id: "vald-offentlig-miljo", title: "Våld i offentlig miljö", priority: 1, areas: ["Centrum"],
                    causeAnalysis: "Våldet samlas kring krogstråket fredag och lördag natt.",
                    targetIDs: ["vald", "brott-totalt"], measureIDs: ["M01", "M02", "M04"]),
                ProblemFollowUp(
                    id: "otrygghet-andersberg", title: "Brott och otrygghet i centrala Andersberg", priority: 2,
                    areas: ["Andersberg"], causeAnalysis: "Skadegörelse och stölder kring centrumanläggningen.",
                    causeAnalysisLink: "https://example.invalid/orsaksanalys-andersberg",
                    targetIDs: ["andersberg-brott"], measureIDs: ["M04", "M05", "ML1"]),
                ProblemFollowUp(
                    id: "trygghet-i-skolan", title: "Otrygghet i grundskolan", priority: 3,
                    targetIDs: ["trygga-elever", "vallas-problem"], measureIDs: ["M08"]),
            ],
            targets: SampleFollowUp.targets, measures: SampleFollowUp.measures,
            previous: PreviousFollowUp(
                runID: "37", publishedAt: "2023-03-20",
                changes: [
                    TargetStatusChange(
                        targetID: "vald", name: "Minskat våld", before: .tooUncertain, after: .onTheWay,
                        periodBefore: "2022", periodAfter: "2023"),
                    TargetStatusChange(
                        targetID: "trygga-elever", name: "Fler trygga elever", before: nil, after: .tooLittleData,
                        periodAfter: "2023"),
                ], unchanged: 3))
    }
}

private enum SampleFollowUp {
    static func series(_ values: [Double], from year: Int = 2019, ci: Double? = nil) -> [SeriesPoint] {
        values.enumerated().map { index, value in
            SeriesPoint(
                period: String(year + index), value: value, ciLow: ci.map { value - $0 },
                ciHigh: ci.map { value + $0 })
        }
    }

    static func target(
        _ id: String, _ name: String, indicator: String, unit: String, decimals: Int = 0,
        better: Direction = .lower, commitment: Commitment = .actionPlan, baseline: (Int, Double),
        goal: (Int, Double), series: [SeriesPoint], status: TargetStatus, note: String,
        projected: (Double, Double, Double)? = nil, source: String? = nil
    ) -> JudgedTarget {
        let latest = series.last
        return JudgedTarget(
            id: id, name: name,
            followUp: TargetFollowUp(
                indicatorID: id, indicatorTitle: indicator, commitment: commitment, unit: unit, decimals: decimals,
                better: better, baselineYear: baseline.0, baselineValue: baseline.1, baselineSource: source,
                targetYear: goal.0, targetValue: goal.1, latestPeriod: latest?.period, latestValue: latest?.value,
                changeSinceBaseline: latest?.value.map { $0 - baseline.1 }, status: status, note: note),
            latestLow: latest?.ciLow, latestHigh: latest?.ciHigh, projectedValue: projected?.0,
            projectedLow: projected?.1, projectedHigh: projected?.2, series: series)
    }

    static let targets: [JudgedTarget] = [
        target(
            "vald", "Minskat våld", indicator: "Anmälda våldsbrott per 100 000 invånare", unit: "per 100 000 inv.",
            baseline: (2020, 262), goal: (2026, 190), series: series([270, 262, 248, 231, 214], ci: 9),
            status: .onTheWay,
            note: "Trenden sedan 2020, −6,5 % per år (95 % intervall −8,9 % till −4,0 %), ger 178 år 2026 "
                + "(95 % intervall 160–186); målet är 190. Hela intervallet ligger på rätt sida om målet.",
            projected: (178, 160, 186)),
        target(
            "brott-totalt", "Färre anmälda brott", indicator: "Anmälda brott per 100 000 invånare",
            unit: "per 100 000 inv.", baseline: (2020, 2310), goal: (2026, 2100),
            series: series([2350, 2310, 2290, 2330, 2280], ci: 30), status: .tooUncertain,
            note: "Trenden sedan 2020, −0,3 % per år (95 % intervall −1,2 % till +0,6 %), ger 2 260 år 2026 "
                + "(95 % intervall 2 080–2 450); målet är 2 100. Intervallet spänner över målet: förändringen "
                + "ryms i den slumpmässiga variationen.",
            projected: (2260, 2080, 2450)),
        target(
            "andersberg-brott", "Tryggare centrala Andersberg",
            indicator: "Anmälda brott per 100 000 invånare, Andersberg", unit: "per 100 000 inv.",
            commitment: .citizenPromise, baseline: (2021, 2900), goal: (2024, 2500),
            series: series([3010, 2950, 2900, 3050, 3120], ci: 160), status: .notOnTheWay,
            note: "Trenden sedan 2021, +3,7 % per år (95 % intervall +0,4 % till +7,1 %), ger 3 240 år 2024 "
                + "(95 % intervall 2 980–3 520); målet är 2 500. Utvecklingen går tydligt åt fel håll eller "
                + "missar målet.",
            projected: (3240, 2980, 3520)),
        target(
            "vallas-problem", "Vallås, färre upplevda problem", indicator: "Problemindex, Vallås", unit: "index 0–6",
            decimals: 1, commitment: .citizenPromise, baseline: (2020, 3.1), goal: (2024, 2.5),
            series: series([3.3, 3.1, 2.8, 2.5, 2.3], ci: 0.1), status: .reached,
            note: "2023 var värdet 2,3 (95 % osäkerhetsintervall 2,2–2,4), helt på rätt sida om målet 2,5.",
            source: "Polisens trygghetsmätning 2020"),
        target(
            "trygga-elever", "Fler trygga elever", indicator: "Andel trygga elever i årskurs 9", unit: "%",
            decimals: 1, better: .higher, baseline: (2022, 84.0), goal: (2025, 88),
            series: [SeriesPoint(period: "2021", value: 83.1), .suppressed("2022")]
                + series([84.0], from: 2023, ci: 2.4),
            status: .tooLittleData,
            note: "Färre än tre årsvärden från utgångsåret 2022 – en trend kan inte bedömas ännu."
        ),
    ]

    static let measures: [MeasureFollowUp] = [
        MeasureFollowUp(
            id: "M01", title: "Trygghetsvandringar i centrum", owner: "Halmstads kommun, trygghetsenheten",
            partners: ["polisen", "bostadsbolag", "föreningar"], start: "2021-04", end: "2026-12", area: "Centrum",
            problems: ["Våld i offentlig miljö"], hoursPerYear: 300, costPerYear: 90_000, status: .ongoing,
            statusPeriod: "2023K4", comment: "Två vandringar ställdes in i juli på grund av semester.",
            production: [
                ProductionYear(year: 2022, output: "trygghetsvandringar", planned: 12, delivered: 12),
                ProductionYear(year: 2023, output: "trygghetsvandringar", planned: 12, delivered: 10),
            ],
            resources: [
                ResourceYear(year: 2022, hoursPlanned: 300, hours: 280, costPlanned: 90_000, cost: 84_000),
                ResourceYear(year: 2023, hoursPlanned: 300, hours: 310, costPlanned: 90_000, cost: 95_500),
            ],
            effects: [
                MeasureEffect(
                    indicatorTitle: "Anmälda våldsbrott per 100 000 invånare", area: "Centrum",
                    comparison: "övriga kommunen", beforeYears: "2019–2020", afterYears: "2022–2023", ratio: 0.88,
                    ratioLow: 0.74, ratioHigh: 1.05)
            ]),
        MeasureFollowUp(
            id: "M02", title: "Ansvarsfull alkoholservering", owner: "Halmstads kommun, tillståndsenheten",
            partners: ["polisen", "näringslivet"], start: "2021-09", end: "2026-12",
            problems: ["Våld i offentlig miljö"], hoursPerYear: 520, costPerYear: 260_000, status: .delayed,
            statusPeriod: "2023K4", reportMissing: true, comment: "Tillsynen efter kl. 01 har inte kommit i gång.",
            production: [ProductionYear(year: 2023, output: "tillsynsbesök nattetid", planned: 40, delivered: 18)],
            resources: [ResourceYear(year: 2023, hoursPlanned: 520, hours: 240, costPlanned: 260_000, cost: 120_000)]
        ),
        MeasureFollowUp(
            id: "M04", title: "Nattvandring med föreningar", owner: "Halmstads kommun, fritid och folkhälsa",
            start: "2021-06", end: "2026-12", problems: ["Våld i offentlig miljö", "Brott och otrygghet i Andersberg"],
            hoursPerYear: 150, status: .done, statusPeriod: "2023K4"),
        MeasureFollowUp(
            id: "M05", title: "Fritidsgård med förlängda öppettider", owner: "Halmstads kommun, fritid och folkhälsa",
            start: "2021-08", end: "2026-06", area: "Andersberg", problems: ["Brott och otrygghet i Andersberg"],
            status: .cancelled, statusPeriod: "2023K3", comment: "Lokalen sades upp av hyresvärden."),
        MeasureFollowUp(
            id: "ML1", title: "Medborgarlöfte Andersberg: fotpatrull och dialogmöten", kind: .citizenPromise,
            owner: "Polisen, lokalpolisområde Halmstad–Laholm", partners: ["kommunen", "polisen"], start: "2021-09",
            end: "2024-12", area: "Andersberg", signed: "2021-09-01", problems: ["Brott och otrygghet i Andersberg"],
            hoursPerYear: 400, status: .ongoing, statusPeriod: "2023K4",
            production: [ProductionYear(year: 2023, output: "dialogmöten", planned: 4, delivered: 4)],
            effects: [
                MeasureEffect(
                    indicatorTitle: "Anmälda brott per 100 000 invånare", area: "Andersberg",
                    comparison: "övriga kommunen", beforeYears: "2019–2020", afterYears: "2022–2023", ratio: 1.07,
                    ratioLow: 0.97, ratioHigh: 1.18)
            ]),
        MeasureFollowUp(
            id: "M08", title: "Rastvärdar i grundskolan", owner: "Halmstads kommun, barn- och ungdomsförvaltningen",
            start: "2024-08", end: "2026-06", problems: ["Otrygghet i grundskolan"], status: .notStarted,
            statusPeriod: "2023K4"),
    ]
}
