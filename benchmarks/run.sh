#!/usr/bin/env bash
# Runs every benchmark of webpy-session on this machine and rewrites benchmarks/README.md's tables.
#
#   benchmarks/run.sh                    # the full run: about 60 minutes
#   BENCH_MODE=smoke benchmarks/run.sh   # a ~2 minute smoke run (same steps, short durations)
#
# Steps (BENCH_STEPS, default "http db jmh cleanup memory report"):
#   http     HTTP throughput of every variant with wrk, the variants interleaved over ROUNDS rounds
#   db       statements and transactions per request on PostgreSQL (and Redis commands)
#   jmh      SessionStore.load/update with 1 000 to 1 000 000 stored sessions, the serializer, and the
#            starter's own path of a request against an in-process store (JMH)
#   cleanup  deleteAccessedBefore on many expired sessions, and the requests it delays
#   memory   heap bytes per session in the memory store
#   report   results/*.csv -> results/summary.json, results/throughput.svg, README.md's tables
#
# Needs: JDK 17+, Maven, python3, PostgreSQL on 127.0.0.1:5432 (user postgres, no password: the
# script creates and drops the database "bench"), Redis on 127.0.0.1:6379; wrk is installed with
# apt-get when missing. A variant whose store this build lacks is reported "not available in this
# build"; one that needs an absent server is reported failed; neither stops the run.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
results=$here/results
tools=$here/tools

mode=${BENCH_MODE:-full}
if [[ $mode == smoke ]]; then
	: "${ROUNDS:=1}" "${WARMUP:=1}" "${WARMUP_MIN_PASSES:=2}" "${WARMUP_PASSES:=2}" "${DURATION:=2}" "${ALTERNATIONS:=1}"
	: "${SESSIONS:=100}" "${DB_REQUESTS:=200}"
	: "${JMH_SIZES:=1000,10000}" "${JMH_ITERATIONS:=1}" "${CLEANUP_SESSIONS:=10000}" "${MEMORY_SESSIONS:=100000}"
else
	: "${ROUNDS:=2}" "${WARMUP:=3}" "${WARMUP_MIN_PASSES:=4}" "${WARMUP_PASSES:=8}" "${DURATION:=4}" "${ALTERNATIONS:=3}"
	: "${SESSIONS:=500}" "${DB_REQUESTS:=1000}"
	: "${JMH_SIZES:=1000,100000,1000000}" "${JMH_ITERATIONS:=3}" "${CLEANUP_SESSIONS:=1000000}" "${MEMORY_SESSIONS:=1000000}"
fi
: "${THREADS:=2}" "${CONNECTIONS:=32}" "${BENCH_STEPS:=http db jmh cleanup memory report}"
: "${PG_URL:=jdbc:postgresql://127.0.0.1:5432/bench}" "${PG_USER:=postgres}"
: "${JMH_STORES:=memory,disk,shelf,jdbc}" "${LOCK_VARIANTS:=true}"

pg="--spring.datasource.url=$PG_URL --spring.datasource.username=$PG_USER"

# name | arguments of the benchmark app. Disk and shelf get a fresh folder per run ($data).
variants=(
	"webpy-memory|--spring.profiles.active=webpy --session.store=memory"
	"webpy-disk|--spring.profiles.active=webpy --session.store=disk --session.disk.directory=\$data/sessions"
	"webpy-shelf|--spring.profiles.active=webpy --session.store=shelf --session.shelf.file=\$data/session.shelf"
	"webpy-jdbc-h2|--spring.profiles.active=webpy --session.store=jdbc"
	"webpy-jdbc-pg|--spring.profiles.active=webpy --session.store=jdbc $pg"
	"spring-jdbc-pg|--spring.profiles.active=spring-jdbc $pg"
	"webpy-redis|--spring.profiles.active=webpy-redis --session.store=redis --session.redis.key-prefix=webpy-bench:webpy:"
	"spring-redis|--spring.profiles.active=spring-redis"
	"tomcat|--spring.profiles.active=tomcat"
)
# With session.lock=true: only /plain (the ratio's base) and /count (the lost increments).
if [[ $LOCK_VARIANTS == true ]]; then
	for v in "${variants[@]}"; do
		[[ $v == webpy-* ]] && variants+=("${v%%|*}+lock|${v#*|} --session.lock=true")
	done
