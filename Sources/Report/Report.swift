// Report: the HTML lägesbild and follow-up report and their SVG charts, rendered from plain values
// (ReportData); it computes no statistics and reads no storage.
