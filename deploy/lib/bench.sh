# Measuring the running stack: the load benchmark and the CPU profiler.
# shellcheck shell=bash

# The load benchmark against the running stack (deploy/estuary up first); prints and writes bench-results.md
# (--after-restart: bench-results-after-restart.md; --ocsp: bench-results-ocsp.md; --scale-out:
# bench-results-scale-out.md; --all: the first three).
bench() {
  service_env
  # Built again when one of its sources changed since its last build (Maven rewrites classpath.txt at every build),
  # so a pulled change is what gets measured.
  local built=$ROOT/load-bench/target/classpath.txt
  if [ ! -f "$built" ] || [ -n "$(find "$ROOT/pom.xml" "$ROOT/load-bench" "$ROOT/estuary-pki" "$ROOT/estuary-testkit" \
      "$ROOT/estuary-contracts" -newer "$built" \( -path '*/src/*' -o -name pom.xml \) -print -quit)" ]; then
    (cd "$ROOT" && mvn -B -q package -DskipTests -pl load-bench -am) >&2
  fi
  curl -sf "$(health_url est-frontend)" >/dev/null || die "the stack is not up: run deploy/estuary up"
  local first=()
  case ${1:-} in
    --after-restart)
      # What a freshly started stack serves (a scale-out, a rolling update, a crash): the services are stopped and
      # started again, and the row starts the moment all of them report ready, with no warm-up. Options after it
      # (e.g. --duration PT30S) override the row's defaults.
      shift
      log "restarting the services for the after-restart row"
      services_down
      local started=$SECONDS
      services_up
      first=(--after-restart "the services ready $((SECONDS - started)) s after they were started" --warmup PT0S
        --connections kept-alive --concurrency 32 --duration PT60S --out "$ROOT/bench-results-after-restart.md") ;;
    --scale-out) shift; bench_scale_out "$@"; return ;;
    --ocsp) shift; bench_ocsp "$@"; return ;;
    --all)
      # Every row of the README's tables from one command: the first minute after a restart, then (after the
      # warm-up) every enrollment row and the signer alone, then OCSP and the CRL.
      shift
      [ $# -eq 0 ] || die "--all takes no options (each part does: see docs/performance.md)"
      bench --after-restart
      bench_run
      bench_ocsp
      return ;;
  esac
  bench_run "${first[@]}" "$@"
}

# OCSP and the CRL over a fleet issued for the run (100,000 certificates by default, every tenth revoked through the
# operator API); writes bench-results-ocsp.md. Options (e.g. --fleet 20000 --duration PT10S) override the defaults.
bench_ocsp() {
  # shellcheck disable=SC2086 # word splitting wanted: a list of JVM options
  java ${ESTUARY_BENCH_JAVA_OPTS-} -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
    -cp "$ROOT/load-bench/target/classes:$(cat "$ROOT/load-bench/target/classpath.txt")" \
    io.estuary.bench.OcspBenchmark --responder "http://127.0.0.1:$ESTUARY_REVOCATION_PORT" \
    --renewal "http://127.0.0.1:$ESTUARY_RENEWAL_PORT" --ca "$STATE/pki/ca.pem" --estuary "$ROOT/deploy/estuary" \
    --crl-alias "$ESTUARY_CA_ALIAS" --signer-log "$STATE/logs/ca-signer.log" --out "$ROOT/bench-results-ocsp.md" "$@"
}

# One run of the load generator, its workers spread over the frontends that run (round-robin by worker), each with
# the demo credential, or with one of ESTUARY_BENCH_CREDENTIALS credentials of its own (round-robin too).
bench_run() {
  local credentials=()
  if [ "${ESTUARY_BENCH_CREDENTIALS:-0}" != 0 ]; then
    credentials=(--credentials "$(bench_credentials "$ESTUARY_BENCH_CREDENTIALS")")
  fi
  # shellcheck disable=SC2086 # word splitting wanted: a list of JVM options
  java ${ESTUARY_BENCH_JAVA_OPTS-} -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
    -cp "$ROOT/load-bench/target/classes:$(cat "$ROOT/load-bench/target/classpath.txt")" \
    io.estuary.bench.EnrollmentBenchmark --host localhost --port "$(running_est_ports)" --stack "$(stack_shape)" \
    --trust "$STATE/pki/tls-trust-anchor.pem" --user estuary-demo "${credentials[@]}" --out "$ROOT/bench-results.md" \
    "$@"
}

