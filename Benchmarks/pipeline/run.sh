#!/usr/bin/env bash
# Pipeline benchmark: generates synthetic data at a scale (`lagesbild sample`), runs the whole pipeline
# on it, times each stage and `--stage aggregate` alone, the nightly case (one event appended to one
# yearly file, run again), and runs the DuckDB peer on the same files.
#
#   Benchmarks/pipeline/run.sh [municipality|county|national]      (default: county)
#
# Environment: LAGESBILD_BENCH_DIR (default /tmp/lagesbild-bench) holds the data (<dir>/<scale>, reused
# when present; REGENERATE=1 writes it again), the workspaces, the DuckDB venv and the timings.
# STAGED=1|0: also run the stages one by one in a fresh workspace for sub-second stage times (default 1
# except at national scale). SKIP_BUILD=1 uses the existing release build (LAGESBILD_BIN another binary). INCREMENTAL_RUNS (default 3):
# how many times the nightly case (full run, then one event more) is measured. YEARS (e.g. 1994-2023):
# the years `lagesbild sample` writes (default its own, 2014-2023; the data folder is then <scale>-<years>).
# Exit status: 0 when Lagesbild and DuckDB give the same numbers, non-zero otherwise.
set -euo pipefail

scale="${1:-county}"
case "$scale" in municipality | county | national) ;; *)
    echo "usage: $0 [municipality|county|national]" >&2
    exit 64
    ;;
esac
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bench="${LAGESBILD_BENCH_DIR:-/tmp/lagesbild-bench}"
years="${YEARS:-}"
name="$scale${years:+-$years}"
data="$bench/$name"
results="$bench/results-$name"
staged="${STAGED:-$([ "$scale" = national ] && echo 0 || echo 1)}"
mkdir -p "$bench" "$results"

if ! [ -x /usr/bin/time ]; then
    echo "installing GNU time (Debian package 'time')" >&2
    apt-get install -y time >/dev/null
fi

cd "$root"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
    swift build -c release --scratch-path .build-scale-release --product lagesbild >&2
fi
bin="${LAGESBILD_BIN:-$(swift build -c release --scratch-path .build-scale-release --show-bin-path)/lagesbild}"

if [ "${REGENERATE:-0}" = 1 ] || ! [ -f "$data/pipeline.yaml" ]; then
    rm -rf "$data"
    /usr/bin/time -v -o "$results/sample.time" \
        "$bin" sample --scale "$scale" ${years:+--years "$years"} --output "$data" --code-lists "$root/Pipelines/codelists" | tail -n +1 >&2
    grep -E "Elapsed|Maximum resident" "$results/sample.time" >&2
else
    echo "reusing the data in $data (REGENERATE=1 to write it again)" >&2
fi

# 1. The whole pipeline in a fresh workspace, with the process's wall/CPU time and peak memory.
ws="$bench/$name-workspace"
rm -rf "$ws"
echo "lagesbild run (all stages) ..." >&2
/usr/bin/time -v -o "$results/run.time" "$bin" run -p "$data/pipeline.yaml" --workspace "$ws" -q \
    >"$results/run.log"
"$bin" status -p "$data/pipeline.yaml" --workspace "$ws" --json >"$results/status.json"

