import Foundation

/// Where and as whom the publisher connects. Read from the environment (and a password file), never from the
/// pipeline file, so that no password ends up in a file under version control.
///
/// ``description`` never shows the password.
public struct PostgresSettings: Sendable, Equatable, CustomStringConvertible {
    /// Whether the connection is encrypted.
    public enum TLSMode: String, Sendable, Equatable {
        /// Never encrypt.
        case disable
        /// Encrypt when the server offers it, without checking its certificate (libpq's `prefer`).
        case prefer
        /// Always encrypt, and check the server's certificate and name against the system's trusted roots
        /// (stricter than libpq's `require`, like its `verify-full`).
        case require
    }

    /// A host name or address, or a directory holding the server's Unix socket when it starts with `/`.
    public var host: String
    public var port: Int
    public var user: String
    public var database: String
    public var password: String?
    public var tls: TLSMode

    public init(
        host: String = "localhost",
        port: Int = 5432,
        user: String,
        database: String,
        password: String? = nil,
        tls: TLSMode = .prefer
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.database = database
        self.password = password
        self.tls = tls
    }

    /// Whether ``host`` names a Unix socket directory rather than a host.
    public var usesUnixSocket: Bool { host.hasPrefix("/") }

    /// The socket file libpq would use: `<host>/.s.PGSQL.<port>`.
    public var unixSocketPath: String { "\(host)/.s.PGSQL.\(port)" }

    public var description: String {
        let place = usesUnixSocket ? unixSocketPath : "\(host):\(port)"
        let secret = password == nil ? "no password" : "password set"
        return "postgres \(user)@\(place)/\(database) (tls \(tls.rawValue), \(secret))"
    }

    /// Reads the settings from `LAGESBILD_PG_URL`, or else from the libpq variables.
    ///
    /// - `LAGESBILD_PG_URL`: `postgres://user[:password]@host[:port]/database[?sslmode=…&host=/socket/dir]`
    ///   (also `postgresql://`; percent-encoding allowed; a host `%2Fdir` or `?host=/dir` is a socket directory).
    ///   Parts it leaves out come from the variables below.
    /// - `PGHOST` (default `localhost`; `/dir` is a Unix socket directory), `PGPORT` (default 5432), `PGUSER`,
    ///   `PGDATABASE`, `PGPASSWORD`, `PGSSLMODE` (`disable`, `allow`/`prefer`, `require`/`verify-ca`/`verify-full`).
    /// - Without a password from those, the password file `PGPASSFILE` (default `$HOME/.pgpass`), lines of
    ///   `host:port:database:user:password` with `*` matching anything; it must not be readable by group or others.
    public static func fromEnvironment(_ environment: [String: String]) throws(PostgresSettingsError)
        -> PostgresSettings
    {
        let env = environment.filter { !$0.value.isEmpty }
        var parts = URLParts()
        if let url = env["LAGESBILD_PG_URL"] {
            parts = try parseURL(url)
        } else if env["PGUSER"] == nil && env["PGDATABASE"] == nil && env["PGHOST"] == nil {
            throw .notConfigured
        }

        let host = parts.host ?? env["PGHOST"] ?? "localhost"
        if host.contains(",") { throw .invalid(variable: "PGHOST", reason: "several hosts are not supported") }
        var port = 5432
        if let text = parts.port ?? env["PGPORT"] {
            guard let number = Int(text), (1...65535).contains(number) else {
                throw .invalid(
                    variable: parts.port == nil ? "PGPORT" : "LAGESBILD_PG_URL", reason: "bad port \"\(text)\"")
            }
            port = number
        }
        guard let user = parts.user ?? env["PGUSER"] else {
            throw .missing(
                variable: "PGUSER", context: env["LAGESBILD_PG_URL"] == nil ? nil : "LAGESBILD_PG_URL has no user")
        }
        guard let database = parts.database ?? env["PGDATABASE"] else {
            throw .missing(
                variable: "PGDATABASE",
                context: env["LAGESBILD_PG_URL"] == nil ? nil : "LAGESBILD_PG_URL has no database"
            )
        }
        var tls = TLSMode.prefer
        if let mode = parts.sslMode ?? env["PGSSLMODE"] {
            guard let parsed = parseSSLMode(mode) else {
                throw .invalid(
                    variable: parts.sslMode == nil ? "PGSSLMODE" : "LAGESBILD_PG_URL",
                    reason: "unknown sslmode \"\(mode)\""
                )
            }
            tls = parsed
        }
        var settings = PostgresSettings(host: host, port: port, user: user, database: database, tls: tls)
        if let password = parts.password ?? env["PGPASSWORD"] {
            settings.password = password
        } else {
            settings.password = try passwordFromFile(for: settings, environment: env)
        }
        return settings
    }

    static func parseSSLMode(_ mode: String) -> TLSMode? {
        switch mode {
        case "disable": return .disable
        case "allow", "prefer": return .prefer
        case "require", "verify-ca", "verify-full": return .require
        default: return nil
        }
    }

    struct URLParts: Equatable {
        var user: String?
        var password: String?
        var host: String?
        var port: String?
        var database: String?
        var sslMode: String?
    }

    /// Splits a `postgres://` URL. Errors never repeat the URL, which may hold a password.
    static func parseURL(_ url: String) throws(PostgresSettingsError) -> URLParts {
        func invalid(_ reason: String) -> PostgresSettingsError {
            .invalid(variable: "LAGESBILD_PG_URL", reason: reason)
        }
        func decode(_ text: Substring) throws(PostgresSettingsError) -> String? {
            if text.isEmpty { return nil }
            guard let decoded = String(text).removingPercentEncoding else { throw invalid("bad percent-encoding") }
            return decoded
        }

        var rest = Substring(url)
        if rest.hasPrefix("postgres://") {
            rest = rest.dropFirst("postgres://".count)
        } else if rest.hasPrefix("postgresql://") {
            rest = rest.dropFirst("postgresql://".count)
        } else {
            throw invalid("must start with postgres:// or postgresql://")
        }
        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        var path: Substring = ""
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }

