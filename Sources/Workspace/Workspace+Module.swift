// Workspace: the SQLite workspace through GRDB — its schema and append-only migrations, one record type
// per table (Records/), the run history, the lock, generations and column-file bookkeeping. Knows no stage:
// the stages and their order live in StageKit.
