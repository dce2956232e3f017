package io.estuary.signer.messaging;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.estuary.contracts.CertificateRevoked;
import io.estuary.contracts.Topics;
import io.estuary.kafka.follower.Assignment;
import io.estuary.kafka.follower.RecordHandler;
import io.estuary.kafka.follower.Start;
import io.estuary.kafka.follower.Subscription;
import io.estuary.kafka.quarkus.TopicFollowers;
import io.estuary.signer.service.CrlService;
import io.quarkus.runtime.StartupEvent;

/**
 * Every revocation, read from the start of the compacted revocation topic and followed, into the CRLs. Once it has
 * read the revocations published before the signer started, the CRLs go out.
 */
@ApplicationScoped
public class RevocationReader implements RecordHandler {
    private static final Logger LOG = Logger.getLogger(RevocationReader.class);

    @Inject
    TopicFollowers followers;
    @Inject
    ObjectMapper objectMapper;
    @Inject
    CrlService crls;

    private volatile Map<TopicPartition, Long> startEnds;

    void start(@Observes StartupEvent event) {
        followers.follow("crl-revocation-reader", new Subscription(Topics.REVOCATIONS, Start.beginning()), this);
    }

    @Override
    public void started(Assignment assignment) {
        if (startEnds == null) {
            startEnds = assignment.endOffsets();
        }
        checkCaughtUp(assignment);
    }

    @Override
    public void handle(ConsumerRecords<byte[], byte[]> records, Assignment assignment) {
        for (ConsumerRecord<byte[], byte[]> record : records) {
            try {
                crls.revoked(objectMapper.readValue(record.value(), CertificateRevoked.class));
            } catch (java.io.IOException | RuntimeException e) {
                LOG.warnf("skipped an unreadable revocation record at offset %d", record.offset());
            }
        }
        checkCaughtUp(assignment);
    }

    private void checkCaughtUp(Assignment assignment) {
        if (startEnds.entrySet().stream().allMatch(end -> assignment.position(end.getKey()) >= end.getValue())) {
            crls.caughtUp();
        }
    }
}