# The benchmark's own enrollment credentials, estuary-bench-1 to -N (label default), provisioned in Keycloak once and
# kept in secrets/bench-credentials ("user:password" a line, mode 600); prints the file's name. The request topic is
# keyed by requester: with the one demo credential every request takes one partition, so one signer, whatever the
# number of signers (see docs/performance.md#scale-out).
bench_credentials() {
  [[ $1 =~ ^[1-9][0-9]{0,2}$ ]] || die "ESTUARY_BENCH_CREDENTIALS takes 0 to 999, got '$1'"
  local file=$STATE/secrets/bench-credentials i out
  mkdir -p "$STATE/secrets"
  (umask 077; touch "$file")
  for ((i = $(wc -l < "$file") + 1; i <= $1; i++)); do
    out=$(provision_device "estuary-bench-$i" --labels default 2>/dev/null) \
      || die "could not provision estuary-bench-$i (remove it in Keycloak, or $file, and try again)"
    printf 'estuary-bench-%s:%s\n' "$i" "$(awk '$1 == "password" {print $2}' <<< "$out")" >> "$file"
  done
  echo "$file"
}

# How many frontends and signers run now, for the results ("2 frontends, 2 signers").
stack_shape() {
  local s i n shape=()
  for s in est-frontend ca-signer; do
    n=0
    for i in $(started_instances "$s"); do if pid_alive "$STATE/run/$i.pid"; then n=$((n + 1)); fi; done
    case $s in est-frontend) shape+=("$n frontend$([ "$n" = 1 ] || echo s)") ;;
      ca-signer) shape+=("$n signer$([ "$n" = 1 ] || echo s)") ;; esac
  done
  echo "${shape[0]}, ${shape[1]}"
}

