#!/usr/bin/env bash
# First start of the compose project, idempotent: what exists is kept. Runs as root to hand each volume to the user
# that reads it (uid 10001), then exits. Each volume is mounted only into the containers that need it:
#   /state/secrets   every generated secret (this job only)
#   /state/hsm       the CA's SoftHSM2 token, its configuration and the user PIN (signers)
#   /state/ocsp-hsm  the OCSP responder keys' token, its configuration and its own user PIN (revocation responder)
#   /state/pki       EST TLS certificate and key, the CA certificate, bootstrap CAs (frontends)
#   /run/db          database password, also as a config file for the services (postgres, audit, renewal)
#   /run/keycloak    realm import and admin password (keycloak)
#   /run/console     the console's session key as a config file, and the trust anchor of the frontends' TLS (console)
set -euo pipefail
export ESTUARY_STATE=/state
# shellcheck source=/dev/null # the stack's scripts, copied into the image
. /opt/estuary/root/deploy/lib/common.sh
# shellcheck source=/dev/null
. "$ROOT/deploy/lib/tls.sh"
# shellcheck source=/dev/null
. "$ROOT/deploy/lib/hsm.sh"

# The names clients reach the frontends by, besides localhost: the front door's and the containers'.
export ESTUARY_TLS_NAMES=${ESTUARY_TLS_NAMES:-haproxy,est-frontend-1,est-frontend-2}
make_tls
# The trust anchor's key signs nothing after this; it stays with the other secrets, away from the frontends.
if [ -f "$STATE/pki/tls-trust-anchor.key" ]; then mv "$STATE/pki/tls-trust-anchor.key" "$STATE/secrets/"; fi
init_hsm
cp "$STATE/secrets/hsm-pin" "$STATE/hsm/pin"
cp "$STATE/secrets/ocsp-pin" "$STATE/ocsp-hsm/pin"
mkdir -p "$STATE/pki/bootstrap" /run/db /run/keycloak /run/console
cp "$STATE/pki/tls-trust-anchor.pem" /run/console/
(umask 077
 secret db-password > /run/db/password
 printf 'ESTUARY_DB_PASSWORD=%s\n' "$(secret db-password)" > /run/db/estuary-db.properties
 secret keycloak-admin-password > /run/keycloak/admin-password
 sed -e "s/@DEMO_PASSWORD@/$(secret demo-password)/" -e "s/@AUDITOR_PASSWORD@/$(secret auditor-password)/" \
   -e "s/@OPERATOR_PASSWORD@/$(secret operator-password)/" -e "s/@CONSOLE_PORT@/${ESTUARY_CONSOLE_PORT:-8085}/g" \
   "$ROOT/deploy/keycloak/estuary-realm.json" \
   > /run/keycloak/estuary-realm.json
 printf 'ESTUARY_CONSOLE_SESSION_SECRET=%s\n' "$(secret console-session-secret 48)" > /run/console/console.properties)
chown -R 10001:10001 "$STATE/hsm" "$STATE/ocsp-hsm" "$STATE/pki" /run/db /run/keycloak /run/console
log "initialised: tokens, CA ($ESTUARY_CA_ALIAS) and its OCSP responder, TLS certificate, secrets"
