# Container images and the compose project (docker-compose.yml), with podman and no registry: the base is built
# from Debian packages with mmdebstrap, every other image on top of it with podman build --pull=never.
# shellcheck shell=bash

IMAGE_TAG=${ESTUARY_IMAGE_TAG:-$(sed -n 's:^  <version>\(.*\)</version>:\1:p' "$ROOT/pom.xml" | head -n 1)}
DEBIAN_MIRROR=${ESTUARY_DEBIAN_MIRROR:-http://deb.debian.org/debian}
DEBIAN_SECURITY_MIRROR=${ESTUARY_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
# podman reads its settings from here, not from /etc/containers (see the file).
export CONTAINERS_CONF=$ROOT/deploy/containers/containers.conf
CONTAINER_PACKAGES=(podman buildah runc fuse-overlayfs slirp4netns uidmap catatonit netavark aardvark-dns
  podman-compose mmdebstrap iptables)

ensure_container_tools() {
  local missing=() p
  for p in "${CONTAINER_PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null \
      || { as_root apt-get update >/dev/null && as_root env DEBIAN_FRONTEND=noninteractive \
             apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null; }
  fi
}

# The Debian base (minbase), once per recipe: its tag is the recipe's hash, so an unchanged base is never rebuilt.
base_image() {
  local recipe="bookworm minbase $DEBIAN_MIRROR $DEBIAN_SECURITY_MIRROR nodoc"
  local tag; tag=$(printf '%s' "$recipe" | sha256sum | cut -c1-12)
  local image=localhost/estuary/base-debian:$tag
  if ! podman image exists "$image"; then
    log "building the Debian base image with mmdebstrap (once, about a minute)"
    local tar; tar=$(mktemp -d)/base.tar
    # shellcheck disable=SC2016 # the hook's $1 is expanded by mmdebstrap's shell
    as_root mmdebstrap --quiet --variant=minbase \
      --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
      --dpkgopt='path-include=/usr/share/doc/*/copyright' \
      --essential-hook='mkdir -p "$1/usr/share/man/man1"' \
      bookworm "$tar" "deb $DEBIAN_MIRROR bookworm main" "deb $DEBIAN_MIRROR bookworm-updates main" \
      "deb $DEBIAN_SECURITY_MIRROR bookworm-security main" >&2
    podman import --quiet --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      "$tar" "$image" >/dev/null
    rm -rf "$(dirname "$tar")"
  fi
  echo "$image"
}

# The images this build moved a tag away from, oldest first: each would stay behind untagged, and every test run
# would add a set of them (about 10 GB in a day of runs).
REPLACED_IMAGES=()

# podman build NAME FILE CONTEXT [BASE]: layers are cached, so an unchanged image costs a few seconds.
image_build() {
  local name=$1 file=$2 context=$3 base=${4:-}
  local ref=localhost/estuary/$name:$IMAGE_TAG old new
  old=$(podman image inspect --format '{{.Id}}' "$ref" 2>/dev/null || true)
  podman build --pull=never --quiet --layers ${base:+--build-arg BASE="$base"} -f "$ROOT/deploy/containers/$file" \
    -t "$ref" "$context" >/dev/null || die "building the image $name failed"
  new=$(podman image inspect --format '{{.Id}}' "$ref")
  if [ -n "$old" ] && [ "$old" != "$new" ]; then REPLACED_IMAGES+=("$old"); fi
}

# Removes the images this build replaced, children before their bases. One that another tag names (a checkout
# building under another tag can get the same image from the layer cache), or that a container or an image still
# uses, is kept.
remove_replaced_images() {
  local i id tags
  for ((i = ${#REPLACED_IMAGES[@]} - 1; i >= 0; i--)); do
    id=${REPLACED_IMAGES[i]}
    tags=$(podman image inspect --format '{{len .RepoTags}}' "$id" 2>/dev/null) || continue
    [ "$tags" = 0 ] || continue
    podman image rm "$id" >/dev/null 2>&1 || log "kept the replaced image ${id:0:12}: still in use"
  done
  REPLACED_IMAGES=()
}

# A build context assembled from several places (hard links where possible: podman hashes content, not times), in a
# folder of this build's own: two checkouts building at once (a CI run beside a developer's) shared one folder, and
# one's rm -rf removed files while the other's podman build copied them. The folder goes once its image is built; one
# a killed build left goes when it is a day old.
staged_context() {
  mkdir -p "$CACHE/images"
  find "$CACHE/images" -maxdepth 1 -name "context-$1.*" -mmin +1440 -exec rm -rf {} + 2>/dev/null || true
  mktemp -d "$CACHE/images/context-$1.XXXXXX"
}

build_images() {
  ensure_container_tools
  local s
  for s in "${SERVICES[@]}"; do
    [ -f "$ROOT/$s/target/quarkus-app/quarkus-run.jar" ] || die "$s is not built; run: mvn -B package -DskipTests"
  done
  [ -f "$ROOT/estuary-admin/target/estuary-admin.jar" ] || die "estuary-admin is not built"
  fetch_kafka; fetch_keycloak
  local debian; debian=$(base_image)
  log "building the images (tag $IMAGE_TAG)"
  image_build base-jre base-jre.Containerfile "$ROOT/deploy/containers" "$debian"
  image_build base-signer base-signer.Containerfile "$ROOT/deploy/containers" "localhost/estuary/base-jre:$IMAGE_TAG"
  for s in "${SERVICES[@]}"; do
    local base=localhost/estuary/base-jre:$IMAGE_TAG
    # The signer and the revocation responder open the PKCS#11 token.
    case $s in ca-signer|revocation-responder) base=localhost/estuary/base-signer:$IMAGE_TAG ;; esac
    image_build "$s" service.Containerfile "$ROOT/$s/target/quarkus-app" "$base"
  done
  image_build estuary-admin admin.Containerfile "$ROOT/estuary-admin/target" "localhost/estuary/base-jre:$IMAGE_TAG"

  local ctx; ctx=$(staged_context init)
  mkdir -p "$ctx/root/deploy/keycloak" "$ctx/root/estuary-admin/target"
  cp -r "$ROOT/deploy/lib" "$ROOT/deploy/containers" "$ctx/root/deploy/"
  cp "$ROOT/deploy/keycloak/estuary-realm.json" "$ctx/root/deploy/keycloak/"
  cp -r "$ROOT/estuary-admin/target/estuary-admin.jar" "$ROOT/estuary-admin/target/lib" "$ctx/root/estuary-admin/target/"
  image_build init init.Containerfile "$ctx" "localhost/estuary/base-signer:$IMAGE_TAG"
  rm -rf "$ctx"

  ctx=$(staged_context kafka)
  cp -al "$KAFKA_LIB" "$ctx/lib" 2>/dev/null || cp -r "$KAFKA_LIB" "$ctx/lib"
  rm -f "$ctx/lib/.complete"
  cp "$ROOT/deploy/containers/kafka-log4j2.properties" "$ctx/log4j2.properties"
  cp "$ROOT/deploy/containers/kafka-start.sh" "$ctx/"
  image_build kafka kafka.Containerfile "$ctx" "localhost/estuary/base-jre:$IMAGE_TAG"
  rm -rf "$ctx"

  ctx=$(staged_context keycloak)
  cp -al "$KEYCLOAK_DIST/." "$ctx/" 2>/dev/null || cp -r "$KEYCLOAK_DIST/." "$ctx/"
  rm -f "$ctx/.complete"; rm -rf "$ctx/data"
  cp "$ROOT/deploy/containers/keycloak-start.sh" "$ctx/"
  image_build keycloak keycloak.Containerfile "$ctx" "localhost/estuary/base-jre:$IMAGE_TAG"
  rm -rf "$ctx"

  image_build postgres postgres.Containerfile "$ROOT/deploy/containers" "$debian"
  image_build haproxy haproxy.Containerfile "$ROOT/deploy/containers" "$debian"
  remove_replaced_images
  log "images built: $(podman images --format '{{.Repository}}' --filter reference='localhost/estuary/*' | sort -u | wc -l) estuary images"
}

# What a compose project's earlier run can leave in the network backend when a container was not torn down by netavark
# (podman run without CONTAINERS_CONF falls back to CNI, or a test killed midway): aardvark-dns keeps the network's
# file, and a network created again under the same name (often on another subnet) then gets its names served from
# the old gateway address, so no name resolves; a port's old DNAT rule sends traffic to an address nobody has. Both are
# cleared here, for a project whose containers are all gone (after down).
# The networks docker-compose.yml declares (the keys under its top-level "networks:").
compose_networks() {
  awk '/^networks:/ { inside = 1; next } /^[^ #]/ { inside = 0 }
       inside && /^  [A-Za-z0-9_.-]+:/ { sub(/^  /, ""); sub(/:.*/, ""); print }' "$ROOT/docker-compose.yml"
}

compose_leftovers() {
  local project=${1:?usage: deploy/estuary compose-leftovers PROJECT}
  [ -z "$(podman ps -a -q --filter "label=io.podman.compose.project=$project")" ] \
    || die "the compose project $project still has containers; run podman-compose -p $project down first"
  local dns_dir=/run/containers/networks/aardvark-dns file network
  for file in "$dns_dir/${project}_"*; do
    [ -f "$file" ] || continue
    network=$(basename "$file")
    if ! podman network exists "$network"; then
      log "removing aardvark-dns leftovers of network $network"
      as_root rm -f "$file"
    fi
  done
  # A DNAT rule names its container; one whose container no longer exists is a leftover.
  local rule id
  while read -r rule; do
    id=$(sed -n 's/.*dnat name: [^ ]* id: \([0-9a-f]*\).*/\1/p' <<< "$rule")
    [ -n "$id" ] || continue
    podman container exists "$id" && continue
    log "removing a leftover port rule of container ${id:0:12}"
    # shellcheck disable=SC2086 # the rule's own words, as iptables printed them
    eval "as_root iptables -t nat ${rule/#-A/-D}"
  done < <(as_root iptables -t nat -S NETAVARK-HOSTPORT-DNAT 2>/dev/null | grep '^-A' || true)
  # netavark names a network's port chain after its name (NETAVARK-DN- and the first 13 hex digits of the name's
  # SHA-512), so a network created again under the same name appends its rules to a chain an unclean teardown left:
  # an old DNAT rule for the same port comes first and sends the port's traffic to an address nobody has.
  local chain jump
  for network in $(compose_networks); do
    network=${project}_$network
    podman network exists "$network" && continue
    chain=NETAVARK-DN-$(printf %s "$network" | sha512sum | cut -c1-13 | tr a-f A-F)
    as_root iptables -t nat -S "$chain" >/dev/null 2>&1 || continue
    log "removing the leftover port chain of network $network ($chain)"
    while read -r jump; do
      # shellcheck disable=SC2086 # the rule's own words, as iptables printed them
      eval "as_root iptables -t nat ${jump/#-A/-D}"
    done < <(as_root iptables -t nat -S | grep -- "-j $chain\$" || true)
    as_root iptables -t nat -F "$chain"
    as_root iptables -t nat -X "$chain"
  done
  # aardvark-dns reads its files again on SIGHUP.
  if [ -f "$dns_dir/aardvark.pid" ]; then as_root kill -HUP "$(cat "$dns_dir/aardvark.pid")" 2>/dev/null || true; fi
}
