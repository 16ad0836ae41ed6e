#!/bin/sh
# Tells the administrator that a systemd unit failed (lagesbild-notify@.service runs it with the unit's
# name): its exit status and the last lines of its journal, to the journal (logger) and, when a mail
# command is installed, by mail to $LAGESBILD_NOTIFY (default root).
set -u
unit=${1:?usage: lagesbild-notify.sh UNIT}
recipient=${LAGESBILD_NOTIFY:-root}
status=$(systemctl show --property=ExecMainStatus --value "$unit" 2>/dev/null || echo unknown)
subject="lagesbild: $unit failed on $(hostname) (exit status $status)"
body=$(
    echo "$subject"
    echo "Exit statuses: 65 data error or failed gate (nothing published), 66 input missing,"
    echo "78 invalid pipeline file, 143 stopped (e.g. TimeoutStartSec). \`lagesbild runs\` tells why."
    echo
    journalctl --unit="$unit" --lines=40 --no-pager --output=cat 2>&1
)
logger --tag lagesbild-notify --priority user.err "$subject"
if command -v mail >/dev/null 2>&1; then
    printf '%s\n' "$body" | mail -s "$subject" "$recipient"
elif command -v sendmail >/dev/null 2>&1; then
    printf 'To: %s\nSubject: %s\n\n%s\n' "$recipient" "$subject" "$body" | sendmail -t
fi
