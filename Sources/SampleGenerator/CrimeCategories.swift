import Foundation

/// Builds `Pipelines/codelists/crime_categories.csv` from the crime-code names in `brottskoder.csv`
/// (Brå's list, copied unchanged): one row per (category, code), a code may be in several categories,
/// retired codes included.
///
/// The rules match on the *names* (benämning), never on a code prefix alone, because the first two digits
/// of a Brå code only roughly follow the chapter of Brottsbalken (93xx/94xx hold chapter 3/4 crimes, 98xx
/// chapter 8, …). A few rules are restricted to a code group (kodgrupp) where a word is ambiguous
/// (`bedrägeri` outside chapter 9).
enum CrimeCategories {
    /// Category ids in output order.
    static let categories = [
        "vald", "misshandel", "ran", "bostadsinbrott", "fordonsbrott", "skadegorelse", "klotter", "narkotika",
        "vald_mot_tjansteman", "bedrageri",
    ]

    private static func rx(_ pattern: String) -> NSRegularExpression {
        // The patterns are constants; a bad one is a programming error.
        try! NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
    }

    /// Assault (misshandel, incl. grov): "Misshandel", "Missh", "Grov missh". "Vållande till kroppsskada"
    /// does not contain the word.
    static let assault = rx(#"^(grov\s+)?missh(andel)?\b"#)
    /// Attempted murder or manslaughter (incl. "Förs mord/dråp"); completed ones and Mordbrand excluded.
    static let attemptedMurder = rx(#"^förs(ök)?\b.*\b(mord|dråp)\b"#)
    /// Rape incl. aggravated, completed and attempted; negligent rape (oaktsam, since 2018) excluded.
    static let rape = rx(#"\bvåldtäkt"#)
    static let negligent = rx(#"^oaktsam"#)
    /// Gross violation of (a woman's) integrity.
    static let grossViolation = rx(#"^grov\s+(kvinno)?fridskränkning"#)
    /// Violence against a public official: only the codes that name violence.
    static let violenceAgainstOfficial = rx(#"^våld mot tjänstem"#)
    /// Violence or threat against a public official: the violence codes plus 1705.
    static let violenceOrThreatAgainstOfficial = rx(#"^(våld mot tjänstem|hot eller förgripelse mot tjänsteman)"#)
    /// Robbery: "rån" alone or as the last part of a compound, not "intrång".
    static let robbery = rx(#"(^|[\s,(/])(\w*rån)\b"#)
    static let robberyWords: Set<String> = ["rån", "bankrån", "postrån", "butiksrån", "taxirån"]
    /// Residential burglary (flat, villa, terraced house, other dwelling); not holiday homes or cellars.
    static let burglary = rx(
        #"^(inbrottsstöld\b.*\b(villa|radhus|lägenhet|annan typ av bostad)|stöld genom inbrott i lägenhet eller villa)"#
    )
    /// Taking a motor vehicle; boats and bicycles excluded.
    static let vehicleTaking = rx(
        #"^(tillgrepp (av )?motordr fortskaffningsmedel, (förs till biltillgrepp|fullb biltillgrepp|motorcykel|moped|annat)|tillgrepp av lastbil)"#
    )
    /// Theft from or out of a motor vehicle.
    static let theftFromVehicle = rx(
        #"^stöld ur (eller|och|/)?\s*(från )?(motordrivet fordon|lastbil)|^stöld ur/från motordrivet fordon"#)
    /// Criminal damage incl. graffiti; "Tagande av olovlig väg" (chapter 12) is not damage.
    static let damage = rx(#"^(skadegörelse|annan skadegörelse|klotter)"#)
    static let graffiti = rx(#"klotter"#)
    static let notGraffiti = rx(#"ej klotter"#)
    /// Offences against narkotikastrafflagen (smuggling, 5001 and drugged driving are other laws).
    static let narcotics = rx(#"narkotikastrafflagen|narkstrafflagen"#)
    /// Fraud: chapter-09 codes whose name holds a form of "bedr".
    static let fraud = rx(#"bedr"#)

    private static func found(_ pattern: NSRegularExpression, _ text: String) -> Bool {
        pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// The categories of one code.
    static func categorise(name: String, group: String) -> Set<String> {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        var result: Set<String> = []
        let isAssault = found(assault, name)
        let words = robbery.matches(in: name, range: NSRange(name.startIndex..., in: name)).compactMap { match in
            Range(match.range(at: 2), in: name).map { name[$0].lowercased() }
        }
        let isRobbery = !robberyWords.isDisjoint(with: words)
        let isRape = found(rape, name) && !found(negligent, name)
        if isAssault { result.insert("misshandel") }
        if isRobbery { result.insert("ran") }
        if found(attemptedMurder, name) || isAssault || isRape || found(grossViolation, name)
            || found(violenceAgainstOfficial, name) || isRobbery
        {
            result.insert("vald")
        }
        if found(burglary, name) { result.insert("bostadsinbrott") }
        if found(vehicleTaking, name) || found(theftFromVehicle, name) { result.insert("fordonsbrott") }
        if found(damage, name) { result.insert("skadegorelse") }
        if found(graffiti, name) && !found(notGraffiti, name) { result.insert("klotter") }
        if found(narcotics, name) { result.insert("narkotika") }
        if found(violenceOrThreatAgainstOfficial, name) { result.insert("vald_mot_tjansteman") }
        if group == "09" && found(fraud, name) { result.insert("bedrageri") }
        return result
    }

    /// `crime_categories.csv` (`category;crime_code`, UTF-8, LF) from the text of `brottskoder.csv`
    /// (`brottskod;benamning;upphord;kodgrupp`).
    static func list(codeList path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SampleGeneratorError("cannot read \(path)")
        }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        guard lines.first == "brottskod;benamning;upphord;kodgrupp" else {
            throw SampleGeneratorError("\(path): the header is not brottskod;benamning;upphord;kodgrupp")
        }
        var perCategory: [String: [String]] = [:]
        for (offset, line) in lines.dropFirst().enumerated() {
            let fields = line.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 4 else {
                throw SampleGeneratorError("\(path):\(offset + 2): expected 4 fields, found \(fields.count)")
            }
            for category in categorise(name: fields[1], group: fields[3]) {
                perCategory[category, default: []].append(fields[0])
            }
        }
        var text = "category;crime_code\n"
        for category in categories {
            for code in (perCategory[category] ?? []).sorted() { text += "\(category);\(code)\n" }
        }
        return Array(text.utf8)
    }
}
