#!/bin/sh
# One broker of the compose project's KRaft quorum: writes its configuration from the environment, formats its log
# directory on first start, then becomes the broker.
#   KAFKA_NODE_ID       this broker's id (1..n)
#   KAFKA_VOTERS        the controller quorum, id@host:9093,...
#   KAFKA_CLUSTER_ID    shared by every broker of the cluster
#   KAFKA_REPLICATION   replication factor of internal topics; KAFKA_MIN_ISR their min.insync.replicas
set -eu
conf=/tmp/server.properties
cat > "$conf" <<CONF
process.roles=broker,controller
node.id=$KAFKA_NODE_ID
controller.quorum.voters=$KAFKA_VOTERS
listeners=PLAINTEXT://0.0.0.0:9092,CONTROLLER://0.0.0.0:9093
advertised.listeners=PLAINTEXT://$(hostname):9092
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=/var/lib/kafka/data
auto.create.topics.enable=false
default.replication.factor=$KAFKA_REPLICATION
min.insync.replicas=$KAFKA_MIN_ISR
offsets.topic.replication.factor=$KAFKA_REPLICATION
transaction.state.log.replication.factor=$KAFKA_REPLICATION
transaction.state.log.min.isr=$KAFKA_MIN_ISR
share.coordinator.state.topic.replication.factor=$KAFKA_REPLICATION
share.coordinator.state.topic.min.isr=$KAFKA_MIN_ISR
group.initial.rebalance.delay.ms=0
num.network.threads=1
num.io.threads=2
CONF
java -cp '/opt/kafka/lib/*' -Dlog4j2.configurationFile=/opt/kafka/log4j2.properties -Dkafka.logs.dir=/tmp \
  kafka.tools.StorageTool format -t "$KAFKA_CLUSTER_ID" -c "$conf" --ignore-formatted >/dev/null
exec java -Xms"${KAFKA_HEAP:-256m}" -Xmx"${KAFKA_HEAP:-256m}" -XX:+UseG1GC -cp '/opt/kafka/lib/*' \
  -Dlog4j2.configurationFile=/opt/kafka/log4j2.properties -Dkafka.logs.dir=/tmp kafka.Kafka "$conf"
