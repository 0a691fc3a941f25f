#!/usr/bin/env bash
# Benchmarks the delivery API end to end; bench/README.md says what it does and how to read what it writes.
#
#   bench/run.sh [ARTICLES]        ARTICLES synthetic articles (default 100000) in a fresh database
#
# Settings (environment): BENCH_DURATION (15s per measured scenario), BENCH_WARMUP (5s before each),
# BENCH_DATA_DIR (the PostgreSQL data folder, bench-postgres beside the app's own), BENCH_REUSE_DATA=1 (keep a
# database an earlier run left instead of importing again), BENCH_RESULTS (the Markdown file to write).
set -euo pipefail

articles=${1:-100000}
[[ $articles =~ ^[1-9][0-9]*$ ]] || { echo "usage: bench/run.sh [ARTICLES]" >&2; exit 2; }
duration=${BENCH_DURATION:-15s}
warmup=${BENCH_WARMUP:-5s}
threads=2
connections=32

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$repo/bench/work # scratch: logs, path lists, raw wrk output (ignored by git)
results=${BENCH_RESULTS:-$repo/bench/results/$articles-articles.md}
if [[ $(id -u) == 0 ]]; then
  data=${BENCH_DATA_DIR:-/var/lib/contentapi/bench-postgres}
  as_postgres=(runuser -u postgres --)
else
  data=${BENCH_DATA_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/contentapi/bench-postgres}
  as_postgres=()
fi
dll=$repo/src/ContentApi/bin/Release/net10.0/ContentApi.dll
lua=$repo/bench/paths.lua

