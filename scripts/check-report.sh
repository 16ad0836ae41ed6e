#!/usr/bin/env bash
# Renders an HTML lägesbild with headless Chromium and checks that it loaded, has its headings and is not blank.
#
# Usage:
#   scripts/check-report.sh HTML_FILE [OUT_PNG]
#   scripts/check-report.sh --sample [OUT_PNG]   # writes ReportData.sample through the ReportTests and checks it
#
# Exit status: 0 when the report looks right; 1 when Chromium reports errors loading the page, when the DOM lacks
# the report's main heading (<h1>) or a main section heading, or when the screenshot is blank; 2 on bad usage or
# when Chromium is missing. Needs Debian's `chromium` (apt-get install -y chromium) and python3.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"

usage() { sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
[[ $# -ge 1 && $# -le 2 ]] || usage

if [[ "$1" == "--sample" ]]; then
    html="${TMPDIR:-/tmp}/lagesbild-report-sample.html"
    echo "check-report: writing the sample report to $html"
    (cd "$repo" && LAGESBILD_REPORT_SAMPLE="$html" swift test --scratch-path .build-report \
        --filter 'ReportTests.ReportRendererTests/writesTheSampleReport' >/dev/null) \
        || { echo "check-report: FAIL: could not write the sample report (swift test failed)" >&2; exit 1; }
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
       --disable-background-networking --disable-sync --disable-dev-shm-usage --enable-logging=stderr --v=0)
[[ "$(id -u)" == 0 ]] && flags+=(--no-sandbox)
profile="$(mktemp -d)"
log="$(mktemp)"
dom="$(mktemp)"
trap 'rm -rf "$profile" "$log" "$dom"' EXIT
flags+=(--user-data-dir="$profile")
url="file://$html"

status=0
# The DOM after loading (no script runs in the report, so this is the parsed document).
timeout 120 "$browser" "${flags[@]}" --dump-dom "$url" >"$dom" 2>"$log" || status=$?
# The screenshot: A4-ish width for print, tall enough for several sections.
timeout 120 "$browser" "${flags[@]}" --screenshot="$png" --window-size=1280,4000 "$url" >/dev/null 2>>"$log" \
    || status=$?
if [[ $status -ne 0 ]]; then
    echo "check-report: FAIL: chromium exited with status $status" >&2
    tail -n 20 "$log" >&2
    exit 1
fi

fail=0
# Errors while loading the page: failed resources, blocked requests, console errors, network errors.
if grep -E 'Failed to load resource|net::ERR_|Uncaught|Refused to|CONSOLE.*(error|Error)|Not allowed to load' "$log" \
    | grep -v -E 'dbus|Fontconfig|gpu|GPU|viz|sandbox' >&2; then
    echo "check-report: FAIL: chromium reported errors loading the page (above)" >&2
    fail=1
fi

# The rendered DOM: main heading and every main section heading.
if ! grep -q '<h1>[^<]' "$dom"; then
    echo "check-report: FAIL: the rendered DOM has no main heading (<h1>)" >&2
    fail=1
fi
for heading in "Sammanfattning" "Brottslighet över tid" "Områden" "Tid på dygnet, veckodag och månad" "Skolor" \
    "Länsstyrelsen: tillstånd och tillsyn" "Källor och metod"; do
    if ! grep -q "<h2>$heading</h2>" "$dom"; then
        echo "check-report: FAIL: the rendered DOM lacks the heading \"$heading\"" >&2
        fail=1
    fi
done
if grep -qiE '<script|https?://' "$dom"; then
    echo "check-report: FAIL: the rendered DOM contains a script or an external URL" >&2
    fail=1
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
