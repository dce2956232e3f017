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

# Several frontends and signers on the one machine (ESTUARY_FRONTENDS, ESTUARY_SIGNERS: 1 to 9, 1 by default): the
# first instance of a service keeps its name, ports, pid and log file; instance n (from 2) is <service>-n
# (est-frontend-2, ca-signer-2) with ports of its own (instance_ports). Every instance of the frontend reads every
# results partition and the signers share the request topic's partitions in their consumer group, as on Kubernetes.
instance_count() {
  case $1 in est-frontend) echo "${ESTUARY_FRONTENDS:-1}" ;; ca-signer) echo "${ESTUARY_SIGNERS:-1}" ;; *) echo 1 ;; esac
}

check_instance_counts() {
  local name
  for name in ESTUARY_FRONTENDS ESTUARY_SIGNERS; do
    [[ ${!name:-1} =~ ^[1-9]$ ]] || die "$name takes 1 to 9 instances, got '${!name}'"
  done
  # A signer beyond the partitions gets none of them and only stands by: see docs/performance.md#scale-out.
  [ "${ESTUARY_SIGNERS:-1}" -le 4 ] \
    || log "warning: ${ESTUARY_SIGNERS} signers share the 4 partitions of estuary.csr.requests; $((ESTUARY_SIGNERS - 4)) will stand by"
}

# The instances of a service that ESTUARY_FRONTENDS and ESTUARY_SIGNERS ask for.
service_instances() {
  local i n
  n=$(instance_count "$1")
  echo "$1"
  for ((i = 2; i <= n; i++)); do echo "$1-$i"; done
}

configured_instances() {
  local s
  for s in "${SERVICES[@]}"; do service_instances "$s"; done
}

# The instances of a service that have a pid file, whatever ESTUARY_FRONTENDS and ESTUARY_SIGNERS say now.
started_instances() {
  local f
  for f in "$STATE/run/$1.pid" "$STATE/run/$1"-[0-9].pid; do
    if [ -f "$f" ]; then basename "$f" .pid; fi
  done
}

service_of() { if [[ $1 =~ ^(.*)-[0-9]$ ]]; then echo "${BASH_REMATCH[1]}"; else echo "$1"; fi; }
instance_number() { if [[ $1 =~ -([0-9])$ ]]; then echo "${BASH_REMATCH[1]}"; else echo 1; fi; }

# The EST port of a frontend instance: instance n listens on ESTUARY_EST_PORT + n - 1 (8443, 8444, ...).
est_port() { echo $((ESTUARY_EST_PORT + $(instance_number "$1") - 1)); }

# The port an instance answers health on. Instance n of the frontend and of the signer takes the first one's
# management port + 10 (n - 1) (9001, 9011, ...; 9002, 9012, ...): clear of each other and of every other port of the
# stack, in every test slot too.
management_port() {
  local step=$((10 * ($(instance_number "$1") - 1)))
  case $(service_of "$1") in
    ca-signer) echo $((ESTUARY_SIGNER_MANAGEMENT_PORT + step)) ;;
    est-frontend) echo $((ESTUARY_FRONTEND_MANAGEMENT_PORT + step)) ;;
    audit-service) echo "$ESTUARY_AUDIT_PORT" ;;
    renewal-scheduler) echo "$ESTUARY_RENEWAL_PORT" ;;
    console) echo "$ESTUARY_CONSOLE_PORT" ;;
    revocation-responder) echo "$ESTUARY_REVOCATION_PORT" ;;
  esac
}

# The settings that give an instance its own ports (none for the first instance of a service).
instance_ports() {
  [ "$(instance_number "$1")" -gt 1 ] || return 0
  case $(service_of "$1") in
    est-frontend) echo "ESTUARY_EST_PORT=$(est_port "$1") ESTUARY_FRONTEND_MANAGEMENT_PORT=$(management_port "$1")" ;;
    ca-signer) echo "ESTUARY_SIGNER_MANAGEMENT_PORT=$(management_port "$1")" ;;
  esac
}

health_url() { echo "http://127.0.0.1:$(management_port "$1")/q/health/ready"; }

# The EST ports of the frontends that run, comma-separated (the benchmark spreads its workers over them).
running_est_ports() {
  local i ports=()
  for i in $(started_instances est-frontend); do
    if pid_alive "$STATE/run/$i.pid"; then ports+=("$(est_port "$i")"); fi
  done
  (IFS=,; echo "${ports[*]}")
}

