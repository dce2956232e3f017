# PostgreSQL: the machine's (Debian's) cluster, tuned once, with the stack's role and databases.
# shellcheck shell=bash

# Debian's defaults (128 MB of shared buffers, a checkpoint per 1 GB of WAL) make the audit trail's index inserts
# checkpoint every 30 s under load, each followed by full-page images of every index page touched again, and make
# backends write out their own dirty pages. Succeeds (returns 0) when it changed the settings file, which then needs a
# restart (shared_buffers). ESTUARY_PG_TUNING=0 leaves the cluster's configuration alone.
tune_postgres() {
  [ "${ESTUARY_PG_TUNING:-1}" != 0 ] || return 1
  local file=/etc/postgresql/$1/main/conf.d/estuary.conf memory_mb buffers_mb settings compression=lz4
  [ "${1%%.*}" -ge 15 ] || compression=on # lz4 for WAL came with PostgreSQL 15
  memory_mb=$(awk '/^MemTotal:/ {print int($2 / 1024)}' /proc/meminfo)
  buffers_mb=$((memory_mb / 8)); [ $buffers_mb -le 1024 ] || buffers_mb=1024; [ $buffers_mb -ge 128 ] || buffers_mb=128
  settings=$(printf '%s\n' "# Written by Estuary's deploy/estuary (ESTUARY_PG_TUNING=0 to stop it); see tune_postgres there." \
    "shared_buffers = ${buffers_mb}MB" "max_wal_size = 8GB" "checkpoint_timeout = 15min" "wal_compression = $compression")
  [ "$(cat "$file" 2>/dev/null)" != "$settings" ] || return 1
  [ -d "$(dirname "$file")" ] || return 1
  echo "$settings" | as_root tee "$file" >/dev/null
}

# psql as the cluster's superuser, on the cluster start_postgres found.
psql_admin() { as_root runuser -u postgres -- psql -p "$ESTUARY_DB_PORT" -v ON_ERROR_STOP=1 -qAt "$@"; }

start_postgres() {
  local version cluster
  # shellcheck disable=SC2012 # the directories are version numbers
  version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  if ! pg_lsclusters -h 2>/dev/null | awk '{print $1" "$2}' | grep -q "^$version main$"; then
    as_root pg_createcluster "$version" main >/dev/null
  fi
  cluster=$(pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main"')
  export ESTUARY_DB_PORT=${ESTUARY_DB_PORT:-$(echo "$cluster" | awk '{print $3}')}
  if tune_postgres "$version" && echo "$cluster" | grep -q online; then
    log "restarting PostgreSQL $version for Estuary's settings (/etc/postgresql/$version/main/conf.d/estuary.conf)"
    as_root pg_ctlcluster "$version" main restart
    cluster=$(pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main"')
  fi
  if ! echo "$cluster" | grep -q online; then
    log "starting PostgreSQL $version"
    as_root pg_ctlcluster "$version" main start
  fi
  local password
  password=$(secret db-password)
  local tries=0
  until psql_admin -c 'select 1' >/dev/null 2>&1; do
    tries=$((tries + 1)); [ $tries -lt 30 ] || die "PostgreSQL does not answer"; sleep 1
  done
  if [ "$(psql_admin -c "select 1 from pg_roles where rolname='$ESTUARY_DB_USER'")" != 1 ]; then
    psql_admin -c "create role \"$ESTUARY_DB_USER\" login password '$password'" >/dev/null
  else
    psql_admin -c "alter role \"$ESTUARY_DB_USER\" password '$password'" >/dev/null
  fi
  local db
  for db in "$ESTUARY_AUDIT_DB" "$ESTUARY_RENEWAL_DB"; do
    if [ "${ESTUARY_FRESH_DATABASES:-0}" = 1 ]; then
      psql_admin -c "drop database if exists \"$db\" with (force)" >/dev/null
    fi
    if [ "$(psql_admin -c "select 1 from pg_database where datname='$db'")" != 1 ]; then
      psql_admin -c "create database \"$db\" owner \"$ESTUARY_DB_USER\"" >/dev/null
    fi
  done
}
