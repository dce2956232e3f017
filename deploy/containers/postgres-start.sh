#!/bin/sh
# PostgreSQL for the compose project: on first start, a cluster with the estuary role (its password from the mounted
# file) and the audit and renewal databases; then the server in the foreground.
set -eu
data=/var/lib/estuary-postgres/data
until [ -s /run/db/password ]; do sleep 1; done
if [ ! -s "$data/PG_VERSION" ]; then
  initdb -D "$data" -U postgres --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  echo "host all all all scram-sha-256" >> "$data/pg_hba.conf"
  pg_ctl -D "$data" -o "-c listen_addresses=''" -w start >/dev/null
  password=$(cat /run/db/password)
  psql -U postgres -v ON_ERROR_STOP=1 -q -c "CREATE ROLE estuary LOGIN PASSWORD '$password'" \
    -c "CREATE DATABASE estuary_audit OWNER estuary" -c "CREATE DATABASE estuary_renewal OWNER estuary"
  pg_ctl -D "$data" -m fast -w stop >/dev/null
fi
exec postgres -D "$data" -c listen_addresses='*' -c shared_buffers=256MB -c max_connections=200
