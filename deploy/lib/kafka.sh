# Kafka (KRaft, single node): the broker's jars from Maven Central, its configuration, its start, its topics.
# shellcheck shell=bash

fetch_kafka() {
  if [ -f "$KAFKA_LIB/.complete" ]; then return; fi
  log "fetching the Kafka $KAFKA_VERSION broker jars from Maven Central"
  rm -rf "$KAFKA_LIB"; mkdir -p "$KAFKA_LIB"
  mvn -B -q -f "$ROOT/deploy/kafka/pom.xml" dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="$KAFKA_LIB" >&2
  touch "$KAFKA_LIB/.complete"
}

start_kafka() {
  local dir=$STATE/kafka
  mkdir -p "$dir/data"
  if pid_alive "$dir/kafka.pid"; then log "Kafka already running"; else
    cat > "$dir/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$ESTUARY_KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$ESTUARY_KAFKA_PORT,CONTROLLER://127.0.0.1:$ESTUARY_KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$ESTUARY_KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$dir/data
num.partitions=1
auto.create.topics.enable=false
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
# Two cores run the whole stack: Kafka's 3 network and 8 request threads mostly take turns with each other. With 1
# and 2 the broker spent about a tenth less CPU per enrollment in three alternated pairs of benchmark rows.
num.network.threads=${ESTUARY_KAFKA_NETWORK_THREADS:-1}
num.io.threads=${ESTUARY_KAFKA_IO_THREADS:-2}
EOF
    if [ ! -f "$dir/data/meta.properties" ]; then
      local id
      id=$(java -cp "$KAFKA_LIB/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)
      java -cp "$KAFKA_LIB/*" -Dlog4j2.configurationFile="$ROOT/deploy/kafka/log4j2.properties" \
        -Dkafka.logs.dir="$dir" kafka.tools.StorageTool format -t "$id" -c "$dir/server.properties" \
        --ignore-formatted >/dev/null
    fi
    log "starting Kafka on 127.0.0.1:$ESTUARY_KAFKA_PORT"
    # Every enrollment crosses the broker twice: a young collection here stalls all requests in flight, so the heap
    # leaves room for a young generation that fills seldom (G1 sizes it; Kafka's own scripts use G1 as well).
    local heap=${ESTUARY_KAFKA_HEAP:-1g}
    # shellcheck disable=SC2086 # word splitting wanted: ESTUARY_KAFKA_JAVA_OPTS is a list of JVM options
    nohup java -Xms"$heap" -Xmx"$heap" -XX:+UseG1GC ${ESTUARY_KAFKA_JAVA_OPTS-} -cp "$KAFKA_LIB/*" \
      -Dlog4j2.configurationFile="$ROOT/deploy/kafka/log4j2.properties" -Dkafka.logs.dir="$dir" \
      kafka.Kafka "$dir/server.properties" > "$dir/console.log" 2>&1 &
    echo $! > "$dir/kafka.pid"
  fi
  # Readiness by an admin call, not by reading a log; creates the topics in the same JVM.
  admin topics create --bootstrap "$ESTUARY_KAFKA_BOOTSTRAP" --timeout PT120S \
    || die "Kafka did not become ready; see $dir/server.log"
}