say() { printf '\n== %s\n' "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

# --- tools -------------------------------------------------------------------------------------------------------
command -v dotnet >/dev/null || die "the .NET 10 SDK is needed (dotnet on PATH)"
command -v curl >/dev/null || die "curl is needed"
if ! command -v wrk >/dev/null; then
  [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null || die "wrk is needed: apt-get install wrk (as root)"
  say "installing wrk with apt-get"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk >/dev/null
fi
mkdir -p "$work" "$(dirname "$results")"

say "building the API (Release)"
dotnet build "$repo/src/ContentApi" -c Release -nologo -v quiet -clp:NoSummary >"$work/build.log" 2>&1 \
  || { cat "$work/build.log" >&2; die "the build failed"; }

# Every run of the app ("${app[@]}" [settings] dotnet ...): Production, a database provisioned the way the app
# does it (local PostgreSQL binaries, installed when missing) but in the bench's own data folder, never a
# configured connection string. env starts dotnet in place, so that $! is the API's own process id.
app=(env -C "$repo/src/ContentApi" -u ConnectionStrings__Content ASPNETCORE_ENVIRONMENT=Production
  Database__Provision=true Database__LocalDataDirectory="$data")

# --- PostgreSQL: the app provisions it; the bench keeps it running between the API's starts -----------------------
pg_bin=""
pg_port=""
find_pg_bin() { pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1); [[ -x $pg_bin/pg_ctl ]] || pg_bin=$(dirname "$(command -v pg_ctl)"); }
pg_running() { [[ -n $pg_bin && -f $data/postmaster.pid ]] && "${as_postgres[@]}" "$pg_bin/pg_ctl" status -D "$data" >/dev/null 2>&1; }
pg_stop() { if pg_running; then "${as_postgres[@]}" "$pg_bin/pg_ctl" stop -D "$data" -m fast -w -s; fi; }
pg_start() {
  pg_port=$(free_port)
  "${as_postgres[@]}" "$pg_bin/pg_ctl" start -D "$data" -w -s -l "$data/server.log" \
    -o "-p $pg_port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$data"
}
sql() { PGPASSWORD=$(cat "$data.password") psql -h 127.0.0.1 -p "$pg_port" -U contentapi -d contentapi -XAtq -c "$1"; }

api_pid=""
stop_api() {
  if [[ -n $api_pid ]] && kill -0 "$api_pid" 2>/dev/null; then
    kill -TERM "$api_pid"
    wait "$api_pid" 2>/dev/null || true
  fi
  api_pid=""
}
cleanup() { stop_api; pg_stop || true; }
trap cleanup EXIT

find_pg_bin
import_s="not measured (BENCH_REUSE_DATA=1 kept the database of an earlier run)"
import_wall_s=""
if [[ ${BENCH_REUSE_DATA:-0} == 1 && -f $data/PG_VERSION ]]; then
  say "reusing the database in $data"
else
  say "a fresh database in $data, with $articles synthetic articles"
  pg_stop
  rm -rf "$data" "$data.password" "$data.app-password"
  started=$(date +%s%N)
  "${app[@]}" dotnet "$dll" seed --synthetic "$articles" >"$work/import.log" 2>&1 || { cat "$work/import.log" >&2; die "the import failed"; }
  tr '\r' '\n' <"$work/import.log" | grep -v '^  [0-9,]* / ' >&2 || true
  import_wall_s=$(awk -v ms="$(ms "$started")" 'BEGIN { printf "%.1f", ms / 1000 }')
  import_s=$(tr '\r' '\n' <"$work/import.log" | sed -n 's/^ *[0-9,]* synthetic articles in \([0-9.]*\) s$/\1/p' | tail -n 1)
  [[ -n $import_s ]] || die "the import did not report its time (see $work/import.log)"
fi
find_pg_bin # the import may have installed PostgreSQL
pg_start
live=$(sql "SELECT count(*) FROM articles WHERE status IN ('published', 'scheduled') AND published_at <= now()")
say "$live live articles; PostgreSQL on 127.0.0.1:$pg_port"

# --- the API ---------------------------------------------------------------------------------------------------
api_port=$(free_port)
base=http://127.0.0.1:$api_port
ready_ms=""
start_api() { # $1: Delivery:ResponseCache (true or false); sets api_pid and ready_ms
  local started
  started=$(date +%s%N)
  "${app[@]}" Delivery__ResponseCache="$1" RateLimits__Enabled=false Bench__ReferenceEndpoints=true \
    Logging__LogLevel__Default=Warning Logging__LogLevel__Microsoft.Hosting.Lifetime=Warning \
    dotnet "$dll" --urls "$base" >"$work/api-cache-$1.log" 2>&1 &
  api_pid=$!
  until [[ $(curl -s -o /dev/null -w '%{http_code}' "$base/health/ready") == 200 ]]; do
    kill -0 "$api_pid" 2>/dev/null || { cat "$work/api-cache-$1.log" >&2; die "the API stopped before it was ready"; }
    sleep 0.02
  done
  ready_ms=$(ms "$started")
}

# Samples the API's resident memory twice a second (VmRSS), until it stops.
sample_rss() { while [[ -r /proc/$1/status ]]; do awk '/^VmRSS/ { print $2 }' "/proc/$1/status" 2>/dev/null; sleep 0.5; done >"$2"; }

# The machine is shared: what other processes used of its CPUs during a scenario is measured and reported. Busy
# time is user + nice + system over all CPUs; the bench's own is the API's, its PostgreSQL server's and wrk's.
clk=$(getconf CLK_TCK)
busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 }' /proc/stat; }
own_ticks() {
  local pids=("$api_pid") postmaster
  postmaster=$(head -n 1 "$data/postmaster.pid" 2>/dev/null || true)
  [[ -z $postmaster ]] || pids+=("$postmaster" $(ps -o pid= --ppid "$postmaster"))
  (cd /proc && cat "${pids[@]/%//stat}" 2>/dev/null) | awk '{ t += $14 + $15 } END { print t + 0 }'
}