fi

# With the starter's meters (Actuator, a Prometheus registry; Boot's own HTTP observations off):
# their cost on /read, against webpy-memory, whose application has no MeterRegistry.
variants+=("webpy-memory+meters|--spring.profiles.active=webpy,meters --session.store=memory")
# With HttpSession bridged (session.http-session, on by default): /plain with the session cookie
# against /plain?no-cookie, the same request without it: what the bridge costs a request that never
# asks for its session.
variants+=("webpy-memory+bridge|--spring.profiles.active=webpy --session.store=memory --session.http-session=true")

# VARIANTS="webpy-memory tomcat": only these (names as above, +lock included); default all.
if [[ -n ${VARIANTS:-} ]]; then
	chosen=()
	for v in "${variants[@]}"; do
		[[ " $VARIANTS " == *" ${v%%|*} "* ]] && chosen+=("$v")
	done
	variants=("${chosen[@]}")
fi

app=$here/target/benchmark-app.jar
work=$(mktemp -d /tmp/webpy-bench.XXXXXX)
app_pid=
cleanup() {
	[[ -n $app_pid ]] && kill "$app_pid" 2>/dev/null && wait "$app_pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
load1() { cut -d' ' -f1 /proc/loadavg; }

# start_app NAME ARGS...: starts the app on a free port; sets $app_pid and $base; returns 1 (and
# records why in variants.csv) when it does not come up.
start_app() {
	local name=$1; shift
	local port; port=$(python3 "$tools/client.py" freeport)
	local applog=$work/$name.log
	java -Xms1g -Xmx1g -jar "$app" --server.port="$port" "$@" >"$applog" 2>&1 &
	app_pid=$!
	base=http://127.0.0.1:$port
	for _ in $(seq 240); do
		curl -fs -o /dev/null "$base/plain" && return 0
		kill -0 "$app_pid" 2>/dev/null || break
		sleep 0.5
	done
	stop_app
	local why
	if why=$(grep -o -m1 'No session store for session.store=[a-z]*' "$applog"); then
		echo "$name,not available in this build,$why" >>"$results/variants.csv"
	else
		why=$(awk '/^Description:/ { getline; getline; print; exit }' "$applog" | cut -c1-300 | tr , ';')
		echo "$name,failed to start,${why:-no answer on /plain}" >>"$results/variants.csv"
	fi
	mkdir -p "$results/logs" && cp "$applog" "$results/logs/$name.log"
	return 1
}

stop_app() {
	if [[ -n $app_pid ]]; then
		kill "$app_pid" 2>/dev/null || true
		wait "$app_pid" 2>/dev/null || true
		app_pid=
	fi
}

# cpu_ticks PID...: user + system clock ticks (1/100 s) these processes have used so far
cpu_ticks() {
	local total=0 pid
	for pid in "$@"; do
		[[ -r /proc/$pid/stat ]] || continue
		total=$((total + $(sed 's/^.*) //' "/proc/$pid/stat" | cut -d' ' -f12,13 | tr ' ' +)))
	done
	echo "$total"
}
# The database and cache servers' processes (every PostgreSQL backend, redis-server)
server_pids() { pgrep -d' ' -x 'postgres|redis-server' || true; }

# run_wrk SECONDS PATH: prints wrk's RESULT json
run_wrk() {
	local jar=$cookies
	[[ $2 == *no-cookie* ]] && jar=/dev/null # cookies.lua sends no Cookie header then
	wrk -t"$THREADS" -c"$CONNECTIONS" -d"$1"s --timeout 10s -s "$tools/cookies.lua" "$base$2" -- "$jar" |
		sed -n 's/^RESULT //p'
}

# warm_up PATH...: passes over every endpoint, WARMUP seconds each, until no endpoint's throughput
# rose by more than 3 % over its previous pass (at least WARMUP_MIN_PASSES, at most WARMUP_PASSES);
# then /plain once more. On 2 cores that the load keeps busy, the JIT compiles for a long time: in a
# process of the jdbc-pg variant driven on /count alone, throughput still rose in every 5-s run of
# the first 40 s (2 100 to 5 500 req/s), with hundreds of compilations each, so a fixed warm-up
# measured some variants before their code was compiled.
warm_up() {
	local -A last=()
	local pass path rate rising
	for ((pass = 1; pass <= WARMUP_PASSES; pass++)); do
		rising=false
		for path in "$@"; do
			rate=$(run_wrk "$WARMUP" "$path" | python3 -c 'import json, sys
r = json.load(sys.stdin); print(int(r["requests"] * 1e6 / max(r["duration_us"], 1)))')
			((rate * 100 > ${last[$path]:-0} * 103)) && rising=true
			last[$path]=$rate
		done
		((pass >= WARMUP_MIN_PASSES)) && [[ $rising == false ]] && break
	done
	warmup_passes=$((pass > WARMUP_PASSES ? WARMUP_PASSES : pass))
	log "  warmed up in $warmup_passes passes"
	run_wrk "$WARMUP" /plain >/dev/null
}

build() {
	log "building (mvn -Pbenchmarks package -pl benchmarks -am)"
	# The jar plugin keeps an existing benchmark-app.jar when only the starter changed: build it anew.
	rm -f "$here"/target/benchmark-app.jar*
	(cd "$root" && mvn -q -Pbenchmarks -DskipTests package -pl benchmarks -am)
	# The kernel writes a build's files back some 30 s after it, which would land in the first
	# variant's measurement: write them now, and let the build's processes end.
	sync
	sleep 10
	if ! command -v wrk >/dev/null; then
		log "installing wrk"
		apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
	fi
}

fresh_databases() {
	psql -q -h 127.0.0.1 -U "$PG_USER" -d postgres -c "DROP DATABASE IF EXISTS bench WITH (FORCE)" -c "CREATE DATABASE bench" ||
		log "PostgreSQL unavailable: its variants will fail"
	redis-cli -h 127.0.0.1 --scan --pattern 'webpy-bench:*' | xargs -r redis-cli -h 127.0.0.1 del >/dev/null ||
		log "Redis unavailable: its variant will fail"
}

# --- 1. HTTP throughput ------------------------------------------------------------------------
step_http() {
	echo "round,variant,endpoint,requests,duration_us,p50_us,p99_us,max_us,errors,non2xx,count_before,count_after,load1,app_cpu_us,server_cpu_us,warmup_passes" \
		>"$results/http.csv"
	: >"$results/variants.csv"
	local -A unavailable=()
	for round in $(seq "$ROUNDS"); do
		local order=("${variants[@]}")
		if ((round % 2 == 0)); then # every other round backwards, so drift hits all alike
			order=(); for ((i = ${#variants[@]} - 1; i >= 0; i--)); do order+=("${variants[i]}"); done
		fi
		for v in "${order[@]}"; do
			local name=${v%%|*}
			[[ -n ${unavailable[$name]:-} ]] && continue
			local data=$work/$name-$round
			mkdir -p "$data"
			local args; args=$(eval echo "${v#*|}")
			log "round $round/$ROUNDS: $name (load $(load1))"
			# shellcheck disable=SC2086
			if ! start_app "$name" $args; then
				unavailable[$name]=1
				log "  $(tail -1 "$results/variants.csv" | cut -d, -f2-)"
				continue
			fi
			cookies=$work/$name-$round.cookies
			python3 "$tools/client.py" precreate "$base" "$SESSIONS" "$cookies"
			local endpoints=(/plain /read /count)
			[[ $name == *+lock ]] && endpoints=(/plain /count)
			[[ $name == *+bridge ]] && endpoints=(/plain /plain?no-cookie)
			# The endpoints alternate ALTERNATIONS times, so that a process still speeding up (or a
			# machine slowing down) weighs on each of them alike: in one run, Tomcat's four measurements
			# of one pass rose from 135 600 to 204 800 requests. The bridge's goal is a ratio near 1,
			# which fewer pairs measure less well than the machine drifts: at least five.
			local measured=() alternations=$ALTERNATIONS
			[[ $name == *+bridge ]] && ((alternations < 5)) && alternations=5
			for ((i = 0; i < alternations; i++)); do measured+=("${endpoints[@]}"); done
			warm_up "${endpoints[@]}"
			# /plain is measured first and again last: its mean is the base of the ratios.
			for path in "${measured[@]}" /plain; do
				local before="" after="" result app0 app1 srv0 srv1 servers
				[[ $path == /count ]] && before=$(python3 "$tools/client.py" sum "$base" "$cookies")
				servers=$(server_pids)
				# shellcheck disable=SC2086
				app0=$(cpu_ticks "$app_pid") srv0=$(cpu_ticks $servers)
				result=$(run_wrk "$DURATION" "$path")
				# shellcheck disable=SC2086
				app1=$(cpu_ticks "$app_pid") srv1=$(cpu_ticks $servers)
				[[ $path == /count ]] && after=$(python3 "$tools/client.py" sum "$base" "$cookies")
				python3 - "$round" "$name" "$path" "$before" "$after" "$(load1)" "$result" "$((app1 - app0))" \
					"$((srv1 - srv0))" "$warmup_passes" >>"$results/http.csv" <<-'EOF'
					import json, sys
					r = json.loads(sys.argv[7])
					n = max(r["requests"], 1)
					cpu = [f"{int(t) * 1e4 / n:.1f}" for t in sys.argv[8:10]]  # ticks of 10 ms, as µs per request
					print(",".join(map(str, sys.argv[1:4] + [r["requests"], r["duration_us"], r["p50_us"], r["p99_us"],
					      r["max_us"], r["errors"], r["non2xx"]] + sys.argv[4:7] + cpu + sys.argv[10:11])))
				EOF
				log "  $path: $(tail -1 "$results/http.csv" | cut -d, -f4-)"
			done
			stop_app
			grep -q "^$name,ok" "$results/variants.csv" || echo "$name,ok," >>"$results/variants.csv"
		done
	done
}

# --- 2. Database work per request --------------------------------------------------------------
pg_counters() { # transactions and table-level statement evidence of database bench
	psql -qAt -F, -h 127.0.0.1 -U "$PG_USER" -d bench -c "SELECT
		(SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = 'bench'),
		coalesce(sum(seq_scan), 0), coalesce(sum(idx_scan), 0), coalesce(sum(n_tup_ins), 0),
		coalesce(sum(n_tup_upd), 0), coalesce(sum(n_tup_del), 0)
		FROM pg_stat_user_tables"
}
redis_commands() { # commands Redis has run, less the INFO calls that ask
	redis-cli -h 127.0.0.1 info commandstats | tr -d '\r' |
		awk -F'[:=,]' '/^cmdstat_/ && $1 != "cmdstat_info" { n += $3 } END { print n + 0 }'
}

step_db() {
	echo "variant,endpoint,requests,transactions,seq_scans,idx_scans,rows_inserted,rows_updated,rows_deleted,statements_client,commits_client,redis_commands" \
		>"$results/db.csv"
	for v in "${variants[@]}"; do
		local name=${v%%|*}
		[[ $name == webpy-jdbc-pg || $name == spring-jdbc-pg || $name == *-redis ]] || continue
		fresh_databases
		local args; args=$(eval echo "${v#*|}")
		log "db: $name"
		# shellcheck disable=SC2086
		start_app "db-$name" $args --bench.count-statements=true --spring.session.jdbc.cleanup-cron=- ||
			continue
		cookies=$work/db-$name.cookies
		python3 "$tools/client.py" precreate "$base" 100 "$cookies"
		python3 "$tools/client.py" drive "$base" /count "$cookies" 200 # warm-up
		local settle=0 pg_before pg_after="" app_before app_after redis_before redis_after
		[[ $name == *-pg ]] && settle=11 # PostgreSQL publishes a backend's counters within 10 s of its going idle
		sleep "$settle"
		[[ $name == *-pg ]] && pg_after=$(pg_counters)
		for path in /plain /read /count; do
			pg_before=$pg_after
			app_before=$(curl -fs "$base/bench/db"); redis_before=$(redis_commands)
			python3 "$tools/client.py" drive "$base" "$path" "$cookies" "$DB_REQUESTS"
			app_after=$(curl -fs "$base/bench/db"); redis_after=$(redis_commands)
			sleep "$settle"
			[[ $name == *-pg ]] && pg_after=$(pg_counters)
			python3 - "$name" "$path" "$DB_REQUESTS" "$pg_before" "$pg_after" "$app_before" "$app_after" \
				"$redis_before" "$redis_after" >>"$results/db.csv" <<-'EOF'
					import json, sys
					name, path, n, pg0, pg1, app0, app1, redis0, redis1 = sys.argv[1:]
					pg = ["" for _ in range(6)]
					if pg0 and pg1:
					    pg = [int(b) - int(a) for a, b in zip(pg0.split(","), pg1.split(","))]
					    pg[0] -= 1  # the transaction of the psql query that read the counters
					a0, a1 = json.loads(app0), json.loads(app1)
					redis = int(redis1) - int(redis0) if name.endswith("-redis") else ""
					print(",".join(map(str, [name, path, n] + pg + [a1["statements"] - a0["statements"],
					      a1["commits"] - a0["commits"], redis])))
				EOF
			log "  $path: $(tail -1 "$results/db.csv" | cut -d, -f3-)"
		done
		stop_app
	done
}

# --- 3. Growth with the number of sessions (JMH), and the cleanup ------------------------------
classpath() { echo "$here/target/classes:$(cat "$here/target/classpath.txt")"; }

available_stores() { # those of JMH_STORES that this build configures
	java -cp "$(classpath)" -Dbench.tmp="$work/probe" io.github.webpysession.bench.store.StoreFixture \
		${JMH_STORES//,/ } 2>/dev/null | grep -E '^(un)?available ' | tee "$results/stores.txt" |
		sed -n 's/^available //p' | paste -sd, -
}

step_jmh() {
	local stores; stores=$(available_stores)
	log "jmh: stores $stores, sizes $JMH_SIZES"
	java -cp "$(classpath)" org.openjdk.jmh.Main StoreBenchmarks -p store="$stores" -p sessions="$JMH_SIZES" \
		-wi "$JMH_ITERATIONS" -i "$JMH_ITERATIONS" -w 1 -r 1 -f 1 \
		-jvmArgsAppend "-Xms4g -Xmx4g -Dbench.tmp=$work/stores" \
		-rf json -rff "$results/jmh.json" >"$work/jmh.log" 2>&1 || { tail -50 "$work/jmh.log"; return 1; }
	grep -E '^StoreBenchmarks\.[a-z]+ ' "$work/jmh.log" >&2 || true
	java -cp "$(classpath)" org.openjdk.jmh.Main SerializerBenchmarks -wi 2 -i 3 -w 1 -r 1 \
		-rf json -rff "$results/jmh-serializer.json" >"$work/jmh-serializer.log" 2>&1 || tail -20 "$work/jmh-serializer.log"
	grep -E '^SerializerBenchmarks' "$work/jmh-serializer.log" >&2 || true
	java -cp "$(classpath)" org.openjdk.jmh.Main RequestPathBenchmarks -wi 3 -i 5 -w 1 -r 1 \
		-rf json -rff "$results/jmh-request-path.json" >"$work/jmh-request-path.log" 2>&1 || tail -20 "$work/jmh-request-path.log"
	grep -E '^RequestPathBenchmarks' "$work/jmh-request-path.log" >&2 || true
}

step_cleanup() {
	local stores; stores=$(available_stores)
	local pairs=()
	for s in ${stores//,/ }; do pairs+=("$s:$CLEANUP_SESSIONS"); done
	log "cleanup: ${pairs[*]}"
	# Each store in a JVM of its own: in one JVM, a store's collections paid for the heap that the
	# stores probed before it had left.
	local pair header=true
	: >"$results/cleanup.csv"
	for pair in "${pairs[@]}"; do
		java -Xms4g -Xmx4g -cp "$(classpath)" -Dbench.tmp="$work/stores" \
			io.github.webpysession.bench.store.CleanupProbe "$pair" 2>>"$work/cleanup.log" |
			sed -n 's/^RESULT //p' | { if $header; then cat; else tail -n +2; fi; } >>"$results/cleanup.csv"
		header=false
	done
	for s in ${JMH_STORES//,/ }; do
		[[ ,$stores, == *,$s,* ]] || echo "$s,not available in this build" >>"$results/cleanup.csv"
	done
	cat "$results/cleanup.csv" >&2
}

# --- 4. Memory ----------------------------------------------------------------------------------
step_memory() {
	log "memory: $MEMORY_SESSIONS sessions"
	java -Xms4g -Xmx4g -cp "$(classpath)" io.github.webpysession.bench.store.MemoryFootprint "$MEMORY_SESSIONS" |
		sed -n 's/^RESULT //p' >"$results/memory.csv"
	cat "$results/memory.csv" >&2
}

machine() {
	python3 - "$mode" "$@" >"$results/machine.json" <<-'EOF'
		import json, os, platform, subprocess, sys
		def sh(c): return subprocess.run(c, shell=True, capture_output=True, text=True).stdout.strip()
		print(json.dumps({
		    "mode": sys.argv[1], "settings": dict(a.split("=", 1) for a in sys.argv[2:]),
		    "date": sh("date -u +%Y-%m-%dT%H:%MZ"), "commit": sh("git rev-parse --short HEAD") + (" (uncommitted changes)" if sh("git status --porcelain -- ':(top)' ':(top,exclude)benchmarks/results' ':(top,exclude)benchmarks/README.md'") else ""),
		    "cpu": sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip(), "cores": os.cpu_count(),
		    "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30),
		    "os": platform.platform(), "java": sh("java -version 2>&1 | head -1"),
		    "postgresql": sh("psql -qAt -h 127.0.0.1 -U postgres -d postgres -c 'SHOW server_version'"),
		    "redis": sh("redis-cli -h 127.0.0.1 info server | grep redis_version | cut -d: -f2"),
		    "wrk": sh("wrk -v 2>&1 | head -1"),
		    "load_start": os.environ.get("LOAD_START"), "load_end": open("/proc/loadavg").read().split()[:3],
		}, indent=2))
	EOF
}

mkdir -p "$results"
cd "$here"
export LOAD_START; LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
log "mode $mode: rounds $ROUNDS, warm-up ${WARMUP}s per endpoint and pass ($WARMUP_MIN_PASSES to $WARMUP_PASSES passes), ${DURATION}s per endpoint and alternation ($ALTERNATIONS), load $LOAD_START"
build
for step in $BENCH_STEPS; do
	case $step in
		http) fresh_databases; step_http ;;
		db) step_db ;;
		jmh) step_jmh ;;
		cleanup) step_cleanup ;;
		memory) step_memory ;;
		report)
			machine ROUNDS="$ROUNDS" WARMUP="$WARMUP" WARMUP_MIN_PASSES="$WARMUP_MIN_PASSES" WARMUP_PASSES="$WARMUP_PASSES" DURATION="$DURATION" ALTERNATIONS="$ALTERNATIONS" SESSIONS="$SESSIONS" THREADS="$THREADS" \
				CONNECTIONS="$CONNECTIONS" DB_REQUESTS="$DB_REQUESTS" JMH_SIZES="$JMH_SIZES" \
				JMH_ITERATIONS="$JMH_ITERATIONS" CLEANUP_SESSIONS="$CLEANUP_SESSIONS" MEMORY_SESSIONS="$MEMORY_SESSIONS"
			python3 "$tools/report.py" "$results" "$here/README.md"
			;;
		*) log "unknown step $step" ;;
	esac
done
log "done: results in $results"
