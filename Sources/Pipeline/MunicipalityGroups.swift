import Foundation

/// SKR's municipality groups (kommungrupper) as a code list: which group each kommun belongs to, in the
/// grouping of one version year (`code_lists.municipality_groups`).
public struct MunicipalityGroupList: Sendable, Hashable {
    /// Absolute path of the file (`municipality_code;group_code;group_name`, UTF-8, `;`).
    public var path: String
    /// The year of the grouping (SKR revises it), shown beside every comparison with a group.
    public var version: Int

    public init(path: String, version: Int) {
        self.path = path
        self.version = version
    }

    /// Reads the file: one group per kommun. Throws ``MunicipalityGroupListError`` with the line on a
    /// missing column, a code that is not 4 digits, an empty group or a kommun listed twice.
    public func read() throws -> MunicipalityGroups {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else { throw MunicipalityGroupListError(path: path, line: nil, message: "cannot be read as UTF-8") }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        guard let header = lines.first else {
            throw MunicipalityGroupListError(path: path, line: nil, message: "the file is empty")
        }
        let columns = header.split(separator: ";", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        }
        func index(_ name: String) throws -> Int {
            guard let index = columns.firstIndex(of: name) else {
                throw MunicipalityGroupListError(
                    path: path, line: 1, message: "code list has no column '\(name)' (header: \(header))")
            }
            return index
        }
        let (codeIndex, groupIndex, nameIndex) = (
            try index("municipality_code"), try index("group_code"), try index("group_name")
        )
        var groups = MunicipalityGroups(version: version)
        for (offset, line) in lines.enumerated().dropFirst() where !line.isEmpty {
            let fields = line.split(separator: ";", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            func field(_ index: Int) -> String { index < fields.count ? fields[index] : "" }
            let code = field(codeIndex)
            let group = MunicipalityGroup(code: field(groupIndex), name: field(nameIndex))
            func fail(_ message: String) -> MunicipalityGroupListError {
                MunicipalityGroupListError(path: path, line: offset + 1, message: message)
            }
            guard code.count == 4, code.allSatisfy(\.isASCII), code.allSatisfy(\.isNumber) else {
                throw fail("a municipality code has 4 digits, found '\(code.prefix(20))'")
            }
            guard !group.code.isEmpty, !group.name.isEmpty else {
                throw fail("kommun \(code) has no group code or name")
            }
            guard groups.groupOf[code] == nil else { throw fail("kommun \(code) is listed twice") }
            groups.groupOf[code] = group
        }
        return groups
    }
}

/// One municipality group: SKR's code (`B3`) and name (`Större städer`).
public struct MunicipalityGroup: Sendable, Hashable {
    public var code: String
    public var name: String

    public init(code: String, name: String) {
        self.code = code
        self.name = name
    }
}

/// The grouping read from a ``MunicipalityGroupList``.
public struct MunicipalityGroups: Sendable, Hashable {
    /// The area level of a group's comparison rows in `indicator_values`.
    public static let areaLevel = "municipality_group"

    public var version: Int
    /// Kommun code → its group.
    public var groupOf: [String: MunicipalityGroup] = [:]

    public init(version: Int, groupOf: [String: MunicipalityGroup] = [:]) {
        self.version = version
        self.groupOf = groupOf
    }

    /// The kommuner of a group, sorted by code.
    public func members(of group: MunicipalityGroup) -> [String] {
        groupOf.filter { $0.value == group }.map(\.key).sorted()
    }
}

/// A malformed municipality group list, with its file and line.
public struct MunicipalityGroupListError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var line: Int?
    public var message: String

    public var description: String { "\(path)\(line.map { ":\($0)" } ?? ""): \(message)" }
}

extension ConfigNode {
    /// `municipality_groups: FILE` (the version year from the file name, `kommungrupper_2023.csv`) or
    /// `municipality_groups: { file: FILE, version: 2023 }`.
    func municipalityGroupList(resolve: (String) -> String) throws -> MunicipalityGroupList {
        let fileNode: ConfigNode
        var version: Int?
        if case .scalar = node {
            fileNode = self
        } else {
            let map = try mapping(allowedKeys: ["file", "version"])
            fileNode = try map.require("file")
            if let node = map["version"] {
                let year = try node.int()
                guard (1990...2100).contains(year) else { throw node.error("a version is a year, e.g. 2023") }
                version = year
            }
        }
        let path = resolve(try fileNode.string())
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw fileNode.error("code list file \(path) does not exist or cannot be read")
        }
        if version == nil {
            let name = (path as NSString).lastPathComponent
            if let match = name.firstMatch(of: /(?:^|[^0-9])((?:19|20)[0-9]{2})(?:[^0-9]|$)/) {
                version = Int(match.1)
            }
        }
        guard let version else {
            throw error(
                "the grouping's year is not in the file name; write { file: \(try fileNode.string()), version: YEAR }")
        }
        return MunicipalityGroupList(path: path, version: version)
    }
}
