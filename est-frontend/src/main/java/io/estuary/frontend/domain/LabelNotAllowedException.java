package io.estuary.frontend.domain;

/** The credential is valid but may not enroll on this label. */
public class LabelNotAllowedException extends RuntimeException {
    public LabelNotAllowedException(String message) {
        super(message);
    }
}
