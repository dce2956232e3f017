package io.estuary.contracts;

/** Kafka topic names shared by every service; the only place they are spelled. */
public final class Topics {
    /** {@link CsrSubmitted} events, keyed by requester. */
    public static final String CSR_REQUESTS = "estuary.csr.requests";
    /** {@link IssuanceResult} events, keyed by requester. */
    public static final String ISSUANCE_RESULTS = "estuary.issuance.results";

    /** {@link AuthenticationFailed} events, keyed by source address. */
    public static final String AUTH_FAILURES = "estuary.auth.failures";
    /** {@link RenewalStatusChanged} events, keyed by device id. */
    public static final String RENEWAL_EVENTS = "estuary.renewal.events";

    /** {@link CaChainPublished} records, keyed by CA alias; compacted, so the latest chain per CA is kept. */
    public static final String CA_CHAINS = "estuary.ca.chains";

    /**
     * {@link CertificateRevoked} records, keyed by {@link CertificateRevoked#key()}; compacted, so reading it from the
     * start gives every revocation once.
     */
    public static final String REVOCATIONS = "estuary.certificate.revocations";

    /** Partition counts the stack creates the topics with. */
    public static final int CSR_REQUESTS_PARTITIONS = 4;
    public static final int ISSUANCE_RESULTS_PARTITIONS = 4;
    public static final int AUTH_FAILURES_PARTITIONS = 4;
    public static final int RENEWAL_EVENTS_PARTITIONS = 4;
    public static final int REVOCATIONS_PARTITIONS = 4;

    /** A topic the stack creates, with its partition count; compacted topics keep the latest record per key. */
    public record Definition(String name, int partitions, boolean compacted) {
        public Definition(String name, int partitions) {
            this(name, partitions, false);
        }
    }

    /** Every topic Estuary uses; the stack creates exactly these before services start. */
    public static final java.util.List<Definition> ALL = java.util.List.of(
            new Definition(CSR_REQUESTS, CSR_REQUESTS_PARTITIONS),
            new Definition(ISSUANCE_RESULTS, ISSUANCE_RESULTS_PARTITIONS),
            new Definition(AUTH_FAILURES, AUTH_FAILURES_PARTITIONS),
            new Definition(RENEWAL_EVENTS, RENEWAL_EVENTS_PARTITIONS),
            new Definition(CA_CHAINS, 1, true),
            new Definition(REVOCATIONS, REVOCATIONS_PARTITIONS, true));

    private Topics() {
    }
}
