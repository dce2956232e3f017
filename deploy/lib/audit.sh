# The audit store's offline commands (deploy/estuary audit verify|replay), run by the admin tool.
# shellcheck shell=bash

# The audit commands run the service jar (through the admin tool) without its HTTP listener or live consumer. A replay writes into a fresh
# database (<audit db>_replay unless ESTUARY_AUDIT_REPLAY_DB is set) and prints its chain head, to compare with
# `audit verify` on the live store; swap the databases to adopt it.
audit_command() {
  local jar=$ROOT/audit-service/target/quarkus-app/quarkus-run.jar
  [ -f "$jar" ] || die "audit-service is not built; run: mvn -B package -DskipTests"
  start_postgres
  export ESTUARY_DB_PASSWORD; ESTUARY_DB_PASSWORD=$(secret db-password)
  case ${1:-} in
    verify) ;;
    replay)
      export ESTUARY_AUDIT_DB=${ESTUARY_AUDIT_REPLAY_DB:-${ESTUARY_AUDIT_DB}_replay}
      psql_admin -c "drop database if exists \"$ESTUARY_AUDIT_DB\" with (force)" >/dev/null
      psql_admin -c "create database \"$ESTUARY_AUDIT_DB\" owner \"$ESTUARY_DB_USER\"" >/dev/null
      log "replaying the topics at $ESTUARY_KAFKA_BOOTSTRAP into the empty database $ESTUARY_AUDIT_DB" ;;
    *) die "usage: deploy/estuary audit replay | verify [--after SEQUENCE --after-hash HASH]" ;;
  esac
  admin audit --service-jar "$jar" "$@"
}
