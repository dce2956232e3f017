# The services: built, configured from the state folder, started in order and awaited, stopped.
# shellcheck shell=bash

build() {
  if [ "${ESTUARY_SKIP_BUILD:-0}" = 1 ]; then return; fi
  log "building (mvn package)"
  (cd "$ROOT" && mvn -B -q package -DskipTests) >&2
}

service_env() {
  hsm_env
  export ESTUARY_DB_PASSWORD; ESTUARY_DB_PASSWORD=$(secret db-password)
  export ESTUARY_DEMO_PASSWORD; ESTUARY_DEMO_PASSWORD=$(secret demo-password)
  export ESTUARY_TLS_CERT=$STATE/pki/tls-server.pem
  export ESTUARY_TLS_KEY=$STATE/pki/tls-server.key
  # Client certificates are judged by the frontend, not the handshake: from Estuary's CAs, or from the bootstrap
  # (manufacturer) CAs placed in pki/bootstrap/<label>/*.pem, each on its label only.
  export ESTUARY_BOOTSTRAP_CA_DIR=$STATE/pki/bootstrap
  export ESTUARY_KEYCLOAK_ADMIN_PASSWORD_FILE=$STATE/secrets/keycloak-admin-password
  # The console: the frontend's certificate to trust for the CA information, and the key of its session cookies,
  # sign-in state and CSRF tokens.
  export ESTUARY_CONSOLE_TRUST_ANCHOR=$STATE/pki/tls-trust-anchor.pem
  export ESTUARY_CONSOLE_SESSION_SECRET; ESTUARY_CONSOLE_SESSION_SECRET=$(secret console-session-secret 48)
}

health_url() {
  case $1 in
    ca-signer) echo "http://127.0.0.1:$ESTUARY_SIGNER_MANAGEMENT_PORT/q/health/ready" ;;
    est-frontend) echo "http://127.0.0.1:$ESTUARY_FRONTEND_MANAGEMENT_PORT/q/health/ready" ;;
    audit-service) echo "http://127.0.0.1:$ESTUARY_AUDIT_PORT/q/health/ready" ;;
    renewal-scheduler) echo "http://127.0.0.1:$ESTUARY_RENEWAL_PORT/q/health/ready" ;;
    console) echo "http://127.0.0.1:$ESTUARY_CONSOLE_PORT/q/health/ready" ;;
    revocation-responder) echo "http://127.0.0.1:$ESTUARY_REVOCATION_PORT/q/health/ready" ;;
  esac
}

services_up() {
  service_env
  init_hsm
  make_tls
  mkdir -p "$STATE/run" "$STATE/logs" "$ESTUARY_BOOTSTRAP_CA_DIR"
  local s
  for s in "${SERVICES[@]}"; do
    local jar=$ROOT/$s/target/quarkus-app/quarkus-run.jar
    [ -f "$jar" ] || die "$s is not built; run: mvn -B package -DskipTests"
    if pid_alive "$STATE/run/$s.pid"; then log "$s already running"; continue; fi
    log "starting $s"
    # The frontend and the signer each keep the positions of the retry window's results (a million at a thousand
    # enrollments a second): a heap with room for a large young generation collects seldom, so a pause delays few
    # requests. The audit trail and the renewal tracker hold little.
    local heap=384m
    # The revocation responder keeps every issued serial (16 bytes each) and its signed answers (about 1 KB each).
    case $s in est-frontend) heap=${ESTUARY_FRONTEND_HEAP:-1g} ;; ca-signer) heap=${ESTUARY_SIGNER_HEAP:-1g} ;;
      revocation-responder) heap=${ESTUARY_RESPONDER_HEAP:-512m} ;; console) heap=256m ;; esac
    # shellcheck disable=SC2206 # word splitting wanted: ESTUARY_SERVICE_JAVA_OPTS is a list of JVM options
    local jvm=(-Xms$heap -Xmx$heap ${ESTUARY_SERVICE_JAVA_OPTS-})
    # The signer (CA keys) and the revocation responder (OCSP responder keys) get the token; the other services never
    # see its PIN.
    if [ "$s" = ca-signer ] || [ "$s" = revocation-responder ]; then
      nohup java "${jvm[@]}" -jar "$jar" > "$STATE/logs/$s.log" 2>&1 &
    else
      # The audit trail and the renewal tracker read Kafka behind the enrollment path: on a shared machine they run
      # at a lower CPU priority, lag during a burst and catch up after it (nothing is lost: Kafka keeps the events).
      local niceness=0
      case $s in audit-service|renewal-scheduler) niceness=${ESTUARY_DOWNSTREAM_NICENESS:-10} ;; esac
      nohup env -u ESTUARY_HSM_PIN_FILE -u ESTUARY_HSM_PIN -u ESTUARY_KEYCLOAK_ADMIN_PASSWORD_FILE \
        nice -n "$niceness" java "${jvm[@]}" -jar "$jar" > "$STATE/logs/$s.log" 2>&1 &
    fi
    echo $! > "$STATE/run/$s.pid"
  done
  for s in "${SERVICES[@]}"; do
    await_ready "$s" "$(health_url "$s")" "$STATE/run/$s.pid" "$STATE/logs/$s.log" 180
  done
}

services_down() {
  local s
  for s in console revocation-responder est-frontend audit-service renewal-scheduler ca-signer; do stop_pid "$STATE/run/$s.pid" "$s"; done
}
