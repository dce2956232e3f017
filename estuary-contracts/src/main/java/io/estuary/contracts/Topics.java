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

    /**
     * {@link CrlPublished} records, keyed by CA alias; compacted, so the latest CRL per CA is kept. Published by the
     * signer only (it alone holds the CA keys), served by the revocation responders.
     */
    public static final String CRLS = "estuary.crls";

    /**
     * The largest record of {@link #CRLS} (its {@code max.message.bytes}, and the signer's {@code max.request.size}):
     * a CRL of 100,000 entries is about 4.8 MB of DER, 6.4 MB as base64 in JSON; this leaves room for 300,000.
     */
    public static final int CRLS_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    /**
     * A starting service's own records, sent and read back by its warm-up so that its Kafka clients' code is compiled
     * before it reports ready. Never audited, and kept an hour only.
     */
    public static final String WARM_UP = "estuary.warm-up";
    public static final long WARM_UP_RETENTION_MILLIS = 3_600_000;

    /** Partition counts the stack creates the topics with. */
    public static final int CSR_REQUESTS_PARTITIONS = 4;
    public static final int ISSUANCE_RESULTS_PARTITIONS = 4;
    public static final int AUTH_FAILURES_PARTITIONS = 4;
    public static final int RENEWAL_EVENTS_PARTITIONS = 4;
    public static final int REVOCATIONS_PARTITIONS = 4;

    /**
     * A topic the stack creates, with its partition count; compacted topics keep the latest record per key. A
     * {@code maxMessageBytes} of 0 keeps the broker's record limit (1 MB). Topics that are not compacted keep their
     * records {@code retentionMillis}, or forever with -1 (the audit trail is rebuilt by replaying them).
     */
    public record Definition(String name, int partitions, boolean compacted, int maxMessageBytes,
            long retentionMillis) {
        public Definition(String name, int partitions) {
            this(name, partitions, false, 0, -1);
        }

        public Definition(String name, int partitions, boolean compacted) {
            this(name, partitions, compacted, 0, -1);
        }

        public Definition(String name, int partitions, boolean compacted, int maxMessageBytes) {
            this(name, partitions, compacted, maxMessageBytes, -1);
        }
    }

    /** Every topic Estuary uses; the stack creates exactly these before services start. */
    public static final java.util.List<Definition> ALL = java.util.List.of(
            new Definition(CSR_REQUESTS, CSR_REQUESTS_PARTITIONS),
            new Definition(ISSUANCE_RESULTS, ISSUANCE_RESULTS_PARTITIONS),
            new Definition(AUTH_FAILURES, AUTH_FAILURES_PARTITIONS),
            new Definition(RENEWAL_EVENTS, RENEWAL_EVENTS_PARTITIONS),
            new Definition(CA_CHAINS, 1, true),
            new Definition(REVOCATIONS, REVOCATIONS_PARTITIONS, true),
            new Definition(CRLS, 1, true, CRLS_MAX_MESSAGE_BYTES),
            new Definition(WARM_UP, 1, false, 0, WARM_UP_RETENTION_MILLIS));

    private Topics() {
    }
}
