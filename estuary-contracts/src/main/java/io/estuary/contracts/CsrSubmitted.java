package io.estuary.contracts;

import java.time.Instant;

/**
 * An authenticated, syntactically valid enrollment request handed to the signer.
 *
 * @param requestId   unique id of this request; the signer's answer carries it back
 * @param requester   the authenticated identity that sent the request
 * @param label       the EST label the request came in on ({@code ""} for the default one)
 * @param operation   the EST operation, e.g. {@code simpleenroll}
 * @param csr         the PKCS#10 request, base64 DER without line breaks
 * @param submittedAt when the frontend accepted the request
 * @param keyTransportKey for {@code serverkeygen} only: the frontend's one-time public key (base64 DER
 *                    SubjectPublicKeyInfo, EC P-256) to which the signer encrypts the key pair it generates; null
 *                    otherwise
 */
public record CsrSubmitted(String requestId, String requester, String label, String operation, String csr,
        Instant submittedAt, String keyTransportKey) {

    public CsrSubmitted(String requestId, String requester, String label, String operation, String csr,
            Instant submittedAt) {
        this(requestId, requester, label, operation, csr, submittedAt, null);
    }

    public boolean serverKeyGeneration() {
        return keyTransportKey != null;
    }
}
