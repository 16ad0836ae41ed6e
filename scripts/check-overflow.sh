#!/usr/bin/env bash
# Checks that an HTML report fits a 400 px phone screen: the page itself never scrolls sideways (a table or a chart
# may, inside its own scrolling box: .table-wrap or figure).
#
# Headless Chromium lays a page out at least 500 px wide, so the report is loaded into a 400 px frame of a probe
# page and measured there: the page's width and every element that sticks out of it.
#
# Usage: scripts/check-overflow.sh HTML_FILE
# Exit status: 0 when it fits; 1 naming what sticks out; 2 on bad usage or without chromium.
set -euo pipefail

[[ $# -eq 1 && -f "$1" ]] || { sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
browser="$(command -v chromium || command -v chromium-browser || true)"
[[ -n "$browser" ]] || { echo "check-overflow: chromium is missing: apt-get install -y chromium" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 - "$1" "$work/probe.html" <<'PY'
import html, sys
report = open(sys.argv[1], encoding="utf-8").read()
probe = """<!DOCTYPE html><html><body style="margin:0">
<iframe id="frame" style="border:0;width:400px;height:3000px" srcdoc="%s"></iframe>
<pre id="overflow-probe">no result</pre>
<script>
document.getElementById('frame').addEventListener('load', function () {
  var doc = this.contentDocument, root = doc.documentElement, width = root.clientWidth, wide = [];
  doc.querySelectorAll('body *').forEach(function (element) {
    if (element.getBoundingClientRect().right > width + 1 && !element.closest('.table-wrap, figure')) {
      wide.push(element.tagName.toLowerCase() + (element.className && element.className.baseVal === undefined
        ? '.' + element.className.split(' ')[0] : ''));
    }
  });
  document.getElementById('overflow-probe').textContent = 'width=' + width + ' scrollWidth=' + root.scrollWidth
    + ' wide=' + Array.from(new Set(wide)).slice(0, 10).join(',');
});
</script></body></html>""" % html.escape(report, quote=True)
open(sys.argv[2], "w", encoding="utf-8").write(probe)
PY
flags=(--headless --disable-gpu --no-first-run --no-default-browser-check --disable-extensions --disable-sync
       --disable-background-networking --disable-component-update --no-pings --disable-dev-shm-usage
       --user-data-dir="$work/profile")
[[ "$(id -u)" == 0 ]] && flags+=(--no-sandbox)
timeout 120 "$browser" "${flags[@]}" --virtual-time-budget=5000 --dump-dom "file://$work/probe.html" \
    >"$work/dom.html" 2>"$work/log" || { echo "check-overflow: chromium failed" >&2; tail -5 "$work/log" >&2; exit 1; }
probe="$(grep -o '<pre id="overflow-probe">[^<]*' "$work/dom.html" | sed 's/.*>//' || true)"
# The frame's own scroll bar may take some of its 400 px: the page fits when it is no wider than what is left.
if [[ ! "$probe" =~ ^width=([0-9]+)\ scrollWidth=([0-9]+)\ wide=$ ]] || (( BASH_REMATCH[2] > BASH_REMATCH[1] )); then
    echo "check-overflow: FAIL: $1 is wider than a 400 px screen: ${probe:-no measurement}" >&2
    exit 1
fi
echo "check-overflow: ok: $1 fits a 400 px screen (tables and charts scroll in their own boxes)"
