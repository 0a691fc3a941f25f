#!/bin/sh
# The standby's entrypoint: on first start, clone the primary (pg_basebackup -R writes primary_conninfo and
# standby.signal), then run as a hot standby.
set -e
if [ ! -s "$PGDATA/PG_VERSION" ]; then
    mkdir -p "$PGDATA" && chown postgres "$PGDATA" && chmod 700 "$PGDATA"
    until su-exec postgres pg_basebackup -h "$PRIMARY_HOST" -U contentapi -D "$PGDATA" -R -X stream -c fast; do
        echo "waiting for the primary"; sleep 2
    done
fi
exec su-exec postgres postgres -c hot_standby=on
