#!/usr/bin/env bash
# Renders an HTML lägesbild with headless Chromium and checks that it loaded, has its headings and is not blank.
#
# Usage:
#   scripts/check-report.sh HTML_FILE [OUT_PNG]
#   scripts/check-report.sh --sample [OUT_PNG]   # writes ReportData.sample through the ReportTests and checks it
#   scripts/check-report.sh --map HTML_FILE [OUT_PNG]   # also requires the maps (the pipeline has `maps:`)
#
# Exit status: 0 when the report looks right; 1 when Chromium reports errors loading the page, when the DOM lacks
# the report's main heading (<h1>) or a main section heading (the county report's own in its county mode), or when
# the screenshot is blank (with --map: or when the rendered page lacks a choropleth or the grid map, each an SVG with
# a title and drawn areas); 2 on bad usage or
# when Chromium is missing. Needs Debian's `chromium` (apt-get install -y chromium) and python3.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"

usage() { sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
require_map=0
if [[ "${1:-}" == "--map" ]]; then
    require_map=1
    shift
fi
[[ $# -ge 1 && $# -le 2 ]] || usage

if [[ "$1" == "--sample" ]]; then
    html="${TMPDIR:-/tmp}/lagesbild-report-sample.html"
    echo "check-report: writing the sample report to $html"
    build_log="$(mktemp)"
    if ! (cd "$repo" && LAGESBILD_REPORT_SAMPLE="$html" swift test --scratch-path .build-report \
        --filter 'ReportTests.ReportRendererTests/writesTheSampleReport') >"$build_log" 2>&1; then
        tail -n 30 "$build_log" >&2
        echo "check-report: FAIL: could not write the sample report (swift test failed)" >&2
        exit 1
    fi
    rm -f "$build_log"
else
    html="$1"
fi
[[ -f "$html" ]] || { echo "check-report: FAIL: no such file: $html" >&2; exit 1; }
html="$(cd "$(dirname "$html")" && pwd)/$(basename "$html")"
png="${2:-${html%.html}.png}"
[[ "$png" = /* ]] || png="$PWD/$png"

browser="$(command -v chromium || command -v chromium-browser || true)"
[[ -n "$browser" ]] || { echo "check-report: chromium is missing: apt-get install -y chromium" >&2; exit 2; }

flags=(--headless --disable-gpu --hide-scrollbars --no-first-run --no-default-browser-check --disable-extensions
       --disable-background-networking --disable-component-update --disable-sync --no-pings --disable-dev-shm-usage)
[[ "$(id -u)" == 0 ]] && flags+=(--no-sandbox)
profile="$(mktemp -d)"
log="$(mktemp)"
dom="$(mktemp)"
trap 'rm -rf "$profile" "$log" "$dom"' EXIT
flags+=(--user-data-dir="$profile")
url="file://$html"

status=0
# The DOM after loading (no script runs in the report, so this is the parsed document). Verbose logging (--v=1)
# records every file and network request the page makes, so loads other than the page itself can be caught.
timeout 120 "$browser" "${flags[@]}" --enable-logging=stderr --v=1 --dump-dom "$url" >"$dom" 2>"$log" || status=$?
# The screenshot: A4-ish width for print, tall enough for several sections.
timeout 120 "$browser" "${flags[@]}" --screenshot="$png" --window-size=1280,4000 "$url" >/dev/null 2>>"$log" \
    || status=$?
if [[ $status -ne 0 ]]; then
    echo "check-report: FAIL: chromium exited with status $status" >&2
    tail -n 20 "$log" >&2
    exit 1
fi

fail=0
# Errors while loading the page. The report must load nothing but itself: any other file:// or network request
# is an error (a missing image, a stylesheet, a font), as are failed loads and console errors from the page.
# Chromium's own background calls (time, updates, accounts, dictionaries) are not the page's and are left out;
# an external URL written in the page is caught by the DOM check below as well.
own='^https?://(clients[0-9]*\.google\.com|accounts\.google\.com|[a-z0-9-]+\.gvt1\.com|'
own+='(update|optimizationguide-pa|content-autofill|safebrowsing[a-z-]*)\.googleapis\.com)/'
requests="$(grep -oE '(FileURLLoader::Start|NotifyBeforeURLRequest): [^ ]+' "$log" \
    | sed -E 's/^(FileURLLoader::Start|NotifyBeforeURLRequest): //' | grep -vxF "$url" | grep -vE "$own" \
    | sort -u || true)"
if [[ -n "$requests" ]]; then
    echo "check-report: FAIL: the page loads other resources (it must be self-contained):" >&2
    sed 's/^/  /' <<<"$requests" >&2
    fail=1
fi
if grep -E 'Failed to load resource|Not allowed to load local resource|Uncaught|:CONSOLE\([0-9]+\)\].*[Ee]rror' "$log" \
    | grep -vE 'google_apis|gaia|dbus|Fontconfig' >&2; then
    echo "check-report: FAIL: chromium reported errors loading the page (above)" >&2
    fail=1
fi
if grep -qE 'id="main-frame-error"|ERR_FILE_NOT_FOUND|ERR_ACCESS_DENIED' "$dom"; then
    echo "check-report: FAIL: chromium could not open $url" >&2
    fail=1
fi

# The rendered DOM: main heading and every main section heading.
if ! grep -q '<h1>[^<]' "$dom"; then
    echo "check-report: FAIL: the rendered DOM has no main heading (<h1>)" >&2
    fail=1
fi
# A county or national report (scope: county or country, <main data-report="county">) has its own sections.
headings=("Sammanfattning" "Brottslighet över tid" "Områden" "Tid, månad och plats" "Skolor"
    "Länsstyrelsen: tillstånd och tillsyn" "Källor och metod")
if grep -q '<main data-report="county">' "$dom"; then
    headings=("Sammanfattning" "Kommunerna jämförda" "Källor och metod")
fi
for heading in "${headings[@]}"; do
    if ! grep -q "<h2>$heading</h2>" "$dom"; then
        echo "check-report: FAIL: the rendered DOM lacks the heading \"$heading\"" >&2
        fail=1
    fi
done
if grep -qiE '<script|https?://' "$dom"; then
    echo "check-report: FAIL: the rendered DOM contains a script or an external URL" >&2
    fail=1
fi

# The maps (--map): a choropleth and the grid map, each an SVG with a <title> and drawn areas or squares.
if [[ $require_map -eq 1 ]]; then
    if ! python3 - "$dom" <<'PY'
import re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
maps = re.findall(r'<svg class="map" id="([^"]+)"(.*?)</svg>', dom, re.S)
problems = []
choropleths = [(i, body) for i, body in maps if i.startswith("karta")]
grids = [(i, body) for i, body in maps if i == "rutkarta"]
if not choropleths:
    problems.append("no choropleth (<svg class=\"map\" id=\"karta…\">)")
if not grids:
    problems.append("no grid map of events (<svg class=\"map\" id=\"rutkarta\">)")
for i, body in maps:
    if not re.search(r'<title id="[^"]+">[^<]+</title>', body):
        problems.append(f"the map {i} has no <title>")
    if len(re.findall(r'<path d="M', body)) < 2:
        problems.append(f"the map {i} draws fewer than 2 areas")
for i, body in grids:
    if "<rect x=" not in body:
        problems.append(f"the grid map {i} draws no squares")
for p in problems:
    print(f"check-report: FAIL: {p}", file=sys.stderr)
sys.exit(1 if problems else 0)
PY
    then
        fail=1
    fi
fi

# The screenshot: present and not blank.
if [[ ! -s "$png" ]]; then
    echo "check-report: FAIL: chromium wrote no screenshot to $png" >&2
    fail=1
elif ! python3 "$here/png_check.py" "$png"; then
    echo "check-report: FAIL: the screenshot $png is blank" >&2
    fail=1
fi

if [[ $fail -ne 0 ]]; then
    exit 1
fi
echo "check-report: OK: $html (screenshot $png)"
