import Fetch
import Foundation
import Logging
import PipelineModel
import Testing
import Workspace

/// A scratch folder with a pipeline file whose one source fetches from the test server, its data folder
/// and its workspace.
struct FetchFixture {
    let folder: String

    init() throws {
        folder =
            FileManager.default.temporaryDirectory.appendingPathComponent("lagesbild-fetch-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: folder + "/data", withIntermediateDirectories: true)
    }

    var data: String { folder + "/data" }
    var workspace: String { folder + "/workspace" }

    /// Loads a pipeline whose source `id` has the `fetch:` section `fetch` (YAML lines, indented by 6).
    func pipeline(id: String = "kolada", files: String = "data/kolada_*.json", fetch: String) throws -> Pipeline {
        let yaml = """
            version: 1
            name: fetchtest
            municipality: {code: "1380", name: Halmstad}
            sources:
              - id: \(id)
                supplier: scb
                kind: observations
                files: \(files)
                measure: violence
                columns: {area: municipality, period: period, value: value}
                fetch:
            \(fetch)
            """
        return try PipelineLoader.parse(yaml: yaml, path: folder + "/pipeline.yaml")
    }

    func fetcher(_ pipeline: Pipeline, environment: [String: String] = [:]) -> Fetcher {
        var logger = Logger(label: "fetch-test")
        logger.logLevel = .error
        return Fetcher(
            pipeline: pipeline, workspaceDirectory: workspace, outputDirectory: workspace + "/out",
            environment: environment, userAgent: "Lagesbild/test (+kommunens kontaktadress)", logger: logger)
    }

    /// Every entry of the data folder (hidden ones too), sorted.
    func dataFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: data).sorted()
    }

    /// The rows of `fetches`.
    func fetches() throws -> [FetchRecord] {
        try Workspace(directory: workspace, create: false).fetches()
    }

    func json(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: self.data + "/" + name))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func remove() { try? FileManager.default.removeItem(atPath: folder) }
}

/// Lines of a `fetch:` section: the URL and fast settings for tests.
func fetchSection(_ url: String, _ extra: String = "") -> String {
    var lines = [
        "url: \"\(url)\"", "min_interval_seconds: 0", "backoff_seconds: 0.05", "timeout_seconds: 5",
    ]
    lines += extra.split(separator: "\n").map(String.init)
    return lines.map { "      " + $0 }.joined(separator: "\n")
}

