// Ingest: the first stage — reads each delivered file (CSV, XML, XLSX, JSON), records it in deliveries,
// writes raw rows and quarantines what it cannot read.
