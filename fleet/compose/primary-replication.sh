#!/bin/sh
# Run once by the postgres image when it creates the primary's data: lets the standby stream from it.
echo "host replication contentapi all scram-sha-256" >> "$PGDATA/pg_hba.conf"
