package io.estuary.contracts;

import java.time.Instant;

/**
 * The signer's answer to a {@link CsrSubmitted}: a certificate was issued, the request was rejected, or the signer
 * failed on it (an internal error: nothing was signed, and the request is not decided, so a retry is signed anew).
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
 */
public record IssuanceResult(String requestId, String requester, String label, Outcome outcome, String reason,
        String deviceId, String subject, String serialNumber, String issuer, Instant notBefore, Instant notAfter,
        String certificate, Instant decidedAt, String encryptedPrivateKey) {

    public IssuanceResult(String requestId, String requester, String label, Outcome outcome, String reason,
            String deviceId, String subject, String serialNumber, String issuer, Instant notBefore, Instant notAfter,
            String certificate, Instant decidedAt) {
        this(requestId, requester, label, outcome, reason, deviceId, subject, serialNumber, issuer, notBefore,
                notAfter, certificate, decidedAt, null);
    }

    public enum Outcome {
        ISSUED,
        REJECTED,
        /** The signer hit an internal error; not a decision: a retry of the request is signed anew. */
        FAILED
    }

    public static IssuanceResult rejected(CsrSubmitted request, String reason, Instant decidedAt) {
        return new IssuanceResult(request.requestId(), request.requester(), request.label(), Outcome.REJECTED, reason,
                null, null, null, null, null, null, null, decidedAt);
    }

    public static IssuanceResult failed(CsrSubmitted request, String reason, Instant decidedAt) {
        return new IssuanceResult(request.requestId(), request.requester(), request.label(), Outcome.FAILED, reason,
                null, null, null, null, null, null, null, decidedAt);
    }

    /** Issued or rejected: the answer every retry of the request gets. */
    public boolean decided() {
        return outcome != Outcome.FAILED;
    }

    public boolean issued() {
        return outcome == Outcome.ISSUED;
    }
}
