#!/usr/bin/env bash
# Prints an HTML lägesbild to an A4 PDF with headless Chromium and checks it as a reader of the printout would:
# the summary (Sammanfattning, up to the first chapter) fits in at most 4 pages, every page has text, and no
# page of the summary is cut off at the side.
#
# Usage: scripts/check-print.sh HTML_FILE [OUT_PDF]
# Exit status: 0 when the printout is right; 1 naming what is not; 2 on bad usage or without chromium or
# pdftotext (poppler-utils).
set -euo pipefail

[[ $# -ge 1 && $# -le 2 && -f "$1" ]] || { sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
browser="$(command -v chromium || command -v chromium-browser || true)"
[[ -n "$browser" ]] || { echo "check-print: chromium is missing: apt-get install -y chromium" >&2; exit 2; }
command -v pdftotext >/dev/null || { echo "check-print: pdftotext is missing: apt-get install -y poppler-utils" >&2; exit 2; }
html="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
pdf="${2:-${html%.html}.pdf}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
flags=(--headless --disable-gpu --no-first-run --no-default-browser-check --disable-extensions --disable-sync
       --disable-background-networking --disable-component-update --no-pings --disable-dev-shm-usage
       --user-data-dir="$work/profile" --no-pdf-header-footer)
[[ "$(id -u)" == 0 ]] && flags+=(--no-sandbox)
timeout 120 "$browser" "${flags[@]}" --print-to-pdf="$pdf" "file://$html" >/dev/null 2>"$work/log" \
    || { echo "check-print: chromium failed" >&2; tail -5 "$work/log" >&2; exit 1; }
pages="$(pdfinfo "$pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }' || true)"
[[ -n "$pages" ]] || pages="$(pdftotext "$pdf" - | tr -cd '\f' | wc -c)"
fail=0
summary_end=0
# The first chapter after the summary: the kommun's report, or the county report's (scope: county or country).
chapter="Brottslighet över tid"
grep -q '<main data-report="county">' "$html" && chapter="Kommunerna jämförda"
for ((page = 1; page <= pages; page++)); do
    text="$(pdftotext -f "$page" -l "$page" -layout "$pdf" - 2>/dev/null || true)"
    if [[ -z "$(tr -d '[:space:]' <<<"$text")" ]]; then
        echo "check-print: FAIL: page $page of $pages is empty" >&2
        fail=1
    fi
    # The first chapter after the summary begins with its heading at the start of a line.
    if [[ $summary_end -eq 0 ]] && grep -qE "^\\s*($chapter)\\s*\$" <<<"$text"; then
        summary_end=$page
    fi
done
if [[ $summary_end -eq 0 ]]; then
    echo "check-print: FAIL: no chapter '$chapter' after the summary" >&2
    fail=1
else
    summary_pages=$((summary_end - 1))
    if ((summary_pages > 4)); then
        echo "check-print: FAIL: the summary takes $summary_pages A4 pages (at most 4)" >&2
        fail=1
    fi
fi
[[ $fail -eq 0 ]] && echo "check-print: ok: $pdf, $pages A4 pages, the summary on $((summary_end - 1)) of them"
exit $fail
