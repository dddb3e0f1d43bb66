# Shell helpers shared by bench scripts that `source` it (bench/follow_up.sh, renewal_reviews.sh,
# search_ab.sh, search_ab_postgres.sh): logging, the release binary, a scratch directory, a fresh
# database on either backend with an `sql` helper, a staff user, the server on a free loopback
# port, waiting for its start-up jobs, and signing in through the login form the way a browser
# does (load.sh, which predates it, takes only logging and the start-up wait from here;
# waiting_list.sh keeps its own copies). The caller sets BENCH_DIR and ROOT first.
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
import os, sqlite3, sys
con = sqlite3.connect(sys.argv[1], timeout=30)
if os.path.exists(sys.argv[1] + "-access"):  # the access log's file (schema 43 on)
    con.execute("ATTACH DATABASE ? AS access", (sys.argv[1] + "-access",))
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

# bench_wait_for_startup_jobs: waits until the server started by bench_serve has run the day's
# jobs (outreach_lists, crates/husly/src/commands/scheduler.rs, logs the end of the last). Call it
# only on a database's first start of the day: a later start finds the jobs claimed and logs
# nothing. On PostgreSQL their work is in the database, so an idle server does not mean they are done.
bench_wait_for_startup_jobs() {
    local start
    start=$(date +%s)
    for _ in $(seq 3600); do
        LC_ALL=C sed 's/\x1b\[[0-9;]*m//g' "$WORK/serve.log" | grep -q 'job="outreach_lists"' && break
        kill -0 "$SERVER_PID" 2>/dev/null || die "server exited during its start-up jobs"
        sleep 0.5
    done
    log "start-up jobs done after $(($(date +%s) - start)) s"
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

# bench_meters: defines the helpers that measure a run of the server started by bench_serve —
# server_ticks (its CPU ticks), hwm_mib (its peak RSS), log_size and statuses_since (the
# statuses it logged), field (a value of wrk's BENCH line), duration_s, run_wrk and wait_idle.
# Callers fill PATHS (and SCRIPTS, if any endpoint needs its own wrk script) first.
bench_meters() {
    declare -gA SCRIPTS 2>/dev/null || true
    server_ticks() { awk '{ print $14 + $15 }' "/proc/$SERVER_PID/stat"; }
    TICKS=$(getconf CLK_TCK)
    hwm_mib() { awk '$1 == "VmHWM:" { printf "%.0f", $2 / 1024 }' "/proc/$SERVER_PID/status"; }
    log_size() { stat -c %s "$WORK/serve.log"; }
    statuses_since() {
        tail -c +$(($1 + 1)) "$WORK/serve.log" | LC_ALL=C sed 's/\x1b\[[0-9;]*m//g' | LC_ALL=C grep -ao ' request status=[0-9]*' |
            sed 's/.*=//' | sort | uniq -c | awk '{ printf "%s%s:%s", sep, $2, $1; sep = "," }'
    }
    field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }
    duration_s() {
        case "$1" in *h) echo $((${1%h} * 3600)) ;; *m) echo $((${1%m} * 60)) ;; *s) echo "${1%s}" ;; *) echo "$1" ;; esac
    }
    # run_wrk NAME DURATION CONNECTIONS THREADS: wrk as the signed-in user against the path of
    # PATHS[NAME] (bench/page.lua), or with the script of SCRIPTS[NAME] when the caller set one.
    run_wrk() {
        local name=$1 duration=$2 conns=$3 threads=$4
        local script=${SCRIPTS[${name%%-*}]:-page.lua}
        BENCH_DIR="$BENCH_DIR" BENCH_NAME="$name" BENCH_SESSION="$SESSION" BENCH_PATH="${PATHS[${name%%-*}]}" \
            timeout --kill-after=10s $(($(duration_s "$duration") + 90)) \
            wrk -t"$threads" -c"$conns" -d"$duration" --timeout 30s --latency -s "$BENCH_DIR/$script" "$BASE"
    }
    # wrk abandons requests in flight when its time is up, but the server finishes them: wait until
    # the server is idle (under 5 % of a core for half a second, at most 120 s).
    wait_idle() {
        local before after
        for _ in $(seq 240); do
            before=$(server_ticks)
            sleep 0.5
            after=$(server_ticks)
            awk -v d=$((after - before)) -v hz="$TICKS" 'BEGIN { exit !(d / hz < 0.025) }' && return 0
        done
        log "server still busy after 120 s"
    }
}

