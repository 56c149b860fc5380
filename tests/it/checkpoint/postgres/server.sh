#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests and the benchmark: initdb in a
# temporary directory, the server listening on 127.0.0.1:$1 only (no Unix
# socket), password authentication (user postgres, password paginate). It
# prints `dir DIR` once the server is started, and stops the server and
# removes the directory when its standard input closes: when the process that
# started it ends, however it ends.
set -euo pipefail
port=$1
bin=""
for candidate in /usr/lib/postgresql/*/bin; do
    if [ -x "$candidate/initdb" ]; then bin=$candidate; fi
done
if [ -z "$bin" ] && command -v initdb >/dev/null; then bin=$(dirname "$(command -v initdb)"); fi
if [ -z "$bin" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    # Debian's package, as .ci/run installs it: the README's test command works on a fresh machine.
    echo "installing Debian's postgresql package for the shared-job tests" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2 ||
        { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2; } || true
    for candidate in /usr/lib/postgresql/*/bin; do
        if [ -x "$candidate/initdb" ]; then bin=$candidate; fi
    done
fi
if [ -z "$bin" ]; then
    echo "PostgreSQL is not installed (no initdb in /usr/lib/postgresql/*/bin or on PATH): apt-get install -y postgresql" >&2
    exit 1
fi
# initdb and the server refuse to run as root: as root, run them as the postgres user, in a
# directory it can reach whatever TMPDIR is.
as=()
tmp=${TMPDIR:-/tmp}
if [ "$(id -u)" = 0 ]; then
    as=(setpriv --reuid=postgres --regid=postgres --init-groups --)
    tmp=/tmp
fi
dir=$(mktemp -d "$tmp/paginate-pg.XXXXXX")
cleanup() { rm -rf "$dir"; }
trap cleanup EXIT
if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; fi
echo paginate >"$dir/password"
chmod 644 "$dir/password"
if ! "${as[@]}" "$bin/initdb" -D "$dir/data" -U postgres -A scram-sha-256 --pwfile="$dir/password" >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    exit 1
fi
"${as[@]}" "$bin/postgres" -D "$dir/data" -c listen_addresses=127.0.0.1 -p "$port" -c unix_socket_directories= \
    -c max_connections=200 >"$dir/server.log" 2>&1 &
server=$!
echo "dir $dir"
cat >/dev/null || true
kill -INT "$server" 2>/dev/null || true
wait "$server" || true
