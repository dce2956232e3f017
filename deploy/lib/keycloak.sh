# Keycloak (enrollment credentials and operator tokens): fetched once into the cache, one home per state folder.
# shellcheck shell=bash

fetch_keycloak() {
  if [ -f "$KEYCLOAK_DIST/.complete" ]; then return; fi
  local tarball=$CACHE/keycloak-quarkus-dist-$KEYCLOAK_VERSION.tar.gz
  if [ ! -s "$tarball" ]; then
    log "fetching Keycloak $KEYCLOAK_VERSION from Maven Central (~176 MB, once)"
    mkdir -p "$CACHE"
    mvn -B -q dependency:copy -Dartifact=org.keycloak:keycloak-quarkus-dist:"$KEYCLOAK_VERSION":tar.gz \
      -DoutputDirectory="$CACHE" >&2
  fi
  log "unpacking Keycloak into $KEYCLOAK_DIST"
  rm -rf "$KEYCLOAK_DIST"
  tar -xzf "$tarball" -C "$CACHE"
  touch "$KEYCLOAK_DIST/.complete"
}

# The unpacked distribution stays in the cache (its build is reused); each state folder gets its own Keycloak home
# whose bin/ is a copy (kc.sh derives the home from its own resolved path) and whose data/ (H2 database, realm
# import) belongs to that state only.
keycloak_home() {
  local home=$STATE/keycloak
  mkdir -p "$home/bin" "$home/data/import"
  cp "$KEYCLOAK_DIST/bin/kc.sh" "$home/bin/kc.sh"
  local d
  for d in lib conf themes providers; do ln -sfn "$KEYCLOAK_DIST/$d" "$home/$d"; done
  # The realm is templated into the state folder: the committed file holds no password.
  sed -e "s/@DEMO_PASSWORD@/$(secret demo-password)/" -e "s/@AUDITOR_PASSWORD@/$(secret auditor-password)/" \
    -e "s/@OPERATOR_PASSWORD@/$(secret operator-password)/" -e "s/@CONSOLE_PORT@/$ESTUARY_CONSOLE_PORT/g" \
    "$ROOT/deploy/keycloak/estuary-realm.json" \
    > "$home/data/import/estuary-realm.json"
  chmod 600 "$home/data/import/estuary-realm.json"
}

start_keycloak() {
  local home=$STATE/keycloak
  if pid_alive "$home/keycloak.pid"; then log "Keycloak already running"; return; fi
  keycloak_home
  log "starting Keycloak on 127.0.0.1:$ESTUARY_KEYCLOAK_PORT (first start builds: 1-3 min)"
  # setsid: kc.sh runs java as its child; both get their own process group, which down stops by its id.
  # --hostname fixes the tokens' issuer to ESTUARY_KEYCLOAK_URL, the URL the services verify against, whichever name
  # (localhost, 127.0.0.1) a client fetched its token with.
  KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=$(secret keycloak-admin-password) \
    JAVA_OPTS_KC_HEAP="-Xms64m -Xmx512m" nohup setsid "$home/bin/kc.sh" start-dev --http-host 127.0.0.1 \
    --http-port "$ESTUARY_KEYCLOAK_PORT" --http-management-port "$ESTUARY_KEYCLOAK_MANAGEMENT_PORT" \
    --hostname "$ESTUARY_KEYCLOAK_URL" --health-enabled true --import-realm > "$home/keycloak.log" 2>&1 &
  echo $! > "$home/keycloak.pid"
}

await_keycloak() {
  local home=$STATE/keycloak
  await_ready Keycloak "http://127.0.0.1:$ESTUARY_KEYCLOAK_MANAGEMENT_PORT/health/ready" "$home/keycloak.pid" \
    "$home/keycloak.log" 300
}

stop_keycloak() {
  local file=$STATE/keycloak/keycloak.pid
  if pid_alive "$file"; then
    local pid; pid=$(cat "$file")
    log "stopping Keycloak"
    kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 -- "-$pid" 2>/dev/null || kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}

keycloak_running() { curl -sf "http://127.0.0.1:$ESTUARY_KEYCLOAK_MANAGEMENT_PORT/health/ready" >/dev/null; }

# A device enrollment credential in Keycloak, printed once (deploy/estuary provision-device NAME [--labels a,b]).
provision_device() {
  keycloak_running || die "Keycloak is not running: run deploy/estuary up"
  admin provision-device --admin-password-file "$STATE/secrets/keycloak-admin-password" "$@"
}

# A bearer token for the operator APIs of the running stack (deploy/estuary token [operator|auditor]): the
# resource-owner password grant of the public client estuary-cli for the stack's user estuary-<role>, whose password
# is in secrets/<role>-password. Prints the access token alone, for curl -H "Authorization: Bearer $(...)".
token() {
  local role=${1:-operator}
  case $role in operator|auditor) ;; *) die "usage: deploy/estuary token [operator|auditor]" ;; esac
  local file=$STATE/secrets/$role-password
  [ -s "$file" ] || die "no $file: start the stack with deploy/estuary up"
  keycloak_running || die "Keycloak is not running: run deploy/estuary up"
  admin token "$role" --password-file "$file"
}
