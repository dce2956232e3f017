package io.estuary.frontend.domain;

/** The request names a label this service does not know. */
public class UnknownLabelException extends RuntimeException {
    public UnknownLabelException(String label) {
        super("unknown EST label '" + label + "'");
    }
}
