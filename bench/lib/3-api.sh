# The API: started in the background for each table and each timed start, stopped with SIGTERM.
api_pid=""
base=""
ready_ms=""

start_api() { # $1: Delivery:ResponseCache (true or false); sets api_pid and ready_ms
  local started
  if [[ -z $base ]]; then # a port chosen once PostgreSQL holds its own
    api_port=$(free_port)
    base=http://127.0.0.1:$api_port
  fi
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

stop_api() {
  if [[ -n $api_pid ]] && kill -0 "$api_pid" 2>/dev/null; then
    kill -TERM "$api_pid"
    wait "$api_pid" 2>/dev/null || true
  fi
  api_pid=""
}

# Samples the API's resident memory twice a second (VmRSS), until it stops.
sample_rss() { while [[ -r /proc/$1/status ]]; do awk '/^VmRSS/ { print $2 }' "/proc/$1/status" 2>/dev/null; sleep 0.5; done >"$2"; }
