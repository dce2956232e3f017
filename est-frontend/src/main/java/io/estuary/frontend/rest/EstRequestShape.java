package io.estuary.frontend.rest;

import java.util.Locale;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.estuary.frontend.listener.CanonicalResponseHeaders;
import io.estuary.frontend.listener.ProtocolErrorLog;
import io.estuary.frontend.service.AuthFailures;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.VertxException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * What a request must look like before anything reads it, answered with one status and a reason each, and logged
 * at DEBUG at most ({@link ProtocolErrorLog}): a malformed request costs no WARN or ERROR line, which anyone could
 * provoke without credentials. On every path:
 * <ul>
 * <li>HTTP/1.0 or HTTP/1.1: any other version in the request line gets 505 (Vert.x would answer it as HTTP/1.1);</li>
 * <li>a Host header (RFC 9112 §3.2) and a path starting with {@code /}: Vert.x Web refuses a request without them
 * before any filter runs, as a 400 failure carrying an exception, which Quarkus's error handler would log as an ERROR;
 * answered here instead, with its reason, and the connection closed;</li>
 * </ul>
 * On the EST paths:
 * <ul>
 * <li>the path in normal form: {@code //}, dot segments and encoded dots or slashes get 400 instead of reaching an
 * operation under another spelling;</li>
 * <li>a CSR-carrying operation's body typed {@code application/pkcs10} (RFC 7030 §4.2.1): any other type, a wildcard or
 * none gets 415.</li>
 * </ul>
 */
@ApplicationScoped
public class EstRequestShape {
    private static final Set<String> CSR_OPERATIONS = Set.of("simpleenroll", "simplereenroll", "serverkeygen");

    @Inject
    ProtocolErrorLog log;

    void register(@Observes Filters filters) {
        filters.register(this::filter, CanonicalResponseHeaders.PRIORITY - 2);
    }

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::refusedByRouting);
    }

    void refusedByRouting(RoutingContext context) {
        if (context.statusCode() != 400 || !(context.failure() instanceof VertxException refusal)
                || context.response().ended()) {
            context.next();
            return;
        }
        // The filters never ran: the response's header names are put right here, and a client this confused is
        // not kept.
        context.addHeadersEndHandler(v -> CanonicalResponseHeaders.canonicalise(context.response().headers()));
        context.response().putHeader("Connection", "close");
        refuse(context, 400, refusal.getMessage());
    }

    void filter(RoutingContext context) {
        HttpServerRequest request = context.request();
        String path = request.path();
        // An EST path under any spelling ("/.well-known//est/..." reaches the same operation).
        String normalized = context.normalizedPath();
        boolean est = path != null && (path.startsWith("/.well-known/est")
                || normalized != null && normalized.startsWith("/.well-known/est"));
        String refusal = null;
        int status = 400;
        if (request.version() == null) {
            status = 505;
            refusal = "only HTTP/1.1 (or HTTP/1.0) is spoken here";
        } else if (!est) {
            context.next();
            return;
        } else if (!isNormal(path)) {
            refusal = "the path is not in normal form (no '//', dot segments or encoded '.' and '/')";
        } else if (request.method() == HttpMethod.POST && CSR_OPERATIONS.contains(operationOf(path))
                && !isPkcs10(request.getHeader("Content-Type"))) {
            status = 415;
            refusal = "Content-Type '" + request.getHeader("Content-Type") + "' is not accepted here; send "
                    + EstResource.PKCS10;
        }
        if (refusal == null) {
            context.next();
            return;
        }
        refuse(context, status, refusal);
    }

    private void refuse(RoutingContext context, int status, String refusal) {
        String address = AuthFailures.addressOf(context);
        log.debugf(address, "refused a request from %s for %s with %d: %s", address, context.request().path(), status,
                refusal);
        context.response().setStatusCode(status).putHeader("Content-Type", "text/plain;charset=UTF-8")
                .end(refusal + "\n");
    }

    static boolean isNormal(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        return !lower.contains("//") && !lower.contains("/./") && !lower.contains("/../") && !lower.endsWith("/.")
                && !lower.endsWith("/..") && !lower.contains("%2e") && !lower.contains("%2f")
                && !lower.contains("%5c") && !lower.contains("\\");
    }

    private static String operationOf(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static boolean isPkcs10(String contentType) {
        if (contentType == null) {
            return false;
        }
        int parameters = contentType.indexOf(';');
        String type = (parameters < 0 ? contentType : contentType.substring(0, parameters)).strip();
        return type.equalsIgnoreCase(EstResource.PKCS10);
    }
}
