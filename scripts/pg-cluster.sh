# Start a throwaway PostgreSQL cluster for the tests; sourced by scripts/test.sh.
# Exports BUURTKRACHT_TEST_PG_URL and registers a trap that stops and removes the cluster.

pg_bin_dir() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then echo "$dir"; return; fi
    dirname "$(command -v initdb)"
}

start_pg_cluster() {
    apt_install postgresql
    local bin; bin=$(pg_bin_dir)
    PG_DIR=$(mktemp -d /tmp/buurtkracht-pg.XXXXXX)
    local as_pg=()
    if [ "$(id -u)" -eq 0 ]; then
        # initdb refuses to run as root.
        chown postgres:postgres "$PG_DIR"
        as_pg=(runuser -u postgres --)
    fi
    PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
    "${as_pg[@]}" "$bin/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --no-sync >"$PG_DIR/initdb.log" 2>&1 \
        || { cat "$PG_DIR/initdb.log"; return 1; }
    "${as_pg[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
        -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" start >/dev/null \
        || { cat "$PG_DIR/server.log"; return 1; }
    PG_STOP=("${as_pg[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -m immediate stop)
    trap 'stop_pg_cluster' EXIT
    export BUURTKRACHT_TEST_PG_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
    echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on port $PG_PORT"
}

stop_pg_cluster() {
    if [ -n "${PG_DIR:-}" ]; then
        "${PG_STOP[@]}" >/dev/null 2>&1 || true
        rm -rf "$PG_DIR"
    fi
}
