// The CSV reader: see CSVFileReader.swift.
