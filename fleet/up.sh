#!/usr/bin/env bash
# Starts the fleet on loopback: a PostgreSQL primary and a streaming standby (pg_basebackup -R), three API replicas
# (Release build) that read anonymous delivery requests from the standby, and HAProxy in front with health checks and
# retries. fleet/down.sh stops it all; fleet/test.sh proves it. Run as root (it installs packages when missing, and
# runs PostgreSQL as the postgres user).
set -euo pipefail
source "$(dirname "$0")/env.sh"

need_packages=()
[ -x "$PG_BIN/postgres" ] || need_packages+=(postgresql-15)
command -v psql > /dev/null || need_packages+=(postgresql-client-15)
command -v haproxy > /dev/null || need_packages+=(haproxy)
if [ ${#need_packages[@]} -gt 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_packages[@]}"
    # The Debian package starts a system-wide HAProxy on port 80; the fleet runs its own.
    systemctl disable --now haproxy 2> /dev/null || service haproxy stop 2> /dev/null || true
fi

if [ -e "$FLEET_DIR/pids" ] && ls "$FLEET_DIR/pids" | grep -q .; then
    echo "the fleet seems to be running already ($FLEET_DIR/pids); run fleet/down.sh first" >&2
    exit 1
fi
mkdir -p "$FLEET_DIR"/{logs,pids,run}
chown postgres "$FLEET_DIR" "$FLEET_DIR/run" "$FLEET_DIR/logs"
chmod 700 "$FLEET_DIR"
for secret in owner app replicator; do
    [ -s "$FLEET_DIR/$secret.password" ] || (umask 077 && openssl rand -hex 24 > "$FLEET_DIR/$secret.password")
done

# --- PostgreSQL primary ---------------------------------------------------------------------------------------
if [ ! -s "$FLEET_DIR/primary/PG_VERSION" ]; then
    as_postgres "$PG_BIN/initdb" -D "$FLEET_DIR/primary" -U postgres --auth-local=peer --auth-host=scram-sha-256 > "$FLEET_DIR/logs/initdb.log"
    cat >> "$FLEET_DIR/primary/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$FLEET_DIR/run'
wal_level = replica
max_wal_senders = 5
hot_standby = on
max_connections = 200
CONF
    echo "host replication replicator 127.0.0.1/32 scram-sha-256" >> "$FLEET_DIR/primary/pg_hba.conf"
fi
as_postgres "$PG_BIN/pg_ctl" -D "$FLEET_DIR/primary" -o "-p $PRIMARY_PORT" -l "$FLEET_DIR/logs/primary.log" -w start > /dev/null
if [ -z "$(PGDATABASE=postgres psql_super $PRIMARY_PORT -c "SELECT 1 FROM pg_database WHERE datname = 'contentapi'")" ]; then
    PGDATABASE=postgres psql_super $PRIMARY_PORT <<SQL
CREATE ROLE contentapi LOGIN PASSWORD '$(owner_password)';
CREATE ROLE contentapi_app LOGIN PASSWORD '$(app_password)';
CREATE ROLE replicator LOGIN REPLICATION PASSWORD '$(cat "$FLEET_DIR/replicator.password")';
CREATE DATABASE contentapi OWNER contentapi;
SQL
fi

# --- Streaming standby ----------------------------------------------------------------------------------------
if [ ! -s "$FLEET_DIR/standby/PG_VERSION" ]; then
    # -R writes primary_conninfo (with the password given here) and standby.signal.
    as_postgres "$PG_BIN/pg_basebackup" -d "host=127.0.0.1 port=$PRIMARY_PORT user=replicator password=$(cat "$FLEET_DIR/replicator.password")" \
        -D "$FLEET_DIR/standby" -R -X stream -c fast
fi
as_postgres "$PG_BIN/pg_ctl" -D "$FLEET_DIR/standby" -o "-p $STANDBY_PORT" -l "$FLEET_DIR/logs/standby.log" -w start > /dev/null

# --- Three API replicas ---------------------------------------------------------------------------------------
if [ ! -f "$API_DLL" ] || [ -n "${FLEET_BUILD:-}" ]; then
    (cd "$REPO" && dotnet build ContentApi.sln -c Release -nologo -v quiet -clp:NoSummary)
fi
# The API's row-only role is made above (the owner here may not create roles); the owner grants it row access after
# migrating. All three start at once: migrations and seeding take turns under DatabaseSetup's advisory lock, and seeding only
# fills in what is missing, so the seeds are imported once.
for n in 1 2 3; do
    start_api $n
done
for n in 1 2 3; do
    wait_for "http://127.0.0.1:${API_PORTS[$((n - 1))]}/health/ready" 180 "$FLEET_DIR/pids/api$n"
done

# --- HAProxy --------------------------------------------------------------------------------------------------
cat > "$FLEET_DIR/haproxy.cfg" <<CFG
global
    log stderr format short local0 warning
    maxconn 2000

defaults
    mode http
    log global
    timeout connect 1s
    timeout client 30s
    timeout server 30s
    # A request that met a dead replica (refused, reset, no answer) goes to another one: GETs and HEADs only,
    # since a write may have happened before the connection died.
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response response-timeout 502 503 504

frontend api
    bind 127.0.0.1:$BALANCER_PORT
    http-request disable-l7-retry unless METH_GET or METH_HEAD
    default_backend replicas

backend replicas
    balance roundrobin
    option httpchk GET /health/ready
    http-check expect status 200
    default-server inter 500ms fall 2 rise 2 on-marked-down shutdown-sessions
$(for n in 1 2 3; do echo "    server api$n 127.0.0.1:${API_PORTS[$((n - 1))]} check"; done)
CFG
haproxy -c -q -f "$FLEET_DIR/haproxy.cfg"
haproxy -D -f "$FLEET_DIR/haproxy.cfg" -p "$FLEET_DIR/pids/haproxy"
wait_for "http://127.0.0.1:$BALANCER_PORT/health/ready" 30

# An admin key for fleet/test.sh, once.
if [ ! -s "$FLEET_DIR/admin.key" ]; then
    ConnectionStrings__ContentMigrations="$(owner_connection)" ConnectionStrings__Content="$(app_connection $PRIMARY_PORT)" \
        ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
        dotnet "$API_DLL" keys create --name fleet-admin --scope admin > "$FLEET_DIR/logs/keys.log"
    (umask 077 && grep -A1 "Its secret" "$FLEET_DIR/logs/keys.log" | tail -1 > "$FLEET_DIR/admin.key")
fi

echo "fleet up: balancer http://127.0.0.1:$BALANCER_PORT, replicas ${API_PORTS[*]}, primary :$PRIMARY_PORT, standby :$STANDBY_PORT"
echo "articles seeded: $(psql_super $PRIMARY_PORT -c 'SELECT count(*) FROM articles')"
