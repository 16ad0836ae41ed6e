/// Why a text is not a period, in plain words.
public struct PeriodParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

extension Period {
    /// Parses a period as suppliers write it; nil when the text is none (see ``parse(_:)`` for why).
    public init?(_ text: String) {
        guard let period = try? Period.parse(text) else { return nil }
        self = period
    }

    /// Parses a period as suppliers write it, whitespace and case tolerant:
    /// - year `2023`;
    /// - quarter `2023-Q1`, `2023Q1`, `2023K1`, `2023 kv 1`, `2023 kvartal 1`, `K1 2023`;
    /// - month `2023-01`, `2023M01`, `januari 2023`, `jan 2023`, `2023 januari`;
    /// - ISO week `2023-W05`, `2023W05`, `2023 v. 5`, `v. 5 2023`, `v 5 2023`, `vecka 5 2023`;
    /// - school year `2020/21`, `2020/2021`, `läsåret 2020/21`, `lå 2020/21`;
    /// - term `HT2020`, `HT 2020`, `VT2021`, `2020-HT`.
    ///
    /// Refused: two-digit years (`ht20`), `2020-21` (a school year or a month? write `2020/21`), months,
    /// quarters and weeks that do not exist (`2023-13`, `2021-W53`), and dates (read through
    /// ``read(_:datesAs:dateFormat:)``).
    public static func parse(_ text: String) throws(PeriodParseError) -> Period {
        guard let tokens = PeriodToken.tokens(of: text) else { throw notAPeriod(text) }
        if let period = try match(tokens, text: text) { return period }
        throw notAPeriod(text)
    }

    /// The separator ingest writes between the first and last day of a range read from two fields.
    public static let rangeSeparator = "–"

    /// Reads a source's period field: a period as ``parse(_:)`` reads it, a date as the period of kind
    /// `datesAs` that contains it, or a range `start–end` (``rangeSeparator``) as the one month, quarter
    /// or year it covers exactly (only `datesAs` when given). Dates are read with `dateFormat`, by
    /// default `yyyy-MM-dd`.
    public static func read(
        _ text: String, datesAs: Kind? = nil, dateFormat: DateFormat? = nil
    ) throws(PeriodParseError) -> Period {
        let format = dateFormat ?? DateFormat("yyyy-MM-dd")!
        let trimmed = text.trimmingWhitespace()
        let ends = trimmed.split(separator: Character(rangeSeparator), omittingEmptySubsequences: false)
        if ends.count == 2 {
            let first = ends[0].trimmingWhitespace()
            let last = ends[1].trimmingWhitespace()
            guard let start = format.parse(first), let end = format.parse(last) else {
                throw PeriodParseError("the range '\(trimmed)' does not have two dates like \(format.pattern)")
            }
            return try covering(from: start, through: end, as: datesAs)
        }
        if let date = format.parse(trimmed) {
            guard let kind = datesAs, let period = containing(date, as: kind) else {
                throw PeriodParseError(
                    "'\(trimmed)' is a date, not a period; say how the source's dates are read with "
                        + "dates_as: year, quarter, month or week")
            }
            return period
        }
        return try parse(trimmed)
    }

    /// The period of kind `kind` that contains `date`: its year, quarter, month or ISO week, its school
    /// year or term (nil for a date in July, which lies in neither).
    public static func containing(_ date: CalendarDate, as kind: Kind) -> Period? {
        switch kind {
        case .year: return .year(date.year)
        case .quarter: return .quarter(date.year, date.quarter)
        case .month: return .month(date.year, date.month)
        case .week:
            let week = date.isoWeek
            return .week(week.year, week.week)
        case .schoolYear:
            if date.month == 7 { return nil }
            return .schoolYear(startingIn: date.month >= 8 ? date.year : date.year - 1)
        case .term:
            if date.month == 7 { return nil }
            return date.month >= 8 ? .autumnTerm(date.year) : .springTerm(date.year)
        }
    }

