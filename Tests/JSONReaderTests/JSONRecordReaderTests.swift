import Foundation
import JSONReader
import Testing

private func file(_ text: String, name: String = "svar.json") throws -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("json-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let path = folder.appendingPathComponent(name).path
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    return path
}

private func records(_ reader: JSONRecordReader) throws -> [JSONRecord] {
    var result: [JSONRecord] = []
    try reader.forEachRecord { result.append($0) }
    return result
}

private func readError(_ body: () throws -> Void) -> JSONReadError? {
    do {
        try body()
        return nil
    } catch let error as JSONReadError {
        return error
    } catch {
        Issue.record("unexpected error \(error)")
        return nil
    }
}

@Suite struct JSONRecordTests {
    @Test func recordsPathAndFieldPaths() throws {
        let path = try file(
            """
            {"data": [
              {"id": "a", "location": {"name": "Halmstad", "gps": "56.67,12.86"}, "n": 12, "x": 0.5, "ok": true, "none": null},
              {"id": "b", "location": {"name": "Laholm"}, "n": 1.5e-3, "x": 3, "ok": false}
            ], "pageToken": "abc"}
            """)
        let reader = try JSONRecordReader(
            path: path, options: JSONOptions(records: "data[]", fields: ["id", "location.name", "n", "ok", "none"]))
        #expect(reader.shape == .ss12000)  // detected from {data: [...]}
        #expect(reader.header == ["id", "location.name", "n", "ok", "none"])
        let rows = try records(reader)
        #expect(rows.map(\.cells) == [["a", "Halmstad", "12", "true", ""], ["b", "Laholm", "0.0015", "false", ""]])
        #expect(rows[1].place(ofField: 1) == "$.data[1].location.name")
        #expect(rows[0].absent == [false, false, false, false, false])
        #expect(rows[1].absent[4])  // absent, not null
        #expect(rows[1].line == 2)
    }

    @Test func wrongTypeMissingFieldAndWrongRecordsPath() throws {
        let path = try file(#"{"data": [{"area": {"code": "1380"}, "value": 1}, {"value": 2}]}"#)
        let reader = try JSONRecordReader(
            path: path, options: JSONOptions(records: "data[]", fields: ["area", "value"]))
        let rows = try records(reader)
        #expect(rows[0].problems[0] == "expected a text or a number, found an object")
        #expect(rows[0].place(ofField: 0) == "$.data[0].area")
        #expect(rows[1].absent[0])
        #expect(rows[1].place(ofField: 0) == "$.data[1].area")
        let missing = readError { _ = try JSONRecordReader(path: path, options: JSONOptions(records: "values[]")) }
        #expect(missing?.location.place == "$")
        #expect(missing?.message == "the field 'values' is missing; the object has: data")
        let notArray = readError {
            _ = try JSONRecordReader(path: path, options: JSONOptions(records: "data[].area[]"))
        }
        #expect(notArray?.location.place == "$.data[0].area")
        #expect(notArray?.message == "expected an array of records, found an object")
        #expect(notArray?.description.hasPrefix(path + ":$.data[0].area: ") == true)
    }

    @Test func htmlPageAndSyntaxErrors() throws {
        let html = try file(
            "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head></html>", name: "kolada.json")
        let error = readError { _ = try JSONRecordReader(path: html) }
        #expect(error?.message.contains("HTML or XML, not JSON") == true)
        #expect(error?.message.contains("502 Bad Gateway") == true)
        #expect(error?.location.file.hasSuffix("kolada.json") == true)
        let broken = try file("{\"values\": [1,\n 2,,]}")
        let syntax = readError { _ = try JSONRecordReader(path: broken) }
        #expect(syntax?.message.hasPrefix("not valid JSON") == true)
        #expect(syntax?.location.line == 2)
        #expect(syntax?.location.column != nil)
        let tooBig = readError { _ = try JSONRecordReader(path: broken, maximumBytes: 4) }
        #expect(tooBig?.message.contains("more than the limit of 4") == true)
    }

    @Test func koladaNestedValues() throws {
        let path = try file(
            """
            {"count": 2, "values": [
              {"kpi": "N07403", "municipality": "1380", "period": 2023,
               "values": [{"gender": "T", "count": 1, "status": "", "value": 965.2},
                          {"gender": "K", "count": 0, "status": "Missing", "value": null}]},
              {"kpi": "N07403", "municipality": "0013", "period": 2023,
               "values": [{"gender": "T", "count": 1, "status": "", "value": 873.3}]},
              {"kpi": "N07403", "municipality": "0000", "period": 2023, "values": []}
            ]}
            """)
        let reader = try JSONRecordReader(path: path)
        #expect(reader.shape == .kolada)
        #expect(reader.header == ["kpi", "municipality", "area", "period", "gender", "count", "status", "value"])
        let rows = try records(reader)
        #expect(
            rows.map(\.cells) == [
                ["N07403", "1380", "1380", "2023", "T", "1", "", "965.2"],
                ["N07403", "1380", "1380", "2023", "K", "0", "Missing", ""],
                ["N07403", "0013", "13", "2023", "T", "1", "", "873.3"],
            ])
        #expect(rows[1].place(ofField: 7) == "$.values[0].values[1].value")
        #expect(rows[1].place(ofField: 0) == "$.values[0].kpi")
        #expect(rows[2].path == "$.values[1].values[0]")
    }

