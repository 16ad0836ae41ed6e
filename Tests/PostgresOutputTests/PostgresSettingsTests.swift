import Foundation
import Testing

@testable import PostgresOutput

@Suite struct PostgresSettingsTests {
    @Test func urlGivesEveryPart() throws {
        let settings = try PostgresSettings.fromEnvironment([
            "LAGESBILD_PG_URL": "postgres://lagesbild:s%40cret:x@db.kommun.se:6543/statistik?sslmode=require"
        ])
        #expect(
            settings
                == PostgresSettings(
                    host: "db.kommun.se",
                    port: 6543,
                    user: "lagesbild",
                    database: "statistik",
                    password: "s@cret:x",
                    tls: .require
                )
        )
    }

    @Test func urlWithoutPasswordOrPortUsesDefaultsAndPGPASSWORD() throws {
        let settings = try PostgresSettings.fromEnvironment([
            "LAGESBILD_PG_URL": "postgresql://reader@127.0.0.1/dash",
            "PGPASSWORD": "from-env",
            "PGHOST": "ignored.example",
        ])
        #expect(settings.host == "127.0.0.1")
        #expect(settings.port == 5432)
        #expect(settings.user == "reader")
        #expect(settings.database == "dash")
        #expect(settings.password == "from-env")
        #expect(settings.tls == .prefer)
    }

    @Test func urlHostsCanBeIPv6OrSocketDirectories() throws {
        let v6 = try PostgresSettings.fromEnvironment(["LAGESBILD_PG_URL": "postgres://u@[::1]:5433/d"])
        #expect(v6.host == "::1")
        #expect(v6.port == 5433)
        let encoded = try PostgresSettings.fromEnvironment([
            "LAGESBILD_PG_URL": "postgres://u@%2Fvar%2Frun%2Fpostgresql/d"
        ])
        #expect(encoded.host == "/var/run/postgresql")
        #expect(encoded.usesUnixSocket)
        #expect(encoded.unixSocketPath == "/var/run/postgresql/.s.PGSQL.5432")
        let parameter = try PostgresSettings.fromEnvironment([
            "LAGESBILD_PG_URL": "postgres://u@/d?host=/tmp/sock&port=5999"
        ])
        #expect(parameter.unixSocketPath == "/tmp/sock/.s.PGSQL.5999")
    }

    @Test func badURLsAreRefusedWithoutRepeatingThem() {
        for url in [
            "mysql://u:pw@h/d", "postgres://u:pw@h/d?sslmode=sometimes", "postgres://u:pw@h:port/d",
            "postgres://u:pw@h/d?options=-c", "postgres://u:pw@a,b/d",
        ] {
            do {
                _ = try PostgresSettings.fromEnvironment(["LAGESBILD_PG_URL": url])
                Issue.record("accepted \(url)")
            } catch {
                #expect(error.description.contains("LAGESBILD_PG_URL"), "\(error)")
                #expect(!error.description.contains("pw"), "\(error)")
            }
        }
    }

    @Test func urlWithoutUserOrDatabaseNamesWhatIsMissing() {
        #expect(throws: PostgresSettingsError.missing(variable: "PGUSER", context: "LAGESBILD_PG_URL has no user")) {
            try PostgresSettings.fromEnvironment(["LAGESBILD_PG_URL": "postgres://h/d"])
        }
        #expect(
            throws: PostgresSettingsError.missing(variable: "PGDATABASE", context: "LAGESBILD_PG_URL has no database")
        ) {
            try PostgresSettings.fromEnvironment(["LAGESBILD_PG_URL": "postgres://u@h"])
        }
        let filled = try? PostgresSettings.fromEnvironment([
            "LAGESBILD_PG_URL": "postgres://h", "PGUSER": "u", "PGDATABASE": "d",
        ])
        #expect(filled?.user == "u")
        #expect(filled?.database == "d")
    }

    @Test func libpqVariables() throws {
        let settings = try PostgresSettings.fromEnvironment([
            "PGHOST": "pg.internal", "PGPORT": "5499", "PGUSER": "etl", "PGDATABASE": "lagesbild",
            "PGPASSWORD": "pw", "PGSSLMODE": "disable", "HOME": "/nonexistent",
        ])
        #expect(
            settings
                == PostgresSettings(
                    host: "pg.internal",
                    port: 5499,
                    user: "etl",
                    database: "lagesbild",
                    password: "pw",
                    tls: .disable
                )
        )
        let defaults = try PostgresSettings.fromEnvironment([
            "PGUSER": "etl", "PGDATABASE": "lagesbild", "HOME": "/nonexistent",
        ])
        #expect(defaults.host == "localhost")
        #expect(defaults.port == 5432)
        #expect(defaults.password == nil)
        #expect(defaults.tls == .prefer)
    }

    @Test func missingVariablesAreNamed() {
        #expect(throws: PostgresSettingsError.notConfigured) { try PostgresSettings.fromEnvironment([:]) }
        #expect(throws: PostgresSettingsError.notConfigured) {
            try PostgresSettings.fromEnvironment(["PGPASSWORD": "x", "PGPORT": "5432"])
        }
        #expect(throws: PostgresSettingsError.missing(variable: "PGUSER", context: nil)) {
            try PostgresSettings.fromEnvironment(["PGDATABASE": "d"])
        }
        #expect(throws: PostgresSettingsError.missing(variable: "PGDATABASE", context: nil)) {
            try PostgresSettings.fromEnvironment(["PGUSER": "u", "PGHOST": "h"])
        }
        #expect(
            PostgresSettingsError.missing(variable: "PGUSER", context: nil).description.contains("PGUSER is not set"))
        #expect(PostgresSettingsError.notConfigured.description.contains("LAGESBILD_PG_URL"))
    }

    @Test func badVariablesAreNamed() {
        #expect(throws: PostgresSettingsError.invalid(variable: "PGPORT", reason: "bad port \"abc\"")) {
            try PostgresSettings.fromEnvironment(["PGUSER": "u", "PGDATABASE": "d", "PGPORT": "abc"])
        }
        #expect(throws: PostgresSettingsError.invalid(variable: "PGSSLMODE", reason: "unknown sslmode \"yes\"")) {
            try PostgresSettings.fromEnvironment(["PGUSER": "u", "PGDATABASE": "d", "PGSSLMODE": "yes"])
        }
        #expect(throws: PostgresSettingsError.self) {
            try PostgresSettings.fromEnvironment(["PGUSER": "u", "PGDATABASE": "d", "PGHOST": "a,b"])
        }
    }

    @Test func sslModesMapLikeLibpq() {
        #expect(PostgresSettings.parseSSLMode("disable") == .disable)
        #expect(PostgresSettings.parseSSLMode("allow") == .prefer)
        #expect(PostgresSettings.parseSSLMode("prefer") == .prefer)
        #expect(PostgresSettings.parseSSLMode("require") == .require)
        #expect(PostgresSettings.parseSSLMode("verify-full") == .require)
        #expect(PostgresSettings.parseSSLMode("REQUIRE") == nil)
    }

    @Test func descriptionNeverShowsThePassword() throws {
        let settings = try PostgresSettings.fromEnvironment([
            "LAGESBILD_PG_URL": "postgres://u:hemligt@h:5432/d"
        ])
        #expect(!settings.description.contains("hemligt"))
        #expect(!String(reflecting: settings).contains("hemligt"))
        #expect(settings.description.contains("u@h:5432/d"))
    }

    // MARK: - Password file

    @Test func passwordFileWithWildcards() throws {
        let file = try PasswordFileFixture(
            """
            # comment line
            other.host:5432:*:etl:wrong-host
            pg.internal:5432:lagesbild:etl:exact
            *:*:*:etl:any-etl
            *:*:*:*:fallback\\:with\\\\escapes
            """
        )
        defer { file.remove() }
        func password(_ env: [String: String]) throws -> String? {
            try PostgresSettings.fromEnvironment(env.merging(["PGPASSFILE": file.path]) { a, _ in a }).password
        }
        #expect(try password(["PGHOST": "pg.internal", "PGUSER": "etl", "PGDATABASE": "lagesbild"]) == "exact")
        #expect(try password(["PGHOST": "pg.internal", "PGUSER": "etl", "PGDATABASE": "other"]) == "any-etl")
        #expect(try password(["PGHOST": "x", "PGPORT": "6000", "PGUSER": "etl", "PGDATABASE": "d"]) == "any-etl")
        #expect(try password(["PGHOST": "x", "PGUSER": "reader", "PGDATABASE": "d"]) == "fallback:with\\escapes")
        // A password given directly wins over the file.
        #expect(try password(["PGUSER": "etl", "PGDATABASE": "d", "PGPASSWORD": "direct"]) == "direct")
        #expect(
            try PostgresSettings.fromEnvironment([
                "LAGESBILD_PG_URL": "postgres://etl@pg.internal/lagesbild", "PGPASSFILE": file.path,
            ]).password == "exact"
        )
    }

    @Test func passwordFileInHomeAndSocketHostsMatchLocalhost() throws {
        let file = try PasswordFileFixture("localhost:5432:d:u:via-localhost\n", name: ".pgpass")
        defer { file.remove() }
        let settings = try PostgresSettings.fromEnvironment([
            "PGHOST": "/var/run/postgresql", "PGUSER": "u", "PGDATABASE": "d", "HOME": file.directory,
        ])
        #expect(settings.password == "via-localhost")
    }

    @Test func passwordFileWithoutMatchGivesNoPassword() throws {
        let file = try PasswordFileFixture("h:5432:d:someone:pw\nbroken line without fields\n")
        defer { file.remove() }
        let settings = try PostgresSettings.fromEnvironment([
            "PGHOST": "h", "PGUSER": "u", "PGDATABASE": "d", "PGPASSFILE": file.path,
        ])
        #expect(settings.password == nil)
    }

    @Test func passwordFileReadableByOthersIsRefused() throws {
        let file = try PasswordFileFixture("*:*:*:*:pw\n", permissions: 0o644)
        defer { file.remove() }
        #expect(throws: PostgresSettingsError.passwordFileTooOpen(path: file.path)) {
            try PostgresSettings.fromEnvironment(["PGUSER": "u", "PGDATABASE": "d", "PGPASSFILE": file.path])
        }
    }

    @Test func missingExplicitPasswordFileIsNamed() {
        #expect(throws: PostgresSettingsError.invalid(variable: "PGPASSFILE", reason: "no file at /nonexistent/pgpass"))
        {
            try PostgresSettings.fromEnvironment([
                "PGUSER": "u", "PGDATABASE": "d", "PGPASSFILE": "/nonexistent/pgpass",
            ])
        }
    }
}

/// A password file in a fresh temporary directory.
struct PasswordFileFixture {
    let directory: String
    let path: String

    init(_ contents: String, name: String = "pgpass", permissions: Int = 0o600) throws {
        directory = FileManager.default.temporaryDirectory.path + "/lagesbild-pgpass-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        path = directory + "/" + name
        let created = FileManager.default.createFile(
            atPath: path,
            contents: Data(contents.utf8),
            attributes: [.posixPermissions: permissions]
        )
        if !created { throw CocoaError(.fileWriteUnknown) }
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }
}
