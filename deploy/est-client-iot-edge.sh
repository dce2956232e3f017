#!/usr/bin/env bash
# Enrolls the way Azure IoT Edge's aziot-certd does, with curl and openssl: RSA-2048 key, CSR body as base64 in
# 64-character lines with a Content-Transfer-Encoding header and no Accept header, cacerts and simpleenroll requested
# at the same time with the same credentials, only status 200 and an application/pkcs7-mime answer accepted.
#
#   deploy/est-client-iot-edge.sh EST_URL TRUST_ANCHOR CREDENTIALS COMMON_NAME [device|edge-ca]
#
# EST_URL is what config.toml's url says, e.g. https://localhost:8443/.well-known/est/edge-ca
# CREDENTIALS is USER:PASSWORD for HTTP Basic, or - for none (TLS client certificates only).
#
# TLS client certificates, as aziot-certd's [cert_issuance.est.auth] (PEM files):
#   EST_IDENTITY_CERT, EST_IDENTITY_KEY    identity_cert / identity_pk: the EST identity, created and replaced here
#   EST_BOOTSTRAP_CERT, EST_BOOTSTRAP_KEY  bootstrap_identity_cert / bootstrap_identity_pk: the bootstrap (IDevID)
# The EST identity authenticates the enrollment if it is there and not expired. Otherwise, or if the server refuses it
# (401 or 403), the bootstrap certificate first gets a new EST identity (EC P-256 key, subject CN=COMMON_NAME, at the
# same EST_URL), stored as the issued certificate followed by the CA chain, and that one enrolls.
#
# Prints the folder holding key.pem, issued.pem and ca.pem.
set -euo pipefail
[ $# -ge 4 ] || { sed -n '2,/^set -euo/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//' >&2; exit 2; }
url=${1%/}/ ta=$2 credentials=$3 cn=$4 kind=${5:-device}
identity_cert=${EST_IDENTITY_CERT:-} identity_key=${EST_IDENTITY_KEY:-}
bootstrap_cert=${EST_BOOTSTRAP_CERT:-} bootstrap_key=${EST_BOOTSTRAP_KEY:-}
work=$(mktemp -d)

log() { printf 'est-client: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

if [ -n "$bootstrap_cert" ] && { [ -z "$identity_cert" ] || [ -z "$identity_key" ]; }; then
  die "a bootstrap certificate needs EST_IDENTITY_CERT and EST_IDENTITY_KEY: where its EST identity is kept"
fi

fetch() { # url out [curl args...]; writes out.h (headers) and out.b64 (body); fails only if curl fails
  local target=$1 out=$2; shift 2
  local basic=()
  [ "$credentials" = - ] || basic=(-u "$credentials")
  curl -sS --cacert "$ta" "${basic[@]}" -H 'Accept:' -H 'Expect:' -D "$out.h" -o "$out.b64" "$@" "$target"
}

status() { grep -a '^HTTP/' "$1.h" 2>/dev/null | tail -n 1 | awk '{print $2}'; }

# exchange NAME CSR_B64 [curl args...]: cacerts and simpleenroll at once, as aziot-certd does. On success
# NAME-issued.pem and NAME-cacerts.pem are written; otherwise the simpleenroll status is in $refused_status.
refused_status=
exchange() {
  local name=$1 csr=$2; shift 2
  fetch "${url}cacerts" "$work/$name-cacerts" "$@" & local cacerts=$!
  fetch "${url}simpleenroll" "$work/$name-issued" "$@" -H 'Content-Type: application/pkcs10' \
    -H 'content-transfer-encoding: base64' --data-binary @"$csr" & local issued=$!
  local ok=0
  wait $cacerts || ok=1
  wait $issued || ok=1
  refused_status=$(status "$work/$name-issued")
  local answer
  for answer in cacerts issued; do
    local out=$work/$name-$answer st
    st=$(status "$out")
    if [ "$st" != 200 ]; then
      log "$answer: status ${st:-none}: $(cat "$out.b64" 2>/dev/null)"; ok=1; continue
    fi
    grep -qi '^content-type: application/pkcs7-mime' "$out.h" || { log "$answer: not application/pkcs7-mime"; ok=1; continue; }
    base64 -d "$out.b64" | openssl pkcs7 -inform DER -print_certs -out "$out.pem"
  done
  return $ok
}

# A new EST identity through the bootstrap certificate, replacing the stored one.
renew_identity() {
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/identity.key" \
    -subj "/CN=$cn" -outform DER -out "$work/identity.csr.der" 2>/dev/null
  openssl base64 -in "$work/identity.csr.der" -out "$work/identity.csr.b64"
  exchange identity "$work/identity.csr.b64" --cert "$bootstrap_cert" --key "$bootstrap_key" \
    || die "the bootstrap certificate did not get an EST identity"
  # Key first, then certificate, each replaced in one rename: an interrupted run never pairs a key with another cert.
  (umask 077; cp "$work/identity.key" "$identity_key.new")
  mv -f "$identity_key.new" "$identity_key"
  cat "$work/identity-issued.pem" "$work/identity-cacerts.pem" > "$identity_cert.new"
  mv -f "$identity_cert.new" "$identity_cert"
  log "new EST identity: $(openssl x509 -in "$identity_cert" -noout -subject -enddate | tr '\n' ' ')"
}

ext=()
if [ "$kind" = edge-ca ]; then
  ext=(-addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,digitalSignature,keyCertSign")
fi
openssl req -new -newkey rsa:2048 -nodes -keyout "$work/key.pem" -subj "/CN=$cn" "${ext[@]}" \
  -outform DER -out "$work/csr.der" 2>/dev/null
openssl base64 -in "$work/csr.der" -out "$work/csr.b64"   # 64-character lines

if [ -n "$identity_cert" ]; then
  if [ ! -s "$identity_cert" ] || [ ! -s "$identity_key" ]; then
    [ -n "$bootstrap_cert" ] || die "no EST identity at $identity_cert and no bootstrap certificate"
    log "no EST identity yet: getting one with the bootstrap certificate"
    renew_identity
  elif ! openssl x509 -in "$identity_cert" -noout -checkend 0 >/dev/null; then
    [ -n "$bootstrap_cert" ] || die "the EST identity expired and there is no bootstrap certificate"
    log "the EST identity expired ($(openssl x509 -in "$identity_cert" -noout -enddate)):" \
      "getting a new one with the bootstrap certificate"
    renew_identity
  fi
  if ! exchange target "$work/csr.b64" --cert "$identity_cert" --key "$identity_key"; then
    case $refused_status in
      401|403) [ -n "$bootstrap_cert" ] || die "the server refused the EST identity ($refused_status)"
        log "the server refused the EST identity ($refused_status): getting a new one with the bootstrap certificate"
        renew_identity
        exchange target "$work/csr.b64" --cert "$identity_cert" --key "$identity_key" \
          || die "enrollment with the new EST identity failed" ;;
      *) die "enrollment failed" ;;
    esac
  fi
else
  exchange target "$work/csr.b64" || die "enrollment failed"
fi

mv "$work/target-issued.pem" "$work/issued.pem"
mv "$work/target-cacerts.pem" "$work/ca.pem"
openssl verify -CAfile "$work/ca.pem" "$work/issued.pem" >&2
echo "$work"
