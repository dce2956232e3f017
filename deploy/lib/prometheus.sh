# shellcheck shell=bash
# A local Prometheus (Debian's package) scraping the four services, with Estuary's alerting rules loaded. Off by
# default: ESTUARY_PROMETHEUS=1 deploy/estuary up starts it, deploy/estuary prometheus-up starts it beside a running
# stack, deploy/estuary down stops it.

PROMETHEUS_DIR=$STATE/prometheus

prometheus_url() { printf 'http://127.0.0.1:%s' "${ESTUARY_PROMETHEUS_PORT:-9090}"; }

start_prometheus() {
  command -v prometheus >/dev/null || ensure_packages
  if pid_alive "$PROMETHEUS_DIR/prometheus.pid"; then return; fi
  mkdir -p "$PROMETHEUS_DIR/data" "$STATE/logs"
  local service targets i
  {
    printf 'global:\n  scrape_interval: %s\n  evaluation_interval: %s\n' \
      "${ESTUARY_PROMETHEUS_SCRAPE_INTERVAL:-15s}" "${ESTUARY_PROMETHEUS_SCRAPE_INTERVAL:-15s}"
    printf 'rule_files:\n  - %s\n' "$ROOT/deploy/prometheus/estuary-alerts.yml"
    printf 'scrape_configs:\n'
    # One job per service, with a target per instance (ESTUARY_FRONTENDS, ESTUARY_SIGNERS).
    for service in est-frontend ca-signer audit-service renewal-scheduler revocation-responder; do
      targets=
      for i in $(service_instances "$service"); do targets+=${targets:+, }\"127.0.0.1:$(management_port "$i")\"; done
      printf '  - job_name: estuary-%s\n    metrics_path: /q/metrics\n    static_configs:\n      - targets: [%s]\n' \
        "$service" "$targets"
    done
  } >"$PROMETHEUS_DIR/prometheus.yml"
  promtool check config "$PROMETHEUS_DIR/prometheus.yml" >/dev/null \
    || die "the generated Prometheus configuration is invalid: $PROMETHEUS_DIR/prometheus.yml"
  log "starting Prometheus on $(prometheus_url)"
  nohup prometheus --config.file="$PROMETHEUS_DIR/prometheus.yml" --storage.tsdb.path="$PROMETHEUS_DIR/data" \
    --web.listen-address="127.0.0.1:${ESTUARY_PROMETHEUS_PORT:-9090}" >"$STATE/logs/prometheus.log" 2>&1 &
  echo $! >"$PROMETHEUS_DIR/prometheus.pid"
  await_ready Prometheus "$(prometheus_url)/-/ready" "$PROMETHEUS_DIR/prometheus.pid" "$STATE/logs/prometheus.log" 30
}

stop_prometheus() { stop_pid "$PROMETHEUS_DIR/prometheus.pid" Prometheus; }
