/// Detects the delimiter and the title lines from the first records of a file.
///
/// **Delimiter.** Each candidate (`;`, tab, `,`) splits the first 32 non-blank records (quotes
/// respected). The candidate whose most common field count (above 1) is shared by the most records
/// wins; a tie goes to `;`, then tab, then `,`. With no candidate giving more than one field, the
/// delimiter is tab for UTF-16 (Excel's "Unicode text") and `;` otherwise.
///
/// **Title lines.** Among the same records, let *widest* be the largest number of non-empty fields.
/// Leading records are title lines while they have at most one non-empty field (when *widest* is at
/// least 2) or fewer than half of *widest*'s non-empty fields. So `Anmälda brott;;;` above
/// `Region;Brott;2022;2023` is a title line, and so is PX-Web's quoted one-cell title. Blank lines
/// between them are skipped and counted as blank lines.
enum DialectDetection {
    /// How many fields a sampled record has, and how many of them are non-empty.
    struct SampledRecord: Equatable {
        var fields: Int
        var filled: Int
    }

    static let sampleSize = 32

    /// The first `sampleSize` non-blank records from `start`; stops early at the end of the buffer or at
    /// a record that cannot be scanned.
    static func sample(
        _ bytes: UnsafePointer<UInt8>, start: Int, limit: Int, atEOF: Bool, delimiter: UInt8
    ) -> [SampledRecord] {
        var scanner = RecordScanner(delimiter: delimiter)
        defer { scanner.deallocate() }
        var records: [SampledRecord] = []
        var position = start
        while records.count < sampleSize, position < limit {
            guard
                case .record(_, let next, _, _, let hasContent) = scanner.scan(
                    bytes, start: position, limit: limit, atEOF: atEOF)
            else { break }
            position = next
            guard hasContent else { continue }
            var filled = 0
            for index in 0..<scanner.fieldCount where scanner.fields[index].end > scanner.fields[index].start {
                filled += 1
            }
            records.append(SampledRecord(fields: scanner.fieldCount, filled: filled))
        }
        return records
    }

    /// The delimiter that splits the sample most consistently.
    static func delimiter(
        _ bytes: UnsafePointer<UInt8>, start: Int, limit: Int, atEOF: Bool, fallback: UInt8
    ) -> UInt8 {
        var best = fallback
        var bestScore = 0
        for candidate in CSVDialect.detectableDelimiters {
            let records = sample(bytes, start: start, limit: limit, atEOF: atEOF, delimiter: candidate)
            let score = consistency(records.map(\.fields))
            if score > bestScore {
                best = candidate
                bestScore = score
            }
        }
        return best
    }

    /// The number of records sharing the most common field count above 1.
    static func consistency(_ counts: [Int]) -> Int {
        var frequency: [Int: Int] = [:]
        for count in counts where count > 1 { frequency[count, default: 0] += 1 }
        return frequency.values.max() ?? 0
    }

    /// The number of leading records that are title lines.
    static func titleCount(_ records: [SampledRecord]) -> Int {
        let widest = records.map(\.filled).max() ?? 0
        guard widest >= 2 else { return 0 }
        var titles = 0
        for record in records {
            guard record.filled <= 1 || 2 * record.filled < widest else { break }
            titles += 1
        }
        return titles == records.count ? 0 : titles
    }
}
