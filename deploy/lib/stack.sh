# The whole stack: the infrastructure up, everything down, what runs, what to tell the user, the demo enrollment.
# shellcheck shell=bash

infra_up() {
  ensure_packages
  fetch_kafka
  fetch_keycloak
  # Keycloak starts first and slowest; the broker and PostgreSQL come up while it boots.
  start_keycloak
  start_kafka
  start_postgres
  await_keycloak
}

down() {
  stop_prometheus
  services_down
  stop_pid "$STATE/kafka/kafka.pid" Kafka
  stop_keycloak
  # PostgreSQL is the machine's shared cluster: left running, its Estuary databases kept.
}

print_info() {
  service_env
  cat <<EOF

Estuary is up.
  EST base URL     https://localhost:$ESTUARY_EST_PORT/.well-known/est$(extra_frontends_info)
  Trust anchor     $STATE/pki/tls-trust-anchor.pem   (pass to clients: curl --cacert, IoT Edge trusted certs)
  CA certificate   $STATE/pki/ca.pem
  Demo credentials estuary-demo / $ESTUARY_DEMO_PASSWORD   (HTTP Basic, Keycloak realm 'estuary', every label)
  Keycloak         $ESTUARY_KEYCLOAK_URL  (admin / $STATE/secrets/keycloak-admin-password)
  New device:      deploy/estuary provision-device my-device --labels default,edge-ca
  Operator APIs    bearer tokens: deploy/estuary token auditor|operator   (Keycloak users estuary-auditor, estuary-operator)
  Audit API        curl -H "Authorization: Bearer \$(deploy/estuary token auditor)" "http://127.0.0.1:$ESTUARY_AUDIT_PORT/issuances?device=<device id>"
  CRL              curl -o ca.crl $ESTUARY_CRL_URL
  OCSP             openssl ocsp -issuer $STATE/pki/ca.pem -CAfile $STATE/pki/ca.pem -cert device.pem -url $ESTUARY_OCSP_URL
  Renewal API      curl -H "Authorization: Bearer \$(deploy/estuary token operator)" "http://127.0.0.1:$ESTUARY_RENEWAL_PORT/renewals/due?within=P30D"
  Prometheus       $(pid_alive "$PROMETHEUS_DIR/prometheus.pid" && prometheus_url || echo "off (ESTUARY_PROMETHEUS=1 deploy/estuary up, or deploy/estuary prometheus-up)")
  CA information   curl --cacert $STATE/pki/tls-trust-anchor.pem -H "Authorization: Bearer \$(deploy/estuary token operator)" https://localhost:$ESTUARY_EST_PORT/api/cas
  Console          http://127.0.0.1:$ESTUARY_CONSOLE_PORT/   (sign in as estuary-operator or estuary-auditor, passwords in $STATE/secrets/)
  Logs             $STATE/logs/
  Try it:          deploy/estuary enroll-demo
  Stop:            deploy/estuary down
EOF
}

# The EST ports of the further frontends, if any run ("  (frontends also on 8444, 8445)").
extra_frontends_info() {
  local ports
  ports=$(running_est_ports)
  ports=${ports#*,}
  [[ $ports == "$(running_est_ports)" ]] || printf '   (frontends also on %s)' "${ports//,/, }"
}

status() {
  local s
  pid_alive "$STATE/kafka/kafka.pid" && echo "kafka: running" || echo "kafka: stopped"
  pid_alive "$STATE/keycloak/keycloak.pid" && echo "keycloak: running" || echo "keycloak: stopped"
  local i
  # Every instance asked for, and any further one still running from an earlier start with more.
  for s in "${SERVICES[@]}"; do
    for i in $( { service_instances "$s"; started_instances "$s"; } | sort -u); do
      if curl -sf "$(health_url "$i")" >/dev/null 2>&1; then echo "$i: ready"
      elif pid_alive "$STATE/run/$i.pid"; then echo "$i: starting or not ready"
      else echo "$i: stopped"; fi
    done
  done
}

# The README's curl + openssl enrollment, exactly as a person would run it.
enroll_demo() {
  service_env
  local device=${1:-demo-device-$(date +%s)} work
  work=$(mktemp -d)
  local base=https://localhost:$ESTUARY_EST_PORT/.well-known/est
  local ta=$STATE/pki/tls-trust-anchor.pem
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/device.key" \
    -subj "/CN=$device" -outform DER -out "$work/device.csr.der" 2>/dev/null
  base64 "$work/device.csr.der" > "$work/device.csr.b64"
  curl -sSf --cacert "$ta" "$base/cacerts" | base64 -d > "$work/cacerts.p7"
  openssl pkcs7 -inform DER -in "$work/cacerts.p7" -print_certs -out "$work/ca.pem"
  curl -sSf --cacert "$ta" -u "estuary-demo:$ESTUARY_DEMO_PASSWORD" -H 'Content-Type: application/pkcs10' \
    --data-binary @"$work/device.csr.b64" "$base/simpleenroll" | base64 -d > "$work/device.p7"
  openssl pkcs7 -inform DER -in "$work/device.p7" -print_certs -out "$work/device.pem"
  openssl verify -CAfile "$work/ca.pem" "$work/device.pem" >&2
  [ "$(openssl x509 -in "$work/device.pem" -noout -pubkey)" = "$(openssl pkey -in "$work/device.key" -pubout)" ] \
    || die "the issued certificate does not carry the CSR's key"
  openssl x509 -in "$work/device.pem" -noout -subject -serial -enddate >&2
  echo "$work"
}
