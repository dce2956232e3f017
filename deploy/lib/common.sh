# The stack's settings and the small functions every component uses. Sourced first by deploy/estuary and
# deploy/test-stack. Settings come from the environment; see docs/configuration.md for the list.
# shellcheck shell=bash disable=SC2034 # the settings are read by the other component scripts

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
STATE=${ESTUARY_STATE:-$ROOT/.estuary/dev}
CACHE=${ESTUARY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/estuary}
KAFKA_VERSION=4.1.2
KAFKA_LIB=$CACHE/kafka-$KAFKA_VERSION/lib
KEYCLOAK_VERSION=26.7.3
KEYCLOAK_DIST=$CACHE/keycloak-$KEYCLOAK_VERSION
ASYNC_PROFILER_VERSION=4.6

export ESTUARY_BIND_HOST=127.0.0.1
export ESTUARY_KAFKA_PORT=${ESTUARY_KAFKA_PORT:-9092}
export ESTUARY_KAFKA_CONTROLLER_PORT=${ESTUARY_KAFKA_CONTROLLER_PORT:-9093}
export ESTUARY_KAFKA_BOOTSTRAP=127.0.0.1:$ESTUARY_KAFKA_PORT
export ESTUARY_EST_PORT=${ESTUARY_EST_PORT:-8443}
export ESTUARY_FRONTEND_MANAGEMENT_PORT=${ESTUARY_FRONTEND_MANAGEMENT_PORT:-9001}
export ESTUARY_SIGNER_MANAGEMENT_PORT=${ESTUARY_SIGNER_MANAGEMENT_PORT:-9002}
export ESTUARY_AUDIT_PORT=${ESTUARY_AUDIT_PORT:-8082}
export ESTUARY_RENEWAL_PORT=${ESTUARY_RENEWAL_PORT:-8083}
export ESTUARY_CONSOLE_PORT=${ESTUARY_CONSOLE_PORT:-8085}
export ESTUARY_REVOCATION_PORT=${ESTUARY_REVOCATION_PORT:-8084}
export ESTUARY_KEYCLOAK_PORT=${ESTUARY_KEYCLOAK_PORT:-8180}
export ESTUARY_KEYCLOAK_MANAGEMENT_PORT=${ESTUARY_KEYCLOAK_MANAGEMENT_PORT:-9180}
export ESTUARY_KEYCLOAK_URL=${ESTUARY_KEYCLOAK_URL:-http://127.0.0.1:$ESTUARY_KEYCLOAK_PORT}
export ESTUARY_DB_USER=${ESTUARY_DB_USER:-estuary}
export ESTUARY_AUDIT_DB=${ESTUARY_AUDIT_DB:-estuary_audit}
export ESTUARY_RENEWAL_DB=${ESTUARY_RENEWAL_DB:-estuary_renewal}
export ESTUARY_CA_ALIAS=${ESTUARY_CA_ALIAS:-estuary-ca}
ESTUARY_CA_KEY_TYPE=${ESTUARY_CA_KEY_TYPE:-EC-P256}
ESTUARY_CA_SUBJECT=${ESTUARY_CA_SUBJECT:-CN=Estuary Device CA,O=Estuary}
export ESTUARY_HSM_LIBRARY=${ESTUARY_HSM_LIBRARY:-/usr/lib/softhsm/libsofthsm2.so}
# What the profiles put into certificates: the revocation responder's CRL of the CA and its OCSP endpoint.
export ESTUARY_CRL_URL=${ESTUARY_CRL_URL:-http://127.0.0.1:$ESTUARY_REVOCATION_PORT/crl/$ESTUARY_CA_ALIAS.crl}
export ESTUARY_OCSP_URL=${ESTUARY_OCSP_URL:-http://127.0.0.1:$ESTUARY_REVOCATION_PORT/ocsp}
SERVICES=(ca-signer audit-service renewal-scheduler est-frontend revocation-responder console)

log() { printf '[estuary] %s\n' "$*" >&2; }
die() { printf '[estuary] error: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    die "need root (or sudo) to run: $*"; fi
}

# LENGTH (default 24, at most 64) letters and digits.
random_secret() { head -c 96 /dev/urandom | base64 -w0 | tr -d '/+=' | head -c "${1:-24}"; }

# A secret kept in the state folder (mode 600), generated once (of LENGTH characters, default 24): never committed,
# never printed by the services.
secret() {
  local file=$STATE/secrets/$1
  if [ ! -s "$file" ]; then
    mkdir -p "$STATE/secrets"; chmod 700 "$STATE/secrets"
    (umask 077; random_secret "${2:-24}" > "$file")
  fi
  cat "$file"
}

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# Waits until URL answers while the process in PIDFILE lives: NAME ready, or a clear stop with the log's tail.
await_ready() {
  local name=$1 url=$2 pidfile=$3 logfile=$4 seconds=$5 tries=0
  until curl -sf "$url" >/dev/null 2>&1; do
    pid_alive "$pidfile" || { tail -n 40 "$logfile" >&2; die "$name exited; see $logfile"; }
    tries=$((tries + 1)); [ $tries -lt "$seconds" ] || die "$name not ready after $seconds s; see $logfile"
    sleep 1
  done
  log "$name ready"
}

stop_pid() {
  local file=$1 name=$2
  if pid_alive "$file"; then
    local pid; pid=$(cat "$file")
    log "stopping $name"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}

ensure_packages() {
  local missing=()
  command -v softhsm2-util >/dev/null || missing+=(softhsm2)
  command -v pkcs11-tool >/dev/null || missing+=(opensc)
  command -v openssl >/dev/null || missing+=(openssl)
  command -v curl >/dev/null || missing+=(curl)
  command -v ss >/dev/null || missing+=(iproute2)
  command -v promtool >/dev/null || missing+=(prometheus)
  ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)
  command -v mvn >/dev/null || die "Maven is required (apt-get install maven)"
  command -v java >/dev/null || die "Java 17 or newer is required"
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

# The browser the console's tests drive (headless Chromium and its WebDriver), for the test command only: a dev stack
# does not need it.
ensure_browser() {
  local missing=() p
  for p in chromium chromium-driver; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]} (the console's browser tests)"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
      >/dev/null || { as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq && as_root env \
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
  fi
}

# The operator's command-line tool (estuary-admin), built on first use: topic creation needs it before the test
# command's Maven build has run.
admin() {
  local target=$ROOT/estuary-admin/target
  if [ ! -f "$target/estuary-admin.jar" ] || [ ! -d "$target/lib" ]; then
    log "building the admin tool (estuary-admin)"
    (cd "$ROOT" && mvn -B -q package -DskipTests -pl estuary-admin -am) >&2
  fi
  java -cp "$target/estuary-admin.jar:$target/lib/*" io.estuary.admin.cli.EstuaryAdmin "$@"
}
