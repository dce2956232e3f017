package io.estuary.frontend.rest;

import java.util.Locale;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * What an EST request must look like before anything reads it, answered with one status and a reason each:
 * <ul>
 * <li>HTTP/1.0 or HTTP/1.1: any other version in the request line gets 505 (Vert.x would answer it as HTTP/1.1);</li>
 * <li>the path in normal form: {@code //}, dot segments and encoded dots or slashes get 400 instead of reaching an
 * operation under another spelling;</li>
 * <li>a CSR-carrying operation's body typed {@code application/pkcs10} (RFC 7030 §4.2.1): any other type, a wildcard or
 * none gets 415.</li>
 * </ul>
 */
@ApplicationScoped
public class EstRequestShape {
    private static final Logger LOG = Logger.getLogger(EstRequestShape.class);
    private static final Set<String> CSR_OPERATIONS = Set.of("simpleenroll", "simplereenroll", "serverkeygen");

    void register(@Observes Filters filters) {
        filters.register(this::filter, CanonicalResponseHeaders.PRIORITY - 2);
    }

    void filter(RoutingContext context) {
        HttpServerRequest request = context.request();
        String path = request.path();
        // Which requests are EST ones is judged on the path as the router will route it; its form on the raw one.
        String routed = context.normalizedPath();
        if (path == null || routed == null || !routed.startsWith("/.well-known/est")) {
            context.next();
            return;
        }
        String refusal = null;
        int status = 400;
        if (request.version() == null) {
            status = 505;
            refusal = "only HTTP/1.1 (or HTTP/1.0) is spoken here";
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
        LOG.debugf("refused a request for %s with %d: %s", path, status, refusal);
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
