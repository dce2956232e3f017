package io.estuary.audit.messaging;

import java.io.IOException;
import java.time.Instant;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.estuary.audit.domain.AuditEntry;
import io.estuary.audit.domain.AuditOutcome;
import io.estuary.audit.domain.CanonicalJson;
import io.estuary.audit.domain.SourcePosition;
import io.estuary.contracts.AuthenticationFailed;
import io.estuary.contracts.CertificateRevoked;
import io.estuary.contracts.CsrSubmitted;
import io.estuary.contracts.IssuanceResult;
import io.estuary.contracts.RenewalStatusChanged;
import io.estuary.contracts.Topics;

/**
 * Turns a Kafka record of any audited topic into an {@link AuditEntry}. The event id is derived from the event, never
 * from where it was read, so a redelivered or re-published event is recognised as the same event.
 */
public final class AuditEventReader {
    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("+10000-01-01T00:00:00Z");

    public AuditEntry read(SourcePosition source, String value) throws MalformedEventException {
        if (value == null || value.isBlank()) {
            throw new MalformedEventException("empty value");
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(value);
        } catch (IOException e) {
            throw new MalformedEventException("not JSON");
        }
        if (tree == null || !tree.isObject()) {
            throw new MalformedEventException("not a JSON object");
        }
        requireStorable(source.timestamp(), "the record's timestamp");
        String payload = CanonicalJson.write(tree);
        return switch (source.topic()) {
            case Topics.CSR_REQUESTS -> csrSubmitted(parse(tree, CsrSubmitted.class), payload, source);
            case Topics.ISSUANCE_RESULTS -> issuanceResult(parse(tree, IssuanceResult.class), payload, source);
            case Topics.AUTH_FAILURES -> authenticationFailed(parse(tree, AuthenticationFailed.class), payload, source);
            case Topics.RENEWAL_EVENTS -> renewalStatusChanged(parse(tree, RenewalStatusChanged.class), payload, source);
            case Topics.REVOCATIONS -> certificateRevoked(parse(tree, CertificateRevoked.class), payload, source);
            default -> throw new MalformedEventException("not an audited topic: " + source.topic());
        };
    }

    private static AuditEntry csrSubmitted(CsrSubmitted event, String payload, SourcePosition source)
            throws MalformedEventException {
        require(event.requestId(), "requestId");
        require(event.submittedAt(), "submittedAt");
        requireStorable(event.submittedAt(), "field 'submittedAt'");
        return new AuditEntry("request:" + event.requestId(), AuditOutcome.REQUESTED, event.submittedAt(), null, null,
                event.label(), event.requester(), event.requestId(), null, payload, source);
    }

    private static AuditEntry issuanceResult(IssuanceResult event, String payload, SourcePosition source)
            throws MalformedEventException {
        require(event.requestId(), "requestId");
        require(event.outcome(), "outcome");
        require(event.decidedAt(), "decidedAt");
        requireStorable(event.decidedAt(), "field 'decidedAt'");
        AuditOutcome outcome = switch (event.outcome()) {
            case ISSUED -> AuditOutcome.ISSUED;
            case REJECTED -> AuditOutcome.REJECTED;
            case FAILED -> AuditOutcome.SIGNER_FAILED;
        };
        // A request has one decision, but may fail before it (a retry is signed anew): each failure is its own entry,
        // and the decision after it is not mistaken for a duplicate.
        String eventId = event.decided() ? AuditEntry.ANSWER_PREFIX + event.requestId()
                : "failure:" + event.requestId() + ":" + event.decidedAt();
        return new AuditEntry(eventId, outcome, event.decidedAt(), event.deviceId(),
                event.serialNumber(), event.label(), event.requester(), event.requestId(), event.reason(), payload,
                source);
    }

    private static AuditEntry authenticationFailed(AuthenticationFailed event, String payload, SourcePosition source)
            throws MalformedEventException {
        require(event.eventId(), "eventId");
        require(event.at(), "at");
        requireStorable(event.at(), "field 'at'");
        return new AuditEntry("auth-failure:" + event.eventId(), AuditOutcome.AUTHENTICATION_FAILED, event.at(), null,
                null, event.label(), event.identity(), null, event.reason(), payload, source);
    }

    private static AuditEntry renewalStatusChanged(RenewalStatusChanged event, String payload, SourcePosition source)
            throws MalformedEventException {
        require(event.eventId(), "eventId");
        require(event.status(), "status");
        require(event.at(), "at");
        requireStorable(event.at(), "field 'at'");
        AuditOutcome outcome = AuditOutcome.valueOf("RENEWAL_" + event.status().name());
        return new AuditEntry("renewal:" + event.eventId(), outcome, event.at(), event.deviceId(),
                event.serialNumber(), event.label(), null, null, null, payload, source);
    }

    /**
     * One entry per certificate: the id is the record key, so a revocation published twice (the first revocation
     * stands) or read again in a replay of the compacted topic is recognised as recorded.
     */
    private static AuditEntry certificateRevoked(CertificateRevoked event, String payload, SourcePosition source)
            throws MalformedEventException {
        require(event.issuer(), "issuer");
        require(event.serialNumber(), "serialNumber");
        require(event.reason(), "reason");
        require(event.revokedAt(), "revokedAt");
        requireStorable(event.revokedAt(), "field 'revokedAt'");
        return new AuditEntry("revocation:" + event.key(), AuditOutcome.REVOKED, event.revokedAt(), event.deviceId(),
                event.serialNumber(), null, event.revokedBy(), null, event.reason().rfcName(), payload, source);
    }

    private static <T> T parse(JsonNode tree, Class<T> type) throws MalformedEventException {
        try {
            return JSON.treeToValue(tree, type);
        } catch (IOException | IllegalArgumentException e) {
            throw new MalformedEventException("not a readable " + type.getSimpleName());
        }
    }

    /**
     * A time past PostgreSQL's range (the year 294276) is written by its driver as infinity, not as hashed, and
     * verification would then flag the record as edited; no service's clock is anywhere near the years 1 or 9999.
     */
    private static void requireStorable(Instant time, String name) throws MalformedEventException {
        if (time.isBefore(EARLIEST) || !time.isBefore(LATEST)) {
            throw new MalformedEventException(name + " is outside the years 1 to 9999: " + time);
        }
    }

    private static void require(Object field, String name) throws MalformedEventException {
        if (field == null || field instanceof String s && s.isBlank()) {
            throw new MalformedEventException("field '" + name + "' is missing");
        }
    }
}