services_up() {
  check_instance_counts
  service_env
  init_hsm
  make_tls
  mkdir -p "$STATE/run" "$STATE/logs" "$ESTUARY_BOOTSTRAP_CA_DIR"
  local s i
  # Frontends and signers beyond the counts asked for now are stopped: ESTUARY_SIGNERS=1 scales back to one.
  for s in est-frontend ca-signer; do
    for i in $(started_instances "$s"); do
      [ "$(instance_number "$i")" -le "$(instance_count "$s")" ] || stop_pid "$STATE/run/$i.pid" "$i"
    done
  done
  for i in $(configured_instances); do
    s=$(service_of "$i")
    local jar=$ROOT/$s/target/quarkus-app/quarkus-run.jar
    [ -f "$jar" ] || die "$s is not built; run: mvn -B package -DskipTests"
    if pid_alive "$STATE/run/$i.pid"; then log "$i already running"; continue; fi
    log "starting $i"
    # The frontend and the signer each keep the positions of the retry window's results (a million at a thousand
    # enrollments a second): a heap with room for a large young generation collects seldom, so a pause delays few
    # requests. The audit trail and the renewal tracker hold little.
    local heap=384m
    # The revocation responder keeps the serials of valid certificates (32 to 64 bytes each) and its signed answers
    # (about 1 KB each).
    case $s in est-frontend) heap=${ESTUARY_FRONTEND_HEAP:-1g} ;; ca-signer) heap=${ESTUARY_SIGNER_HEAP:-1g} ;;
      revocation-responder) heap=${ESTUARY_RESPONDER_HEAP:-512m} ;; console) heap=256m ;; esac
    # shellcheck disable=SC2206 # word splitting wanted: ESTUARY_SERVICE_JAVA_OPTS is a list of JVM options
    local jvm=(-Xms$heap -Xmx$heap ${ESTUARY_SERVICE_JAVA_OPTS-})
    # @instance@ names a file per instance (an AOT cache, a GC log): the options are one setting for every service.
    jvm=("${jvm[@]//@instance@/$i}")
    local ports; read -ra ports <<< "$(instance_ports "$i")"
    # The signer gets the CA's token; the revocation responder the responders' token (the OCSP responder keys), with
    # its own PIN; the other services never see a PIN.
    if [ "$s" = ca-signer ]; then
      nohup env "${ports[@]}" "${ESTUARY_SERVICE_JAVA:-java}" "${jvm[@]}" -jar "$jar" > "$STATE/logs/$i.log" 2>&1 &
    elif [ "$s" = revocation-responder ]; then
      nohup env -u ESTUARY_HSM_PIN SOFTHSM2_CONF="$STATE/ocsp-hsm/softhsm2.conf" \
        ESTUARY_HSM_PIN_FILE="$STATE/secrets/ocsp-pin" "${ports[@]}" "${ESTUARY_SERVICE_JAVA:-java}" "${jvm[@]}" \
        -jar "$jar" > "$STATE/logs/$i.log" 2>&1 &
    else
      # The audit trail and the renewal tracker read Kafka behind the enrollment path: on a shared machine they run
      # at a lower CPU priority, lag during a burst and catch up after it (nothing is lost: Kafka keeps the events).
      local niceness=0
      case $s in audit-service|renewal-scheduler) niceness=${ESTUARY_DOWNSTREAM_NICENESS:-10} ;; esac
      nohup env -u ESTUARY_HSM_PIN_FILE -u ESTUARY_HSM_PIN -u ESTUARY_KEYCLOAK_ADMIN_PASSWORD_FILE "${ports[@]}" \
        nice -n "$niceness" "${ESTUARY_SERVICE_JAVA:-java}" "${jvm[@]}" -jar "$jar" > "$STATE/logs/$i.log" 2>&1 &
    fi
    echo $! > "$STATE/run/$i.pid"
  done
  for i in $(configured_instances); do
    await_ready "$i" "$(health_url "$i")" "$STATE/run/$i.pid" "$STATE/logs/$i.log" 180
  done
}

# Stops every instance that has a pid file, the extra frontends and signers included whatever the counts say now.
services_down() {
  local s i
  for s in console revocation-responder est-frontend audit-service renewal-scheduler ca-signer; do
    for i in $(started_instances "$s"); do stop_pid "$STATE/run/$i.pid" "$i"; done
  done
}
