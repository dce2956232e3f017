import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import io.estuary.contracts.Topics;

/**
 * Waits until the broker answers an admin call, then creates every topic in {@link Topics#ALL} that is missing, with
 * its partition count. One JVM for all of it: each Kafka CLI tool would be its own slow JVM.
 * Usage: java -cp 'kafka-lib/*:contracts-classes' deploy/CreateTopics.java BOOTSTRAP [TIMEOUT_SECONDS]
 */
public class CreateTopics {
    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        Instant deadline = Instant.now().plusSeconds(args.length > 1 ? Long.parseLong(args[1]) : 120);
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
                        System.err.println("Kafka at " + bootstrap + " did not answer: " + e.getCause().getMessage());
                        System.exit(1);
                    }
                    Thread.sleep(1000);
                }
            }
            for (Topics.Definition topic : Topics.ALL) {
                if (existing.contains(topic.name())) {
                    int partitions = admin.describeTopics(Set.of(topic.name())).allTopicNames().get()
                            .get(topic.name()).partitions().size();
                    if (partitions != topic.partitions()) {
                        System.err.printf("topic %s has %d partitions, expected %d%n", topic.name(), partitions,
                                topic.partitions());
                        System.exit(1);
                    }
                    continue;
                }
                try {
                    // Retention forever: the audit trail is rebuilt by replaying these topics from the start.
                    Map<String, String> configs = topic.compacted() ? Map.of("cleanup.policy", "compact")
                            : Map.of("retention.ms", "-1");
                    admin.createTopics(Set.of(new NewTopic(topic.name(), topic.partitions(), (short) 1)
                            .configs(configs))).all().get();
                    System.out.println("created topic " + topic.name() + " with " + topic.partitions() + " partitions");
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }
}
