package io.estuary.frontend.listener;

import java.io.ByteArrayInputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The headers a TLS-terminating proxy passes the client's certificate in, and how each is read. Plain Java; which
 * peers may set them is {@link TrustedProxies}'.
 */
public enum ClientCertificateHeader {
    /**
     * nginx ingress ({@code auth-tls-pass-certificate-to-upstream}): {@code ssl-client-cert} holds the client's
     * certificate as URL-encoded PEM ({@code $ssl_client_escaped_cert}).
     */
    SSL_CLIENT_CERT("ssl-client-cert") {
        @Override
        public X509Certificate[] chain(String value) {
            String what = "the " + headerName() + " header";
            return pemCertificates(urlDecoded(value, what), what);
        }
    },
    /**
     * Envoy ({@code forward_client_cert_details}): {@code x-forwarded-client-cert} (XFCC) is a comma-separated list of
     * elements, each {@code key=value} pairs separated by semicolons, values optionally double-quoted; {@code Cert}
     * holds the client's certificate and {@code Chain} its chain (leaf first), both URL-encoded PEM. Envoy's
     * documentation says each element is added by one proxy, which appends it to the end of the header: the first
     * element is the one the proxy that terminated the client's own TLS connection added, so it is the client's. (That
     * proxy must replace, not append to, a header the client sent itself, e.g. with {@code SANITIZE_SET}.)
     */
    X_FORWARDED_CLIENT_CERT("x-forwarded-client-cert") {
        @Override
        public X509Certificate[] chain(String value) {
            Map<String, String> element = firstXfccElement(value);
            String cert = element.get("cert");
            String chain = element.get("chain");
            if (cert == null && chain == null) {
                throw new MalformedClientCertificateHeaderException(
                        "the first element of the " + headerName() + " header has neither Cert nor Chain");
            }
            List<X509Certificate> certificates = new ArrayList<>();
            if (cert != null) {
                X509Certificate[] leaf = pemCertificates(urlDecoded(cert, cert()), cert());
                if (leaf.length != 1) {
                    throw new MalformedClientCertificateHeaderException(
                            cert() + " holds " + leaf.length + " certificates, not 1");
                }
                certificates.add(leaf[0]);
            }
            if (chain != null) {
                for (X509Certificate c : pemCertificates(urlDecoded(chain, chain()), chain())) {
                    if (!certificates.contains(c)) {
                        certificates.add(c);
                    }
                }
            }
            return certificates.toArray(X509Certificate[]::new);
        }

        private String cert() {
            return "the Cert of the " + headerName() + " header";
        }

        private String chain() {
            return "the Chain of the " + headerName() + " header";
        }
    };

    private final String headerName;

    ClientCertificateHeader(String headerName) {
        this.headerName = headerName;
    }

    /** The HTTP header's name (lower case; header names are matched case-insensitively). */
    public String headerName() {
        return headerName;
    }

    /**
     * The client's certificate chain the header's value carries, its own certificate first.
     *
     * @throws MalformedClientCertificateHeaderException with the reason, when the value holds no certificate
     */
    public abstract X509Certificate[] chain(String value);

    /**
     * Percent-decoding only: {@code +} is kept, because in base64 it is a literal (nginx and Envoy both percent-encode
     * what they escape) and {@link URLDecoder} alone would turn it into a space.
     */
    static String urlDecoded(String value, String what) {
        try {
            return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new MalformedClientCertificateHeaderException(what + " is not URL-encoded PEM: " + e.getMessage());
        }
    }

    static X509Certificate[] pemCertificates(String pem, String what) {
        if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
            throw new MalformedClientCertificateHeaderException(what + " holds no PEM certificate");
        }
        try {
            Collection<? extends Certificate> parsed = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            if (parsed.isEmpty()) {
                throw new MalformedClientCertificateHeaderException(what + " holds no PEM certificate");
            }
            return parsed.stream().map(X509Certificate.class::cast).toArray(X509Certificate[]::new);
        } catch (CertificateException e) {
            throw new MalformedClientCertificateHeaderException(
                    what + " does not hold a valid X.509 certificate: " + e.getMessage());
        }
    }

    /**
     * The keys (lower case) and values of the first XFCC element. Commas and semicolons inside a double-quoted value
     * (Envoy always quotes Subject, which may contain both) do not separate; a backslash escapes the next character.
     */
    static Map<String, String> firstXfccElement(String header) {
        Map<String, String> pairs = new LinkedHashMap<>();
        StringBuilder key = new StringBuilder();
        StringBuilder value = new StringBuilder();
        boolean inValue = false;
        boolean quoted = false;
        for (int i = 0; i <= header.length(); i++) {
            char c = i < header.length() ? header.charAt(i) : ',';
            if (quoted) {
                if (c == '\\' && i + 1 < header.length()) {
                    value.append(header.charAt(++i));
                } else if (c == '"') {
                    quoted = false;
                } else if (i == header.length()) {
                    throw new MalformedClientCertificateHeaderException(
                            "the x-forwarded-client-cert header has an unterminated quoted value");
                } else {
                    value.append(c);
                }
            } else if (c == ';' || c == ',') {
                if (!key.toString().isBlank() || inValue) {
                    if (!inValue) {
                        throw new MalformedClientCertificateHeaderException("the x-forwarded-client-cert header has "
                                + "'" + key.toString().strip() + "' without '=' and a value");
                    }
                    pairs.putIfAbsent(key.toString().strip().toLowerCase(java.util.Locale.ROOT), value.toString());
                }
                key.setLength(0);
                value.setLength(0);
                inValue = false;
                if (c == ',') {
                    break;
                }
            } else if (!inValue && c == '=') {
                inValue = true;
            } else if (inValue && c == '"' && value.toString().isBlank()) {
                value.setLength(0);
                quoted = true;
            } else if (inValue) {
                value.append(c);
            } else {
                key.append(c);
            }
        }
        if (pairs.isEmpty()) {
            throw new MalformedClientCertificateHeaderException("the x-forwarded-client-cert header's first element "
                    + "is empty");
        }
        return pairs;
    }
}
