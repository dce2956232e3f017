# The SoftHSM2 tokens: the CA's (the signers'), and the OCSP responder keys' (the revocation responders', with a PIN
# of its own: a responder, on the internet's side, never holds the PIN of the CA key). The CA commands
# (deploy/estuary ca ...) run the admin tool on the CA's token.
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
  init_ocsp_hsm
}

# The responders' token: its own SoftHSM2 configuration, token folder and PINs.
ocsp_hsm_env() {
  export SOFTHSM2_CONF=$STATE/ocsp-hsm/softhsm2.conf
  export ESTUARY_HSM_PIN_FILE=$STATE/secrets/ocsp-pin
  secret ocsp-pin >/dev/null
}

init_ocsp_hsm() {
  local dir=$STATE/ocsp-hsm
  mkdir -p "$dir/tokens"; chmod 700 "$dir" "$dir/tokens"
  printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n' \
    "$dir/tokens" > "$dir/softhsm2.conf"
  if ! SOFTHSM2_CONF=$dir/softhsm2.conf softhsm2-util --show-slots 2>/dev/null | grep -q "Label:.*estuary-ocsp"; then
    log "initialising the OCSP responders' SoftHSM2 token"
    SOFTHSM2_CONF=$dir/softhsm2.conf softhsm2-util --init-token --free --label estuary-ocsp \
      --so-pin "$(secret ocsp-so-pin)" --pin "$(secret ocsp-pin)" >/dev/null
    rm -f "$STATE/pki/ocsp-responder.pem"
  fi
  if [ ! -s "$STATE/pki/ocsp-responder.pem" ]; then
    log "issuing the CA's OCSP responder key inside the responders' token"
    ocsp_responder --alias "$ESTUARY_CA_ALIAS" --validity-days 90 --out "$STATE/pki/ocsp-responder.pem"
  fi
}

# Issues (or rolls) a CA's OCSP responder: a key made in the responders' token, certified by the CA in its token, its
# chain stored next to the key. The responders take it up at their next read of the token (every 10 minutes).
# Options: --alias CA (required), --validity-days N, --out FILE (required).
ocsp_responder() {
  local alias='' days=90 out='' work
  while [ $# -gt 0 ]; do
    case $1 in
      --alias) alias=$2; shift 2 ;;
      --validity-days) days=$2; shift 2 ;;
      --out) out=$2; shift 2 ;;
      *) die "ocsp-responder: unknown option $1 (--alias CA --validity-days N --out FILE)" ;;
    esac
  done
  [ -n "$alias" ] && [ -n "$out" ] || die "ocsp-responder: --alias CA and --out FILE are required"
  work=$(mktemp -d)
  local rc=0
  (ocsp_hsm_env; ca_command ocsp-responder-request --alias "$alias" --out "$work/responder.csr") >&2 &&
    (hsm_env; ca_command ocsp-responder --alias "$alias" --csr "$work/responder.csr" --validity-days "$days" \
      --out "$work/responder.pem") >&2 &&
    (ocsp_hsm_env; ca_command ocsp-responder-import --alias "$alias" --chain "$work/responder.pem" --out "$out") ||
    rc=$?
  rm -rf "$work"
  return "$rc"
}

ca_command() {
  [ $# -gt 0 ] || { admin ca; return; }
  admin ca "$1" --library "$ESTUARY_HSM_LIBRARY" --slot-index 0 "${@:2}"
}
