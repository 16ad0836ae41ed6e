// ColumnStore: compact column files for per-event stage data beside the SQLite workspace (integer columns,
// dictionary-encoded texts, read in chunks).
