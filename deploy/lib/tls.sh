# TLS for the EST listener: a local trust anchor and the server certificate for localhost and 127.0.0.1.
# shellcheck shell=bash

make_tls() {
  local dir=$STATE/pki
  mkdir -p "$dir"
  [ -s "$dir/tls-server.pem" ] && [ -s "$dir/tls-trust-anchor.pem" ] && return
  # ESTUARY_TLS_NAMES: further DNS names of the listener (comma-separated), e.g. the compose project's front door.
  local names=DNS:localhost,IP:127.0.0.1 name
  for name in ${ESTUARY_TLS_NAMES:+${ESTUARY_TLS_NAMES//,/ }}; do names=$names,DNS:$name; done
  log "creating the TLS trust anchor and server certificate (${names//DNS:/})"
  (umask 077
   openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$dir/tls-trust-anchor.key" \
     -out "$dir/tls-trust-anchor.pem" -days 3650 -subj "/O=Estuary/CN=Estuary local TLS trust anchor" \
     -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
   openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$dir/tls-server.key" \
     -out "$dir/tls-server.csr" -subj "/O=Estuary/CN=localhost" 2>/dev/null
   printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n' \
     "$names" > "$dir/tls-server.ext"
   openssl x509 -req -in "$dir/tls-server.csr" -CA "$dir/tls-trust-anchor.pem" -CAkey "$dir/tls-trust-anchor.key" \
     -CAcreateserial -days 825 -extfile "$dir/tls-server.ext" -out "$dir/tls-server.pem" 2>/dev/null)
  chmod 644 "$dir/tls-trust-anchor.pem" "$dir/tls-server.pem"
}
