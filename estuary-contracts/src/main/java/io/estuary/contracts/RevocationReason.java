package io.estuary.contracts;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Why a certificate was revoked: the RFC 5280 CRLReason codes an operator may give. certificateHold (6) is not among
 * them because a revocation here is final (nothing releases a hold), and removeFromCRL (8) belongs to delta CRLs.
 */
public enum RevocationReason {
    UNSPECIFIED(0, "unspecified"),
    KEY_COMPROMISE(1, "keyCompromise"),
    CA_COMPROMISE(2, "cACompromise"),
    AFFILIATION_CHANGED(3, "affiliationChanged"),
    SUPERSEDED(4, "superseded"),
    CESSATION_OF_OPERATION(5, "cessationOfOperation"),
    PRIVILEGE_WITHDRAWN(9, "privilegeWithdrawn"),
    AA_COMPROMISE(10, "aACompromise");

    private final int code;
    private final String rfcName;

    RevocationReason(int code, String rfcName) {
        this.code = code;
        this.rfcName = rfcName;
    }

    /** The CRLReason code (RFC 5280 §5.3.1). */
    public int code() {
        return code;
    }

    /** The name RFC 5280 gives it, e.g. {@code keyCompromise}. */
    public String rfcName() {
        return rfcName;
    }

    /**
     * The reason a code ({@code 1}), an RFC 5280 name ({@code keyCompromise}, any case) or a constant name
     * ({@code KEY_COMPROMISE}) stands for.
     *
     * @throws IllegalArgumentException naming what is accepted
     */
    public static RevocationReason parse(String text) {
        String value = text == null ? "" : text.strip();
        for (RevocationReason reason : values()) {
            if (Integer.toString(reason.code).equals(value) || reason.rfcName.equalsIgnoreCase(value)
                    || reason.name().equals(value.toUpperCase(Locale.ROOT))) {
                return reason;
            }
        }
        throw new IllegalArgumentException("'" + value + "' is not a revocation reason; use one of "
                + Arrays.stream(values()).map(r -> r.code + " (" + r.rfcName + ")").collect(Collectors.joining(", "))
                + " (certificateHold and removeFromCRL are not supported)");
    }
}
