# The SoftHSM2 token and the CA (and its OCSP responder key) inside it; the CA commands (deploy/estuary ca ...) run the admin tool on it.
# shellcheck shell=bash

hsm_env() {
  export SOFTHSM2_CONF=$STATE/hsm/softhsm2.conf
  export ESTUARY_HSM_PIN_FILE=$STATE/secrets/hsm-pin
  secret hsm-pin >/dev/null
}

init_hsm() {
  hsm_env
  local dir=$STATE/hsm
  mkdir -p "$dir/tokens"; chmod 700 "$dir" "$dir/tokens"
  printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n' \
    "$dir/tokens" > "$SOFTHSM2_CONF"
  if ! softhsm2-util --show-slots 2>/dev/null | grep -q "Label:.*estuary-ca"; then
    log "initialising the SoftHSM2 token"
    softhsm2-util --init-token --free --label estuary-ca --so-pin "$(secret hsm-so-pin)" \
      --pin "$(secret hsm-pin)" >/dev/null
  fi
  mkdir -p "$STATE/pki"
  if [ ! -s "$STATE/pki/ca.pem" ]; then
    log "creating the CA key ($ESTUARY_CA_KEY_TYPE) inside the token"
    ca_command init-root --alias "$ESTUARY_CA_ALIAS" --subject "$ESTUARY_CA_SUBJECT" \
      --key-type "$ESTUARY_CA_KEY_TYPE" --validity-days 3650 --out "$STATE/pki/ca.pem"
  fi
  if [ ! -s "$STATE/pki/ocsp-responder.pem" ]; then
    log "issuing the CA's OCSP responder key inside the token"
    ca_command ocsp-responder --alias "$ESTUARY_CA_ALIAS" --validity-days 90 --out "$STATE/pki/ocsp-responder.pem"
  fi
}

ca_command() {
  [ $# -gt 0 ] || { admin ca; return; }
  admin ca "$1" --library "$ESTUARY_HSM_LIBRARY" --slot-index 0 "${@:2}"
}
