import CLibXML2

/// How the readers drive libxml2, for anyone who measures libxml2 alone under the same conditions.
public enum XMLReaderSettings {
    /// The parser options of every reader: no network, big line numbers, compact nodes.
    public static let parserOptions: Int32 = LibXMLSession.options
    /// Bytes fed to the SAX2 push parser per call.
    public static let chunkSize: Int = LibXMLPushParser.chunkSize
}
