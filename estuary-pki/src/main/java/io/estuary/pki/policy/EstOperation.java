package io.estuary.pki.policy;

import java.util.Arrays;
import java.util.Optional;

/** The RFC 7030 operations, by their path segment. */
public enum EstOperation {
    CACERTS("cacerts"),
    SIMPLE_ENROLL("simpleenroll"),
    SIMPLE_REENROLL("simplereenroll"),
    FULL_CMC("fullcmc"),
    SERVER_KEYGEN("serverkeygen"),
    CSR_ATTRS("csrattrs");

    private final String path;

    EstOperation(String path) {
        this.path = path;
    }

    public String path() {
        return path;
    }

    public static Optional<EstOperation> ofPath(String segment) {
        return Arrays.stream(values()).filter(o -> o.path.equals(segment)).findFirst();
    }
}
