# Measuring: one API process per Delivery:ResponseCache setting, every scenario warmed and then loaded with wrk;
# afterwards, start-to-ready times.
declare -A rps p50 p99 errors others rss_max rss_peak
starts=() # start to ready, PostgreSQL running, in ms
load_before=""

# The machine is shared: what other processes used of its CPUs during a scenario is measured and reported. Busy
# time is user + nice + system over all CPUs; the bench's own is the API's, its PostgreSQL server's and wrk's.
clk=$(getconf CLK_TCK)
busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 }' /proc/stat; }
own_ticks() { # one line per process: pid and CPU ticks so far
  local pids=("$api_pid") postmaster
  postmaster=$(head -n 1 "$data/postmaster.pid" 2>/dev/null || true)
  [[ -z $postmaster ]] || pids+=("$postmaster" $(ps -o pid= --ppid "$postmaster"))
  (cd /proc && cat "${pids[@]/%//stat}" 2>/dev/null) | awk '{ print $1, $14 + $15 }'
}
# The ticks the bench's processes used between two own_ticks lists. Summing each list and subtracting counted a
# backend that exited in between (the pool closes idle connections) as minus its whole life: "others used 10.77 cores".
# A process that ended in between is left out; one that began counts from zero.
own_delta() { awk 'NR == FNR { before[$1] = $2; next } ($1 in before) { t += $2 - before[$1]; next } { t += $2 } END { print t + 0 }' "$1" "$2"; }

check_same_json() {
  local slug path article other
  for slug in $(head -n 5 "$work/slugs.txt"); do
    article=$(curl -s -D "$work/headers-article.txt" "$base/v1/articles/$slug")
    for path in raw ceiling; do
      other=$(curl -s -D "$work/headers-$path.txt" "$base/bench/$path/articles/$slug")
      if [[ $article != "$other" ]]; then
        diff <(printf '%s' "$article" | tr ',' '\n') <(printf '%s' "$other" | tr ',' '\n') | head -n 20 >&2 || true
        die "/bench/$path/articles/$slug does not answer the same JSON as /v1/articles/$slug"
      fi
      [[ $(grep -i '^etag:' "$work/headers-article.txt") == $(grep -i '^etag:' "$work/headers-$path.txt") ]] \
        || die "/bench/$path/articles/$slug has another ETag than /v1/articles/$slug"
    done
  done
}

field() { sed -n "s/.* $1=\([0-9]*\).*/\1/p" <<<"$2"; }

warm() { # $1 scenario name: checks that each of its paths answers 200, then loads them for the warm-up time
  local path code
  while read -r path; do
    code=$(curl -s -o /dev/null -w '%{http_code}' "$base$path")
    [[ $code == 200 ]] || die "$path answers $code"
  done <"$work/paths-$1.txt"
  BENCH_PATHS=$work/paths-$1.txt wrk -t"$threads" -c"$connections" -d"$warmup" --timeout 60s -s "$lua" "$base" >/dev/null
}

measure() { # $1 cache (true|false), $2 scenario name
  local cache=$1 name=$2 out summary busy started wrk_cpu TIMEFORMAT='%U %S' load=(-t"$threads" -c"$connections")
  [[ $name == *-alone ]] && load=(-t1 -c1) # one request at a time: the latency one client sees, without queuing
  warm "$name"
  export BENCH_PATHS=$work/paths-$name.txt
  out=$work/wrk-cache-$cache-$name.txt
  busy=$(busy_ticks) started=$(date +%s%N)
  own_ticks >"$work/own-before.txt"
  { time wrk "${load[@]}" -d"$duration" --timeout 60s --latency -s "$lua" "$base" >"$out"; } \
    2>"$work/wrk-time.txt"
  wrk_cpu=$(tail -n 1 "$work/wrk-time.txt" | awk '{ print $1 + $2 }')
  own_ticks >"$work/own-after.txt"
  others[$cache,$name]=$(awk -v b="$(( $(busy_ticks) - busy ))" -v o="$(own_delta "$work/own-before.txt" "$work/own-after.txt")" -v w="$wrk_cpu" \
    -v clk="$clk" -v ms="$(ms "$started")" 'BEGIN { x = ((b - o) / clk - w) / (ms / 1000); printf "%.2f", x < 0 ? 0 : x }')
  summary=$(grep '^BENCH ' "$out") || die "wrk gave no summary for $name (see $out)"
  rps[$cache,$name]=$(awk -v n="$(field requests "$summary")" -v us="$(field duration_us "$summary")" 'BEGIN { printf "%.1f", n / (us / 1e6) }')
  p50[$cache,$name]=$(awk -v us="$(field p50_us "$summary")" 'BEGIN { printf "%.1f", us / 1000 }')
  p99[$cache,$name]=$(awk -v us="$(field p99_us "$summary")" 'BEGIN { printf "%.1f", us / 1000 }')
  errors[$cache,$name]=$(( $(field status_errors "$summary") + $(field socket_errors "$summary") ))
  printf '   %-16s %9s req/s  p50 %8s ms  p99 %8s ms  errors %s  others used %s cores\n' "$name" "${rps[$cache,$name]}" \
    "${p50[$cache,$name]}" "${p99[$cache,$name]}" "${errors[$cache,$name]}" "${others[$cache,$name]}" >&2
}

# One table: a new API process with Delivery:ResponseCache=$1, checked, warmed, and every scenario measured.
measure_scenarios() {
  local cache=$1 scenario
  [[ -n $load_before ]] || load_before=$(cut -d' ' -f1-3 /proc/loadavg) # the run's, read before the first table
  say "Delivery:ResponseCache=$cache"
  start_api "$cache"
  starts+=("$ready_ms")
  echo "   ready in $ready_ms ms" >&2
  sample_rss "$api_pid" "$work/rss-cache-$cache.txt" &
  check_same_json
  follow_cursor_to_deep_page
  # A new process runs slower for a while (the JIT recompiles hot code with what it learns); one warm-up pass over
  # every scenario first, so that the first ones measured do not pay for it.
  for scenario in "${scenarios[@]}"; do
    warm "${scenario%%|*}"
  done
  for scenario in "${scenarios[@]}"; do
    measure "$cache" "${scenario%%|*}"
  done
  rss_peak[$cache]=$(awk '/^VmHWM/ { print $2 }' "/proc/$api_pid/status")
  stop_api
  wait # the RSS sampler ends with the API
  rss_max[$cache]=$(sort -n "$work/rss-cache-$cache.txt" | tail -n 1)
}

# Three more starts with PostgreSQL running, then one that starts PostgreSQL itself. Sets ready_median and cold_ready_ms.
time_starts() {
  say "start to ready"
  for _ in 1 2 3; do
    start_api true
    starts+=("$ready_ms")
    stop_api
  done
  ready_median=$(printf '%s\n' "${starts[@]}" | sort -n | sed -n "$(( (${#starts[@]} + 1) / 2 ))p")
  echo "   PostgreSQL running: ${starts[*]} ms" >&2
  pg_stop
  start_api true
  cold_ready_ms=$ready_ms
  stop_api # the API stops the PostgreSQL it started
  echo "   the API starting PostgreSQL: $cold_ready_ms ms" >&2
}
