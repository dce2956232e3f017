package io.estuary.kafka.follower;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

/**
 * A single-node KRaft broker of its own, in a process of its own, from the Kafka distribution the test command fetches
 * ({@code ESTUARY_KAFKA_LIB}): on free ports and in a folder of its own, so stopping it leaves the stack's broker
 * alone. Stopped and started again, it keeps its ports and its log.
 */
final class KafkaBrokerProcess implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

    private final Path dir;
    private final int port;
    private Process process;

    private KafkaBrokerProcess(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Formats a log folder in {@code dir} and starts the broker; returns once it answers. */
    static KafkaBrokerProcess start(Path dir) throws Exception {
        int port = freePort();
        int controllerPort = freePort();
        Files.writeString(dir.resolve("server.properties"), String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dir.resolve("data"),
                "auto.create.topics.enable=false",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "num.network.threads=1",
                "num.io.threads=1", ""));
        KafkaBrokerProcess broker = new KafkaBrokerProcess(dir, port);
        broker.run("format", "kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c",
                dir.resolve("server.properties").toString(), "--ignore-formatted").waitFor();
        broker.start();
        return broker;
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Starts the broker again on the same ports and log; returns once it answers. */
    void start() throws Exception {
        Process started = run("broker", "kafka.Kafka", dir.resolve("server.properties").toString());
        process = started;
        // A test JVM that ends early (killed, timed out) takes its broker with it.
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
        awaitReady();
    }

    /** Stops the broker as an operator would (SIGTERM), and waits until its process has ended. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
        }
    }

    void createTopic(String name, int partitions) throws Exception {
        try (Admin admin = Admin.create(adminProperties())) {
            admin.createTopics(Set.of(new NewTopic(name, partitions, (short) 1))).all().get();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor();
        }
    }

    private Process run(String log, String mainClass, String... args) throws IOException {
        String lib = System.getenv("ESTUARY_KAFKA_LIB");
        if (lib == null || !Files.isDirectory(Path.of(lib))) {
            throw new IllegalStateException("ESTUARY_KAFKA_LIB names no Kafka distribution (" + lib
                    + "): run the tests with deploy/estuary test");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xms256m", "-Xmx256m", "-cp", lib + "/*", "-Dkafka.logs.dir=" + dir));
        String root = System.getenv("ESTUARY_ROOT");
        if (root != null) {
            command.add("-Dlog4j2.configurationFile=" + Path.of(root, "deploy/kafka/log4j2.properties"));
        }
        command.add(mainClass);
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(log + ".log").toFile())).start();
    }

    private void awaitReady() throws Exception {
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        try (Admin admin = Admin.create(adminProperties())) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the broker ended; see " + dir.resolve("broker.log"));
                }
                try {
                    admin.describeCluster().nodes().get();
                    return;
                } catch (ExecutionException e) {
                    if (Instant.now().isAfter(deadline)) {
                        throw new IllegalStateException("the broker did not answer within " + READY_TIMEOUT, e);
                    }
                    Thread.sleep(500);
                }
            }
        }
    }

    private Properties adminProperties() {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        return properties;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
