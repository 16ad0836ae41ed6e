/// The level of an area in SCB's hierarchy, as the pipeline file names it (`area_levels:`) and the workspace
/// stores it (`indicator_values.area_level`). The raw values are the stored words.
public enum AreaLevel: String, StoredWord, Codable, Comparable {
    public static let storedName = "area level"

    case country
    case county
    case municipality
    /// A kommun's own districts (kommundelar, områden).
    case district
    /// SCB's demographic statistical areas (DeSO).
    case deso
    /// A school unit (skolenhet): beside DeSO, below the municipality.
    case school
    /// SKR's municipality group (kommungrupp) of the kommun: a comparison row, beside the municipality.
    case municipalityGroup = "municipality_group"

    /// How far below the country the level lies (schools and DeSO both 4).
    public var depth: Int {
        switch self {
        case .country: return 0
        case .county: return 1
        case .municipality, .municipalityGroup: return 2
        case .district: return 3
        case .deso, .school: return 4
        }
    }

    /// The levels events are counted at (events carry a municipality, a district and a DeSO).
    public static let eventLevels: [AreaLevel] = [.municipality, .district, .deso]

    /// The level of an area known only by its code: `00` the country, two digits a county, else a
    /// municipality.
    public init(code: String) {
        self = code == "00" ? .country : code.count == 2 ? .county : .municipality
    }

    public static func < (lhs: AreaLevel, rhs: AreaLevel) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// A closed set of words the workspace stores and the exports write (an area level, a value status…).
public protocol StoredWord: RawRepresentable, CaseIterable, Sendable, Hashable where RawValue == String {
    /// What the words name, for messages ("value status").
    static var storedName: String { get }
}

extension StoredWord {
    /// Reads a stored word; an unknown one is an error (``UnknownStoredValue``), never a silent default.
    public init(stored text: String) throws {
        guard let value = Self(rawValue: text) else { throw UnknownStoredValue(type: Self.storedName, text) }
        self = value
    }
}

/// A stored or configured word that names none of a type's cases: an error, never a silent default.
public struct UnknownStoredValue: Error, Sendable, Hashable, CustomStringConvertible {
    /// What the word should have named, e.g. "value status".
    public var type: String
    public var text: String

    public init(type: String, _ text: String) {
        self.type = type
        self.text = text
    }

    public var description: String { "unknown \(type) '\(text)'" }
}
