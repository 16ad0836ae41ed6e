// PostgresOutput: loads published tables into PostgreSQL with COPY, one transaction per run, with its own
// schema migrations.