# 2. Ingest → aggregate in one process in a fresh workspace: the persisted work DuckDB's load + aggregate
#    is compared with (police events, population and code lists loaded, the indicator table computed).
#    COMPARE_RUNS (default 1; 3 at national scale) alternates it with the DuckDB peer's load + aggregate,
#    and the ratio is taken between the medians.
# The DuckDB peer (Python venv, installed once).
venv="$bench/venv"
if ! [ -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import duckdb" 2>/dev/null; then
    echo "installing DuckDB into $venv ..." >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q duckdb >&2
fi
ws_until="$bench/$name-workspace-until"
rm -f "$results"/duckdb-*.json "$results"/until-aggregate-*.time
compare_runs="${COMPARE_RUNS:-$([ "$scale" = national ] && echo 3 || echo 1)}"
until_times=""
for i in $(seq 1 "$compare_runs"); do
    rm -rf "$ws_until"
    echo "lagesbild run --until aggregate (fresh workspace) $i/$compare_runs ..." >&2
    /usr/bin/time -v -o "$results/until-aggregate-$i.time" "$bin" run -p "$data/pipeline.yaml" \
        --workspace "$ws_until" -q --until aggregate >"$results/until-aggregate.log"
    until_times="$until_times${until_times:+,}$results/until-aggregate-$i.time"
    if [ "$i" -lt "$compare_runs" ]; then  # the last DuckDB run is the peer's own, in step 6
        echo "DuckDB load + aggregate $i/$compare_runs ..." >&2
        "$venv/bin/python" "$root/Benchmarks/pipeline/duckdb_peer.py" --data "$data" --workspace "$ws" \
            --database "$bench/$name.duckdb" --load-only "$results/duckdb-$i.json" >&2
    fi
done
rm -rf "$ws_until"

# 3. Aggregate alone, from what the workspace holds.
echo "lagesbild run --stage aggregate ..." >&2
/usr/bin/time -v -o "$results/aggregate.time" \
    "$bin" run -p "$data/pipeline.yaml" --workspace "$ws" -q --stage aggregate >"$results/aggregate.log"

# 4. Optionally each stage alone in a second fresh workspace (sub-second times per stage).
stage_args=()
if [ "$staged" = 1 ]; then
    ws2="$bench/$name-workspace-staged"
    rm -rf "$ws2"
    printf '{' >"$results/stages.json"
    sep=""
    for stage in ingest normalize aggregate publish; do
        echo "lagesbild run --stage $stage (fresh workspace) ..." >&2
        /usr/bin/time -v -o "$results/stage-$stage.time" \
            "$bin" run -p "$data/pipeline.yaml" --workspace "$ws2" -q --stage "$stage" >"$results/stage-$stage.log"
        printf '%s"%s": "%s"' "$sep" "$stage" "$results/stage-$stage.time" >>"$results/stages.json"
        sep=", "
    done
    printf '}\n' >>"$results/stages.json"
    stage_args=(--stage-times "$results/stages.json")
fi

# 5. The nightly case: a full run in a fresh workspace, then one event appended to the last yearly police
#    file and a run again (ingest reads the appended row alone, normalize only its delivery), then that file
#    rewritten with its first event changed and a run again (read whole: not an append). Repeated INCREMENTAL_RUNS
#    times (default 3) on a copy of the data (the other files hard-linked), restoring the file before each full run;
#    then the incremental run's exports must equal those of a run from scratch on the changed data.
inc="$bench/$name-incremental"
rm -rf "$inc"
mkdir -p "$inc/data"
cp -al "$data/." "$inc/data/" 2>/dev/null || cp -a "$data/." "$inc/data/" # hard links: the same folder rules
rm "$inc/data/pipeline.yaml"
cp "$data/pipeline.yaml" "$inc/data/pipeline.yaml"
# Linking the files moved their ctime: leave them alone for two seconds, as delivered files are before a
# night's run (ingest records a file's identity only once it has not changed for two seconds).
sleep 2.1
changed="$(cd "$data" && ls police/brott_*.csv | sort | tail -n 1)"
last_line="$(tail -n 1 "$data/$changed" | sed 's/^[^;]*;/BENCH-INCREMENTAL;/')"
runs="${INCREMENTAL_RUNS:-3}"
printf '{"full": [' >"$results/incremental.json"
for i in $(seq 1 "$runs"); do
    rm -f "$inc/data/$changed"
    cp "$data/$changed" "$inc/data/$changed"
    sleep 2.1
    rm -rf "$inc/ws"
    echo "incremental case $i/$runs: lagesbild run (fresh workspace) ..." >&2
    /usr/bin/time -v -o "$results/incremental-full-$i.time" \
        "$bin" run -p "$inc/data/pipeline.yaml" --workspace "$inc/ws" -q >"$results/incremental-full-$i.log"
    printf '%s"%s"' "$([ "$i" = 1 ] || echo ", ")" "$results/incremental-full-$i.time" >>"$results/incremental.json"
    printf '%s\n' "$last_line" >>"$inc/data/$changed"
    echo "incremental case $i/$runs: one event appended to $changed, lagesbild run ..." >&2
    /usr/bin/time -v -o "$results/incremental-run-$i.time" \
        "$bin" run -p "$inc/data/pipeline.yaml" --workspace "$inc/ws" -q >"$results/incremental-run-$i.log"
    # The same file delivered again with its first event changed: not an append, so read whole.
    sed -i "2s/^./X/" "$inc/data/$changed"
    echo "incremental case $i/$runs: $changed rewritten (its first event changed), lagesbild run ..." >&2
    /usr/bin/time -v -o "$results/incremental-rewritten-$i.time" \
        "$bin" run -p "$inc/data/pipeline.yaml" --workspace "$inc/ws" -q >"$results/incremental-rewritten-$i.log"
done
printf '], "incremental": [' >>"$results/incremental.json"
for i in $(seq 1 "$runs"); do
    printf '%s"%s"' "$([ "$i" = 1 ] || echo ", ")" "$results/incremental-run-$i.time" >>"$results/incremental.json"
done
printf '], "rewritten": [' >>"$results/incremental.json"
for i in $(seq 1 "$runs"); do
    printf '%s"%s"' "$([ "$i" = 1 ] || echo ", ")" "$results/incremental-rewritten-$i.time" >>"$results/incremental.json"
done
printf ']}\n' >>"$results/incremental.json"
echo "incremental case: a run from scratch on the changed data, to compare the exports ..." >&2
rm -rf "$inc/ws-scratch"
"$bin" run -p "$inc/data/pipeline.yaml" --workspace "$inc/ws-scratch" -q >"$results/incremental-scratch.log"
# The reports name their run and minute and compare the follow-up with the previous run's: those lines differ.
if ! diff -r -I 'örning' -I '<dt>Genererad</dt>' -I 'första uppföljningen' "$(readlink -f "$inc/ws/out")" \
    "$(readlink -f "$inc/ws-scratch/out")" >"$results/incremental.diff"; then
    echo "MISMATCH: the incremental run's exports differ from a run from scratch ($results/incremental.diff)" >&2
    exit 1
fi
echo "incremental case: the exports equal those of a run from scratch" >&2
rm -rf "$inc/ws-scratch"

# 6. The DuckDB peer on the same files, and the check.
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB, $(uname -sr), $(swift --version 2>/dev/null | head -1)"
"$venv/bin/python" "$root/Benchmarks/pipeline/duckdb_peer.py" --data "$data" --workspace "$ws" \
    --database "$bench/$name.duckdb" --status-json "$results/status.json" --run-time "$results/run.time" \
    --aggregate-time "$results/aggregate.time" --until-aggregate-time "$until_times" \
    --duckdb-runs "$(ls "$results"/duckdb-*.json 2>/dev/null | paste -sd, -)" \
    "${stage_args[@]}" --incremental-times "$results/incremental.json" --json "$results/figures.json"
