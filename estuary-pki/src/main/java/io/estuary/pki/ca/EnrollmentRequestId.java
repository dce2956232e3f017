package io.estuary.pki.ca;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The id of an enrollment request, derived from who asked, where, and the exact CSR: a client that retries the same
 * request (after a 202, or a lost response) gets the same id, so it is issued at most once.
 */
public final class EnrollmentRequestId {
    private EnrollmentRequestId() {
    }

    public static String of(String requester, String label, String operation, byte[] csrDer) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] { requester, label, operation }) {
                byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                sha256.update((byte) (bytes.length >>> 8));
                sha256.update((byte) bytes.length);
                sha256.update(bytes);
            }
            sha256.update(csrDer);
            return HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
