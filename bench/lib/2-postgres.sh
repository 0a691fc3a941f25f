# PostgreSQL: the app provisions it and imports the synthetic articles; the bench keeps it running between the
# API's starts.
pg_bin=""
pg_port=""
import_s=""
import_wall_s=""

find_pg_bin() { pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1); [[ -x $pg_bin/pg_ctl ]] || pg_bin=$(dirname "$(command -v pg_ctl)"); }
pg_running() { [[ -n $pg_bin && -f $data/postmaster.pid ]] && "${as_postgres[@]}" "$pg_bin/pg_ctl" status -D "$data" >/dev/null 2>&1; }
pg_stop() { if pg_running; then "${as_postgres[@]}" "$pg_bin/pg_ctl" stop -D "$data" -m fast -w -s; fi; }
# The buffer pool the app gives a server it starts (LocalPostgres.SharedBuffersMegabytes): a quarter of the
# memory, from 128 MB to 8 GB.
shared_buffers_mb() { awk '/^MemTotal/ { mb = int($2 / 1024 / 4); print (mb < 128 ? 128 : mb > 8192 ? 8192 : mb) }' /proc/meminfo; }
pg_start() {
  pg_port=$(free_port)
  "${as_postgres[@]}" "$pg_bin/pg_ctl" start -D "$data" -w -s -l "$data/server.log" \
    -o "-p $pg_port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$data -c shared_buffers=$(shared_buffers_mb)MB"
}
sql() { PGPASSWORD=$(cat "$data.password") psql -h 127.0.0.1 -p "$pg_port" -U contentapi -d contentapi -XAtq -c "$1"; }

# A fresh database with $articles synthetic articles, made and timed by the app's own `seed --synthetic` (or, with
# BENCH_REUSE_DATA=1, the one an earlier run left). Sets import_s and import_wall_s.
import_articles() {
  local started
  find_pg_bin
  if [[ ${BENCH_REUSE_DATA:-0} == 1 && -f $data/PG_VERSION ]]; then
    say "reusing the database in $data"
    return
  fi
  say "a fresh database in $data, with $articles synthetic articles"
  pg_stop
  rm -rf "$data" "$data.password" "$data.app-password"
  started=$(date +%s%N)
  "${app[@]}" dotnet "$dll" seed --synthetic "$articles" >"$work/import.log" 2>&1 || { cat "$work/import.log" >&2; die "the import failed"; }
  tr '\r' '\n' <"$work/import.log" | grep -v '^  [0-9,]* / ' >&2 || true
  import_wall_s=$(awk -v ms="$(ms "$started")" 'BEGIN { printf "%.1f", ms / 1000 }')
  import_s=$(tr '\r' '\n' <"$work/import.log" | sed -n 's/^ *[0-9,]* synthetic articles in \([0-9.]*\) s$/\1/p' | tail -n 1)
  [[ -n $import_s ]] || die "the import did not report its time (see $work/import.log)"
}

# Starts PostgreSQL in the bench's data folder and counts the live articles (sets live).
start_postgres() {
  find_pg_bin # the import may have installed PostgreSQL
  pg_start
  live=$(sql "SELECT count(*) FROM articles WHERE status IN ('published', 'scheduled') AND published_at <= now()")
  say "$live live articles; PostgreSQL on 127.0.0.1:$pg_port"
}