    /// The one period that starts on `start` and ends on `end`: a month, quarter or year, or only `kind`
    /// when given. Throws when the range covers none of them exactly ("the range 2023-01-15–2023-02-14
    /// covers no whole month, quarter or year").
    public static func covering(
        from start: CalendarDate, through end: CalendarDate, as kind: Kind? = nil
    ) throws(PeriodParseError) -> Period {
        let range = "\(start)\(rangeSeparator)\(end)"
        guard start <= end else { throw PeriodParseError("the range \(range) ends before it starts") }
        let kinds: [Kind] = kind.map { [$0] } ?? [.month, .quarter, .year]
        for kind in kinds {
            if let period = containing(start, as: kind), period.firstDay == start, period.lastDay == end {
                return period
            }
        }
        let names = kinds.map(\.words)
        let listed = names.count == 1 ? names[0] : names.dropLast().joined(separator: ", ") + " or " + names.last!
        throw PeriodParseError("the range \(range) covers no whole \(listed)")
    }

    private static func notAPeriod(_ text: String) -> PeriodParseError {
        PeriodParseError(
            "'\(text.trimmingWhitespace())' is not a period: write a year (2023), a quarter (2023K1, 2023-Q1), "
                + "a month (2023-01, januari 2023), an ISO week (2023-W05, v. 5 2023), a school year (2020/21) "
                + "or a term (HT2020)")
    }

    private static func match(_ tokens: [PeriodToken], text: String) throws(PeriodParseError) -> Period? {
        var tokens = tokens
        // `läsåret 2020/21`, `lå 2020/21`: the word only introduces a school year.
        var schoolYearWord = false
        if case .word(let word) = tokens.first, PeriodToken.schoolYearWords.contains(word) {
            tokens.removeFirst()
            schoolYearWord = true
        }
        let numbers = tokens.compactMap { token -> String? in
            if case .number(let digits) = token { return digits }
            return nil
        }
        let words = tokens.compactMap { token -> String? in
            if case .word(let word) = token { return word }
            return nil
        }
        let shape = String(tokens.map(\.shape))
        if schoolYearWord, shape != "n/n" { return nil }
        switch shape {
        case "n":
            return try .year(fourDigitYear(numbers[0], text))
        case "n-n":
            let first = try fourDigitYear(numbers[0], text)
            guard numbers[1].count == 2, let number = Int(numbers[1]) else { return nil }
            if number > 12, number == (first + 1) % 100 {
                throw PeriodParseError(
                    "'\(text.trimmingWhitespace())' is ambiguous: write a school year as \(first)/\(numbers[1]), "
                        + "a month as \(first)-01")
            }
            return try existing(.month(first, number), text)
        case "n/n":
            let first = try fourDigitYear(numbers[0], text)
            let next = numbers[1]
            let second = Int(next) ?? -1
            let follows = next.count == 2 ? second == (first + 1) % 100 : next.count == 4 && second == first + 1
            guard follows else {
                throw PeriodParseError(
                    "'\(text.trimmingWhitespace())' is not a school year: the second year must follow the first, "
                        + "as in \(first)/\(twoDigitText((first + 1) % 100))")
            }
            return schoolYear(startingIn: first)
        case "nwn":
            return try kindAndNumber(words[0], numbers[1], year: fourDigitYear(numbers[0], text), text: text)
        case "wnn":
            guard PeriodToken.quarterWords.contains(words[0]) || PeriodToken.weekWords.contains(words[0]) else {
                return nil
            }
            return try kindAndNumber(words[0], numbers[0], year: fourDigitYear(numbers[1], text), text: text)
        case "wn", "nw":
            let word = words[0]
            let known =
                PeriodToken.monthNames[word] != nil || PeriodToken.springWords.contains(word)
                || PeriodToken.autumnWords.contains(word)
            guard known else { return nil }
            let year = try fourDigitYear(numbers[0], text)
            if let month = PeriodToken.monthNames[word] { return .month(year, month) }
            return PeriodToken.springWords.contains(word) ? .springTerm(year) : .autumnTerm(year)
        case "n-n-n":
            throw PeriodParseError(
                "'\(text.trimmingWhitespace())' is a date, not a period; say how the source's dates are read with "
                    + "dates_as: year, quarter, month or week")
        default:
            return nil
        }
    }

