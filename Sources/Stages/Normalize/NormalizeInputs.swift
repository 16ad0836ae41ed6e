import Crypto
import Foundation
import GRDB
import PipelineModel
import StageKit
import Workspace

/// What normalize's results depend on besides the delivered rows: the code lists, each source's
/// formats and codes, the municipality and the action plan. The runner's stage fingerprint and the
/// per-delivery keys (``DeliveryReuse``) are both made from these parts, so the two never disagree.
public enum NormalizeInputs {
    /// Bumped whenever normalize's code writes different results from the same inputs, so that a
    /// workspace normalized by an older build normalizes every delivery again.
    public static let resultVersion = "1"

    /// Part name → hash of every input of normalize except the deliveries themselves.
    public static func settings(_ pipeline: Pipeline) -> [String: String] {
        var inputs: [String: String] = [:]
        let lists = pipeline.codeLists
        for (name, path) in [
            ("crime codes", lists.crimeCodes?.path), ("crime categories", lists.crimeCategories),
            ("areas", lists.areas),
            ("DeSO crosswalk", lists.desoCrosswalk),
        ] {
            if let path { inputs["code list \(name)"] = fileHash(path) }
        }
        if let crimeCodes = lists.crimeCodes {
            inputs["code list crime codes settings"] = sha256(crimeCodes.settingsText)
        }
        for source in pipeline.sources {
            if let types = source.eventTypes {
                inputs["source \(source.id) event types"] = sha256(fileHash(types.path) + "|" + types.settingsText)
            }
            inputs["source \(source.id) codes"] = sha256(
                "\(source.kind.rawValue)|\(source.dateFormat)|\(source.areaCodes.rawValue)|\(source.quarantineLimit)"
                    + (source.datesAs.map { "|dates_as=\($0.rawValue)" } ?? ""))
        }
        inputs["municipality"] = sha256(
            "\(pipeline.municipality.code)|\(pipeline.municipality.name)|\(pipeline.municipality.countyCode)")
        // Status reports are checked against the plan's measures and their months.
        if let plan = pipeline.actionPlan { inputs["action plan"] = fileHash(plan.path) }
        return inputs
    }

    /// One hash over ``settings(_:)`` and ``resultVersion``.
    public static func settingsKey(_ pipeline: Pipeline) -> String {
        let inputs = settings(pipeline)
        return sha256(
            (["result version=\(resultVersion)"] + inputs.keys.sorted().map { "\($0)=\(inputs[$0]!)" })
                .joined(separator: "\n"))
    }

    public static func sha256(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// The SHA-256 of a file's bytes, or `missing`.
    public static func fileHash(_ path: String) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { return "missing" }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
