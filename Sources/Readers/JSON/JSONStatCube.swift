import Foundation

/// A JSON-stat dataset unrolled into one record per cell.
///
/// Reads JSON-stat 2.0 (`id` and `size` at the top, SCB's PxWebApi 2), and the 1.x layout with `id` and
/// `size` inside `dimension` (within a `dataset` bundle). Each dimension's categories come from
/// `category.index` (an object code → position, or an array of codes), else from the order of
/// `category.label` (a dimension of one category may omit the index). `value` is a flat array in row-major
/// order over `id` (its length must be the product of `size`), or an object position → value (only the
/// positions it lists become records); `status` is one text for all cells, an array or an object.
struct JSONStatCube {
    struct Dimension {
        var id: String
        var codes: [String]
        var labels: [String]
    }

    let file: String
    let dimensions: [Dimension]
    /// The cell positions that become records, in order, with the value's JSON path.
    let positions: [Int]
    let values: [Int: Any]
    let valuesArray: [Any]?
    let status: Any?

    var header: [String] { dimensions.flatMap { [$0.id, "\($0.id).label"] } + ["value", "status"] }
    var count: Int { positions.count }

    init(_ root: Any, file: String) throws {
        self.file = file
        guard var dataset = root as? [String: Any] else {
            throw JSONReadError(
                file: file, path: "$", "expected a JSON-stat dataset object, found \(JSONRecordReader.kind(of: root))")
        }
        var base = "$"
        if dataset["dimension"] == nil, let inner = dataset["dataset"] as? [String: Any] {
            dataset = inner
            base = "$.dataset"
        }
        guard let dimension = dataset["dimension"] as? [String: Any] else {
            throw JSONReadError(file: file, path: base, "a JSON-stat dataset needs 'dimension' (an object)")
        }
        let ids = (dataset["id"] ?? dimension["id"]) as? [String]
        let sizes = ((dataset["size"] ?? dimension["size"]) as? [Any])?.compactMap { ($0 as? NSNumber)?.intValue }
        guard let ids else {
            throw JSONReadError(
                file: file, path: base + ".id", "a JSON-stat dataset needs 'id' (a list of dimension ids)")
        }
        guard let sizes, sizes.count == ids.count else {
            throw JSONReadError(
                file: file, path: base + ".size", "'size' must list one whole number per dimension id (\(ids.count))")
        }
        var dimensions: [Dimension] = []
        for (id, size) in zip(ids, sizes) {
            let place = PathText.appending(base + ".dimension", field: id)
            guard let entry = dimension[id] as? [String: Any], let category = entry["category"] as? [String: Any] else {
                throw JSONReadError(
                    file: file, path: place, "the dimension '\(id)' (from 'id') has no 'category' object")
            }
            let labels = category["label"] as? [String: Any] ?? [:]
            var codes: [String]
            switch category["index"] {
            case let array as [Any]:
                codes = array.map { "\($0)" }
            case let object as [String: Any]:
                let pairs = object.compactMap { key, value in (value as? NSNumber).map { (key, $0.intValue) } }
                codes = pairs.sorted { $0.1 < $1.1 }.map(\.0)
            default:
                codes = labels.count == 1 ? Array(labels.keys) : []
            }
            guard codes.count == size else {
                throw JSONReadError(
                    file: file, path: place + ".category.index",
                    "the dimension '\(id)' has \(codes.count) categories, but 'size' says \(size)")
            }
            dimensions.append(Dimension(id: id, codes: codes, labels: codes.map { labels[$0] as? String ?? $0 }))
        }
        self.dimensions = dimensions
        let total = sizes.reduce(1) { $0.multipliedReportingOverflow(by: $1).overflow ? Int.max : $0 * $1 }
        switch dataset["value"] {
        case let array as [Any]:
            guard array.count == total else {
                throw JSONReadError(
                    file: file, path: base + ".value",
                    "'value' has \(array.count) values, but the sizes \(sizes.map(String.init).joined(separator: "×")) "
                        + "give \(total) cells")
            }
            valuesArray = array
            values = [:]
            positions = Array(0..<array.count)
        case let object as [String: Any]:
            var found: [Int: Any] = [:]
            for (key, value) in object {
                guard let position = Int(key), position >= 0, position < total else {
                    throw JSONReadError(
                        file: file, path: PathText.appending(base + ".value", field: key),
                        "'\(key)' is not a cell position (0 to \(total - 1))")
                }
                found[position] = value
            }
            valuesArray = nil
            values = found
            positions = found.keys.sorted()
        case let other:
            throw JSONReadError(
                file: file, path: base + ".value",
                "'value' must be an array or an object, found \(other.map(JSONRecordReader.kind(of:)) ?? "nothing")")
        }
        status = dataset["status"]
        statusPath = base + ".status"
        valuePath = base + ".value"
    }

    let statusPath: String
    let valuePath: String

    func forEachRecord(_ body: (JSONRecord) throws -> Void) throws {
        let strides = dimensions.indices.map { index in
            dimensions[(index + 1)...].reduce(1) { $0 * $1.codes.count }
        }
        for (number, position) in positions.enumerated() {
            var cells: [String] = []
            for (index, dimension) in dimensions.enumerated() {
                let category = position / strides[index] % dimension.codes.count
                cells += [dimension.codes[category], dimension.labels[category]]
            }
            let value = valuesArray.map { $0[position] } ?? values[position]
            let valuePlace =
                valuesArray == nil
                ? PathText.appending(valuePath, field: String(position))
                : PathText.appending(valuePath, index: position)
            let statusText = statusAt(position)
            var problems: [Int: String] = [:]
            var valueText = ""
            switch JSONRecordReader.text(value, shape: .jsonStat) {
            case .success(let text): valueText = text
            case .failure(let problem): problems[cells.count] = problem.reason
            }
            // A missing value says why in its status (`..` suppressed).
            if valueText.isEmpty, !statusText.text.isEmpty { valueText = statusText.text }
            cells += [valueText, statusText.text]
            let dimensionIDs = dimensions.map(\.id)
            try body(
                JSONRecord(
                    line: number + 1, path: valuePlace, cells: cells,
                    absent: Array(repeating: false, count: cells.count), problems: problems,
                    placeOf: { index in
                        switch index {
                        case 2 * dimensionIDs.count: return valuePlace
                        case 2 * dimensionIDs.count + 1: return statusText.path
                        default:
                            let place = PathText.appending("$.dimension", field: dimensionIDs[index / 2]) + ".category"
                            return place + (index % 2 == 0 ? ".index" : ".label")
                        }
                    }))
        }
    }

    private func statusAt(_ position: Int) -> (text: String, path: String) {
        switch status {
        case let text as String: return (text, statusPath)
        case let array as [Any]:
            guard position < array.count else { return ("", statusPath) }
            return ((array[position] as? String) ?? "", PathText.appending(statusPath, index: position))
        case let object as [String: Any]:
            return (
                (object[String(position)] as? String) ?? "", PathText.appending(statusPath, field: String(position))
            )
        default: return ("", statusPath)
        }
    }
}
