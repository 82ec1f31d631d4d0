#!/usr/bin/env bash
# A throw-away PostgreSQL for the scenario-library tests (CI): `pg_temp.sh start DIR` initialises a
# cluster in DIR from Debian's packages (unix socket only, no TCP), starts it and prints its
# SQLAlchemy URL; `pg_temp.sh stop DIR` stops it. Any failure prints nothing and exits 1, so the
# caller simply leaves FULCRUM_TEST_PG_URL unset and the PostgreSQL tests skip. Bounded to ~60 s.
set -uo pipefail
cmd=${1:-}; dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }
bin=""
for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && bin=$d; done
[ -n "$bin" ] || exit 1
as=()  # run as the cluster's owner: PostgreSQL refuses to run as root
[ "$(id -u)" = 0 ] && as=(runuser -u postgres --)
case "$cmd" in
  start)
    mkdir -p "$dir" || exit 1
    [ "$(id -u)" = 0 ] && { getent passwd postgres >/dev/null || exit 1; chown postgres "$dir"; }
    timeout 40 "${as[@]}" "$bin/initdb" -D "$dir/data" -U postgres -A trust --no-sync >"$dir/initdb.log" 2>&1 || exit 1
    timeout 20 "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 15 \
      -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c fsync=off -k $dir" start >/dev/null 2>&1 || exit 1
    timeout 10 "${as[@]}" "$bin/createdb" -h "$dir" -U postgres fulcrum_test >/dev/null 2>&1 || exit 1
    echo "postgresql+psycopg://postgres@/fulcrum_test?host=$dir"
    ;;
  stop)
    timeout 20 "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || exit 1
    ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
