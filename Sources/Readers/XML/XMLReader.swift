import CLibXML2
// The XML reader: see XMLRecordReader.swift.