# bench_runs: for each of ENDPOINTS a warm-up (WARMUP with 8 connections, unless 0), the measured
# run (CONNS connections, THREADS threads, DURATION), then, unless SERIAL is 0, one run each with
# one connection; fills RPS P50 P99 REQS STATUSES CPU_MS HWM LOADAVG and S_RPS S_P50 S_P99
# S_STATUSES by endpoint and appends wrk's output to RAW. Needs bench_meters.
bench_runs() {
    declare -gA RPS P50 P99 REQS STATUSES CPU_MS HWM LOADAVG S_RPS S_P50 S_P99 S_STATUSES
    for name in "${ENDPOINTS[@]}"; do
        if [[ $WARMUP != 0 ]]; then run_wrk "$name-warmup" "$WARMUP" 8 1 >/dev/null || die "warm-up of $name failed"; fi
        wait_idle
        LOADAVG[$name]=$(cut -d' ' -f1-3 /proc/loadavg)
        before=$(log_size)
        ticks=$(server_ticks)
        log "$name: wrk -t$THREADS -c$CONNS -d$DURATION ${PATHS[$name]} (load average ${LOADAVG[$name]})"
        out=$(run_wrk "$name" "$DURATION" "$CONNS" "$THREADS") || die "wrk for $name failed: $out"
        wait_idle
        line=$(grep '^BENCH ' <<<"$out" | tail -n1)
        [[ -n $line ]] || die "no BENCH line from wrk for $name"
        RPS[$name]=$(field rps "$line")
        P50[$name]=$(field p50_ms "$line")
        P99[$name]=$(field p99_ms "$line")
        REQS[$name]=$(field requests "$line")
        STATUSES[$name]=$(statuses_since "$before")
        CPU_MS[$name]=$(awk -v t=$(($(server_ticks) - ticks)) -v hz="$TICKS" -v n="${REQS[$name]}" \
            'BEGIN { printf "%.2f", (n > 0 ? t * 1000 / hz / n : 0) }')
        HWM[$name]=$(hwm_mib)
        {
            echo "### $name, $CONNS connections: wrk -t$THREADS -c$CONNS -d$DURATION --timeout 30s --latency -s bench/page.lua $BASE${PATHS[$name]}"
            echo "load average before: ${LOADAVG[$name]}"
            echo "$out"
            echo "server-logged statuses (status:count, requests finished after wrk stopped included): ${STATUSES[$name]:-none logged}"
            echo
        } >>"$RAW"
        log "$name: ${RPS[$name]} req/s, p50 ${P50[$name]} ms, p99 ${P99[$name]} ms, statuses ${STATUSES[$name]:-?}"
    done
    if [[ $SERIAL != 0 ]]; then
        for name in "${ENDPOINTS[@]}"; do
            wait_idle
            before=$(log_size)
            load=$(cut -d' ' -f1-3 /proc/loadavg)
            out=$(run_wrk "$name-1conn" "$SERIAL" 1 1) || die "wrk for $name (one connection) failed"
            line=$(grep '^BENCH ' <<<"$out" | tail -n1)
            S_RPS[$name]=$(field rps "$line")
            S_P50[$name]=$(field p50_ms "$line")
            S_P99[$name]=$(field p99_ms "$line")
            S_STATUSES[$name]=$(statuses_since "$before")
            {
                echo "### $name, one connection: wrk -t1 -c1 -d$SERIAL --timeout 30s --latency -s bench/page.lua $BASE${PATHS[$name]}"
                echo "load average before: $load"
                echo "$out"
                echo
            } >>"$RAW"
            log "$name, one connection: ${S_RPS[$name]} req/s, p50 ${S_P50[$name]} ms, p99 ${S_P99[$name]} ms"
        done
    fi
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f", (b > 0 ? a / b : 0) }'; }

# bench_table: the results of bench_runs, one line per endpoint (with SHOWN[name], if set), and
# the one-connection runs.
bench_table() {
    printf '%-9s %-36s %9s %9s %9s %7s %9s %8s %-16s %-26s %s\n' endpoint path 'req/s' 'p50 ms' 'p99 ms' ratio 'cpu ms/r' 'HWM MiB' 'load before' statuses 'shown'
    for name in "${ENDPOINTS[@]}"; do
        printf '%-9s %-36s %9s %9s %9s %7s %9s %8s %-16s %-26s %s\n' "$name" "${PATHS[$name]}" "${RPS[$name]}" "${P50[$name]}" \
            "${P99[$name]}" "$(ratio "${RPS[$name]}" "${RPS[healthz]}")" "${CPU_MS[$name]}" "${HWM[$name]}" \
            "${LOADAVG[$name]// /,}" "${STATUSES[$name]:-none}" "${SHOWN[$name]:-}"
    done
    echo "(ratio = req/s ÷ healthz req/s in this run; cpu ms/r = the server's CPU time per request;"
    echo " HWM = the server's peak RSS (VmHWM) after that run; statuses = status:count as the server logged them)"
    echo "server peak RSS over the whole run: $PEAK MiB"
    if [[ $SERIAL != 0 ]]; then
        echo
        echo "one connection (-t1 -c1 -d$SERIAL):"
        printf '%-9s %9s %9s %9s %s\n' endpoint 'req/s' 'p50 ms' 'p99 ms' statuses
        for name in "${ENDPOINTS[@]}"; do
            printf '%-9s %9s %9s %9s %s\n' "$name" "${S_RPS[$name]}" "${S_P50[$name]}" "${S_P99[$name]}" "${S_STATUSES[$name]:-none}"
        done
    fi
}
