package io.estuary.pki.wire;

/** The request body is not what EST says it must be (base64 of a DER structure). */
public class MalformedRequestException extends RuntimeException {
    public MalformedRequestException(String message) {
        super(message);
    }

    public MalformedRequestException(String message, Throwable cause) {
        super(message, cause);
    }
}
