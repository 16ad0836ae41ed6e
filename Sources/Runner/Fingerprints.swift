import Foundation
import GRDB
import Normalize
import PipelineModel
import StageKit
import Workspace

/// The fingerprint of a stage's inputs: a hash over named parts (files, settings, the previous stage's
/// output, the tool's version), so a run can skip a stage whose inputs did not change and say which
/// part did when they did.
public struct StageFingerprint: Sendable, Hashable {
    /// Part name → hash.
    public var inputs: [String: String]

    /// The hash over every part.
    public var value: String {
        Fingerprints.sha256(inputs.keys.sorted().map { "\($0)=\(inputs[$0]!)" }.joined(separator: "\n"))
    }

    /// The parts as JSON, for the run history.
    public var json: String {
        let data = (try? JSONSerialization.data(withJSONObject: inputs, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// Names of the parts that differ from an earlier fingerprint's parts (given as JSON).
    public func changes(since json: String?) -> [String] {
        guard let json, let data = json.data(using: .utf8),
            let earlier = try? JSONSerialization.jsonObject(with: data) as? [String: String]
        else { return ["no earlier run to compare with"] }
        let names = Set(inputs.keys).union(earlier.keys).sorted()
        return names.compactMap { name in
            switch (inputs[name], earlier[name]) {
            case (nil, _): return "\(name) removed"
            case (_, nil): return "\(name) added"
            case (let now?, let then?) where now != then: return "\(name) changed"
            default: return nil
            }
        }
    }
}

/// Computes stage fingerprints.
enum Fingerprints {
    static func sha256(_ text: String) -> String { NormalizeInputs.sha256(text) }

    /// `path` relative to the pipeline file's folder when it lies below it, else as it is.
    static func relative(_ path: String, to pipelineFile: String) -> String {
        let folder = (pipelineFile as NSString).deletingLastPathComponent + "/"
        return path.hasPrefix(folder) ? String(path.dropFirst(folder.count)) : path
    }

    static func fileHash(_ path: String) -> String { NormalizeInputs.fileHash(path) }

    /// Ingest reads the source files: each file's size and modification time (cheap to look at), and
    /// each source's reading settings.
    static func ingest(_ pipeline: Pipeline) -> StageFingerprint {
        var inputs = ["tool version": lagesbildVersion]
        for source in pipeline.sources {
            inputs["source \(source.id) settings"] = sha256(source.fingerprintText)
            if !source.delivery.withdrawn.isEmpty {
                inputs["source \(source.id) withdrawn files"] = sha256(
                    source.delivery.withdrawn.joined(separator: "\n"))
            }
            var files = Set<String>()
            for pattern in source.files { files.formUnion(expandGlob(pattern)) }
            for file in files.sorted() {
                let attributes = try? FileManager.default.attributesOfItem(atPath: file)
                let size = (attributes?[.size] as? NSNumber)?.intValue ?? -1
                let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
                inputs["file \(source.id)/\(relative(file, to: pipeline.path))"] = "\(size)@\(modified)"
            }
        }
        return StageFingerprint(inputs: inputs)
    }

    /// Normalize reads ingest's output (the deliveries), the code lists and the sources' formats.
    static func normalize(_ pipeline: Pipeline, db: Database) throws -> StageFingerprint {
        var inputs = ["tool version": lagesbildVersion]
        let deliveries = try String.fetchAll(
            db,
            sql: """
                SELECT source_id || ' ' || path || ' ' || sha256 || ' ' || config_sha256 || ' ' || status
                FROM deliveries ORDER BY source_id, path
                """)
        inputs["ingested deliveries"] = sha256(deliveries.joined(separator: "\n"))
        inputs.merge(NormalizeInputs.settings(pipeline)) { first, _ in first }
        // A new result version (what normalize writes changed) must normalize again, as the deliveries' keys do.
        inputs["result version"] = NormalizeInputs.resultVersion
        return StageFingerprint(inputs: inputs)
    }

    /// Aggregate reads normalize's output and the indicator definitions, targets and disclosure rules.
    static func aggregate(_ pipeline: Pipeline, normalize: String) -> StageFingerprint {
        var inputs = ["tool version": lagesbildVersion, "normalized data": normalize]
        for indicator in pipeline.indicators { inputs["indicator \(indicator.id)"] = sha256(indicator.fingerprintText) }
        inputs["targets"] = sha256(pipeline.targets.map(\.fingerprintText).joined(separator: "\n"))
        inputs["disclosure threshold"] = String(pipeline.disclosure.threshold)
        inputs["disclosure secondary"] = String(pipeline.disclosure.secondary)
        inputs["disclosure suppress_zeros"] = String(pipeline.disclosure.suppressZeros)
        // The years an events source's contract names are the years its files cover (zeros, not missing).
        inputs["events coverage"] = pipeline.sources.filter { $0.kind == .events }.map {
            "\($0.id)=\($0.delivery.expect ?? "")@\($0.delivery.years.map { "\($0)" } ?? "")"
        }.joined(separator: ";")
        inputs["municipality"] = pipeline.municipality.code
        inputs["scope"] = pipeline.scope.rawValue
        if pipeline.periods != PeriodSettings() {
            inputs["periods"] = "school_year_as_year=\(pipeline.periods.schoolYearAsYear.rawValue)"
        }
        if let plan = pipeline.actionPlan { inputs["action plan"] = fileHash(plan.path) }
        if let groups = pipeline.codeLists.municipalityGroups {
            inputs["code list municipality groups"] = "\(groups.version)|" + fileHash(groups.path)
        }
        return StageFingerprint(inputs: inputs)
    }

    /// Publish reads aggregate's output and the output settings; its files must still be there.
    static func publish(_ pipeline: Pipeline, aggregate: String, db: Database) throws
        -> StageFingerprint
    {
        let outputs = pipeline.outputs
        var inputs = [
            "tool version": lagesbildVersion, "aggregated data": aggregate,
            "output settings": sha256(
                "\(outputs.directory ?? "")|\(outputs.csv)|\(outputs.json)|\(outputs.report)|\(outputs.postgres?.schema ?? "")"
            ),
        ]
        let published = try String.fetchAll(db, sql: "SELECT path FROM publications ORDER BY path")
        let missing = published.filter { !FileManager.default.fileExists(atPath: $0) }
        inputs["published files"] = missing.isEmpty ? "present" : "missing: \(missing.count)"
        inputs["title"] = sha256(pipeline.title)
        // The report names each supplier as the pipeline file says.
        inputs["supplier names"] = sha256(
            pipeline.sources.map { "\($0.id)=\($0.supplierName ?? "")" }.joined(separator: "\n"))
        if let postgres = outputs.postgres {
            // Configuring a connection (or changing which one) must publish again.
            let environment = ProcessInfo.processInfo.environment
            let connection = ["LAGESBILD_PG_URL", "PGHOST", "PGPORT", "PGUSER", "PGDATABASE"].map {
                environment[$0] ?? ""
            }
            inputs["PostgreSQL output"] = sha256(
                "\(postgres.schema)|\(postgres.required)|\(connection.joined(separator: "|"))")
        }
        // Maps: the boundary files' contents and the maps' settings.
        if let maps = pipeline.maps {
            inputs["maps settings"] = sha256(maps.fingerprintText)
            for boundary in maps.boundaries {
                inputs["boundary file \(relative(boundary.file, to: pipeline.path))"] = fileHash(boundary.file)
            }
        }
        return StageFingerprint(inputs: inputs)
    }
}
