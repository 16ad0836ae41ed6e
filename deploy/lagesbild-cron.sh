#!/bin/sh
# Runs lagesbild from cron and maps exit status 75 (another run holds the workspace; the next tick runs
# again) to 0, so that cron mails only real failures. Every other status passes through.
# Usage: lagesbild-cron.sh run --log-format json
#        lagesbild-cron.sh nightly --log-format json   # fetch, then run, with the same options
# `nightly` first downloads new deliveries (`lagesbild fetch`), then runs on whatever is there: a fetch
# that fails never blocks the run (a failed fetch leaves no file behind). A server that cannot be reached
# (69) is only logged — the next night tries again, and a source that stays stale is caught by the
# stale_deliveries gate (max_age_days). Any other fetch failure (65 unexpected answer, 77 refused
# credential, 74 cannot write, 78 invalid pipeline file) is the script's status when the run itself
# succeeded, so cron mails it.
# The PostgreSQL connection (optional) and API credentials (the variables the pipeline's fetch: sections
# name) are read from $LAGESBILD_ENV (default /etc/lagesbild/lagesbild.env, owned by the cron user, mode
# 0600): PGHOST=…, PGUSER=…, PGDATABASE=…, PGPASSFILE=…, SS12000_TOKEN=… one per line.
umask 027
env_file=${LAGESBILD_ENV:-/etc/lagesbild/lagesbild.env}
if [ -r "$env_file" ]; then
    set -a
    . "$env_file"
    set +a
fi
bin=${LAGESBILD_BIN:-/usr/local/bin/lagesbild}
fetch_status=0
if [ "$1" = nightly ]; then
    shift
    "$bin" fetch "$@"
    fetch_status=$?
    case "$fetch_status" in
    75) exit 0 ;;        # a run holds the workspace: it would be locked too
    69) fetch_status=0 ;; # unreachable tonight: run on the deliveries already there
    esac
    set -- run "$@"
fi
"$bin" "$@"
status=$?
[ "$status" -eq 75 ] && exit 0
[ "$status" -eq 0 ] && exit "$fetch_status"
exit "$status"