# --- what to ask for ---------------------------------------------------------------------------------------------
live_filter="a.status IN ('published', 'scheduled') AND a.published_at <= now()"
sql "SELECT slug FROM articles a WHERE $live_filter ORDER BY md5(slug) LIMIT 200" >"$work/slugs.txt"
topic=$(sql "SELECT t.slug FROM topics t JOIN article_topics l ON l.topic_id = t.id JOIN articles a ON a.id = l.article_id
             WHERE $live_filter GROUP BY t.slug ORDER BY count(*) DESC, t.slug LIMIT 1")
author=$(sql "SELECT x.slug FROM authors x JOIN article_authors l ON l.author_id = x.id JOIN articles a ON a.id = l.article_id
              WHERE $live_filter GROUP BY x.slug ORDER BY count(*) DESC, x.slug LIMIT 1")
topic_count=$(sql "SELECT count(*) FROM articles a JOIN article_topics l ON l.article_id = a.id JOIN topics t ON t.id = l.topic_id
                   WHERE $live_filter AND t.slug = '$topic'")
author_count=$(sql "SELECT count(*) FROM articles a JOIN article_authors l ON l.article_id = a.id JOIN authors x ON x.id = l.author_id
                    WHERE $live_filter AND x.slug = '$author'")
deep_page=$(( live / 20 < 5000 ? live / 20 : 5000 ))
(( deep_page >= 2 )) || die "too few articles for a deep page: ask for at least 40"
# Worst cases on purpose: a word in nearly every article, a word in a handful (read off the index's statistics), a
# two-word phrase, a word in no article, and the operators.
rare_word=$(sql "SELECT word FROM ts_stat('SELECT search_vector FROM articles') WHERE ndoc BETWEEN 3 AND 10 AND word ~ '^[a-z]{5,}\$' ORDER BY word LIMIT 1")
searches=(government "$rare_word" '%22oil%20pipeline%22' 'zzqxjv' 'cathedral%20-war' 'museum%20or%20library')

paths() { local name=$1; shift; printf '%s\n' "$@" >"$work/paths-$name.txt"; }
paths ceiling $(sed 's|^|/bench/ceiling/articles/|' "$work/slugs.txt")
paths raw $(sed 's|^|/bench/raw/articles/|' "$work/slugs.txt")
paths item $(sed 's|^|/v1/articles/|' "$work/slugs.txt")
paths list /v1/articles
paths topic "/v1/articles?topic=$topic"
paths search "${searches[@]/#//v1/search?q=}"
paths related $(head -n 10 "$work/slugs.txt" | sed 's|^|/v1/articles/|; s|$|/related|')
paths author "/v1/authors/$author"
paths author-articles "/v1/authors/$author/articles"
paths topic-profile "/v1/topics/$topic"
paths feeds /v1/feeds/articles.rss "/v1/topics/$topic/feed.json"
paths changes "/v1/changes?limit=100"
# (the deep page's path needs the API for its cursor: see below)

# name | what it asks for, as the table shows it
scenarios=(
  "ceiling|reference: article bytes from memory, \`/bench/ceiling/articles/{slug}\`, 200 slugs"
  "raw|reference: article from one Npgsql query, \`/bench/raw/articles/{slug}\`, 200 slugs"
  "item|article by slug, \`/v1/articles/{slug}\`, 200 slugs"
  "list|article list page 1, \`/v1/articles\`"
  "deep|article list $(( (deep_page - 1) * 20 / 100 * 100 )) cards deep by cursor, \`/v1/articles?cursor=...\`"
  "topic|list filtered by topic, \`/v1/articles?topic=$topic\` ($topic_count articles)"
  "search|search, \`/v1/search?q=...\`, ${#searches[@]} queries: $(printf '%s, ' "${searches[@]}" | sed 's/%20/ /g; s/%22/"/g; s/, $//')"
  "related|related articles, \`/v1/articles/{slug}/related\`, 10 slugs"
  "author|author page: profile, \`/v1/authors/$author\` ($author_count articles)"
  "author-articles|author page: articles, \`/v1/authors/$author/articles\`"
  "topic-profile|topic page: profile, \`/v1/topics/$topic\`"
  "feeds|feeds: \`/v1/feeds/articles.rss\` and the largest topic's \`feed.json\`"
  "changes|change feed, first page of 100, \`/v1/changes?limit=100\`"
)

declare -A rps p50 p99 errors others rss_max rss_peak
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
  local cache=$1 name=$2 out summary busy own started wrk_cpu TIMEFORMAT='%U %S'
  warm "$name"
  export BENCH_PATHS=$work/paths-$name.txt
  out=$work/wrk-cache-$cache-$name.txt
  busy=$(busy_ticks) own=$(own_ticks) started=$(date +%s%N)
  { time wrk -t"$threads" -c"$connections" -d"$duration" --timeout 60s --latency -s "$lua" "$base" >"$out"; } \
    2>"$work/wrk-time.txt"
  wrk_cpu=$(tail -n 1 "$work/wrk-time.txt" | awk '{ print $1 + $2 }')
  others[$cache,$name]=$(awk -v b="$(( $(busy_ticks) - busy ))" -v o="$(( $(own_ticks) - own ))" -v w="$wrk_cpu" \
    -v clk="$clk" -v ms="$(ms "$started")" 'BEGIN { x = ((b - o) / clk - w) / (ms / 1000); printf "%.2f", x < 0 ? 0 : x }')
  summary=$(grep '^BENCH ' "$out") || die "wrk gave no summary for $name (see $out)"
  rps[$cache,$name]=$(awk -v n="$(field requests "$summary")" -v us="$(field duration_us "$summary")" 'BEGIN { printf "%.1f", n / (us / 1e6) }')
  p50[$cache,$name]=$(awk -v us="$(field p50_us "$summary")" 'BEGIN { printf "%.1f", us / 1000 }')
  p99[$cache,$name]=$(awk -v us="$(field p99_us "$summary")" 'BEGIN { printf "%.1f", us / 1000 }')
  errors[$cache,$name]=$(( $(field status_errors "$summary") + $(field socket_errors "$summary") ))
  printf '   %-16s %9s req/s  p50 %8s ms  p99 %8s ms  errors %s  others used %s cores\n' "$name" "${rps[$cache,$name]}" \
    "${p50[$cache,$name]}" "${p99[$cache,$name]}" "${errors[$cache,$name]}" "${others[$cache,$name]}" >&2
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
starts=() # start to ready, PostgreSQL running, in ms
for cache in false true; do
  say "Delivery:ResponseCache=$cache"
  start_api "$cache"
  starts+=("$ready_ms")
  echo "   ready in $ready_ms ms" >&2
  sample_rss "$api_pid" "$work/rss-cache-$cache.txt" &
  check_same_json
  # Numbered pages stop at page x limit = 10,000: the deep page is reached by following cursors, 100 cards a step.
  cursor=""
  for (( hop = 0; hop < (deep_page - 1) * 20 / 100; hop++ )); do
    cursor=$(curl -s "$base/v1/articles?limit=100${cursor:+&cursor=$cursor}" | sed -n 's/.*"page":{"limit":100,"next":"\([^"]*\)".*/\1/p')
    [[ -n $cursor ]] || die "no cursor after $hop pages of 100"
  done
  paths deep "/v1/articles?cursor=$cursor"
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
done

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

# --- the results file --------------------------------------------------------------------------------------------
commit=$(git -C "$repo" rev-parse --short HEAD)
[[ -z $(git -C "$repo" status --porcelain -- . ':!bench/results') ]] || commit="$commit (with uncommitted changes)"
cpu=$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)
mem_gib=$(awk '/^MemTotal/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo)
os=$(. /etc/os-release && echo "$PRETTY_NAME")
kernel=$(uname -r)
pg_version=$("$pg_bin/postgres" --version | sed 's/^postgres (PostgreSQL) //')
aspnet=$(dotnet --list-runtimes | sed -n 's/^Microsoft.AspNetCore.App \([^ ]*\).*/\1/p' | tail -n 1)
wrk_version=$(wrk -v 2>&1 | head -n 1 | cut -d' ' -f2 || true)
num() { awk -v x="$1" 'BEGIN { printf "%.0f", x }'; }
label() { [[ $1 == true ]] && echo on || echo off; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f%%", 100 * a / b }'; }
mb() { awk -v kb="$1" 'BEGIN { printf "%.0f MB", kb * 1024 / 1e6 }'; }

table() { # $1 cache
  local c=$1 scenario name
  echo "| scenario | req/s | p50 ms | p99 ms | of ceiling | of raw | errors | others' CPU |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  for scenario in "${scenarios[@]}"; do
    name=${scenario%%|*}
    echo "| ${scenario#*|} | $(num "${rps[$c,$name]}") | ${p50[$c,$name]} | ${p99[$c,$name]} | $(ratio "${rps[$c,$name]}" "${rps[$c,ceiling]}") | $(ratio "${rps[$c,$name]}" "${rps[$c,raw]}") | ${errors[$c,$name]} | ${others[$c,$name]} |"
  done
}

holds() { awk "BEGIN { exit !($1) }" && echo "holds" || echo "**does not hold**"; }
p99_row() { # $1 cache
  local c=$1 name worst="" worst_v=0
  for name in item list deep topic; do
    if awk -v a="${p99[$c,$name]}" -v b="$worst_v" 'BEGIN { exit !(a > b) }'; then worst=$name; worst_v=${p99[$c,$name]}; fi
  done
  echo "| p99 < 25 ms for item, list, deep list, topic (cache $(label "$c")) | ${p99[$c,item]} / ${p99[$c,list]} / ${p99[$c,deep]} / ${p99[$c,topic]} ms (worst: $worst) | $(holds "$worst_v < 25") |"
}
rss_all=$(( rss_peak[false] > rss_peak[true] ? rss_peak[false] : rss_peak[true] ))

{
  echo "# Benchmark: $(num "$articles") synthetic articles"
  echo
  echo "Written by \`bench/run.sh $articles\` on $(date -u '+%Y-%m-%d %H:%M UTC'), commit \`$commit\`."
  echo "[\`bench/README.md\`](../README.md) says how the run goes and how to read this."
  echo
  echo "| machine | |"
  echo "| --- | --- |"
  echo "| CPU | $(nproc) cores, $cpu |"
  echo "| memory | $mem_gib GiB |"
  echo "| system | $os, Linux $kernel |"
  echo "| software | ASP.NET Core $aspnet, PostgreSQL $pg_version (the app's own provisioning, default settings), wrk $wrk_version |"
  echo "| load average before the run | $load_before (other work shared the machine) |"
  echo
  echo "Data: $(num "$live") live articles ($(num "$articles") synthetic, the rest from \`seeds/\`). Load: \`wrk\` on loopback,"
  echo "$threads threads, $connections connections, $duration per scenario after a $warmup warm-up, against the Release build with"
  echo "logging at Warning and rate limits off. Scenarios run one after another in one API process per table; \"of"
  echo "ceiling\" and \"of raw\" compare requests per second with the two reference rows of the same table. \"Others' CPU\" is"
  echo "how many of the $(nproc) cores other processes kept busy during the scenario: above a few tenths, its figures are low."
  echo
  echo "## Delivery:ResponseCache=false"
  echo
  table false
  echo
  echo "## Delivery:ResponseCache=true (the default)"
  echo
  table true
  echo
  echo "## Other figures"
  echo
  echo "| what | figure |"
  echo "| --- | --- |"
  echo "| synthetic import of $(num "$articles") articles | ${import_s} s${import_wall_s:+ (the whole \`seed --synthetic\` command, with initdb, migrations and seeds: $import_wall_s s)} |"
  echo "| start to \`/health/ready\` 200, PostgreSQL running | median $ready_median ms of ${#starts[@]} starts (${starts[*]} ms) |"
  echo "| start to \`/health/ready\` 200, the API starting PostgreSQL | $cold_ready_ms ms |"
  echo "| API resident memory, highest sample / peak (VmHWM) | cache off $(mb "${rss_max[false]}") / $(mb "${rss_peak[false]}"), cache on $(mb "${rss_max[true]}") / $(mb "${rss_peak[true]}") |"
  echo "| \`/bench/raw\` and \`/bench/ceiling\` answer the same JSON and ETag as \`/v1/articles/{slug}\` | yes, 5 slugs compared byte for byte in each run |"
  echo
  echo "## Targets"
  echo
  echo "| target | measured | |"
  echo "| --- | --- | --- |"
  echo "| article by slug, cache off, >= 70% of raw | $(ratio "${rps[false,item]}" "${rps[false,raw]}") | $(holds "${rps[false,item]} >= 0.7 * ${rps[false,raw]}") |"
  echo "| article by slug, cache on, >= 60% of ceiling | $(ratio "${rps[true,item]}" "${rps[true,ceiling]}") | $(holds "${rps[true,item]} >= 0.6 * ${rps[true,ceiling]}") |"
  p99_row false
  p99_row true
  for c in false true; do
    echo "| list page $deep_page by cursor within 1.5x page 1's latency (cache $(label "$c")) | p50 ${p50[$c,deep]} vs ${p50[$c,list]} ms, p99 ${p99[$c,deep]} vs ${p99[$c,list]} ms | $(holds "${p50[$c,deep]} <= 1.5 * ${p50[$c,list]} && ${p99[$c,deep]} <= 1.5 * ${p99[$c,list]}") |"
  done
  for c in false true; do
    echo "| search p50 < 30 ms, p99 < 100 ms (cache $(label "$c")) | p50 ${p50[$c,search]} ms, p99 ${p99[$c,search]} ms | $(holds "${p50[$c,search]} < 30 && ${p99[$c,search]} < 100") |"
  done
  echo "| API resident memory < 400 MB during the run | peak $(mb "$rss_all") | $(holds "$rss_all * 1024 < 400e6") |"
  if [[ -n $import_wall_s ]]; then
    echo "| synthetic import of $(num "$articles") < 60 s | $import_s s | $(holds "$import_s < 60") |"
  fi
  echo "| start to ready < 3 s with an existing database | median $ready_median ms; $cold_ready_ms ms starting PostgreSQL too | $(holds "$ready_median < 3000") |"
  echo
  echo "## Why"
  echo
  echo "_Not written yet: after a run worth keeping, say here why each target that fails does (see bench/README.md)._"
} >"$results"

say "results in ${results#"$repo"/}"
cat "$results"