    /// A quarter, month (`M01`) or week from its word and number.
    private static func kindAndNumber(
        _ word: String, _ digits: String, year: Int, text: String
    ) throws(PeriodParseError) -> Period? {
        guard digits.count <= 2, let number = Int(digits) else { return nil }
        if PeriodToken.quarterWords.contains(word) { return try existing(.quarter(year, number), text) }
        if PeriodToken.weekWords.contains(word) {
            guard let week = Period.week(year, number) else {
                throw PeriodParseError(
                    "'\(text.trimmingWhitespace())' is not a week: ISO week-year \(year) has weeks 1–"
                        + "\(weeksInISOYear(year))")
            }
            return week
        }
        if word == "m", digits.count == 2 { return try existing(.month(year, number), text) }
        return nil
    }

    private static func existing(_ period: Period?, _ text: String) throws(PeriodParseError) -> Period {
        guard let period else {
            throw PeriodParseError("'\(text.trimmingWhitespace())' names a quarter or month that does not exist")
        }
        return period
    }

    private static func fourDigitYear(_ digits: String, _ text: String) throws(PeriodParseError) -> Int {
        guard digits.count == 4, let year = Int(digits), years.contains(year) else {
            if digits.count == 2 {
                throw PeriodParseError(
                    "'\(text.trimmingWhitespace())' has a two-digit year; write the year with four digits")
            }
            throw PeriodParseError("'\(text.trimmingWhitespace())' has no year between 1900 and 2199")
        }
        return year
    }

    private static func twoDigitText(_ number: Int) -> String { number < 10 ? "0\(number)" : String(number) }
}

extension Period.Kind {
    /// The kind in words, for messages.
    public var words: String {
        switch self {
        case .year: return "year"
        case .quarter: return "quarter"
        case .month: return "month"
        case .week: return "ISO week"
        case .schoolYear: return "school year"
        case .term: return "term"
        }
    }
}

/// A piece of a period text: digits, a word, or a `-` / `/` separator.
enum PeriodToken: Equatable {
    case number(String)
    case word(String)
    case symbol(Character)

    /// `n` for a number, `w` for a word, the separator itself.
    var shape: Character {
        switch self {
        case .number: return "n"
        case .word: return "w"
        case .symbol(let character): return character
        }
    }

    static let quarterWords: Set<String> = ["q", "k", "kv", "kvartal"]
    static let weekWords: Set<String> = ["w", "v", "vecka"]
    static let schoolYearWords: Set<String> = ["läsåret", "läsår", "lå"]
    static let springWords: Set<String> = ["vt", "vårtermin", "vårterminen"]
    static let autumnWords: Set<String> = ["ht", "hösttermin", "höstterminen"]
    static let monthNames: [String: Int] = [
        "januari": 1, "jan": 1, "februari": 2, "feb": 2, "mars": 3, "mar": 3, "april": 4, "apr": 4, "maj": 5,
        "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augusti": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
        "oktober": 10, "okt": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
    ]

    /// The tokens of `text`, lower-cased, without spaces, without a dot after a word (`v.`, `kv.`) and
    /// without a `-` beside a word (`2023-Q1` reads as `2023Q1`); nil for any other character.
    static func tokens(of text: String) -> [PeriodToken]? {
        var tokens: [PeriodToken] = []
        var current = ""
        var currentIsNumber = false
        func flush() {
            if !current.isEmpty { tokens.append(currentIsNumber ? .number(current) : .word(current)) }
            current = ""
        }
        for character in text.lowercased() {
            if character.isASCII, character.isNumber {
                if !currentIsNumber { flush() }
                currentIsNumber = true
                current.append(character)
            } else if character.isLetter {
                if currentIsNumber { flush() }
                currentIsNumber = false
                current.append(character)
            } else {
                flush()
                switch character {
                case " ", "\t", "\u{00A0}": continue
                case ".":
                    guard case .word = tokens.last else { return nil }
                case "-", "/": tokens.append(.symbol(character))
                default: return nil
                }
            }
        }
        flush()
        return tokens.enumerated().compactMap { index, token in
            guard token == .symbol("-") else { return token }
            let besideWord = [index - 1, index + 1].contains { neighbour in
                guard tokens.indices.contains(neighbour), case .word = tokens[neighbour] else { return false }
                return true
            }
            return besideWord ? nil : token
        }
    }
}

extension StringProtocol {
    fileprivate func trimmingWhitespace() -> String {
        var characters = Substring(self)
        while let first = characters.first, first.isWhitespace { characters.removeFirst() }
        while let last = characters.last, last.isWhitespace { characters.removeLast() }
        return String(characters)
    }
}
