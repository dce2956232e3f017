package io.estuary.contracts;

import java.time.Instant;

/**
 * The signer's answer to a {@link CsrSubmitted}: a certificate was issued, the request was rejected, or the signer
 * failed on it (an internal error: nothing was signed). A deterministic failure, one the same request meets again, is
 * remembered like a decision and given again to a retry; any other failure is not, and a retry is signed anew.
 * Certificate fields are null unless issued; {@code reason} is null for an issuance.
 *
 * @param requestId    the id of the request this answers
 * @param requester    the authenticated identity that sent the request
 * @param label        the EST label of the request
 * @param outcome      issued, rejected or failed
 * @param reason       why the request was rejected or failed, safe to show to the client
 * @param deviceId     the device the certificate is for: the subject's common name, else the whole subject
 * @param subject      the issued certificate's subject (RFC 4514)
 * @param serialNumber the issued certificate's serial number, lower-case hex
 * @param issuer       the issuing CA's subject (RFC 4514)
 * @param notBefore    start of validity
 * @param notAfter     end of validity
 * @param certificate  the issued certificate, base64 DER without line breaks
 * @param decidedAt    when the signer decided
 * @param encryptedPrivateKey for {@code serverkeygen} only: the generated private key (PKCS#8) in a CMS
 *                     EnvelopedData only the requesting frontend's one-time key opens; never the key in clear
 * @param deterministic for {@code FAILED} only: the failure follows from the request itself (its CSR under its
 *                     profile), so sending it again fails the same way; false (and absent from older results) for a
 *                     failure a retry may not meet
 */
public record IssuanceResult(String requestId, String requester, String label, Outcome outcome, String reason,
        String deviceId, String subject, String serialNumber, String issuer, Instant notBefore, Instant notAfter,
        String certificate, Instant decidedAt, String encryptedPrivateKey, boolean deterministic) {

    public IssuanceResult(String requestId, String requester, String label, Outcome outcome, String reason,
            String deviceId, String subject, String serialNumber, String issuer, Instant notBefore, Instant notAfter,
            String certificate, Instant decidedAt, String encryptedPrivateKey) {
        this(requestId, requester, label, outcome, reason, deviceId, subject, serialNumber, issuer, notBefore,
                notAfter, certificate, decidedAt, encryptedPrivateKey, false);
    }

    public IssuanceResult(String requestId, String requester, String label, Outcome outcome, String reason,
            String deviceId, String subject, String serialNumber, String issuer, Instant notBefore, Instant notAfter,
            String certificate, Instant decidedAt) {
        this(requestId, requester, label, outcome, reason, deviceId, subject, serialNumber, issuer, notBefore,
                notAfter, certificate, decidedAt, null);
    }

    public enum Outcome {
        ISSUED,
        REJECTED,
        /** The signer hit an internal error; nothing was signed. See {@link #answersRetries()} for what a retry gets. */
        FAILED
    }

    public static IssuanceResult rejected(CsrSubmitted request, String reason, Instant decidedAt) {
        return new IssuanceResult(request.requestId(), request.requester(), request.label(), Outcome.REJECTED, reason,
                null, null, null, null, null, null, null, decidedAt);
    }

    /** A failure a retry may not meet: a retry of the request is signed anew. */
    public static IssuanceResult failed(CsrSubmitted request, String reason, Instant decidedAt) {
        return new IssuanceResult(request.requestId(), request.requester(), request.label(), Outcome.FAILED, reason,
                null, null, null, null, null, null, null, decidedAt, null, false);
    }

    /** A failure the same request meets again: a retry gets this answer again, without a second attempt. */
    public static IssuanceResult failedDeterministically(CsrSubmitted request, String reason, Instant decidedAt) {
        return new IssuanceResult(request.requestId(), request.requester(), request.label(), Outcome.FAILED, reason,
                null, null, null, null, null, null, null, decidedAt, null, true);
    }

    /** Issued or rejected. */
    public boolean decided() {
        return outcome != Outcome.FAILED;
    }

    /**
     * Whether a retry of the request (within the retry window) gets this answer again instead of a new attempt: a
     * decision, or a deterministic failure.
     */
    public boolean answersRetries() {
        return decided() || deterministic;
    }

    public boolean issued() {
        return outcome == Outcome.ISSUED;
    }
}
