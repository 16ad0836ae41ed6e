// libyaml, the C parser inside Yams. Yams composes a document only as a whole; its events are needed
// to check a document before it is composed.
import CYaml

/// Limits that keep loading a pipeline file fast whatever the file holds: it is untrusted input.
///
/// Checked on libyaml's event stream before Yams composes the document. Yams shares the node an
/// alias (`*name`) refers to rather than copying it, but comparing and hashing mapping keys, and
/// every walk over the tree, see each alias expanded: a few lines of anchors whose aliases refer to
/// each other ("billion laughs") would take hours. So:
/// - a file holds at most ``maximumBytes`` bytes;
/// - collections nest at most ``maximumDepth`` levels deep;
/// - the document, with every alias expanded, has at most ``maximumNodes`` nodes (scalars, lists and
///   mappings);
/// - an alias is never a mapping key (a key is text, written out).
enum PipelineFileLimits {
    /// Largest pipeline file, in bytes (Pipelines/halmstad.yaml has 14 KB).
    static let maximumBytes = 1 << 20
    /// Deepest nesting of lists and mappings (a pipeline file needs 5).
    static let maximumDepth = 32
    /// Most nodes with every alias expanded (Pipelines/halmstad.yaml has about 700).
    static let maximumNodes = 100_000

    /// Throws ``PipelineFileError`` when `yaml` breaks a limit. A YAML syntax error is left to Yams,
    /// which reports it: the check stops there.
    static func check(_ yaml: String, file: String) throws(PipelineFileError) {
        let size = yaml.utf8.count
        guard size <= maximumBytes else {
            throw PipelineFileError(
                file: file, keyPath: "",
                message: "the pipeline file has \(size) bytes; a pipeline file may have at most \(maximumBytes)")
        }
        guard size > 0 else { return }
        var text = yaml
        let result: Result<Void, PipelineFileError> = text.withUTF8 { bytes in
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else { return .success(()) }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
            var walk = EventWalk(file: file)
            var event = yaml_event_t()
            while yaml_parser_parse(&parser, &event) == 1 {
                defer { yaml_event_delete(&event) }
                if event.type == YAML_STREAM_END_EVENT { break }
                do throws(PipelineFileError) {
                    try walk.add(event)
                } catch {
                    return .failure(error)
                }
            }
            return .success(())
        }
        try result.get()
    }

    /// Follows the events of one stream: nesting, nodes counted with aliases expanded, and whether the
    /// next node is a mapping key.
    private struct EventWalk {
        /// An open list or mapping.
        struct Collection {
            var isMapping: Bool
            /// Nodes read in it: in a mapping, keys and values alternate.
            var items = 0
            var anchor: String?
            /// ``EventWalk/nodes`` before it started.
            var nodesBefore: Int
        }

        let file: String
        var open: [Collection] = []
        /// Nodes so far, each alias counted as the size of the node it refers to.
        var nodes = 0
        /// The size of each anchored node, aliases expanded.
        var anchorSizes: [String: Int] = [:]

        mutating func add(_ event: yaml_event_t) throws(PipelineFileError) {
            switch event.type {
            case YAML_DOCUMENT_START_EVENT:
                anchorSizes = [:]
            case YAML_ALIAS_EVENT:
                let name = Self.text(event.data.alias.anchor) ?? ""
                if let top = open.last, top.isMapping, top.items % 2 == 0 {
                    throw error(
                        "an alias (*\(name)) cannot be a key: write the key out (pipeline files take aliases as "
                            + "values only)", event)
                }
                try count(anchorSizes[name] ?? 1, event)
                finishNode()
            case YAML_SCALAR_EVENT:
                try count(1, event)
                if let anchor = Self.text(event.data.scalar.anchor) { anchorSizes[anchor] = 1 }
                finishNode()
            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                guard open.count < maximumDepth else {
                    throw error(
                        "lists and mappings are nested more than \(maximumDepth) levels deep; a pipeline file "
                            + "needs far fewer", event)
                }
                let isMapping = event.type == YAML_MAPPING_START_EVENT
                let anchor =
                    isMapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor
                open.append(Collection(isMapping: isMapping, anchor: Self.text(anchor), nodesBefore: nodes))
                try count(1, event)
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let collection = open.popLast() else { return }
                if let anchor = collection.anchor { anchorSizes[anchor] = nodes - collection.nodesBefore }
                finishNode()
            default:
                break
            }
        }

        /// Adds `size` nodes, failing past ``PipelineFileLimits/maximumNodes``.
        mutating func count(_ size: Int, _ event: yaml_event_t) throws(PipelineFileError) {
            nodes += size
            guard nodes <= maximumNodes else {
                throw error(
                    "with its aliases expanded, the document has more than \(maximumNodes) values; "
                        + "aliases that repeat each other (an alias bomb) are refused", event)
            }
        }

        /// A node of the innermost open collection is complete.
        mutating func finishNode() {
            if !open.isEmpty { open[open.count - 1].items += 1 }
        }

        func error(_ message: String, _ event: yaml_event_t) -> PipelineFileError {
            PipelineFileError(
                file: file, line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1,
                keyPath: "", message: message)
        }

        static func text(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
            pointer.map { String(cString: $0) }
        }
    }
}
