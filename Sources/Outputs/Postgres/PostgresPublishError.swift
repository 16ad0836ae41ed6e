/// Why a publish to PostgreSQL failed. Every case names what was wrong; none carries a password.
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
    /// No connection could be made.
    case connection(String)

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
        }
    }
}
