package io.estuary.admin.kafka;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import io.estuary.contracts.Topics;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Waits until the broker answers an admin call, then creates every topic of {@link Topics#ALL} that is missing, with
 * its partition count. This is also how the stack script learns that the broker is ready.
 */
@Command(name = "topics", description = "Kafka topics of Estuary.", synopsisSubcommandLabel = "create")
public final class TopicsCommand {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Command(name = "create", description = "Waits for the broker, then creates the missing topics.")
    int create(@Option(names = "--bootstrap", required = true, description = "host:port of the broker") String bootstrap,
            @Option(names = "--timeout", defaultValue = "PT120S",
                    description = "how long to wait for the broker (ISO-8601, default ${DEFAULT-VALUE})") Duration timeout,
            @Option(names = "--replication-factor", defaultValue = "1",
                    description = "replicas of each new topic (default ${DEFAULT-VALUE})") short replicationFactor,
            @Option(names = "--min-insync-replicas", defaultValue = "1",
                    description = "replicas a write must reach (default ${DEFAULT-VALUE})") int minInsyncReplicas)
            throws InterruptedException, ExecutionException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Instant deadline = Instant.now().plus(timeout);
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        try (Admin admin = Admin.create(properties)) {
            Set<String> existing = null;
            while (existing == null) {
                try {
                    existing = admin.listTopics().names().get();
                } catch (ExecutionException e) {
                    if (Instant.now().isAfter(deadline)) {
                        err.println("Kafka at " + bootstrap + " did not answer: " + e.getCause().getMessage());
                        return 1;
                    }
                    Thread.sleep(1000);
                }
            }
            for (Topics.Definition topic : Topics.ALL) {
                if (existing.contains(topic.name())) {
                    int partitions = admin.describeTopics(Set.of(topic.name())).allTopicNames().get()
                            .get(topic.name()).partitions().size();
                    if (partitions != topic.partitions()) {
                        err.printf("topic %s has %d partitions, expected %d%n", topic.name(), partitions,
                                topic.partitions());
                        return 1;
                    }
                    continue;
                }
                try {
                    String insync = Integer.toString(minInsyncReplicas);
                    Map<String, String> configs = new java.util.HashMap<>(topic.compacted()
                            ? Map.of("cleanup.policy", "compact", "min.insync.replicas", insync)
                            : Map.of("retention.ms", Long.toString(topic.retentionMillis()), "min.insync.replicas",
                                    insync));
                    if (topic.maxMessageBytes() > 0) {
                        configs.put("max.message.bytes", Integer.toString(topic.maxMessageBytes()));
                    }
                    admin.createTopics(Set.of(new NewTopic(topic.name(), topic.partitions(), replicationFactor)
                            .configs(configs))).all().get();
                    out.println("created topic " + topic.name() + " with " + topic.partitions() + " partitions");
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
        return 0;
    }
}
