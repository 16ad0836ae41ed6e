/// Why a publish to PostgreSQL failed. Every case names what was wrong; none carries a password.
///
/// Three cases tell an operator where to look: ``connection(_:)`` and ``unavailable(_:)`` (the server or the database
/// cannot be used now), ``refused(_:)`` (the server refused the login or a privilege). The others are a problem of
/// the data or the schema.
public enum PostgresPublishError: Error, Equatable, CustomStringConvertible {
    /// A schema, table or column name that is not a plain lowercase SQL identifier.
    case invalidName(String, what: String)
    /// The same name twice where it must be unique (tables of one run, columns of one table).
    case duplicateName(String, what: String)
    /// A table name the publisher keeps for itself (`lagesbild_runs`).
    case reservedName(String)
    /// A table with no columns.
    case noColumns(table: String)
    /// A row whose number of values is not the table's number of columns. `row` counts from 1.
    case rowWidth(table: String, row: Int, expected: Int, actual: Int)
    /// A value that its column cannot hold. `row` counts from 1.
    case invalidValue(table: String, row: Int, column: String, reason: String)
    /// The server refused a statement; `message` is PostgreSQL's own message, with its SQLSTATE.
    case server(String)
    /// No connection could be made: the server is down, unreachable or did not answer in time.
    case connection(String)
    /// The server answered but cannot serve the publish now: the database does not exist (SQLSTATE 3D000), the
    /// server is starting or shutting down, has no connection slots left, or a table stayed locked by another
    /// session past the lock timeout (55P03).
    case unavailable(String)
    /// The server refused the credentials (a wrong password, an unknown role, no `pg_hba.conf` entry: SQLSTATE class
    /// 28) or a privilege the publish needs (42501).
    case refused(String)
    /// The schema holds a table that is not as the migrations declare it (changed by hand, or a migration missing).
    case schemaMismatch(table: String, detail: String)
    /// A published table that no migration declares.
    case undeclaredTable(String)
    /// The schema was migrated by a newer lagesbild than this one.
    case schemaTooNew(schema: String, version: Int, known: Int)

    public var description: String {
        switch self {
        case .invalidName(let name, let what):
            return "invalid \(what) name \"\(name)\": use lowercase letters, digits and _, "
                + "starting with a letter, at most \(SQLName.maximumLength) characters"
        case .duplicateName(let name, let what):
            return "\(what) \"\(name)\" appears more than once"
        case .reservedName(let name):
            return "table name \"\(name)\" is reserved for the publisher's run history"
        case .noColumns(let table):
            return "table \"\(table)\" has no columns"
        case .rowWidth(let table, let row, let expected, let actual):
            return "table \"\(table)\", row \(row): \(actual) values for \(expected) columns"
        case .invalidValue(let table, let row, let column, let reason):
            return "table \"\(table)\", row \(row), column \"\(column)\": \(reason)"
        case .server(let message):
            return "PostgreSQL: \(message)"
        case .connection(let message):
            return "cannot connect to PostgreSQL: \(message)"
        case .unavailable(let message):
            return "PostgreSQL is unavailable: \(message)"
        case .refused(let message):
            return "PostgreSQL refused access: \(message)"
        case .schemaMismatch(let table, let detail):
            return "table \"\(table)\" is not as its migrations declare it: \(detail)"
        case .undeclaredTable(let table):
            return "table \"\(table)\" is not declared by any schema migration"
        case .schemaTooNew(let schema, let version, let known):
            return "schema \"\(schema)\" is at version \(version), newer than this lagesbild knows (\(known)): "
                + "publish with a newer lagesbild"
        }
    }
}
