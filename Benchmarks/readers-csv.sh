#!/bin/sh
# Builds the CSV reader benchmark in release mode and runs it.
# Usage: Benchmarks/readers-csv.sh [FILE] [--megabytes N] [--passes N]
# (default: a 1024 MiB police-style export generated once under $TMPDIR/lagesbild-csv-benchmark).
set -eu
cd "$(dirname "$0")/.."
swift build -c release --scratch-path .build-release --product csv-benchmark
exec .build-release/release/csv-benchmark "$@"
