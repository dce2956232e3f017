package io.estuary.frontend.warmup;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The mark the warm-up's own requests to the listener carry, so that the EST meters leave them out: a header whose
 * value is a random secret of this process. A client cannot guess it, so no client's request goes uncounted.
 */
public final class RehearsalMark {
    public static final String HEADER = "Estuary-Warm-Up";

    private static final String VALUE = random();

    private RehearsalMark() {
    }

    /** Whether a request's {@link #HEADER} value (null when absent) is this process's mark. */
    public static boolean isCarriedBy(String headerValue) {
        return headerValue != null && MessageDigest.isEqual(VALUE.getBytes(StandardCharsets.US_ASCII),
                headerValue.getBytes(StandardCharsets.US_ASCII));
    }

    private static String random() {
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        return HexFormat.of().formatHex(secret);
    }

    /** The header's value; the warm-up and tests send it. */
    public static String value() {
        return VALUE;
    }
}
