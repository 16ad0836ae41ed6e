import Testing
@testable import XMLReader
