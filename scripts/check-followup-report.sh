#!/usr/bin/env bash
# Renders the follow-up report (uppfoljning.html) with headless Chromium at 1280 and 400 px and checks it.
#
# Usage:
#   scripts/check-followup-report.sh HTML_FILE [OUT_DIR]
#
# Writes OUT_DIR/uppfoljning-1280.png and OUT_DIR/uppfoljning-400.png (OUT_DIR defaults to the report's folder).
# Exit status: 0 when the report looks right; 1 when Chromium reports errors loading the page, when the DOM lacks
# the main heading or a Swedish section heading, has a script or loads another resource, when the text a reader
# sees holds English status words ("on track", "too uncertain", "not on the way", …), when the page is wider than
# a 400 px screen (tables may scroll inside their wrapper), or when a screenshot is blank; 2 on bad usage or when
# Chromium is missing. Needs Debian's `chromium` (apt-get install -y chromium) and python3.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

usage() { sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
[[ $# -ge 1 && $# -le 2 ]] || usage
html="$1"
[[ -f "$html" ]] || { echo "check-followup-report: FAIL: no such file: $html" >&2; exit 1; }
html="$(cd "$(dirname "$html")" && pwd)/$(basename "$html")"
out="${2:-$(dirname "$html")}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

browser="$(command -v chromium || command -v chromium-browser || true)"
[[ -n "$browser" ]] || { echo "check-followup-report: chromium is missing: apt-get install -y chromium" >&2; exit 2; }

flags=(--headless --disable-gpu --hide-scrollbars --no-first-run --no-default-browser-check --disable-extensions
       --disable-background-networking --disable-component-update --disable-sync --no-pings --disable-dev-shm-usage)
[[ "$(id -u)" == 0 ]] && flags+=(--no-sandbox)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
flags+=(--user-data-dir="$work/profile")
url="file://$html"

status=0
timeout 120 "$browser" "${flags[@]}" --enable-logging=stderr --dump-dom "$url" >"$work/dom.html" 2>"$work/log" \
    || status=$?
for width in 1280 400; do
    timeout 120 "$browser" "${flags[@]}" --screenshot="$out/uppfoljning-$width.png" --window-size="$width,4000" "$url" \
        >/dev/null 2>>"$work/log" || status=$?
done
if [[ $status -ne 0 ]]; then
    echo "check-followup-report: FAIL: chromium exited with status $status" >&2
    tail -n 20 "$work/log" >&2
    exit 1
fi

fail=0
if grep -E 'Failed to load resource|Not allowed to load local resource|Uncaught' "$work/log" >&2; then
    echo "check-followup-report: FAIL: chromium reported errors loading the page (above)" >&2
    fail=1
fi
if grep -qE 'id="main-frame-error"|ERR_FILE_NOT_FOUND|ERR_ACCESS_DENIED' "$work/dom.html"; then
    echo "check-followup-report: FAIL: chromium could not open $url" >&2
    fail=1
fi

# The rendered DOM: headings in Swedish, nothing loaded from elsewhere, no English for the reader.
python3 - "$work/dom.html" <<'EOF' || fail=1
import re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
problems = []
if not re.search(r"<h1>[^<]", dom):
    problems.append("the rendered DOM has no main heading (<h1>)")
for heading in ["h2>Sammanfattning", "h3>Målen", "h3>Sedan förra uppföljningen", "h2>Medborgarlöften",
                "h2>Så bedöms målen och insatserna"]:
    if "<" + heading + "</" not in dom:
        problems.append("the rendered DOM lacks the heading \"%s\"" % heading.split(">")[1])
if re.search(r"<script|<link|<iframe|<img|@import|\ssrc=", dom, re.I):
    problems.append("the rendered DOM contains a script, an image, a frame or a link to another resource")
text = re.sub(r"<style.*?</style>", " ", dom, flags=re.S)
text = re.sub(r"<[^>]*>", " ", text).lower()
english = ["on track", "on the way", "not on the way", "too uncertain", "too little data", "reached", "baseline",
           "target", "projected", "ongoing", "delayed", "cancelled", "citizen promise", "measure"]
found = [phrase for phrase in english if re.search(r"(?<![a-zåäö])" + re.escape(phrase) + r"(?![a-zåäö])", text)]
if found:
    problems.append("English reaches the reader: " + ", ".join(found))
for problem in problems:
    print("check-followup-report: FAIL: " + problem, file=sys.stderr)
sys.exit(1 if problems else 0)
EOF

# No horizontal overflow on a 400 px screen (tables and charts may scroll in their own boxes).
"$here/check-overflow.sh" "$html" || fail=1

for width in 1280 400; do
    png="$out/uppfoljning-$width.png"
    if [[ ! -s "$png" ]]; then
        echo "check-followup-report: FAIL: chromium wrote no screenshot to $png" >&2
        fail=1
    elif ! python3 "$here/png_check.py" "$png"; then
        echo "check-followup-report: FAIL: the screenshot $png is blank" >&2
        fail=1
    fi
done

if [[ $fail -ne 0 ]]; then
    exit 1
fi
echo "check-followup-report: OK: $html (screenshots $out/uppfoljning-1280.png, $out/uppfoljning-400.png)"