# Scale-out on the one machine: kept-alive rows at c=32 and c=128 with one frontend and one signer, then with two of
# each, in one run. The services are restarted with each shape and warmed up (--warmup, ten minutes by default)
# before its rows, so both shapes start from fresh JVMs. Options after --scale-out (e.g. --warmup PT20S --duration
# PT10S) override the rows' defaults. Writes bench-results-scale-out-1x1.md, -2x2.md and both in
# bench-results-scale-out.md; the stack is left with two frontends and two signers.
bench_scale_out() {
  local shape out=$ROOT/bench-results-scale-out.md
  # Many requesters, as a fleet has: a single one would put every request on one partition of the request topic.
  export ESTUARY_BENCH_CREDENTIALS=${ESTUARY_BENCH_CREDENTIALS:-32}
  # Every worker comes from 127.0.0.1: the per-address limit on password checks in flight (meant for guessing from one
  # address) would refuse the benchmark's own credentials when their cached checks expire together on a busy Keycloak.
  export ESTUARY_AUTH_FAILURES_PER_ADDRESS=${ESTUARY_AUTH_FAILURES_PER_ADDRESS:-1000}
  for shape in 1x1 2x2; do
    log "scale-out: restarting the services with ${shape%x*} frontend(s) and ${shape#*x} signer(s)"
    services_down
    ESTUARY_FRONTENDS=${shape%x*} ESTUARY_SIGNERS=${shape#*x} services_up
    bench_run --connections kept-alive --concurrency 32,128 --retry-concurrency 0 --signer-requests 0 \
      --out "$ROOT/bench-results-scale-out-$shape.md" "$@"
  done
  {
    printf '# Scale-out on one machine: one frontend and one signer, then two of each\n'
    for shape in 1x1 2x2; do
      printf '\n## %s frontend(s), %s signer(s)\n\n' "${shape%x*}" "${shape#*x}"
      cat "$ROOT/bench-results-scale-out-$shape.md"
    done
  } > "$out"
  log "written to $out; the stack runs two frontends and two signers now (deploy/estuary services-up goes back to" \
    "ESTUARY_FRONTENDS and ESTUARY_SIGNERS, one each by default)"
}

# Where a running service spends its CPU, by sampling it with async-profiler (attached through jcmd, so nothing
# restarts; JFR, tried first, sets a warm service's JIT compiling again and disturbs what it measures). Run it beside
# bench. Writes a flame graph (open the .html in a browser) and the collapsed stacks, one line per distinct stack.
profile() {
  local service=${1:-} seconds=30 pidfile
  shift || true
  while [ $# -gt 0 ]; do
    case $1 in
      --seconds) seconds=${2:-}; shift 2 || die "--seconds needs a value" ;;
      *) die "unknown option $1" ;;
    esac
  done
  [[ $seconds =~ ^[1-9][0-9]*$ ]] || die "--seconds must be a whole number of seconds"
  case $service in
    # A further frontend or signer by its instance name (est-frontend-2, ca-signer-2).
    ca-signer|est-frontend|audit-service|renewal-scheduler|revocation-responder|ca-signer-[2-9]|est-frontend-[2-9])
      pidfile=$STATE/run/$service.pid ;;
    kafka) pidfile=$STATE/kafka/kafka.pid ;;
    *) die "usage: deploy/estuary profile ca-signer[-N]|est-frontend[-N]|audit-service|renewal-scheduler|revocation-responder|kafka [--seconds 30]" ;;
  esac
  pid_alive "$pidfile" || die "$service is not running: run deploy/estuary up"
  local pid lib dir=$CACHE/async-profiler-$ASYNC_PROFILER_VERSION
  pid=$(cat "$pidfile")
  lib=$dir/linux-x64/libasyncProfiler.so
  if [ ! -f "$lib" ]; then
    log "fetching async-profiler $ASYNC_PROFILER_VERSION from Maven Central (once)"
    mkdir -p "$dir"
    mvn -B -q dependency:copy -Dartifact="tools.profiler:async-profiler:$ASYNC_PROFILER_VERSION:jar:linux-x64" \
      -DoutputDirectory="$dir" >&2
    (cd "$dir" && jar xf "async-profiler-$ASYNC_PROFILER_VERSION-linux-x64.jar" linux-x64/libasyncProfiler.so)
    [ -f "$lib" ] || die "async-profiler's library is not in its jar"
  fi
  local out
  out=$STATE/profiles/$service-$(date -u +%Y%m%dT%H%M%SZ)
  mkdir -p "$STATE/profiles"
  # jcmd reads key=value pairs itself: the agent's options go quoted. 5 ms between samples of on-CPU threads.
  jcmd "$pid" JVMTI.agent_load "$lib" "\"start,event=cpu,interval=5ms\"" >/dev/null \
    || die "could not attach async-profiler to $service (pid $pid)"
  log "sampling $service (pid $pid) for $seconds s"
  sleep "$seconds"
  jcmd "$pid" JVMTI.agent_load "$lib" "\"dump,file=$out.collapsed,collapsed\"" >/dev/null
  jcmd "$pid" JVMTI.agent_load "$lib" "\"stop,file=$out.html\"" >/dev/null
  { [ -f "$out.collapsed" ] && [ -f "$out.html" ]; } \
    || die "async-profiler wrote no profile (see $service's log, $STATE/logs, for its message)"
  log "$(awk '{n += $NF} END {print n + 0}' "$out.collapsed") samples (an idle service gives few)"
  log "flame graph (open in a browser), then the collapsed stacks:"
  printf '%s\n' "$out.html" "$out.collapsed"
}
