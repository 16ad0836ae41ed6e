@main struct CSVBenchmark { static func main() { print("csv-benchmark: not written yet") } }
