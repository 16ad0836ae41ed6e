// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Lagesbild",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "lagesbild", targets: ["lagesbild"]),
        .library(name: "LagesbildRunner", targets: ["LagesbildRunner"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.100.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        // System library: libxml2 through a small C shim (see Sources/CLibXML2/shim.h).
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),

        // System library: zlib's CRC-32 for workbook parts (see Sources/CLibZ/shim.h).
        .systemLibrary(name: "CLibZ", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

        // Foundation modules.
        .target(name: "LagesbildModel", path: "Sources/Model"),
        .target(name: "CSVReader", dependencies: ["LagesbildModel"], path: "Sources/Readers/CSV"),
        .target(
            name: "XMLReader",
            dependencies: ["CLibXML2", "LagesbildModel"],
            path: "Sources/Readers/XML"
        ),
        // Excel workbooks (zip archives of XML parts) and JSON answers of statistics APIs, as records.
        .target(
            name: "XLSXReader",
            dependencies: [
                "CLibXML2", "CLibZ", "LagesbildModel", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            path: "Sources/Readers/XLSX"
        ),
        .target(name: "JSONReader", dependencies: ["LagesbildModel"], path: "Sources/Readers/JSON"),
        // Boundary files for maps: GeoPackage (through GRDB) and GeoJSON, in SWEREF 99 TM.
        .target(
            name: "GeoReader", dependencies: [.product(name: "GRDB", package: "GRDB.swift")],
            path: "Sources/Readers/Geo"),
        // Compact column files for per-event stage data, beside the SQLite workspace.
        .target(name: "ColumnStore", path: "Sources/Store"),
        .target(
            name: "PipelineModel",
            dependencies: ["LagesbildModel", .product(name: "Yams", package: "Yams")],
            path: "Sources/Pipeline"
        ),
        .target(
            name: "Workspace",
            dependencies: [
                "LagesbildModel",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Workspace"
        ),

        // What every stage shares: its context, its errors, the quarantine writer.
        .target(
            name: "StageKit",
            dependencies: [
                "LagesbildModel", "PipelineModel", "Workspace", "ColumnStore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Sources/Stages/StageKit"
        ),

        // The HTML lägesbild report and its SVG charts, drawn from plain values.
        .target(name: "Report", dependencies: ["LagesbildModel"], path: "Sources/Report"),
        // Loads published tables into PostgreSQL with COPY, one transaction per run.
        .target(
            name: "PostgresOutput",
            dependencies: [
                "LagesbildModel",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Outputs/Postgres"
        ),

        // Synthetic exports of every source at municipality, county or national scale (`lagesbild sample`).
        .target(
            name: "SampleGenerator",
            dependencies: [
                "LagesbildModel", "CSVReader", "CLibZ", "GeoReader", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Sources/SampleGenerator"
        ),

        // Stages: exports → ingest → normalize → aggregate → publish.
        .target(
            name: "Ingest",
            dependencies: stageDependencies + [
                "CSVReader", "XMLReader", "XLSXReader", "JSONReader", .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Sources/Stages/Ingest"
        ),
        .target(
            name: "Normalize",
            dependencies: stageDependencies + ["CSVReader", .product(name: "Crypto", package: "swift-crypto")],
            path: "Sources/Stages/Normalize"
        ),
        .target(
            name: "Aggregate",
            dependencies: stageDependencies + [.product(name: "Crypto", package: "swift-crypto")],
            path: "Sources/Stages/Aggregate"),
        // The maps' data in the workspace: boundary files simplified, events counted in grid squares.
        .target(
            name: "Maps",
            dependencies: stageDependencies + [
                "GeoReader", "CSVReader", .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Sources/Stages/Maps"
        ),
        .target(
            name: "Publish",
            dependencies: stageDependencies + [
                "Maps", "GeoReader", "Report", "PostgresOutput", "CSVReader",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Sources/Stages/Publish"
        ),

        // `lagesbild fetch`: downloads a source's delivery from its API into its folder (AsyncHTTPClient).
        .target(
            name: "Fetch",
            dependencies: [
                "PipelineModel", "Workspace",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Fetch"
        ),

        // Runs stages in order, holds the workspace lock, records run history.
        .target(
            name: "LagesbildRunner",
            dependencies: stageDependencies + [
                "Ingest", "Normalize", "Aggregate", "Publish", "PostgresOutput", "CSVReader", "XMLReader",
                "XLSXReader", "JSONReader", .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Sources/Runner"
        ),

        // The thin command line.
        .executableTarget(
            name: "lagesbild",
            dependencies: [
                "LagesbildRunner", "PipelineModel", "Workspace", "LagesbildModel", "CSVReader", "XMLReader",
                "XLSXReader", "JSONReader", "SampleGenerator", "StageKit", "Fetch", "Publish",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/lagesbild"
        ),

        // Reader benchmarks: `Benchmarks/readers.sh` builds them in release mode and runs them.
        .executableTarget(name: "csv-benchmark", dependencies: ["CSVReader"], path: "Benchmarks/CSV"),
        .executableTarget(name: "xml-benchmark", dependencies: ["XMLReader", "CLibXML2"], path: "Benchmarks/XML"),
        .executableTarget(
            name: "formats-benchmark",
            dependencies: [
                "CSVReader", "XLSXReader", "JSONReader", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            path: "Benchmarks/Formats"),

        .testTarget(name: "ModelTests", dependencies: ["LagesbildModel", "TestSupport"]),
        .testTarget(name: "CSVReaderTests", dependencies: ["CSVReader", "TestSupport"]),
        .testTarget(name: "XMLReaderTests", dependencies: ["XMLReader"]),
        .testTarget(
            name: "XLSXReaderTests",
            dependencies: ["XLSXReader", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        .testTarget(name: "JSONReaderTests", dependencies: ["JSONReader"]),
        .testTarget(
            name: "GeoReaderTests", dependencies: ["GeoReader", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "PipelineModelTests", dependencies: ["PipelineModel"]),
        .testTarget(name: "ColumnStoreTests", dependencies: ["ColumnStore", "TestSupport"]),
        // Test-only support (never shipped): a seeded generator for property tests, and the invented sample
        // reports the report tests render.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        // The invented sample reports the report tests render (never shipped).
        .target(
            name: "ReportTestSupport", dependencies: ["Report", "LagesbildModel"], path: "Tests/ReportTestSupport"),
        .testTarget(name: "ReportTests", dependencies: ["Report", "ReportTestSupport"]),
        .testTarget(
            name: "SampleGeneratorTests", dependencies: ["SampleGenerator", "CSVReader", "PipelineModel", "GeoReader"]),
        .testTarget(name: "PostgresOutputTests", dependencies: ["PostgresOutput"]),
        // Fetches from a real HTTP server on 127.0.0.1 (SwiftNIO) serving recorded-style answers.
        .testTarget(
            name: "FetchTests",
            dependencies: [
                "Fetch", "PipelineModel", "Workspace", "LagesbildRunner",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "StageTests",
            dependencies: [
                "LagesbildRunner", "LagesbildModel", "Ingest", "Normalize", "Aggregate", "Publish", "Workspace",
                "PipelineModel",
                "StageKit", "TestSupport",
                "CSVReader", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "LagesbildRunner", "lagesbild", "GeoReader", "SampleGenerator",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)

var stageDependencies: [Target.Dependency] {
    [
        "LagesbildModel", "PipelineModel", "Workspace", "StageKit", "ColumnStore",
        .product(name: "Logging", package: "swift-log"),
        .product(name: "GRDB", package: "GRDB.swift"),
    ]
}
