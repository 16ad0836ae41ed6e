// CSVReader: streaming CSV reading (dialects, encodings, table ends, long and wide records) and CSV writing.
