package io.estuary.frontend.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.estuary.frontend.listener.CanonicalResponseHeaders;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;

/**
 * A request announcing a body over the listener's limit is answered 413 with the reason before its body is read;
 * Quarkus's own limit (which still guards chunked bodies) answers with an empty body that tells a client nothing.
 */
@ApplicationScoped
public class BodySizeLimit {
    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    MemorySize limit;

    void register(@Observes Filters filters) {
        filters.register(this::filter, CanonicalResponseHeaders.PRIORITY - 1);
    }

    void filter(RoutingContext context) {
        String length = context.request().getHeader("Content-Length");
        long declared = -1;
        if (length != null) {
            try {
                declared = Long.parseLong(length.strip());
            } catch (NumberFormatException e) {
                // Vert.x's decoder refuses a malformed Content-Length before any handler runs.
            }
        }
        if (declared > limit.asLongValue()) {
            context.response().setStatusCode(413).putHeader("Content-Type", "text/plain;charset=UTF-8")
                    .putHeader("Connection", "close")
                    .end("the request body of " + declared + " bytes exceeds the limit of " + limit.asLongValue()
                            + " bytes\n");
            return;
        }
        context.next();
    }
}
