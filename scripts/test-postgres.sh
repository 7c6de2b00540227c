#!/usr/bin/env bash
# Starts a private PostgreSQL server for the tests (loopback only, trust auth, its own data
# directory) and prints the URL the tests read from LISA_TEST_PG_URL. Idempotent: a server already
# running on that data directory is reused. Used by .ci/run and by developers:
#   export LISA_TEST_PG_URL=$(scripts/test-postgres.sh)
set -euo pipefail
PORT="${LISA_TEST_PG_PORT:-55432}"
DATA="${LISA_TEST_PG_DIR:-/tmp/lisa-test-pg}"
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
[ -x "$BIN/initdb" ] || { echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }

# initdb and the server refuse to run as root: run them as the postgres user Debian creates.
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

if [ ! -s "$DATA/PG_VERSION" ]; then
  mkdir -p "$DATA"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$DATA"
  as_owner "$BIN/initdb" -D "$DATA" -U lisa --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi
if ! as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  as_owner "$BIN/pg_ctl" -D "$DATA" -w -l "$DATA/server.log" \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DATA -c fsync=off -c synchronous_commit=off" start >/dev/null
fi
echo "postgresql://lisa@127.0.0.1:$PORT/postgres"
