package io.estuary.audit.domain;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The answers recorded for each request, to place a signer's answer about to be chained. A request id is a hash of
 * requester, label, operation and CSR, so one request may hold several certificates, and each must be in the trail:
 * <ul>
 * <li>one decided within the retry window of another answer to the same request was answered twice: two signers
 * answered it (one had lost its partitions without knowing it);</li>
 * <li>one decided later is a new enrollment with the same CSR bytes (deterministic signatures, RSA PKCS#1 v1.5 or
 * Ed25519, and the same key) after the signers had forgotten the first answer.</li>
 * </ul>
 * A redelivered answer (a serial already recorded, or a rejection after the first answer) is not placed again.
 */
public final class RequestAnswers {
    private final Map<String, List<RecordedAnswer>> byRequest;
    private final Duration retryWindow;

    /** How an answer is chained: under which entry, and whether it answers its request twice. */
    public record Placement(AuditEntry entry, boolean answeredTwice) {
    }

    /**
     * @param recorded    the answers the store holds, by request id, for the requests of the entries to place
     * @param retryWindow how long the signers remember an answer (estuary.signer.retry-window)
     */
    public RequestAnswers(Map<String, List<RecordedAnswer>> recorded, Duration retryWindow) {
        this.byRequest = new HashMap<>();
        recorded.forEach((request, answers) -> byRequest.put(request, new ArrayList<>(answers)));
        this.retryWindow = retryWindow;
    }

    /** Whether the entry is a signer's decision (issued or rejected), which this places. */
    public static boolean isAnswer(AuditEntry entry) {
        return entry.requestId() != null && entry.eventId().startsWith(AuditEntry.ANSWER_PREFIX)
                && (entry.outcome() == AuditOutcome.ISSUED || entry.outcome() == AuditOutcome.REJECTED);
    }

    /**
     * Places an answer ({@link #isAnswer}) and remembers it for the entries after it; null for a redelivery, which is
     * not chained.
     */
    public Placement place(AuditEntry answer) {
        List<RecordedAnswer> earlier = byRequest.computeIfAbsent(answer.requestId(), request -> new ArrayList<>());
        Placement placement;
        if (earlier.isEmpty()) {
            placement = new Placement(answer, false);
        } else {
            String serial = answer.serialNumber();
            if (answer.outcome() != AuditOutcome.ISSUED || serial == null
                    || earlier.stream().anyMatch(a -> serial.equals(a.serialNumber()))) {
                return null;
            }
            RecordedAnswer nearest = earlier.stream().min(Comparator.comparing(
                    a -> Duration.between(a.occurredAt(), answer.occurredAt()).abs())).orElseThrow();
            boolean twice = Duration.between(nearest.occurredAt(), answer.occurredAt()).abs().compareTo(retryWindow) < 0;
            String other = nearest.serialNumber() == null ? "the answer recorded without a certificate"
                    : "the answer recorded with serial " + nearest.serialNumber();
            placement = new Placement(answer.asAnotherCertificate(twice
                    ? "answered twice: within the retry window of " + other + " (two signers answered it)"
                    : "issued again for the same CSR and requester, after the retry window of " + other), twice);
        }
        earlier.add(new RecordedAnswer(answer.serialNumber(), answer.occurredAt()));
        return placement;
    }
}
