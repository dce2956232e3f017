#!/usr/bin/env bash
# Enrolls the way Azure IoT Edge's aziot-certd does, with curl and openssl: RSA-2048 key, CSR body as base64 in
# 64-character lines with a Content-Transfer-Encoding header and no Accept header, cacerts and simpleenroll requested
# at the same time, only status 200 and an application/pkcs7-mime answer accepted.
#
#   deploy/est-client-iot-edge.sh EST_URL TRUST_ANCHOR USER:PASSWORD COMMON_NAME [device|edge-ca]
#
# EST_URL is what config.toml's url says, e.g. https://localhost:8443/.well-known/est/edge-ca
# Prints the folder holding key.pem, issued.pem and ca.pem.
set -euo pipefail
url=${1%/}/ ta=$2 credentials=$3 cn=$4 kind=${5:-device}
work=$(mktemp -d)
ext=()
if [ "$kind" = edge-ca ]; then
  ext=(-addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,digitalSignature,keyCertSign")
fi
openssl req -new -newkey rsa:2048 -nodes -keyout "$work/key.pem" -subj "/CN=$cn" "${ext[@]}" \
  -outform DER -out "$work/csr.der" 2>/dev/null
openssl base64 -in "$work/csr.der" -out "$work/csr.b64"   # 64-character lines

fetch() { # url out headers-out [curl args...]
  local target=$1 out=$2 headers=$3; shift 3
  curl -sS --cacert "$ta" -u "$credentials" -H 'Accept:' -D "$headers" -o "$out" "$@" "$target"
}
fetch "${url}cacerts" "$work/cacerts.b64" "$work/cacerts.h" &
fetch "${url}simpleenroll" "$work/issued.b64" "$work/issued.h" -H 'Content-Type: application/pkcs10' \
  -H 'content-transfer-encoding: base64' --data-binary @"$work/csr.b64" &
wait

for answer in cacerts issued; do
  status=$(head -n 1 "$work/$answer.h" | awk '{print $2}')
  [ "$status" = 200 ] || { echo "$answer: status $status: $(cat "$work/$answer.b64")" >&2; exit 1; }
  grep -qi '^content-type: application/pkcs7-mime' "$work/$answer.h" \
    || { echo "$answer: not application/pkcs7-mime" >&2; exit 1; }
  base64 -d "$work/$answer.b64" | openssl pkcs7 -inform DER -print_certs -out "$work/$answer.pem"
done
mv "$work/cacerts.pem" "$work/ca.pem"
openssl verify -CAfile "$work/ca.pem" "$work/issued.pem" >&2
echo "$work"
