#!/usr/bin/env bash
# Stops everything fleet/up.sh started: HAProxy, the API replicas, the test receivers, the standby and the primary.
# The data stays in $FLEET_DIR; FLEET_WIPE=1 removes it too.
set -uo pipefail
source "$(dirname "$0")/env.sh"

for pidfile in "$FLEET_DIR"/pids/*; do
    [ -f "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    kill "$pid" 2> /dev/null
    for _ in $(seq 50); do kill -0 "$pid" 2> /dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2> /dev/null
    rm -f "$pidfile"
done
for node in standby primary; do
    [ -f "$FLEET_DIR/$node/postmaster.pid" ] && as_postgres "$PG_BIN/pg_ctl" -D "$FLEET_DIR/$node" -m fast -w stop > /dev/null
done
if [ -n "${FLEET_WIPE:-}" ]; then
    rm -rf "$FLEET_DIR"
fi
echo "fleet down"
