import ColumnStore
import Foundation
import TestSupport
import Testing

@Suite struct ColumnFileTests {
    func temporaryPath(_ name: String) -> String {
        let folder = NSTemporaryDirectory() + "columnstore-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder + "/" + name
    }

    @Test(arguments: [0, 1, 7, 1000, 70_000])
    func valuesOfEveryWidthRoundTrip(rows: Int) throws {
        var random = SeededGenerator(seed: UInt64(rows) + 1)
        let columns = ["small", "medium", "large", "negative"]
        var expected: [[Int32]] = Array(repeating: [], count: columns.count)
        for _ in 0..<rows {
            expected[0].append(Int32.random(in: -1...100, using: &random))
            expected[1].append(Int32.random(in: -300...30_000, using: &random))
            expected[2].append(Int32.random(in: Int32.min...Int32.max, using: &random))
            expected[3].append(Int32.random(in: -40_000 ... -1, using: &random))
        }
        let path = temporaryPath("values.lbcol")
        let writer = try ColumnFileWriter(path: path, columns: columns, chunkRows: 4096)
        writer.dictionaries = ["names": ["Vallås", "Centrum", ""]]
        writer.metadata = ["source": "test"]
        for row in 0..<rows {
            for column in columns.indices { writer.set(column, expected[column][row]) }
            try writer.endRow()
        }
        try writer.finish()
        #expect(!FileManager.default.fileExists(atPath: path + ".partial"))

        let reader = try ColumnFileReader(path: path)
        #expect(reader.footer.rows == rows)
        #expect(reader.footer.columns == columns)
        #expect(reader.footer.dictionaries["names"] == ["Vallås", "Centrum", ""])
        #expect(reader.footer.metadata["source"] == "test")
        var read: [[Int32]] = Array(repeating: [], count: columns.count)
        try reader.forEachChunk { chunk in
            for column in columns.indices { read[column] += Array(chunk.column(column)) }
        }
        #expect(read == expected)
    }

    @Test func narrowColumnsTakeFewerBytes() throws {
        let path = temporaryPath("narrow.lbcol")
        let writer = try ColumnFileWriter(path: path, columns: ["month"])
        for row in 0..<10_000 {
            writer.set(0, Int32(row % 12 + 1))
            try writer.endRow()
        }
        try writer.finish()
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(size < 10_000 + 1_000)  // one byte per month and a small footer
        #expect(try ColumnFileReader(path: path).footer.chunks.first?.widths == [1])
    }

    @Test func aTruncatedFileIsRefusedWithItsPath() throws {
        let path = temporaryPath("truncated.lbcol")
        let writer = try ColumnFileWriter(path: path, columns: ["a"])
        for row in 0..<100 {
            writer.set(0, Int32(row))
            try writer.endRow()
        }
        try writer.finish()
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        try data.prefix(data.count - 5).write(to: URL(fileURLWithPath: path))
        #expect {
            try ColumnFileReader(path: path)
        } throws: { error in
            (error as? ColumnFileError).map { $0.path == path && $0.message.contains("end marker") } ?? false
        }
    }

    @Test func aDiscardedWriterLeavesNoFile() throws {
        let path = temporaryPath("discarded.lbcol")
        let writer = try ColumnFileWriter(path: path, columns: ["a"])
        writer.set(0, 1)
        try writer.endRow()
        writer.discard()
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(!FileManager.default.fileExists(atPath: path + ".partial"))
    }
}

@Suite struct ByteInternerTests {
    @Test func equalBytesGetTheSameIndexAcrossGrowth() {
        var interner = ByteInterner()
        var indexes: [String: Int32] = [:]
        let words = (0..<5000).map { "område \($0 % 2500) ö" } + ["", "Vallås", "Vallås "]
        for word in words {
            var copy = word
            let index = copy.withUTF8 { interner.intern($0) }
            if let earlier = indexes[word] { #expect(index == earlier) }
            indexes[word] = index
        }
        #expect(interner.count == 2503)
        #expect(interner.strings.count == 2503)
        for (word, index) in indexes { #expect(interner.strings[Int(index)] == word) }
        #expect(interner.intern("Vallås") == indexes["Vallås"])
    }
}
