import PipelineModel
import Testing

/// `where:` beside `events:` and the `disclosure` settings, as the pipeline file states them.
struct EventFilterLoaderTests {
    /// A pipeline with an events source mapping time and place, and `indicator` as its only indicator.
    func yaml(_ indicator: String, disclosure: String = "") -> String {
        """
        version: 1
        name: test
        municipality: { code: "1380", name: Halmstad }
        \(disclosure)
        sources:
          - id: police
            supplier: police
            kind: events
            files: data/*.csv
            columns: { crime_code: Brottskod, date: Datum, time: Klockslag, place: Plats }
        indicators:
        \(indicator)
        """
    }

    func parse(_ text: String) throws -> Pipeline {
        try PipelineLoader.parse(yaml: text, path: "/tmp/pipelines/test.yaml", displayName: "test.yaml")
    }

    func error(_ text: String) -> PipelineFileError? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error as? PipelineFileError
        }
    }

    @Test func readsPlaceListsAndHoursThatWrapMidnight() throws {
        let pipeline = try parse(
            yaml(
                """
                  - id: ute
                    title: Ute
                    kind: share
                    numerator: { events: vald, where: { place: Utomhus, hours: "22-05" } }
                    denominator: { events: vald, where: { place: [Utomhus, Inomhus] } }
                """))
        let indicator = try #require(pipeline.indicators.first)
        guard case .filteredEvents(let category, let filter) = indicator.numerator else {
            Issue.record("expected filtered events, got \(indicator.numerator)")
            return
        }
        #expect(category == "vald")
        #expect(filter.values == [.place: ["Utomhus"]])
        let hours = try #require(filter.hours)
        #expect((0...23).filter(hours.contains) == [0, 1, 2, 3, 4, 5, 22, 23])
        #expect(
            indicator.denominator
                == .filteredEvents(category: "vald", filter: EventFilter(values: [.place: ["Utomhus", "Inomhus"]])))
        #expect(indicator.numerator.description == "events in category 'vald' where place = Utomhus, hours 22-05")
    }

    @Test func unknownColumnIsAnErrorWithFileLineAndColumn() throws {
        let failure = try #require(
            error(
                yaml(
                    """
                      - id: ute
                        title: Ute
                        kind: share
                        numerator: { events: vald, where: { plats: Utomhus } }
                        denominator: { events: vald }
                    """)))
        #expect(failure.line == 15)
        #expect(failure.column != nil)
        #expect(failure.keyPath == "indicators[0].numerator.where.plats")
        #expect(failure.message.contains("unknown event column 'plats' in 'where'; use one of: place, crime_code"))
        #expect(failure.description.hasPrefix("test.yaml:15:"))
    }

    @Test func badHoursAreRefused() throws {
        for hours in ["25-03", "22", "22-", "kväll", "22-05-01"] {
            let failure = try #require(
                error(
                    yaml(
                        """
                          - id: natt
                            title: Natt
                            kind: share
                            numerator: { events: all, where: { hours: "\(hours)" } }
                            denominator: { events: all }
                        """)), "\(hours)")
            #expect(failure.message.contains("bad hours '\(hours)'"), "\(failure)")
            #expect(failure.line == 15)
        }
    }

    @Test func aColumnNoEventsSourceMapsIsRefused() throws {
        let failure = try #require(
            error(
                yaml(
                    """
                      - id: centrum
                        title: Centrum
                        kind: count
                        numerator: { events: all, where: { deso: 1380C0010 } }
                    """)))
        #expect(failure.message.contains("no source of kind 'events' maps it"))
    }

    @Test func whereBelongsToEventsAndASharesDenominatorMustBeEvents() throws {
        let measure = try #require(
            error(
                yaml(
                    """
                      - id: pop
                        title: Pop
                        kind: value
                        numerator: { measure: population, where: { place: Utomhus } }
                    """)))
        #expect(measure.message.contains("a measure picks its rows with 'dimensions'"))
        let share = try #require(
            error(
                yaml(
                    """
                      - id: ute
                        title: Ute
                        kind: share
                        numerator: { events: vald, where: { place: Utomhus } }
                    """)))
        #expect(share.message.contains("a share over events needs events as its denominator too"))
        // All crime events cannot be counted among one source's events: the numerator must be a subset.
        let mixed = try #require(
            error(
                yaml(
                    """
                      - id: mix
                        title: Mix
                        kind: share
                        numerator: { events: all }
                        denominator: { events: all, source: police }
                    """)))
        #expect(mixed.message.contains("both must count the same events source"), "\(mixed.message)")
        // One crime-coded source among all crime-coded events is a subset, and loads.
        _ = try parse(
            yaml(
                """
                  - id: part
                    title: Part
                    kind: share
                    numerator: { events: vald, source: police }
                    denominator: { events: all }
                """))
        let patterns = try #require(
            error(
                yaml(
                    """
                      - id: ute
                        title: Ute
                        kind: count
                        numerator: { events: vald, where: { place: Utomhus } }
                        patterns: [weekday_hour]
                    """)))
        #expect(patterns.message.contains("patterns count every event of the category"))
    }

    @Test func disclosureSettingsAndTheirDefaults() throws {
        let indicator = """
              - id: crimes
                title: Brott
                kind: count
                numerator: { events: all }
            """
        let defaults = try parse(yaml(indicator)).disclosure
        #expect(defaults == DisclosureSpec(threshold: 3, secondary: true, suppressZeros: false))
        let set = try parse(
            yaml(indicator, disclosure: "disclosure: { threshold: 5, secondary: false, suppress_zeros: true }")
        ).disclosure
        #expect(set == DisclosureSpec(threshold: 5, secondary: false, suppressZeros: true))
        #expect(set.hides(count: 0) && set.hides(count: 4) && !set.hides(count: 5))
        #expect(!defaults.hides(count: 0) && defaults.hides(count: 0.4) && defaults.hides(count: 2))
        let typo = try #require(error(yaml(indicator, disclosure: "disclosure: { suppress_zeroes: true }")))
        #expect(typo.message.contains("unknown key 'suppress_zeroes'"))
    }
}
