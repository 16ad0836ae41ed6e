// Ingest: the first stage — reads each delivered file (CSV, XML, XLSX, JSON), records it in deliveries,
// writes raw rows and quarantines what it cannot read. A file whose identity is unchanged keeps its recorded
// hash unread (FileIdentity); a CSV events file delivered again with rows appended is read from where it
// ended (Continuation).
