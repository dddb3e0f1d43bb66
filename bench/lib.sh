# Shell helpers shared by bench scripts that `source` it (bench/follow_up.sh,
# bench/renewal_reviews.sh): logging, the release binary, a scratch directory, a fresh database on
# either backend with an `sql` helper, a staff user, the server on a free loopback port, and
# signing in through the login form the way a browser does (load.sh and waiting_list.sh predate
# it and keep their own copies). The caller sets BENCH_DIR and ROOT first.
#
# Environment read here: HUSLY_BIN (use this binary instead of building the release one),
# BENCH_PG_URL (PostgreSQL server, default postgres://postgres@127.0.0.1:5432; the database
# husly_bench on it is DROPPED and recreated; loopback only), BENCH_KEEP=1 (keep the scratch
# directory).

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() {
    log "ERROR: $*"
    exit 1
}

# Sets BIN: HUSLY_BIN, or the release binary built from the working tree.
bench_binary() {
    if [[ -n ${HUSLY_BIN:-} ]]; then
        BIN=$HUSLY_BIN
    else
        log "building release binary (cargo build --release -p husly)"
        (cd "$ROOT" && cargo build --release -p husly --quiet)
        BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/husly"
    fi
    [[ -x $BIN ]] || die "no executable at $BIN"
}

# bench_workdir NAME: sets WORK (a scratch directory, removed at exit unless BENCH_KEEP=1) and
# the server's data directory; the server, if started, is stopped at exit.
bench_workdir() {
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/husly-bench-$1.XXXXXX")
    SERVER_PID=""
    trap bench_cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    export HUSLY_DATA_DIR="$WORK/data" HUSLY_LANG=en
    mkdir -p "$HUSLY_DATA_DIR"
}

bench_stop_server() {
    if [[ -n ${SERVER_PID:-} ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 50); do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    SERVER_PID=""
}

bench_cleanup() {
    local status=$?
    bench_stop_server
    if [[ $status -ne 0 && -s $WORK/serve.log ]]; then
        log "last lines of the server log:"
        tail -n 8 "$WORK/serve.log" | sed 's/\x1b\[[0-9;]*m//g' >&2 || true
    fi
    if [[ ${BENCH_KEEP:-0} == 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
    exit "$status"
}

# bench_database sqlite|postgres: a fresh, empty database for husly; sets HUSLY_DATABASE_URL and
# defines `sql QUERY`, which prints the rows as a|b|c (NULL as an empty field).
bench_database() {
    case "$1" in
    sqlite)
        command -v python3 >/dev/null || die "python3 is needed to read the SQLite database"
        DB_FILE="$WORK/husly.db"
        export HUSLY_DATABASE_URL="sqlite://$DB_FILE?mode=rwc"
        sql() {
            python3 - "$DB_FILE" "$1" <<'PY'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1], timeout=30)
for row in con.execute(sys.argv[2]):
    print("|".join("" if v is None else str(v) for v in row))
con.commit()
PY
        }
        ;;
    postgres)
        command -v psql >/dev/null || die "psql is needed for the PostgreSQL backend"
        local server=${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}
        server=${server%/}
        # Never point a load test (or DROP DATABASE) at anything but this machine.
        [[ $server =~ ^postgres(ql)?://[^@/]*@?(127\.0\.0\.1|localhost|\[::1\])(:[0-9]+)?$ ]] ||
            die "BENCH_PG_URL must be a loopback server URL without a database, e.g. postgres://postgres@127.0.0.1:5432"
        export HUSLY_DATABASE_URL="$server/husly_bench"
        log "recreating database husly_bench on $server"
        psql "$server/postgres" -v ON_ERROR_STOP=1 -qAt \
            -c "DROP DATABASE IF EXISTS husly_bench WITH (FORCE)" -c "CREATE DATABASE husly_bench" >/dev/null
        sql() { psql "$HUSLY_DATABASE_URL" -v ON_ERROR_STOP=1 -qAt -c "$1"; }
        ;;
    *) die "backend must be sqlite or postgres, not '$1'" ;;
    esac
}

# bench_user ROLE EMAIL NAME: a staff user of municipality 9999 (the seed's) with a random
# password, through `husly user add`; sets PASSWORD.
bench_user() {
    PASSWORD="bench-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    printf '%s\n' "$PASSWORD" | "$BIN" user add --municipality 9999 --email "$2" --role "$1" \
        --name "$3" --password-stdin >>"$WORK/cli.out" 2>>"$WORK/cli.log" ||
        { cat "$WORK/cli.log" >&2; die "husly user add failed"; }
}

# bench_serve [serve options]: starts `husly serve` on a free loopback port, its output in
# $WORK/serve.out and serve.log; sets SERVER_PID and BASE.
bench_serve() {
    "$BIN" serve --addr 127.0.0.1:0 "$@" >"$WORK/serve.out" 2>"$WORK/serve.log" &
    SERVER_PID=$!
    BASE=""
    for _ in $(seq 300); do
        if [[ -s $WORK/serve.out ]]; then
            BASE=$(sed -n '1s|^husly listening on \(http://127\.0\.0\.1:[0-9]*\)$|\1|p' "$WORK/serve.out")
            [[ -n $BASE ]] && return 0
        fi
        kill -0 "$SERVER_PID" 2>/dev/null || die "server exited during start-up"
        sleep 0.1
    done
    die "server did not report its address within 30 s"
}

# bench_login EMAIL PASSWORD: signs in through GET and POST /login (CSRF cookie and field);
# sets SESSION, the husly_session cookie's value.
bench_login() {
    local page csrf csrf_cookie status
    page=$(curl -sS -D "$WORK/login.headers" "$BASE/login")
    csrf=$(printf '%s' "$page" | grep -o 'name="csrf" value="[^"]*"' | head -n1 | sed 's/.*value="//; s/"$//')
    csrf_cookie=$(sed -n 's/^[Ss]et-[Cc]ookie: husly_csrf=\([^;]*\).*/\1/p' "$WORK/login.headers" | head -n1 | tr -d '\r')
    [[ -n $csrf && -n $csrf_cookie ]] || die "no CSRF token on GET /login"
    status=$(curl -sS -o /dev/null -D "$WORK/session.headers" -w '%{http_code}' -b "husly_csrf=$csrf_cookie" \
        --data-urlencode "csrf=$csrf" --data-urlencode "email=$1" --data-urlencode "password=$2" "$BASE/login")
    [[ $status == 303 ]] || die "login answered $status, expected 303"
    SESSION=$(sed -n 's/^[Ss]et-[Cc]ookie: husly_session=\([^;]*\).*/\1/p' "$WORK/session.headers" | head -n1 | tr -d '\r')
    [[ -n $SESSION ]] || die "login did not set husly_session"
}

# The one-minute load average and the whole uptime line, for the results files: the machine
# is shared, and a high load makes the absolute figures pessimistic.
bench_uptime() { uptime | sed 's/^ *//'; }
