#!/usr/bin/env bash
# Checks an HTML report for WCAG 2.1 AA contrast in headless Chromium: every piece of visible text against what
# is behind it (1.4.3: 4.5:1, 3:1 for large text) and chart lines and marks against the white plot (1.4.11: 3:1).
# The browser computes the styles: scripts/contrast.js is injected into a copy of the page, which is rendered at
# 1280 px and at 400 px, and its findings are read back from the DOM.
#
# Usage: scripts/check-contrast.sh HTML_FILE
# Exit status: 0 when everything meets AA; 1 with each finding listed; 2 on bad usage or without chromium.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
[[ $# -eq 1 && -f "$1" ]] || { sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
browser="$(command -v chromium || command -v chromium-browser || true)"
[[ -n "$browser" ]] || { echo "check-contrast: chromium is missing: apt-get install -y chromium" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
page="$work/page.html"
python3 - "$1" "$here/contrast.js" "$page" <<'PY'
import sys
html, script, out = open(sys.argv[1], encoding="utf-8").read(), open(sys.argv[2], encoding="utf-8").read(), sys.argv[3]
marker = "</body>"
if marker not in html:
    sys.exit("check-contrast: the page has no </body>")
open(out, "w", encoding="utf-8").write(html.replace(marker, "<script>" + script + "</script>" + marker, 1))
PY

flags=(--headless --disable-gpu --hide-scrollbars --no-first-run --no-default-browser-check --disable-extensions
       --disable-background-networking --disable-component-update --disable-sync --no-pings --disable-dev-shm-usage
       --user-data-dir="$work/profile")
[[ "$(id -u)" == 0 ]] && flags+=(--no-sandbox)
fail=0
for width in 1280 400; do
    timeout 120 "$browser" "${flags[@]}" --window-size="$width,2000" --dump-dom "file://$page" >"$work/dom.html" \
        2>"$work/log" || { echo "check-contrast: chromium failed" >&2; tail -5 "$work/log" >&2; exit 1; }
    findings="$(python3 - "$work/dom.html" <<'PY'
import html, re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
ms = re.findall(r'<pre id="contrast-findings">(.*?)</pre>', dom, re.S)
print(html.unescape(ms[-1]) if ms else "no findings element: the check did not run")
PY
)"
    checked="$(head -1 <<<"$findings")"
    # One line per kind of finding (the same colours on the same element), with how often and an example.
    problems="$(tail -n +2 <<<"$findings" | python3 -c '
import collections, re, sys
groups = collections.OrderedDict()
for line in filter(None, map(str.rstrip, sys.stdin)):
    key = re.sub(r" \"[^\"]*\" ", " ", line)
    groups.setdefault(key, []).append(line)
for key, lines in groups.items():
    print(f"{lines[0]}" + (f" and {len(lines) - 1} more like it" if len(lines) > 1 else ""))
')"
    if [[ "$checked" != checked* ]]; then
        echo "check-contrast: FAIL at $width px: $findings" >&2
        fail=1
    elif [[ -n "$problems" ]]; then
        echo "check-contrast: FAIL at $width px: contrast below WCAG 2.1 AA:" >&2
        sed 's/^/  /' <<<"$problems" >&2
        fail=1
    else
        echo "check-contrast: ok at $width px ($checked text and mark colour pairs, all meet WCAG 2.1 AA)"
    fi
done
exit $fail
