package io.estuary.signer.messaging;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.estuary.contracts.Topics;
import io.estuary.kafka.quarkus.TopicFollowers;
import io.estuary.signer.service.SignerMetrics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * How far the signers' consumer group is behind the request topic: the topic's end offsets minus the group's
 * committed offsets, summed over the partitions, sampled every ten seconds off the signing threads.
 */
@ApplicationScoped
public class RequestTopicLag {
    private static final Logger LOG = Logger.getLogger(RequestTopicLag.class);

    @Inject
    TopicFollowers followers;
    @Inject
    SignerMetrics metrics;
    @ConfigProperty(name = "mp.messaging.incoming.csr-requests.group.id")
    String group;

    private final AtomicLong lag = new AtomicLong();
    private ScheduledExecutorService sampler;
    private Admin admin;

    void start(@Observes StartupEvent event) {
        Properties settings = followers.settings().clientProperties();
        settings.put(AdminClientConfig.CLIENT_ID_CONFIG, "ca-signer-lag");
        admin = Admin.create(settings);
        metrics.requestLag(lag::get);
        sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "request-lag");
            thread.setDaemon(true);
            return thread;
        });
        sampler.scheduleWithFixedDelay(this::sample, 0, 10, TimeUnit.SECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (sampler != null) {
            sampler.shutdownNow();
            admin.close();
        }
    }

    private void sample() {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
            List<TopicPartition> partitions = admin.describeTopics(List.of(Topics.CSR_REQUESTS)).allTopicNames()
                    .get(5, TimeUnit.SECONDS).get(Topics.CSR_REQUESTS).partitions().stream()
                    .map(info -> new TopicPartition(Topics.CSR_REQUESTS, info.partition())).toList();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            partitions.forEach(partition -> {
                latest.put(partition, OffsetSpec.latest());
                earliest.put(partition, OffsetSpec.earliest());
            });
            Map<TopicPartition, ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get(5, TimeUnit.SECONDS);
            Map<TopicPartition, ListOffsetsResultInfo> starts = admin.listOffsets(earliest).all()
                    .get(5, TimeUnit.SECONDS);
            long total = 0;
            for (TopicPartition partition : partitions) {
                OffsetAndMetadata done = committed.get(partition);
                long from = Math.max(starts.get(partition).offset(), done == null ? 0 : done.offset());
                total += Math.max(0, ends.get(partition).offset() - from);
            }
            lag.set(total);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // The last value stays: a broker hiccup is not a lag, and the signer's own health reports the broker.
            LOG.debugf("request topic lag not sampled: %s", e.toString());
        }
    }
}