        var parts = URLParts()
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = userInfo.firstIndex(of: ":") {
                parts.user = try decode(userInfo[..<colon])
                parts.password = try decode(userInfo[userInfo.index(after: colon)...])
            } else {
                parts.user = try decode(userInfo)
            }
        }
        var hostPart = rest
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw invalid("unclosed [ in host") }
            hostPart = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if after.hasPrefix(":") {
                parts.port = String(after.dropFirst())
            } else if !after.isEmpty {
                throw invalid("unexpected text after ]")
            }
        } else if let colon = rest.lastIndex(of: ":") {
            hostPart = rest[..<colon]
            parts.port = String(rest[rest.index(after: colon)...])
        }
        if hostPart.contains(",") { throw invalid("several hosts are not supported") }
        parts.host = try decode(hostPart)
        if parts.port?.isEmpty == true { parts.port = nil }
        parts.database = try decode(path)

        for pair in query.split(separator: "&") {
            let keyValue = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(keyValue[0])
            let value = keyValue.count > 1 ? try decode(keyValue[1]) : nil
            switch key {
            case "sslmode": parts.sslMode = value
            case "host": parts.host = value ?? parts.host
            case "port": parts.port = value ?? parts.port
            case "user": parts.user = value ?? parts.user
            case "dbname": parts.database = value ?? parts.database
            case "password": parts.password = value ?? parts.password
            case "application_name", "connect_timeout": break
            default: throw invalid("unsupported parameter \"\(key)\"")
            }
        }
        return parts
    }

    /// The password for `settings` from `PGPASSFILE` or `$HOME/.pgpass`, if the file exists and has a matching line.
    static func passwordFromFile(
        for settings: PostgresSettings,
        environment env: [String: String]
    ) throws(PostgresSettingsError) -> String? {
        let path: String
        if let explicit = env["PGPASSFILE"] {
            path = explicit
            guard FileManager.default.fileExists(atPath: path) else {
                throw .invalid(variable: "PGPASSFILE", reason: "no file at \(path)")
            }
        } else if let home = env["HOME"] {
            path = home + "/.pgpass"
            guard FileManager.default.fileExists(atPath: path) else { return nil }
        } else {
            return nil
        }
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        if let mode = attributes?[.posixPermissions] as? Int, mode & 0o077 != 0 {
            throw .passwordFileTooOpen(path: path)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .invalid(variable: env["PGPASSFILE"] == nil ? "HOME" : "PGPASSFILE", reason: "cannot read \(path)")
        }
        return PasswordFile(String(decoding: data, as: UTF8.self)).password(for: settings)
    }
}

/// The lines of a libpq password file (`host:port:database:user:password`, `*` for any, `\:` and `\\` escaped).
struct PasswordFile {
    struct Field {
        var value: String
        var isWildcard: Bool
        func matches(_ candidates: [String]) -> Bool { isWildcard || candidates.contains(value) }
    }

    var entries: [[Field]]

    init(_ text: String) {
        entries = []
        for rawLine in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            if line.isEmpty || line.hasPrefix("#") { continue }
            var fields: [Field] = []
            var current = ""
            var raw = ""
            var escaped = false
            for character in line {
                if escaped {
                    current.append(character)
                    raw.append(character)
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                    raw.append(character)
                } else if character == ":" && fields.count < 4 {
                    fields.append(Field(value: current, isWildcard: raw == "*"))
                    current = ""
                    raw = ""
                } else {
                    current.append(character)
                    raw.append(character)
                }
            }
            guard fields.count == 4 else { continue }
            fields.append(Field(value: current, isWildcard: false))
            entries.append(fields)
        }
    }

    /// The first matching line's password. A socket directory also matches `localhost`, as in libpq.
    func password(for settings: PostgresSettings) -> String? {
        let hosts = settings.usesUnixSocket ? [settings.host, "localhost"] : [settings.host]
        for fields in entries
        where fields[0].matches(hosts) && fields[1].matches([String(settings.port)])
            && fields[2].matches([settings.database]) && fields[3].matches([settings.user])
        {
            return fields[4].value
        }
        return nil
    }
}

/// Why the connection settings could not be read. No case carries a password or the URL.
public enum PostgresSettingsError: Error, Equatable, CustomStringConvertible {
    /// Neither `LAGESBILD_PG_URL` nor any of `PGHOST`, `PGUSER`, `PGDATABASE` is set.
    case notConfigured
    /// A required variable is not set.
    case missing(variable: String, context: String?)
    /// A variable is set to something unusable.
    case invalid(variable: String, reason: String)
    /// The password file is readable by group or others; libpq ignores such a file, we refuse it.
    case passwordFileTooOpen(path: String)

    public var description: String {
        switch self {
        case .notConfigured:
            return "PostgreSQL is not configured: set LAGESBILD_PG_URL (postgres://user@host:port/database), "
                + "or PGHOST, PGPORT, PGUSER and PGDATABASE (password in PGPASSWORD or ~/.pgpass)"
        case .missing(let variable, let context):
            let why = context.map { "\($0) and " } ?? ""
            return "PostgreSQL settings: \(why)\(variable) is not set"
        case .invalid(let variable, let reason):
            return "PostgreSQL settings: \(variable): \(reason)"
        case .passwordFileTooOpen(let path):
            return "PostgreSQL password file \(path) is readable by group or others; run chmod 0600 \(path)"
        }
    }
}