@Suite("lagesbild fetch against a real HTTP server on 127.0.0.1")
struct FetchTests {
    @Test("Kolada: next-link paging is merged into one document with every page's values")
    func koladaNextLink() async throws {
        let fixture = try FetchFixture()
        defer { fixture.remove() }
        let server = try await TestServer.start { request, _ in
            if request.uri.contains("&page=2") {
                return .json(#"{"count": 3, "values": [{"kpi": "N07403", "period": 2023}], "next_page": null}"#)
            }
            return .json(
                #"{"count": 3, "values": [{"kpi": "N07403", "period": 2022}, {"kpi": "N07403", "period": 2022}], "#
                    + #""next_page": "/v3/data/kpi/N07403/municipality/1380,0013/year/2022,2023?per_page=2&page=2"}"#)
        }
        defer { Task { await server.stop() } }
        let pipeline = try fixture.pipeline(
            fetch: fetchSection(
                server.baseURL + "/v3/data/kpi/{codes}/municipality/{areas}/year/{years}",
                """
                codes: [N07403]
                areas: ["1380", "0013"]
                years: 2022-2023
                query: {per_page: "2"}
                paging: next-link
                file_name: kolada_{time}.json
                """))
        let report = try await fixture.fetcher(pipeline).run()
        #expect(report.failures.isEmpty)
        let result = try #require(report.results.first)
        #expect(result.outcome == .delivered)
        #expect(result.requests == 2)
        #expect(server.requests.first?.uri == "/v3/data/kpi/N07403/municipality/1380,0013/year/2022,2023?per_page=2")
        #expect(server.requests.first?.headers["user-agent"] == "Lagesbild/test (+kommunens kontaktadress)")
        let files = try fixture.dataFiles()
        #expect(files.count == 1)
        let name = try #require(files.first)
        #expect(name.hasPrefix("kolada_") && name.hasSuffix(".json"))
        let document = try fixture.json(name)
        #expect((document["values"] as? [Any])?.count == 3)
        #expect(document["next_page"] == nil)
        let rows = try fixture.fetches()
        #expect(rows.count == 1)
        #expect(rows[0].status == .delivered)
        #expect(rows[0].httpStatus == 200)
        #expect(rows[0].file == fixture.data + "/" + name)
        #expect(
            rows[0].bytes
                == (try FileManager.default.attributesOfItem(atPath: fixture.data + "/" + name)[.size] as? Int))
        #expect(rows[0].sha256?.count == 64)
        // The same pages again: identical content, no new file.
        let again = try await fixture.fetcher(pipeline).run()
        #expect(again.results.first?.outcome == .unchanged)
        #expect(try fixture.dataFiles() == files)
        #expect(try fixture.fetches().last?.status == .unchanged)
    }

    @Test("SS 12000: page tokens and a bearer token from the environment")
    func ss12000PageToken() async throws {
        let fixture = try FetchFixture()
        defer { fixture.remove() }
        let server = try await TestServer.start { request, _ in
            guard request.headers["authorization"] == "Bearer s3cret" else { return .status(401, "Unauthorized") }
            if request.uri.contains("pageToken=next1") { return .json(#"{"data": [{"id": "c"}]}"#) }
            return .json(#"{"data": [{"id": "a"}, {"id": "b"}], "pageToken": "next1"}"#)
        }
        defer { Task { await server.stop() } }
        let pipeline = try fixture.pipeline(
            id: "absence", files: "data/ss12000_*.json",
            fetch: fetchSection(
                server.baseURL + "/ss12000/v2/aggregatedAttendance",
                """
                paging: page-token
                limit: 2
                bearer_token_env: SS12000_TOKEN
                file_name: ss12000_{time}.json
                """))
        // Without the variable: refused before any request, nothing written.
        let missing = try await fixture.fetcher(pipeline).run()
        #expect(missing.worstFailure?.kind == .refused)
        #expect(missing.worstFailure?.exitStatus == 77)
        #expect(server.requests.isEmpty)
        #expect(try fixture.dataFiles().isEmpty)

        let report = try await fixture.fetcher(pipeline, environment: ["SS12000_TOKEN": "s3cret"]).run()
        #expect(report.failures.isEmpty)
        #expect(
            server.requests.map(\.uri) == [
                "/ss12000/v2/aggregatedAttendance?limit=2", "/ss12000/v2/aggregatedAttendance?limit=2&pageToken=next1",
            ])
        let name = try #require(try fixture.dataFiles().first)
        let document = try fixture.json(name)
        #expect((document["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["a", "b", "c"])
        #expect(document["pageToken"] == nil)
        let rows = try fixture.fetches()
        #expect(rows.map(\.status) == [.failed, .delivered])
        #expect(rows.allSatisfy { !$0.url.contains("s3cret") })
    }

    @Test("429 with Retry-After: waits as asked, then succeeds")
    func tooManyRequests() async throws {
        let fixture = try FetchFixture()
        defer { fixture.remove() }
        let server = try await TestServer.start { _, earlier in
            earlier == 0
                ? .status(429, "Too Many Requests", headers: [("Retry-After", "1")])
                : .json(#"{"values": []}"#)
        }
        defer { Task { await server.stop() } }
        let pipeline = try fixture.pipeline(fetch: fetchSection(server.baseURL + "/data", "retries: 2"))
        let clock = ContinuousClock()
        let start = clock.now
        let report = try await fixture.fetcher(pipeline).run()
        #expect(clock.now - start >= .seconds(1))
        #expect(report.results.first?.outcome == .delivered)
        #expect(report.results.first?.requests == 2)
        #expect(try fixture.dataFiles().count == 1)
    }

    @Test("429 asking for a longer wait than max_wait_seconds fails at once with 69")
    func tooLongRetryAfter() async throws {
        let fixture = try FetchFixture()
        defer { fixture.remove() }
        let server = try await TestServer.start { _, _ in
            .status(429, "Too Many Requests", headers: [("Retry-After", "Wed, 21 Oct 2099 07:28:00 GMT")])
        }
        defer { Task { await server.stop() } }
        let pipeline = try fixture.pipeline(fetch: fetchSection(server.baseURL + "/data", "max_wait_seconds: 5"))
        let report = try await fixture.fetcher(pipeline).run()
        #expect(report.worstFailure?.exitStatus == 69)
        #expect(server.requests.count == 1)
        #expect(try fixture.dataFiles().isEmpty)
        #expect(try fixture.fetches().map(\.status) == [.failed])
        #expect(try fixture.fetches().first?.httpStatus == 429)
    }

    @Test("500 then success: retried with backoff; 500 every time: 69 after the retries, no file")
    func serverErrors() async throws {
        let fixture = try FetchFixture()
        defer { fixture.remove() }
        let server = try await TestServer.start { request, earlier in
            if request.path == "/flaky", earlier == 0 { return .status(500, "Internal Server Error") }
            if request.path == "/broken" { return .status(503, "Service Unavailable") }
            return .json(#"{"values": [1]}"#)
        }
        defer { Task { await server.stop() } }
        let flaky = try await fixture.fetcher(try fixture.pipeline(fetch: fetchSection(server.baseURL + "/flaky")))
            .run()
        #expect(flaky.results.first?.outcome == .delivered)
        #expect(flaky.results.first?.requests == 2)
        let broken = try await fixture.fetcher(
            try fixture.pipeline(fetch: fetchSection(server.baseURL + "/broken", "retries: 2"))
        ).run()
        #expect(broken.worstFailure?.kind == .unavailable)
        #expect(server.requests.filter { $0.path == "/broken" }.count == 3)
        #expect(try fixture.dataFiles().count == 1)  // the flaky source's delivery only
        let last = try #require(try fixture.fetches().last)
        #expect(last.status == .failed)
        #expect(last.requests == 3)
        #expect(last.httpStatus == 503)
    }

    @Test("A slow answer times out: 69, nothing written")
    func slowAnswer() async throws {
        let fixture = try FetchFixture()
        defer { fixture.remove() }
        let server = try await TestServer.start { _, _ in
            var reply = Reply.json(#"{"values": []}"#)
            reply.delay = 20
            return reply
        }
        defer { Task { await server.stop() } }
        let pipeline = try fixture.pipeline(
            fetch: fetchSection(server.baseURL + "/slow", "retries: 0").replacingOccurrences(
                of: "timeout_seconds: 5", with: "timeout_seconds: 0.3"))
        let clock = ContinuousClock()
        let start = clock.now
        let report = try await fixture.fetcher(pipeline).run()
        // Far below the answer's 20 s delay, whatever the load (11 s was seen on a machine with load 17):
        // the 0.3 s timeout ended the wait.
        #expect(clock.now - start < .seconds(15))
        #expect(report.worstFailure?.exitStatus == 69)
        #expect(try fixture.dataFiles().isEmpty)
        #expect(try fixture.fetches().map(\.status) == [.failed])
    }

    @Test("A body shorter than its Content-Length (connection closed): 69, no file, no temporary file")
    func truncatedBody() async throws {
        let fixture = try FetchFixture()
        defer { fixture.remove() }
        let server = try await TestServer.start { _, _ in
            var reply = Reply.json(#"{"values": [1, 2, 3"#)
            reply.contentLength = 5000
            return reply
        }
        defer { Task { await server.stop() } }
        let pipeline = try fixture.pipeline(fetch: fetchSection(server.baseURL + "/cut", "retries: 1"))
        let report = try await fixture.fetcher(pipeline).run()
        #expect(report.worstFailure?.kind == .unavailable)
        #expect(server.requests.count == 2)
        #expect(try fixture.dataFiles().isEmpty)
    }

    @Test("ETag: a 304 writes nothing; a changed answer writes a new dated file and moves the old one aside")
    func conditionalRequests() async throws {
        let fixture = try FetchFixture()
        defer { fixture.remove() }
        let server = try await TestServer.start { request, earlier in
            switch earlier {
            case 0: return .json(#"{"values": [1]}"#, headers: [("ETag", "\"v1\"")])
            case 1:
                return request.headers["if-none-match"] == "\"v1\""
                    ? .status(304, "Not Modified", headers: [("ETag", "\"v1\"")])
                    : .json(#"{"values": [1]}"#, headers: [("ETag", "\"v1\"")])
            default: return .json(#"{"values": [1, 2]}"#, headers: [("ETag", "\"v2\"")])
            }
        }
        defer { Task { await server.stop() } }
        let pipeline = try fixture.pipeline(fetch: fetchSection(server.baseURL + "/etag"))
        let first = try await fixture.fetcher(pipeline).run()
        #expect(first.results.first?.outcome == .delivered)
        let firstFiles = try fixture.dataFiles()
        #expect(firstFiles.count == 1)

        let second = try await fixture.fetcher(pipeline).run()
        #expect(second.results.first?.outcome == .notModified)
        #expect(server.requests[1].headers["if-none-match"] == "\"v1\"")
        #expect(try fixture.dataFiles() == firstFiles)

        let third = try await fixture.fetcher(pipeline).run()
        #expect(third.results.first?.outcome == .delivered)
        #expect(third.results.first?.superseded == [fixture.data + "/" + firstFiles[0]])
        let files = try fixture.dataFiles()
        #expect(files.count == 2)  // the new delivery and superseded/
        #expect(files.contains("superseded"))
        let newName = try #require(files.first { $0 != "superseded" })
        #expect(newName != firstFiles[0])
        #expect((try fixture.json(newName)["values"] as? [Int]) == [1, 2])
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: fixture.data + "/superseded") == [firstFiles[0]])
        let rows = try fixture.fetches()
        #expect(rows.map(\.status) == [.delivered, .notModified, .delivered])
        #expect(rows.map(\.etag) == ["\"v1\"", "\"v1\"", "\"v2\""])
        // The superseded file's rows are retired by ingest: its name is withdrawn.
        #expect(pipeline.sources[0].delivery.isWithdrawn(fixture.data + "/" + firstFiles[0]))
    }

    @Test("keep: all keeps every delivery where the source's pattern reads it")
    func keepAll() async throws {
        let fixture = try FetchFixture()
        defer { fixture.remove() }
        let server = try await TestServer.start { _, earlier in .json("{\"values\": [\(earlier)]}") }
        defer { Task { await server.stop() } }
        let pipeline = try fixture.pipeline(fetch: fetchSection(server.baseURL + "/events", "keep: all"))
        _ = try await fixture.fetcher(pipeline).run()
        _ = try await fixture.fetcher(pipeline).run()
        let files = try fixture.dataFiles()
        #expect(files.count == 2)
        #expect(files.allSatisfy { $0.hasPrefix("kolada_") })
    }

    @Test("401: exit 77, nothing written")
    func refusedCredential() async throws {
        let fixture = try FetchFixture()
        defer { fixture.remove() }
        let server = try await TestServer.start { _, _ in .status(401, "Unauthorized") }
        defer { Task { await server.stop() } }
        let pipeline = try fixture.pipeline(
            fetch: fetchSection(server.baseURL + "/secure", "basic_auth_env: API_LOGIN"))
        let report = try await fixture.fetcher(pipeline, environment: ["API_LOGIN": "user:wrong"]).run()
        #expect(report.worstFailure?.exitStatus == 77)
        #expect(server.requests.first?.headers["authorization"] == "Basic dXNlcjp3cm9uZw==")
        #expect(server.requests.count == 1)
        #expect(try fixture.dataFiles().isEmpty)
        #expect(try fixture.fetches().first?.httpStatus == 401)
    }

    @Test("An HTML error page where JSON was expected: exit 65, nothing written")
    func htmlErrorPage() async throws {
        let fixture = try FetchFixture()
        defer { fixture.remove() }
        let server = try await TestServer.start { _, _ in
            Reply(
                headers: [("Content-Type", "text/html")],
                body: "<!DOCTYPE html><html><body>Underhåll pågår</body></html>")
        }
        defer { Task { await server.stop() } }
        let pipeline = try fixture.pipeline(fetch: fetchSection(server.baseURL + "/api"))
        let report = try await fixture.fetcher(pipeline).run()
        #expect(report.worstFailure?.exitStatus == 65)
        #expect(report.worstFailure?.message.contains("HTML") == true)
        #expect(try fixture.dataFiles().isEmpty)
        #expect(try fixture.fetches().map(\.status) == [.failed])
    }

    @Test("max_per_hour stops a fetch before the limit is passed; min_interval_seconds spaces requests")
    func rateLimits() async throws {
        let fixture = try FetchFixture()
        defer { fixture.remove() }
        let server = try await TestServer.start { request, _ in
            request.uri.contains("page=2")
                ? .json(#"{"values": [2]}"#) : .json(#"{"values": [1], "next_page": "/events?page=2"}"#)
        }
        defer { Task { await server.stop() } }
        let limited = try fixture.pipeline(
            fetch: fetchSection(server.baseURL + "/events", "paging: next-link\nmax_per_hour: 1"))
        let report = try await fixture.fetcher(limited).run()
        #expect(report.worstFailure?.kind == .unavailable)
        #expect(report.worstFailure?.message.contains("max_per_hour") == true)
        #expect(server.requests.count == 1)
        #expect(try fixture.dataFiles().isEmpty)

        let spaced = try fixture.pipeline(
            fetch: fetchSection(server.baseURL + "/events", "paging: next-link").replacingOccurrences(
                of: "min_interval_seconds: 0", with: "min_interval_seconds: 0.4"))
        let clock = ContinuousClock()
        let start = clock.now
        let second = try await fixture.fetcher(spaced).run()
        #expect(second.results.first?.outcome == .delivered)
        #expect(clock.now - start >= .milliseconds(800))  // after the last fetch, and between the two pages
    }
}

@Suite("fetch: in the pipeline file")
struct FetchSpecTests {
    func load(_ fetch: String, files: String = "data/kolada_*.json") throws -> Pipeline {
        let fixture = try FetchFixture()
        defer { fixture.remove() }
        return try fixture.pipeline(files: files, fetch: fetch)
    }

    @Test("A credential written in the pipeline file is refused")
    func literalCredential() throws {
        let header = "      url: https://api.example.se/x\n      headers: {Authorization: \"Bearer abc\"}"
        #expect(throws: PipelineFileError.self) { try load(header) }
        let key = "      url: https://api.example.se/x\n      bearer_token: abc"
        let error = try #require(throws: PipelineFileError.self) { try load(key) }
        #expect(error.message.contains("environment"))
        let query = "      url: https://api.example.se/x\n      query: {api_key: abc}"
        #expect(throws: PipelineFileError.self) { try load(query) }
        let userInfo = "      url: https://user:pw@api.example.se/x"
        #expect(throws: PipelineFileError.self) { try load(userInfo) }
    }

    @Test("The fetched file's name must match the source's files pattern")
    func fileNameMatchesPattern() throws {
        let error = try #require(throws: PipelineFileError.self) {
            try load("      url: https://api.example.se/x\n      file_name: other_{time}.json")
        }
        #expect(error.message.contains("would not match"))
        let spec = try #require(try load("      url: https://api.example.se/x").sources[0].fetch)
        #expect(spec.fileName == "kolada_{time}.json")
        #expect(spec.keep == .latest)
    }
}