    @Test func jsonStatWithValueArray() throws {
        let path = try file(
            """
            {"version": "2.0", "class": "dataset", "id": ["Region", "ContentsCode", "Tid"], "size": [2, 1, 2],
             "dimension": {
               "Region": {"category": {"index": {"1380": 0, "13": 1}, "label": {"1380": "Halmstad", "13": "Hallands län"}}},
               "ContentsCode": {"category": {"label": {"BE0101N1": "Folkmängd"}}},
               "Tid": {"category": {"index": ["2022", "2023"]}}},
             "value": [105148, 105796, 342805, null],
             "status": {"3": ".."}}
            """)
        let reader = try JSONRecordReader(path: path, options: JSONOptions(shape: .jsonStat))
        #expect(
            reader.header == [
                "Region", "Region.label", "ContentsCode", "ContentsCode.label", "Tid", "Tid.label", "value", "status",
            ])
        let rows = try records(reader)
        #expect(rows.count == 4)
        #expect(rows[0].cells == ["1380", "Halmstad", "BE0101N1", "Folkmängd", "2022", "2022", "105148", ""])
        #expect(rows[2].cells[0] == "13")
        #expect(rows[2].cells[4] == "2022")
        // A null value takes its status: '..' is a missing marker.
        #expect(rows[3].cells[6] == "..")
        #expect(rows[3].cells[7] == "..")
        #expect(rows[3].place(ofField: 6) == "$.value[3]")
        #expect(rows[3].place(ofField: 7) == "$.status[\"3\"]")
    }

    @Test func jsonStatWithValueObjectAndErrors() throws {
        let path = try file(
            """
            {"class": "dataset", "id": ["Region", "Tid"], "size": [1, 3],
             "dimension": {"Region": {"category": {"index": ["1380"]}},
                           "Tid": {"category": {"index": {"2021": 0, "2022": 1, "2023": 2}}}},
             "value": {"2": 7, "0": 5}}
            """)
        let rows = try records(try JSONRecordReader(path: path))
        #expect(rows.map { [$0.cells[2], $0.cells[4]] } == [["2021", "5"], ["2023", "7"]])
        #expect(rows[1].place(ofField: 4) == "$.value[\"2\"]")
        let mismatch = try file(
            #"{"class": "dataset", "id": ["Tid"], "size": [3], "dimension": {"Tid": {"category": {"index": ["2022", "2023"]}}}, "value": [1, 2]}"#
        )
        let error = readError { _ = try JSONRecordReader(path: mismatch) }
        #expect(error?.location.place == "$.dimension.Tid.category.index")
        #expect(error?.message == "the dimension 'Tid' has 2 categories, but 'size' says 3")
        let short = try file(
            #"{"class": "dataset", "id": ["Tid"], "size": [2], "dimension": {"Tid": {"category": {"index": ["2022", "2023"]}}}, "value": [1]}"#
        )
        let values = readError { _ = try JSONRecordReader(path: short) }
        #expect(values?.location.place == "$.value")
        #expect(values?.message == "'value' has 1 values, but the sizes 2 give 2 cells")
    }

    @Test func policeEventsAndSkolverketValues() throws {
        let police = try file(
            """
            [{"id": 1, "datetime": "2023-05-01 12:00:00 +02:00", "name": "01 maj 12.00, Misshandel, Halmstad",
              "summary": "Man skadad", "url": "/x", "type": "Misshandel",
              "location": {"name": "Halmstad", "gps": "56.674375,12.857788"}}]
            """)
        let reader = try JSONRecordReader(path: police)
        #expect(reader.shape == .policeEvents)
        #expect(reader.header.last == "location.gps")
        #expect(try records(reader).first?.cells[6] == "Halmstad")
        let school = try file(
            """
            {"_links": {}, "body": [
              {"schoolUnitCode": "12345678", "timePeriod": "2023",
               "eligible": {"value": "87,5", "valueType": "EXISTS"}},
              {"schoolUnitCode": "87654321", "timePeriod": "2023",
               "eligible": {"value": null, "valueType": "SECRET"}},
              {"schoolUnitCode": "11111111", "timePeriod": "2023",
               "eligible": {"value": null, "valueType": "MISSING"}}]}
            """)
        let schools = try JSONRecordReader(
            path: school, options: JSONOptions(records: "body[]", fields: ["schoolUnitCode", "eligible"]))
        #expect(schools.shape == .skolverket)
        #expect(try records(schools).map { $0.cells[1] } == ["87,5", "..", "."])
    }
}
