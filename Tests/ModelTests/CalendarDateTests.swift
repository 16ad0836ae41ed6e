import LagesbildModel
import Testing

struct CalendarDateTests {
    @Test(arguments: [
        ("yyyy-MM-dd", "2023-04-05", "2023-04-05"),
        ("yyyyMMdd", "20230405", "2023-04-05"),
        ("dd/MM/yyyy", "05/04/2023", "2023-04-05"),
        ("d.M.yyyy", "5.4.2023", "2023-04-05"),
        ("yyyy-MM-dd", "2024-02-29", "2024-02-29"),
        ("yyyy-MM-dd", "2023-04-05 13:45", "2023-04-05"),
    ])
    func parsesFormats(format: String, text: String, expected: String) throws {
        let parsed = try #require(DateFormat(format)?.parse(text))
        #expect(parsed.description == expected)
    }

    @Test(arguments: ["2023-02-29", "2021-02-30", "2022-04-31", "2023-13-01", "2023-00-10", "2023-4-5", "20230405", ""])
    func rejectsImpossibleOrMalformedDates(text: String) {
        #expect(DateFormat("yyyy-MM-dd")!.parse(text) == nil)
    }

    @Test func rejectsUnknownPatterns() {
        #expect(DateFormat("yy-MM-dd") == nil)
        #expect(DateFormat("yyyy-MM") == nil)
        #expect(DateFormat("yyyy-MM-dd HH") == nil)
    }

    @Test func weekdaysQuartersAndIsoWeeks() throws {
        let date = try #require(CalendarDate(year: 2023, month: 1, day: 1))  // a Sunday, ISO week 52 of 2022
        #expect(date.weekday == 7)
        #expect(date.isoWeek.year == 2022 && date.isoWeek.week == 52)
        let monday = try #require(CalendarDate(year: 2024, month: 12, day: 30))  // ISO week 1 of 2025
        #expect(monday.weekday == 1)
        #expect(monday.isoWeek.year == 2025 && monday.isoWeek.week == 1)
        #expect(CalendarDate(year: 2023, month: 8, day: 15)!.quarter == 3)
        #expect(CalendarDate(year: 1970, month: 1, day: 1)!.dayNumber == 0)
    }

    @Test(arguments: [
        ("13:45", 13), ("00:01", 0), ("9:05", 9), ("2359", 23), ("07", 7), ("23.10", 23), ("12:30:15", 12),
        ("2021-03-05 22:15", 22), ("2021-03-05T06:40:00", 6),
    ])
    func readsTimes(text: String, hour: Int) {
        #expect(TimeOfDay.parse(text)?.hour == hour)
    }

    @Test(arguments: ["24:00", "12:60", "ab", "1:2:3:4", "12-30", "2021-03-05", "2021-03-05 25:00"])
    func rejectsBadTimes(text: String) {
        #expect(TimeOfDay.parse(text) == nil)
    }
}
