package io.estuary.renewal.domain;

/** A revocation names a certificate (or a device) the tracker has never seen issued. */
public class UnknownCertificateException extends RuntimeException {
    public UnknownCertificateException(String message) {
        super(message);
    }
}
