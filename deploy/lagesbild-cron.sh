#!/bin/sh
# Runs lagesbild from cron and maps exit status 75 (another run holds the workspace; the next tick runs
# again) to 0, so that cron mails only real failures. Every other status passes through.
# Usage: lagesbild-cron.sh run --log-format json
# The PostgreSQL connection (optional) is read from $LAGESBILD_ENV (default /etc/lagesbild/lagesbild.env,
# owned by the cron user, mode 0600): PGHOST=…, PGUSER=…, PGDATABASE=…, PGPASSFILE=… one per line.
umask 027
env_file=${LAGESBILD_ENV:-/etc/lagesbild/lagesbild.env}
if [ -r "$env_file" ]; then
    set -a
    . "$env_file"
    set +a
fi
"${LAGESBILD_BIN:-/usr/local/bin/lagesbild}" "$@"
status=$?
[ "$status" -eq 75 ] && exit 0
exit "$status"
