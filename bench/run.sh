#!/usr/bin/env bash
# Benchmarks the delivery API end to end; bench/README.md says what it does and how to read what it writes.
#
#   bench/run.sh [ARTICLES]        ARTICLES synthetic articles (default 100000) in a fresh database
#
# Settings (environment): BENCH_DURATION (15s per measured scenario), BENCH_WARMUP (5s before each),
# BENCH_DATA_DIR (the PostgreSQL data folder, bench-postgres beside the app's own), BENCH_REUSE_DATA=1 (keep a
# database an earlier run left instead of importing again), BENCH_RESULTS (the Markdown file to write).
#
# The steps live in bench/lib/, one file each, in the order they run.
set -euo pipefail

articles=${1:-100000}
[[ $articles =~ ^[1-9][0-9]*$ ]] || { echo "usage: bench/run.sh [ARTICLES]" >&2; exit 2; }
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
for step in "$repo"/bench/lib/*.sh; do source "$step"; done

need_tools
build_api
trap cleanup EXIT
import_articles
start_postgres
pick_paths
for cache in false true; do
  measure_scenarios "$cache"
done
time_starts
write_results
say "results in ${results#"$repo"/}"
cat "$results"
