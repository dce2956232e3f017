package io.estuary.frontend.listener;

/** A trusted proxy's client-certificate header that holds no readable certificate; the message says why. */
public class MalformedClientCertificateHeaderException extends RuntimeException {
    public MalformedClientCertificateHeaderException(String message) {
        super(message);
    }
}
