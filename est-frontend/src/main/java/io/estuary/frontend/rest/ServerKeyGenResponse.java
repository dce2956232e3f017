package io.estuary.frontend.rest;

import java.util.UUID;

import jakarta.ws.rs.core.Response;

import io.estuary.pki.wire.Base64Body;
import io.estuary.pki.wire.CertsOnly;

/** RFC 7030 §4.4.2: a multipart/mixed answer, the private key part first, then the certificate. */
final class ServerKeyGenResponse {
    private ServerKeyGenResponse() {
    }

    static Response of(byte[] pkcs8, byte[] certsOnly) {
        String boundary = "estuary-" + UUID.randomUUID();
        String body = "--" + boundary + "\r\n"
                + "Content-Type: application/pkcs8\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n"
                + Base64Body.encode(pkcs8)
                + "--" + boundary + "\r\n"
                + "Content-Type: " + CertsOnly.MEDIA_TYPE + "\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n"
                + Base64Body.encode(certsOnly)
                + "--" + boundary + "--\r\n";
        return Response.ok(body).header("Content-Type", "multipart/mixed; boundary=" + boundary).build();
    }
}
