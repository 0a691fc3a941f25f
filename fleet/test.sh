#!/usr/bin/env bash
# Runs the fleet's proofs against a fleet started by fleet/up.sh and prints their figures (fleet/results.md keeps a run).
set -euo pipefail
source "$(dirname "$0")/env.sh"
export FLEET_DIR REPO PRIMARY_PORT STANDBY_PORT BALANCER_PORT
export FLEET_API_PORTS="${API_PORTS[*]}"
exec python3 "$(dirname "$0")/fleet_test.py" "$@"
