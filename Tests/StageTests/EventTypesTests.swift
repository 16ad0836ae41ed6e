import Foundation
import GRDB
import LagesbildRunner
import Testing

/// An events source of the kommun's own incident reports, coded by its own type list: its categories
/// are counted with `source:`, and its events never enter the crime figures.
@Suite struct EventTypesTests {
    static let typeList = """
        Kod;Händelsetyp;Kategori;Skadegörelse
        K1;Klotter;klotter_est;ja
        S1;Skadegörelse på fastighet;skadegorelse_est;ja
        B1;Brand i container;brand_est;x
        B2;Brand i byggnad;brand_est;
        O1;Otrygg plats;otrygg_plats_est;

        """

    /// Incidents per type: month, hour, place.
    static let incidents: [(type: String, count: Int, month: Int, hour: Int, place: String)] = [
        ("K1", 6, 4, 23, "Utomhus"), ("S1", 4, 5, 22, "Inomhus"), ("B1", 3, 7, 1, "Utomhus"),
        ("B2", 3, 7, 14, "Inomhus"), ("O1", 5, 9, 20, "Utomhus"),
    ]

    static let incidentSource = """

          - id: incidents
            supplier: municipality
            kind: events
            files: incidents/*.csv
            encoding: utf-8
            delimiter: ";"
            quarantine_limit: 100%
            event_types:
              file: typer.csv
              code: Kod
              name: Händelsetyp
              category: Kategori
              flags: { skadegorelse_alla: Skadegörelse }
            columns:
              event_type: Typ
              date: Datum
              time: Klockslag
              area: Område
              place: Plats
        """

    func fixture(indicators: String, extraIncidents: String = "") throws -> PipelineFixture {
        let fixture = try PipelineFixture()
        try fixture.write("typer.csv", Self.typeList)
        try fixture.writePipeline(sources: policeSource + Self.incidentSource, indicators: indicators)
        var rows = "Vecka;Datum;Klockslag;Typ;Område;Plats;Rapportör\r\n"
        for incident in Self.incidents {
            for index in 0..<incident.count {
                let month = incident.month < 10 ? "0\(incident.month)" : "\(incident.month)"
                rows +=
                    "2023-W01;2023-\(month)-1\(index);\(incident.hour):15;\(incident.type);Vallås;"
                    + "\(incident.place);Väktare\r\n"
            }
        }
        try fixture.write("incidents/handelser_2023.csv", rows + extraIncidents)
        // Four police events (assault, 0375), Monday to Thursday of 2023-W14.
        var police = "Ärendenummer;Brottskod;Brottsdatum;Klockslag;Område;DeSO\r\n"
        for index in 0..<4 { police += "p\(index);0375;2023-04-0\(index + 3);22:00;Vallås;\r\n" }
        try fixture.writeWindows1252("police/brott_2023.csv", police)
        return fixture
    }

    static func count(_ id: String, _ numerator: String, extra: String = "") -> String {
        """
          - id: \(id)
            title: \(id)
            kind: count
            numerator: \(numerator)
            area_levels: [municipality, district]
            periods: [year, month, week]
        \(extra)

        """
    }

    func value(_ fixture: PipelineFixture, _ indicator: String, period: String = "2023", level: String = "municipality")
        throws -> Double?
    {
        try fixture.rows(
            """
            SELECT value FROM indicator_values WHERE indicator_id = '\(indicator)' AND area_level = '\(level)'
            AND period = '\(period)' AND breakdown = ''
            """
        ).first?["value"]
    }

