# Settings, paths and small helpers every step uses. Sourced by bench/run.sh after it has set articles and repo.
duration=${BENCH_DURATION:-15s}
warmup=${BENCH_WARMUP:-5s}
threads=2
connections=32

work=$repo/bench/work # scratch: logs, path lists, raw wrk output (ignored by git)
results=${BENCH_RESULTS:-$repo/bench/results/$articles-articles.md}
if [[ $(id -u) == 0 ]]; then
  data=${BENCH_DATA_DIR:-/var/lib/contentapi/bench-postgres}
  as_postgres=(runuser -u postgres --)
else
  data=${BENCH_DATA_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/contentapi/bench-postgres}
  as_postgres=()
fi
dll=$work/api/ContentApi.dll # published by build_api
lua=$repo/bench/paths.lua

# Every run of the app ("${app[@]}" [settings] dotnet ...): Production, a database provisioned the way the app
# does it (local PostgreSQL binaries, installed when missing) but in the bench's own data folder, never a
# configured connection string. env starts dotnet in place, so that $! is the API's own process id.
app=(env -C "$repo/src/ContentApi" -u ConnectionStrings__Content ASPNETCORE_ENVIRONMENT=Production
  Database__Provision=true Database__LocalDataDirectory="$data")

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
cleanup() { stop_api; pg_stop || true; }
