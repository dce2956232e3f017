package io.estuary.responder.messaging;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.estuary.contracts.CertificateRevoked;
import io.estuary.contracts.CrlPublished;
import io.estuary.contracts.IssuanceResult;
import io.estuary.contracts.Topics;
import io.estuary.kafka.follower.EventReader;
import io.estuary.kafka.quarkus.TopicFollowers;
import io.estuary.responder.service.CrlDistribution;
import io.estuary.responder.service.OcspService;
import io.quarkus.runtime.StartupEvent;

/**
 * Reads, from their start and then as they grow, on one thread: the issuance results (every serial number issued and
 * when its certificate ends: the topic keeps them for ever, as the audit trail's replay needs), the revocations (compacted: every revocation) and
 * the CRLs (compacted: the latest of each CA). Until it has read what was published before it started, the
 * responder answers tryLater rather than "unknown".
 */
@ApplicationScoped
public class RevocationTopicsReader {
    /** The fields of an issuance result the responder needs; the certificate itself is skipped unparsed. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Issued(IssuanceResult.Outcome outcome, String serialNumber, String issuer, Instant notAfter) {
    }

    @Inject
    TopicFollowers followers;
    @Inject
    ObjectMapper objectMapper;
    @Inject
    OcspService ocsp;
    @Inject
    CrlDistribution crls;

    void start(@Observes StartupEvent event) {
        EventReader reader = new EventReader(objectMapper, ocsp::caughtUp)
                .on(Topics.ISSUANCE_RESULTS, Issued.class, this::issued)
                .on(Topics.REVOCATIONS, CertificateRevoked.class, this::revoked)
                .on(Topics.CRLS, CrlPublished.class, this::crl);
        followers.follow("revocation-responder-reader", reader.subscription().withConsumerProperties(Map.of(
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(Topics.CRLS_MAX_MESSAGE_BYTES))),
                reader);
    }

    private void issued(Issued result) {
        if (result.outcome() == IssuanceResult.Outcome.ISSUED && result.serialNumber() != null
                && result.issuer() != null) {
            ocsp.issued(result.issuer(), new BigInteger(result.serialNumber(), 16), result.notAfter());
        }
    }

    private void revoked(CertificateRevoked revocation) {
        ocsp.revoked(revocation.issuer(), new BigInteger(revocation.serialNumber(), 16), revocation.revokedAt(),
                revocation.reason().code());
    }

    private void crl(CrlPublished crl) {
        Instant thisUpdate = crl.thisUpdate();
        crls.published(crl.alias(), new BigInteger(crl.crlNumber()), thisUpdate, crl.nextUpdate(),
                Base64.getDecoder().decode(crl.crl()));
    }
}
