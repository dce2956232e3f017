package io.estuary.contracts;

/** Reactive Messaging channel names; each is bound to the topic of the same meaning in configuration. */
public final class Channels {
    public static final String CSR_REQUESTS = "csr-requests";
    public static final String ISSUANCE_RESULTS = "issuance-results";
    public static final String AUTH_FAILURES = "auth-failures";
    public static final String RENEWAL_EVENTS = "renewal-events";
    public static final String CA_CHAINS = "ca-chains";
    public static final String REVOCATIONS = "revocations";

    private Channels() {
    }
}
