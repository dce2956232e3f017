package io.estuary.pki.wire;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * EST message bodies: base64 of DER (RFC 7030 §4, RFC 8951 §3). Receivers ignore whitespace and line breaks and never
 * rely on a Content-Transfer-Encoding header; senders wrap lines at 64 characters and end with a newline, which every
 * client we know parses.
 */
public final class Base64Body {
    private static final Base64.Encoder ENCODER = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));

    private Base64Body() {
    }

    public static byte[] decode(String body) {
        if (body == null || body.isBlank()) {
            throw new MalformedRequestException("empty body: expected base64-encoded DER");
        }
        StringBuilder compact = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (!Character.isWhitespace(c)) {
                compact.append(c);
            }
        }
        try {
            // The strict decoder, not the MIME one: that one silently skips characters that are not base64.
            return Base64.getDecoder().decode(compact.toString());
        } catch (IllegalArgumentException e) {
            throw new MalformedRequestException("body is not valid base64: " + e.getMessage());
        }
    }

    public static String encode(byte[] der) {
        return ENCODER.encodeToString(der) + "\n";
    }

    /** Base64 without line breaks, as carried inside events. */
    public static String compact(byte[] der) {
        return Base64.getEncoder().encodeToString(der);
    }
}
