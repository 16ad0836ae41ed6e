import Foundation
import XMLReader

/// Streams a large county-board style XML export through `XMLRecordReader` and through libxml2's
/// bare loops (its SAX2 push parser, which `XMLRecordReader` is built on, and its text reader), and
/// reports MB/s and peak memory. Usage:
///
///     xml-benchmark [--megabytes N] [--file PATH] [--runs N] [--only raw|sax|reader|records]
///
/// `raw` runs both bare loops.
///
/// Without `--file` it writes (or reuses) `$TMPDIR/lagesbild-xml-benchmark/export-NMB.xml`.
@main struct XMLBenchmark {
    static func main() throws {
        var megabytes = 500
        var file: String?
        var runs = 2
        var mode = "both"
        var arguments = CommandLine.arguments.dropFirst().makeIterator()
        while let argument = arguments.next() {
            switch argument {
            case "--megabytes": megabytes = Int(arguments.next() ?? "") ?? megabytes
            case "--file": file = arguments.next()
            case "--runs": runs = max(1, Int(arguments.next() ?? "") ?? runs)
            case "--only": mode = arguments.next() ?? mode
            default:
                FileHandle.standardError.write(
                    Data(
                        "usage: xml-benchmark [--megabytes N] [--file PATH] [--runs N] [--only raw|sax|reader|records]\n"
                            .utf8))
                exit(2)
            }
        }
        let path = try file ?? ExportGenerator.fileFor(megabytes: megabytes)
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        let mb = Double(size) / 1_000_000
        print("file: \(path) (\(String(format: "%.1f", mb)) MB)")

        let spec = XMLRecordSpec(
            recordPath: "lst:Export/lst:Kommun/lst:Ar/lst:Tillsyn",
            namespaces: ["lst": ExportGenerator.lst, "g": ExportGenerator.gemensam],
            fields: [
                "kommun": "../../@kod", "kommunnamn": "../../@namn", "ar": "../@varde", "id": "@id", "typ": "@typ",
                "antal": "lst:Antal", "start": "g:Period/g:Start", "slut": "g:Period/g:Slut",
                "utfall": "lst:Utfall/@kod", "anmarkning": "lst:Anmarkning",
            ])

        for run in 1...runs {
            if ["both", "raw", "sax"].contains(mode) { try saxLoop(path: path, mb: mb, run: run) }
            if ["both", "raw", "reader"].contains(mode) { try rawLoop(path: path, mb: mb, run: run) }
            if ["both", "records"].contains(mode) { try recordReader(path: path, spec: spec, mb: mb, run: run) }
        }
    }

    static func saxLoop(path: String, mb: Double, run: Int) throws {
        resetPeakMemory()
        let started = ContinuousClock.now
        let cpuStarted = cpuSeconds()
        let elements = try LibXMLBaseline.countElementsSAX(path: path)
        let seconds = (ContinuousClock.now - started).seconds
        report(
            "run \(run) libxml2 SAX2 push loop", mb: mb, seconds: seconds, cpu: cpuSeconds() - cpuStarted,
            detail: "\(elements) elements")
    }

    static func rawLoop(path: String, mb: Double, run: Int) throws {
        resetPeakMemory()
        let started = ContinuousClock.now
        let cpuStarted = cpuSeconds()
        let elements = try LibXMLBaseline.countElements(path: path)
        let seconds = (ContinuousClock.now - started).seconds
        report(
            "run \(run) libxml2 text reader loop", mb: mb, seconds: seconds, cpu: cpuSeconds() - cpuStarted,
            detail: "\(elements) elements")
    }

    static func recordReader(path: String, spec: XMLRecordSpec, mb: Double, run: Int) throws {
        resetPeakMemory()
        let started = ContinuousClock.now
        let cpuStarted = cpuSeconds()
        var antal = 0
        var missing = 0
        let reader = try XMLRecordReader(path: path, spec: spec)
        let summary = try reader.forEachRecord { record in
            if let value = record["antal"] { antal += value.utf8.count } else { missing += 1 }
        }
        let seconds = (ContinuousClock.now - started).seconds
        report(
            "run \(run) XMLRecordReader", mb: mb, seconds: seconds, cpu: cpuSeconds() - cpuStarted,
            detail: "\(summary.recordsRead) records, \(missing) without antal, checksum \(antal)")
    }

    /// Prints wall-clock and CPU throughput (CPU time is steadier on a shared machine) and peak memory.
    static func report(_ label: String, mb: Double, seconds: Double, cpu: Double, detail: String) {
        let peak = peakMemoryMB().map { String(format: "%.1f MB", $0) } ?? "n/a"
        print(
            label.padding(toLength: 32, withPad: " ", startingAt: 0)
                + String(
                    format: "wall %6.2f s %6.1f MB/s | cpu %6.2f s %6.1f MB/s", seconds, mb / seconds, cpu, mb / cpu)
                + " | peak \(peak) (\(detail))")
    }

    /// CPU time of this process (user + system), in seconds.
    static func cpuSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// Resets the peak resident set size (Linux: writing 5 to /proc/self/clear_refs).
    static func resetPeakMemory() {
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    }

    /// `VmHWM` from /proc/self/status, in MB.
    static func peakMemoryMB() -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            if let kilobytes = Double(line.split(separator: " ")[1]) { return kilobytes / 1000 }
        }
        return nil
    }
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
