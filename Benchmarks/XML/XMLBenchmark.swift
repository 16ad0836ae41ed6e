@main struct XMLBenchmark { static func main() { print("xml-benchmark: not written yet") } }
