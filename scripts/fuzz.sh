#!/usr/bin/env bash
# Fuzzes the readers of untrusted input with libFuzzer:
#   csv       the CSV reader with dialect detection and the inspector (Sources/Readers/CSV)
#   xml       the XML record reader and the inspector, libxml2 (Sources/Readers/XML)
#   pipeline  the pipeline-file loader, Yams (Sources/Pipeline)
#   geo       GeoPackage geometry blobs, WKB and GeoJSON boundary files (Sources/Readers/Geo, without GRDB)
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]
#
# SECONDS per target (default 60); the targets run side by side, so the run takes SECONDS plus the
# build (about two minutes on two cores, nothing when the sources did not change). Modules are
# compiled straight with swiftc (-sanitize=fuzzer,address, LeakSanitizer on) into .build/fuzz, as the
# engineering notes ("Fuzzing the readers") describe; SwiftPM has no fuzzing mode.
#
# Each harness (Fuzz/Harnesses) starts from its seed corpus (Fuzz/corpus/TARGET, never written to) and
# keeps the inputs it finds in .build/fuzz/corpus/TARGET. Exits non-zero on a crash, a broken
# invariant, a leak, an input that runs longer than 10 s or one that needs more than 2 GB; the input
# is saved as .build/fuzz/artifacts/TARGET-{crash,leak,timeout,oom}-HASH and the report is printed.
# Reproduce with `.build/fuzz/fuzz-TARGET FILE`; then make the input a regression test (Fuzz/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(csv xml pipeline geo)

build=.build/fuzz
mkdir -p "$build/artifacts"

# Yams comes from SwiftPM's checkout (present after any `swift build`; `swift package resolve` fetches it).
yams=.build/checkouts/Yams
[ -d "$yams/Sources/CYaml" ] || swift package resolve
toolchain="$(dirname "$(command -v swiftc)")"

swift_flags=(-wmo -O -g -parse-as-library -sanitize=fuzzer,address -I "$build")
libxml=(-I Sources/CLibXML2 -Xcc -I/usr/include/libxml2)
cyaml=(-I "$yams/Sources/CYaml/include" -Xcc -DYAML_DECLARE_STATIC)

# module NAME LANGUAGE-MODE [FLAGS/SOURCES...]: one module as one object file and its .swiftmodule.
module() {
    local name=$1 mode=$2
    shift 2
    swiftc "${swift_flags[@]}" -swift-version "$mode" -module-name "$name" -emit-module \
        -emit-module-path "$build/$name.swiftmodule" -c "$@" -o "$build/$name.o"
}

# harness NAME MODULE-NAME [FLAGS/SOURCES/OBJECTS...]: a fuzzer executable .build/fuzz/fuzz-NAME.
harness() {
    local name=$1 module_name=$2
    shift 2
    swiftc "${swift_flags[@]}" -swift-version 6 -module-name "$module_name" Fuzz/Harnesses/FuzzFile.swift "$@" \
        -o "$build/fuzz-$name"
}

# wait_all PID...: waits for every job, fails when one failed.
wait_all() {
    local failed=0 pid
    for pid in "$@"; do wait "$pid" || failed=1; done
    return $failed
}

stamp="$build/.built"
if [ -f "$stamp" ] && [ -z "$(find Sources Fuzz/Harnesses scripts/fuzz.sh -newer "$stamp" -print -quit)" ]; then
    echo "== fuzz: harnesses are up to date"
else
    echo "== fuzz: building the harnesses (swiftc -sanitize=fuzzer,address)"
    started=$SECONDS
    rm -f "$stamp"
    module LagesbildModel 6 $(find Sources/Model -name "*.swift" | sort)
    pids=()
    module CSVReader 6 Sources/Readers/CSV/*.swift &
    pids+=($!)
    module XMLReader 6 "${libxml[@]}" Sources/Readers/XML/*.swift &
    pids+=($!)
    wait_all "${pids[@]}"
    pids=()
    for source in "$yams"/Sources/CYaml/src/*.c; do
        "$toolchain/clang" -O1 -g -fsanitize=fuzzer-no-link,address -DYAML_DECLARE_STATIC \
            -I "$yams/Sources/CYaml/include" -c "$source" -o "$build/cyaml-$(basename "$source" .c).o"
    done &
    pids+=($!)
    harness csv CSVFuzz Fuzz/Harnesses/CSVFuzz.swift "$build/LagesbildModel.o" "$build/CSVReader.o" &
    pids+=($!)
    # The boundary readers' byte-level parts: every file of the module but the GRDB ones.
    module GeoReader 6 $(ls Sources/Readers/Geo/*.swift | grep -v -e GeoPackageReader.swift -e BoundaryFile.swift) &
    pids+=($!)
    wait_all "${pids[@]}"
    pids=()
    module Yams 5 "${cyaml[@]}" -DSWIFT_PACKAGE "$yams"/Sources/Yams/*.swift &
    pids+=($!)
    harness xml XMLFuzz "${libxml[@]}" Fuzz/Harnesses/XMLFuzz.swift "$build/LagesbildModel.o" \
        "$build/XMLReader.o" -lxml2 &
    pids+=($!)
    wait_all "${pids[@]}"
    pids=()
    harness geo GeoFuzz Fuzz/Harnesses/GeoFuzz.swift "$build/GeoReader.o" &
    pids+=($!)
    module PipelineModel 6 "${cyaml[@]}" Sources/Pipeline/*.swift
    harness pipeline PipelineFuzz "${cyaml[@]}" Fuzz/Harnesses/PipelineFuzz.swift "$build/LagesbildModel.o" \
        "$build/PipelineModel.o" "$build/Yams.o" "$build"/cyaml-*.o
    wait_all "${pids[@]}"
    touch "$stamp"
    echo "   built in $((SECONDS - started)) s"
fi

echo "== fuzz: ${targets[*]}, $seconds s each, side by side"
pids=()
for target in "${targets[@]}"; do
    mkdir -p "$build/corpus/$target"
    dictionary=()
    [ -f "Fuzz/$target.dict" ] && dictionary=(-dict="Fuzz/$target.dict")
    "$build/fuzz-$target" "$build/corpus/$target" "Fuzz/corpus/$target" "${dictionary[@]}" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$build/artifacts/$target-" >"$build/$target.log" 2>&1 &
    pids+=($!)
done

status=0
for index in "${!targets[@]}"; do
    target=${targets[$index]}
    if wait "${pids[$index]}"; then
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$build/$target.log")
        speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$build/$target.log")
        coverage=$(grep -o 'cov: [0-9]*' "$build/$target.log" | tail -1)
        echo "   $target: ok, $runs inputs, $speed/s, $coverage"
    else
        status=1
        echo "   $target: FAILED (the report, from $build/$target.log):"
        grep -v -e '^#[0-9]' -e '^INFO:' -e 'Cannot export local symbol' "$build/$target.log" | tail -n 60 | sed 's/^/     /'
    fi
done
exit $status
