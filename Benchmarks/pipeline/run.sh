#!/usr/bin/env bash
# Pipeline benchmark: generates synthetic data at a scale (`lagesbild sample`), runs the whole pipeline
# on it, times each stage and `--stage aggregate` alone, and runs the DuckDB peer on the same files.
#
#   Benchmarks/pipeline/run.sh [municipality|county|national]      (default: county)
#
# Environment: LAGESBILD_BENCH_DIR (default /tmp/lagesbild-bench) holds the data (<dir>/<scale>, reused
# when present; REGENERATE=1 writes it again), the workspaces, the DuckDB venv and the timings.
# STAGED=1|0: also run the stages one by one in a fresh workspace for sub-second stage times (default 1
# except at national scale). SKIP_BUILD=1 uses the existing release build.
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
data="$bench/$scale"
results="$bench/results-$scale"
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
bin="$(swift build -c release --scratch-path .build-scale-release --show-bin-path)/lagesbild"

if [ "${REGENERATE:-0}" = 1 ] || ! [ -f "$data/pipeline.yaml" ]; then
    rm -rf "$data"
    /usr/bin/time -v -o "$results/sample.time" \
        "$bin" sample --scale "$scale" --output "$data" --code-lists "$root/Pipelines/codelists" | tail -n +1 >&2
    grep -E "Elapsed|Maximum resident" "$results/sample.time" >&2
else
    echo "reusing the data in $data (REGENERATE=1 to write it again)" >&2
fi

# 1. The whole pipeline in a fresh workspace, with the process's wall/CPU time and peak memory.
ws="$bench/$scale-workspace"
rm -rf "$ws"
echo "lagesbild run (all stages) ..." >&2
/usr/bin/time -v -o "$results/run.time" "$bin" run -p "$data/pipeline.yaml" --workspace "$ws" -q \
    >"$results/run.log"
"$bin" status -p "$data/pipeline.yaml" --workspace "$ws" --json >"$results/status.json"

# 2. Ingest → aggregate in one process in a fresh workspace: the persisted work DuckDB's load + aggregate
#    is compared with (police events, population and code lists loaded, the indicator table computed).
ws_until="$bench/$scale-workspace-until"
rm -rf "$ws_until"
echo "lagesbild run --until aggregate (fresh workspace) ..." >&2
/usr/bin/time -v -o "$results/until-aggregate.time" "$bin" run -p "$data/pipeline.yaml" --workspace "$ws_until" -q \
    --until aggregate >"$results/until-aggregate.log"
rm -rf "$ws_until"

# 3. Aggregate alone, from what the workspace holds.
echo "lagesbild run --stage aggregate ..." >&2
/usr/bin/time -v -o "$results/aggregate.time" \
    "$bin" run -p "$data/pipeline.yaml" --workspace "$ws" -q --stage aggregate >"$results/aggregate.log"

# 4. Optionally each stage alone in a second fresh workspace (sub-second times per stage).
stage_args=()
if [ "$staged" = 1 ]; then
    ws2="$bench/$scale-workspace-staged"
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

# 5. The DuckDB peer on the same files, and the check.
venv="$bench/venv"
if ! [ -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import duckdb" 2>/dev/null; then
    echo "installing DuckDB into $venv ..." >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q duckdb >&2
fi
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB, $(uname -sr), $(swift --version 2>/dev/null | head -1)"
"$venv/bin/python" "$root/Benchmarks/pipeline/duckdb_peer.py" --data "$data" --workspace "$ws" \
    --database "$bench/$scale.duckdb" --status-json "$results/status.json" --run-time "$results/run.time" \
    --aggregate-time "$results/aggregate.time" --until-aggregate-time "$results/until-aggregate.time" \
    "${stage_args[@]}" --json "$results/figures.json"
