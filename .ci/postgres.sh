# Sourced by .ci/run (bash, set -euo pipefail): a throwaway PostgreSQL cluster on 127.0.0.1 for
# the PostgreSQL suite (tests/storage/postgres.test.ts), which reads TIDEMARK_PG_URL.
#
# - Installs PostgreSQL from Debian's packages when it is missing.
# - Creates a cluster in a temporary directory (initdb refuses to run as root: as root the
#   cluster runs as the `postgres` user), listening on 127.0.0.1 and a socket in that directory
#   only, on the first free port from 54329.
# - Stops the server and deletes the directory when the calling shell exits; it stops nothing
#   else. A TIDEMARK_PG_URL already set is used as it is.
#
# Locally: `source .ci/postgres.sh && npm test` (the server stops when that shell exits).
#
# The fault suite (tests/storage/faults.test.ts) starts and kills a cluster of its own with the
# binaries installed here (/usr/lib/postgresql/*/bin); under CI=true it fails without them.

if [ -z "${TIDEMARK_PG_URL:-}" ]; then
  tidemark_pg_initdb=$(ls -1 /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$tidemark_pg_initdb" ]; then
    if [ "$(id -u)" -ne 0 ]; then
      echo "postgres.sh: PostgreSQL is not installed and this is not root: apt-get install postgresql" >&2
      return 1
    fi
    # No "main" cluster: Debian's package would create and start one, left running after us.
    mkdir -p /etc/postgresql-common
    if [ ! -e /etc/postgresql-common/createcluster.conf ]; then
      echo "create_main_cluster = false" >/etc/postgresql-common/createcluster.conf
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      -o Dpkg::Options::=--force-confold postgresql >/dev/null
    tidemark_pg_initdb=$(ls -1 /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)
  fi
  tidemark_pg_bin=$(dirname "$tidemark_pg_initdb")

  tidemark_pg_dir=$(mktemp -d /tmp/tidemark-pg.XXXXXX)
  tidemark_pg_as=()
  if [ "$(id -u)" -eq 0 ]; then
    id -u postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$tidemark_pg_dir"
    tidemark_pg_as=(runuser -u postgres --)
  fi

  tidemark_pg_stop() {
    if [ -n "${tidemark_pg_dir:-}" ] && [ -d "$tidemark_pg_dir" ]; then
      "${tidemark_pg_as[@]}" "$tidemark_pg_bin/pg_ctl" -D "$tidemark_pg_dir/data" -m fast -w stop \
        >/dev/null 2>&1 || true
      rm -rf "$tidemark_pg_dir"
    fi
  }
  # Run after whatever EXIT trap the calling shell already has.
  tidemark_pg_previous_trap=$(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT$/\1/")
  trap "tidemark_pg_stop; ${tidemark_pg_previous_trap:-:}" EXIT

  "${tidemark_pg_as[@]}" "$tidemark_pg_bin/initdb" -D "$tidemark_pg_dir/data" -U tidemark \
    -A trust -E UTF8 --no-sync >/dev/null || { echo "postgres.sh: initdb failed" >&2; return 1; }
  # Another server may take a port between the check and the start: a start that fails moves on
  # to the next port, and the database is made through this cluster's own socket, so that
  # nothing here ever talks to a server that is not ours.
  tidemark_pg_port=54329
  tidemark_pg_started=""
  for _ in $(seq 1 20); do
    while (exec 3<>"/dev/tcp/127.0.0.1/$tidemark_pg_port") 2>/dev/null; do
      tidemark_pg_port=$((tidemark_pg_port + 1))
    done
    if "${tidemark_pg_as[@]}" "$tidemark_pg_bin/pg_ctl" -D "$tidemark_pg_dir/data" \
      -l "$tidemark_pg_dir/server.log" -w -t 60 \
      -o "-k $tidemark_pg_dir -h 127.0.0.1 -p $tidemark_pg_port -c max_connections=200" \
      start >/dev/null; then
      tidemark_pg_started=yes
      break
    fi
    tidemark_pg_port=$((tidemark_pg_port + 1))
  done
  if [ -z "$tidemark_pg_started" ]; then
    echo "postgres.sh: the server did not start (see $tidemark_pg_dir/server.log)" >&2
    return 1
  fi
  "${tidemark_pg_as[@]}" "$tidemark_pg_bin/createdb" -h "$tidemark_pg_dir" -p "$tidemark_pg_port" \
    -U tidemark tidemark || { echo "postgres.sh: createdb failed" >&2; return 1; }
  export TIDEMARK_PG_URL="postgres://tidemark@127.0.0.1:$tidemark_pg_port/tidemark"
  echo "PostgreSQL $("$tidemark_pg_bin/postgres" --version | awk '{print $3}') for the tests at $TIDEMARK_PG_URL"
fi
