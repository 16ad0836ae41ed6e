#!/usr/bin/env bash
# A throw-away PostgreSQL 15 server on loopback for the PostgresOutput integration tests.
#
#   eval "$(scripts/test-postgres.sh start)"   # start (or find running); exports LAGESBILD_TEST_PG_URL and
#                                              # LAGESBILD_TEST_PG_SOCKET_DIR (its Unix socket directory)
#   scripts/test-postgres.sh env               # print the export line of the running server
#   scripts/test-postgres.sh stop              # stop it and remove its directory
#
# Only the export lines go to standard output; everything else goes to standard error. The server listens on
# 127.0.0.1 only, with trust authentication (except the role lagesbild_test_password, which must give its
# password), fsync off, and its socket in its own directory.
# LAGESBILD_TEST_PG_PORT (default 54329) and LAGESBILD_TEST_PG_DIR (default /tmp/lagesbild-test-pg-<port>)
# choose another port or place. As root (as in CI), the server runs as the `postgres` user through runuser,
# because initdb and postgres refuse to run as root; the postgresql package is installed when missing.
set -euo pipefail

port="${LAGESBILD_TEST_PG_PORT:-54329}"
base="${LAGESBILD_TEST_PG_DIR:-/tmp/lagesbild-test-pg-$port}"
data="$base/data"
socket="$base/socket"
log="$base/server.log"
password_role=lagesbild_test_password

say() { echo "test-postgres: $*" >&2; }

find_bin() {
    local dir
    for dir in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
        if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
            echo "$dir"
            return 0
        fi
    done
    return 1
}

ensure_binaries() {
    if bin="$(find_bin)"; then return 0; fi
    if [ "$(id -u)" -ne 0 ]; then
        say "no PostgreSQL server binaries under /usr/lib/postgresql; install the postgresql package"
        exit 1
    fi
    say "installing postgresql"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    bin="$(find_bin)" || { say "postgresql installed but no initdb found"; exit 1; }
}

# Runs a server binary as the postgres user when we are root, else as ourselves.
as_server_user() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

print_env() {
    echo "export LAGESBILD_TEST_PG_URL=postgres://postgres@127.0.0.1:$port/postgres"
    echo "export LAGESBILD_TEST_PG_SOCKET_DIR=$socket"
}

is_running() {
    [ -f "$data/PG_VERSION" ] && as_server_user "$bin/pg_ctl" status -D "$data" >/dev/null 2>&1
}

start() {
    ensure_binaries
    if is_running; then
        say "already running on 127.0.0.1:$port ($data)"
        print_env
        return 0
    fi
    if [ ! -f "$data/PG_VERSION" ]; then
        rm -rf "$base"
        mkdir -p "$data" "$socket"
        chmod 0700 "$data"
        if [ "$(id -u)" -eq 0 ]; then
            chown -R postgres:postgres "$base"
        fi
        as_server_user "$bin/initdb" -D "$data" -A trust -U postgres -E UTF8 --locale=C --no-sync >"$base/initdb.log" 2>&1 || {
            cat "$base/initdb.log" >&2
            say "initdb failed"
            exit 1
        }
        # One role logs in with a password (the tests of a refused password create it); every other role is trusted.
        as_server_user sh -c "{ echo 'host all $password_role 127.0.0.1/32 scram-sha-256'; cat '$data/pg_hba.conf'; } \
            >'$data/pg_hba.new' && mv '$data/pg_hba.new' '$data/pg_hba.conf'"
    fi
    as_server_user "$bin/pg_ctl" -D "$data" -l "$log" -w -t 30 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $socket -F -c full_page_writes=off" start >&2 || {
        cat "$log" >&2 || true
        say "the server did not start"
        exit 1
    }
    say "started PostgreSQL $("$bin/pg_ctl" --version | awk '{print $3}') on 127.0.0.1:$port ($data)"
    print_env
}

stop() {
    if bin="$(find_bin)" && is_running; then
        as_server_user "$bin/pg_ctl" -D "$data" -m fast -w stop >&2
    fi
    rm -rf "$base"
    say "stopped and removed $base"
}

case "${1:-}" in
start) start ;;
stop) stop ;;
env)
    ensure_binaries
    if is_running; then
        print_env
    else
        say "not running; use: eval \"\$(scripts/test-postgres.sh start)\""
        exit 1
    fi
    ;;
*)
    echo "usage: $0 start|stop|env" >&2
    exit 2
    ;;
esac
