package io.estuary.frontend.service;

/** The credential is valid but may not enroll on this label (403). */
public class LabelNotAllowedException extends RuntimeException {
    public LabelNotAllowedException(String message) {
        super(message);
    }
}
