package io.estuary.frontend.domain;

/** An RFC 7030 operation this service does not offer; the reason names what to use instead. */
public class OperationNotSupportedException extends RuntimeException {
    public OperationNotSupportedException(String reason) {
        super(reason);
    }
}
