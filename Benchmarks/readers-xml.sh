#!/bin/sh
# Builds the XML reader benchmark in release mode and runs it.
# Usage: Benchmarks/readers-xml.sh [--megabytes N] [--file PATH] [--runs N] [--only raw|sax|reader|records]
set -eu
cd "$(dirname "$0")/.."
swift build -c release --scratch-path .build-release-xml --product xml-benchmark
exec .build-release-xml/release/xml-benchmark "$@"
