# Shared by up.sh, down.sh and test.sh: where the fleet lives and which loopback ports it uses.
FLEET_DIR=${FLEET_DIR:-/var/lib/contentapi/fleet}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PRIMARY_PORT=55450
STANDBY_PORT=55451
API_PORTS=(55461 55462 55463)
BALANCER_PORT=55470
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
API_DLL="$REPO/src/ContentApi/bin/Release/net10.0/ContentApi.dll"

as_postgres() { runuser -u postgres -- "$@"; }
owner_password() { cat "$FLEET_DIR/owner.password"; }
app_password() { cat "$FLEET_DIR/app.password"; }
owner_connection() { echo "Host=127.0.0.1;Port=$PRIMARY_PORT;Database=contentapi;Username=contentapi;Password=$(owner_password)"; }
app_connection() { echo "Host=127.0.0.1;Port=$1;Database=contentapi;Username=contentapi_app;Password=$(app_password)"; }
# psql as the superuser over the Unix socket in the fleet directory (peer authentication as postgres).
psql_super() { local port=$1; shift; (cd / && as_postgres psql -h "$FLEET_DIR/run" -p "$port" -d "${PGDATABASE:-contentapi}" -Atq "$@"); }

# Starts API replica n (1-based) in the background; its log and pid go to the fleet directory.
start_api() {
    local n=$1 port=${API_PORTS[$(($1 - 1))]}
    ConnectionStrings__ContentMigrations="$(owner_connection)" \
    ConnectionStrings__Content="$(app_connection $PRIMARY_PORT)" \
    ConnectionStrings__ContentReadReplica="$(app_connection $STANDBY_PORT)" \
    Seed__OnStartup=true \
    Seed__Folder="$REPO/seeds" \
    ASPNETCORE_ENVIRONMENT=Production \
    RateLimits__Enabled=false \
    Webhooks__AllowPrivateNetworks=true \
    Webhooks__PollMilliseconds=200 \
    Webhooks__RetryBaseMilliseconds=500 \
    Logging__LogLevel__Default=Warning \
    Logging__LogLevel__ContentApi=Information \
    nohup dotnet "$API_DLL" --urls "http://127.0.0.1:$port" >> "$FLEET_DIR/logs/api$n.log" 2>&1 &
    echo $! > "$FLEET_DIR/pids/api$n"
}

# Waits until url answers 200, or fails after $2 seconds or as soon as the process in pid file $3 has died.
wait_for() {
    local url=$1 seconds=${2:-60} pidfile=${3:-}
    for _ in $(seq $((seconds * 5))); do
        curl -fs -o /dev/null "$url" && return 0
        if [ -n "$pidfile" ] && ! kill -0 "$(cat "$pidfile")" 2> /dev/null; then
            echo "the process behind $url has exited; see $FLEET_DIR/logs" >&2
            return 1
        fi
        sleep 0.2
    done
    echo "no answer from $url after ${seconds}s" >&2
    return 1
}
