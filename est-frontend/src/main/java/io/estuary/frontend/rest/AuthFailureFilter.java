package io.estuary.frontend.rest;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;

import io.estuary.frontend.domain.TooManyFailuresException;
import io.estuary.frontend.listener.MalformedClientCertificateHeaderException;
import io.estuary.frontend.service.AuthFailures;
import io.estuary.frontend.service.KeycloakIdentityProvider;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * In front of authentication on the EST paths: a request carrying credentials (a password or a TLS client certificate)
 * from an identity or address over its failure limit is refused ({@link TooManyFailuresException}, answered as
 * {@link EstExceptionMappers} maps it) without the credentials being checked; every failed authentication of such a
 * request is counted and published — a 401 to a password, a certificate refused as expired or untrusted (see
 * {@link ClientCertificates#AUTHENTICATION_FAILURE}). A trusted proxy's client-certificate header that holds no
 * readable certificate is answered 400 here. A request
 * without credentials (libest asks first without them) is neither limited nor counted. Passwords that go on to
 * Keycloak are held to the limit once more, with the checks still running counted, where the check starts
 * ({@link KeycloakIdentityProvider}); a refusal there is a {@link TooManyFailuresException} too.
 */
@ApplicationScoped
public class AuthFailureFilter {
    static final String EST_PREFIX = "/.well-known/est/";

    @Inject
    AuthFailures failures;
    @Inject
    ClientCertificates certificates;

    void register(@Observes Filters filters) {
        // Below CanonicalResponseHeaders, above the authentication handlers.
        filters.register(this::filter, 200);
    }

    void filter(RoutingContext context) {
        String path = context.normalizedPath();
        if (path == null || !path.startsWith(EST_PREFIX)) {
            context.next();
            return;
        }
        String authorization = context.request().getHeader("Authorization");
        X509Certificate[] certificate;
        try {
            certificate = certificates.chain(context);
        } catch (MalformedClientCertificateHeaderException e) {
            // The first reader of the chain on the EST paths: a trusted proxy's unreadable header is answered here.
            answer(context, EstExceptionMappers.malformedHeaderResponse(e));
            return;
        }
        if (authorization == null && certificate == null) {
            context.next();
            return;
        }
        // A client presenting a certificate is judged by it, not by a password it also sends: so it is what counts.
        String identity = certificate != null ? ClientCertificates.identity(certificate[0])
                : basicUsername(authorization);
        String address = AuthFailures.addressOf(context);
        try {
            failures.requireUnderLimit(identity, address);
        } catch (TooManyFailuresException refusal) {
            // Answered here, ahead of JAX-RS and its mappers, with the answer the mapper gives.
            answer(context, EstExceptionMappers.tooManyFailuresResponse(refusal));
            return;
        }
        context.addHeadersEndHandler(v -> {
            if (certificate != null) {
                String reason = context.get(ClientCertificates.AUTHENTICATION_FAILURE);
                if (reason != null) {
                    failures.recordFailure(identity, address, labelOf(path), "certificate", reason);
                }
            } else if (context.response().getStatusCode() == 401) {
                String reason = context.get(KeycloakIdentityProvider.FAILURE_REASON);
                String method = authorization.regionMatches(true, 0, "Basic ", 0, 6) ? "basic" : "other";
                if (reason != null) {
                    // Refused by Keycloak: counted when its check ended (see KeycloakIdentityProvider).
                    failures.publish(identity, address, labelOf(path), method, reason);
                } else {
                    failures.recordFailure(identity, address, labelOf(path), method, "invalid credentials");
                }
            }
        });
        context.next();
    }

    /** Answers here, ahead of JAX-RS and its mappers, with the answer the mapper gives. */
    private static void answer(RoutingContext context, Response answer) {
        HttpServerResponse response = context.response().setStatusCode(answer.getStatus());
        answer.getStringHeaders().forEach(response::putHeader);
        response.end((String) answer.getEntity());
    }

    /** The user name of a Basic header, or null; the password is never decoded into anything kept. */
    static String basicUsername(String authorization) {
        if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                    StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : decoded.substring(0, colon);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** {@code /.well-known/est/<label>/<operation>} → label; {@code /.well-known/est/<operation>} → "". */
    static String labelOf(String path) {
        String rest = path.substring(EST_PREFIX.length());
        int slash = rest.indexOf('/');
        return slash < 0 ? "" : rest.substring(0, slash);
    }
}
