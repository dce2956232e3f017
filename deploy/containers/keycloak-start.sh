#!/bin/sh
# Keycloak for the compose project: imports the realm that the init job templated (with its generated passwords)
# and takes its admin password from the mounted file. KC_HOSTNAME fixes the tokens' issuer to the URL operators use;
# the services reach it by its container name (dynamic back channel).
set -eu
until [ -s /run/keycloak/estuary-realm.json ] && [ -s /run/keycloak/admin-password ]; do sleep 1; done
mkdir -p /opt/keycloak/data/import
cp /run/keycloak/estuary-realm.json /opt/keycloak/data/import/estuary-realm.json
KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=$(cat /run/keycloak/admin-password)
export KC_BOOTSTRAP_ADMIN_USERNAME KC_BOOTSTRAP_ADMIN_PASSWORD
export JAVA_OPTS_KC_HEAP="${JAVA_OPTS_KC_HEAP:--Xms64m -Xmx512m}"
exec /opt/keycloak/bin/kc.sh start-dev --http-host 0.0.0.0 --http-port 8080 --hostname "$KC_HOSTNAME" --hostname-backchannel-dynamic true \
  --health-enabled true --import-realm