    @Test func incidentCategoriesAreCountedBySourceAndNeverAsCrimes() async throws {
        let fixture = try fixture(
            indicators: Self.count("crimes", "{ events: all }") + Self.count("assault", "{ events: misshandel }")
                + Self.count("incidents_all", "{ events: all, source: incidents }")
                + Self.count("graffiti", "{ events: klotter_est, source: incidents }")
                + Self.count("fires", "{ events: brand_est, source: incidents }")
                + Self.count("vandalism_flag", "{ events: skadegorelse_alla, source: incidents }")
                + Self.count("unsafe", "{ events: otrygg_plats_est, source: incidents }")
                + Self.count("police_only", "{ events: all, source: police }"))
        try await fixture.run([.ingest, .normalize, .aggregate])
        // Crime figures: the four police events only.
        #expect(try value(fixture, "crimes") == 4)
        #expect(try value(fixture, "assault") == 4)
        #expect(try value(fixture, "police_only") == 4)
        #expect(try value(fixture, "incidents_all") == 21)
        #expect(try value(fixture, "graffiti") == 6)
        #expect(try value(fixture, "fires") == 6)
        // The flag: graffiti, vandalism and the container fire, not the building fire.
        #expect(try value(fixture, "vandalism_flag") == 13)
        #expect(try value(fixture, "unsafe") == 5)
        #expect(try value(fixture, "fires", period: "2023-07") == 6)
        // Weeks: the fires on 10–12 July are in 2023-W28; the crimes' weeks hold police events only.
        #expect(try value(fixture, "fires", period: "2023-W28") == 6)
        #expect(try value(fixture, "crimes", period: "2023-W14") == 4)
        // 2023-W15 is in April, which the police delivery covers: no crime that week is 0, not an incident.
        #expect(try value(fixture, "crimes", period: "2023-W15") == 0)
        #expect(try value(fixture, "graffiti", period: "2023-W15") == 6)
        // The districts: the six in one district, the others 0 (the incidents delivery covers April).
        let districts = try fixture.rows(
            """
            SELECT value FROM indicator_values WHERE indicator_id = 'graffiti' AND area_level = 'district'
            AND period = '2023-04' AND breakdown = '' ORDER BY value DESC
            """
        ).map { $0["value"] as Double }
        #expect(districts.first == 6 && districts.dropFirst().allSatisfy { $0 == 0 }, "\(districts)")
        let types = try fixture.rows("SELECT source_id, code, name FROM codelist_event_types ORDER BY code")
        #expect(types.map { $0["code"] as String } == ["B1", "B2", "K1", "O1", "S1"])
        #expect(types.allSatisfy { ($0["source_id"] as String) == "incidents" })
    }

    @Test func patternsCountIncidentsByMonthHourAndPlace() async throws {
        let fixture = try fixture(
            indicators: Self.count(
                "fires", "{ events: brand_est, source: incidents }",
                extra: "    patterns: [month_of_year, weekday_hour, place]"))
        try await fixture.run([.ingest, .normalize, .aggregate])
        let rows = try fixture.rows(
            """
            SELECT breakdown, breakdown_value, value FROM indicator_values
            WHERE indicator_id = 'fires' AND breakdown != '' ORDER BY breakdown, breakdown_value
            """)
        var values: [String: Double] = [:]
        for row in rows {
            values["\(row["breakdown"] as String)=\(row["breakdown_value"] as String)"] = row["value"]
        }
        #expect(values["month_of_year=07"] == 6)
        #expect(values["place=Utomhus"] == 3)
        #expect(values["place=Inomhus"] == 3)
        #expect(rows.contains { ($0["breakdown"] as String) == "weekday_hour" })
    }

    @Test func anUnknownEventTypeIsQuarantinedWithTheList() async throws {
        let fixture = try fixture(
            indicators: Self.count("incidents_all", "{ events: all, source: incidents }"),
            extraIncidents: "2023-W02;2023-01-12;10:00;X9;Vallås;Utomhus;Bostadsbolag\r\n")
        try await fixture.run([.ingest, .normalize, .aggregate])
        let rows = try fixture.rows("SELECT source_id, reason, raw FROM quarantine WHERE stage = 'normalize'")
        #expect(
            rows.map { $0["reason"] as String } == ["unknown event type 'X9': not in the event type list typer.csv"])
        #expect(rows.first?["source_id"] == "incidents")
        #expect((rows.first?["raw"] as String?)?.hasPrefix("event_type=X9; date=2023-01-12") == true)
        #expect(try value(fixture, "incidents_all") == 21)
    }

    @Test func aMissingTypeColumnIsNamedAsTheEventTypeRole() async throws {
        let fixture = try fixture(indicators: Self.count("incidents_all", "{ events: all, source: incidents }"))
        try fixture.write(
            "incidents/handelser_2023.csv",
            "Vecka;Datum;Klockslag;Händelsetyp;Område;Plats\r\n2023-W01;2023-01-02;;K1;Vallås;Utomhus\r\n")
        try await fixture.run([.ingest])
        let messages = try fixture.rows("SELECT message FROM deliveries WHERE source_id = 'incidents'")
        let message = try #require(messages.first?["message"] as String?)
        #expect(message.contains("the column 'Typ' (for event_type) is not in the header"), "\(message)")
    }

    @Test func anUnknownIncidentCategoryFailsAggregateNamingTheSource() async throws {
        let fixture = try fixture(indicators: Self.count("x", "{ events: klotter, source: incidents }"))
        await #expect {
            try await fixture.run([.ingest, .normalize, .aggregate])
        } throws: { error in
            "\(error)".contains("unknown event category 'klotter': not in the event type list of source incidents")
        }
    }
}
