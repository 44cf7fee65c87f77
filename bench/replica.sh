#!/bin/bash
# A primary and a hot standby (pg_basebackup -R) in temporary folders, on Unix sockets only,
# then bench/replica.ts. Needs PostgreSQL's binaries (.ci/postgres.sh installs them); as root
# the servers run as `postgres`. Everything is stopped and deleted on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(dirname "$(ls -1 /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
as=()
if [ "$(id -u)" -eq 0 ]; then as=(runuser -u postgres --); fi
dir=$(mktemp -d /tmp/tidemark-replica.XXXXXX)
mkdir "$dir/p" "$dir/s"
if [ "$(id -u)" -eq 0 ]; then chown -R postgres "$dir"; fi
stop() {
  "${as[@]}" "$bin/pg_ctl" -D "$dir/s/data" -m fast -w stop >/dev/null 2>&1 || true
  "${as[@]}" "$bin/pg_ctl" -D "$dir/p/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT
"${as[@]}" "$bin/initdb" -D "$dir/p/data" -U tidemark -A trust -E UTF8 --no-sync >/dev/null
"${as[@]}" "$bin/pg_ctl" -D "$dir/p/data" -l "$dir/p/log" -w -o "-k $dir/p -c listen_addresses=" start >/dev/null
"${as[@]}" "$bin/createdb" -h "$dir/p" -U tidemark tidemark
"${as[@]}" "$bin/pg_basebackup" -h "$dir/p" -U tidemark -D "$dir/s/data" -R -X stream
"${as[@]}" "$bin/pg_ctl" -D "$dir/s/data" -l "$dir/s/log" -w -o "-k $dir/s -c listen_addresses=" start >/dev/null
export TIDEMARK_PG_URL="postgres://tidemark@localhost/tidemark?host=$dir/p"
export STANDBY_URL="postgres://tidemark@localhost/tidemark?host=$dir/s"
node --import tsx bench/replica.ts
