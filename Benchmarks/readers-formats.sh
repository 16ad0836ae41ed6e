#!/bin/sh
# Builds the format benchmark in release mode and reads the same table as CSV, XLSX and JSON, each format
# in its own process (so that its peak memory is its own).
# Usage: Benchmarks/readers-formats.sh [--rows N] [--passes N]   (default 500 000 rows, 2 passes)
set -eu
cd "$(dirname "$0")/.."
swift build -c release --scratch-path .build-release --product formats-benchmark
for format in csv xlsx json; do
    .build-release/release/formats-benchmark --format "$format" --generate "$@"
done
for format in csv xlsx json; do
    /usr/bin/time -f "$format: wall %e s, user %U s, sys %S s, maxrss %M KB" \
        .build-release/release/formats-benchmark --format "$format" "$@"
done
