package io.estuary.frontend.rest;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.estuary.frontend.listener.CanonicalResponseHeaders;
import io.estuary.frontend.service.EnrollmentMetrics;
import io.estuary.frontend.warmup.RehearsalMark;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;

/**
 * Counts and times every answer on the EST paths, whatever answered it: the operation, the exception mappers, or a
 * refusal before JAX-RS (a body too large, a wrong media type, too many failures), but not the warm-up's own
 * requests. Runs ahead of those filters so that its end handler sees each of their answers.
 */
public class EnrollmentMeter {
    @Inject
    EnrollmentMetrics metrics;

    void register(@Observes Filters filters) {
        // With the canonical headers, ahead of the body limit and the request shape, whose refusals it counts too.
        filters.register(this::filter, CanonicalResponseHeaders.PRIORITY);
    }

    void filter(RoutingContext context) {
        String path = context.normalizedPath();
        if (path == null || !path.startsWith(AuthFailureFilter.EST_PREFIX)
                || RehearsalMark.isCarriedBy(context.request().getHeader(RehearsalMark.HEADER))) {
            context.next();
            return;
        }
        long started = System.nanoTime();
        // When the status line is written: JAX-RS's asynchronous answers replace the response's end handler.
        context.addHeadersEndHandler(written -> metrics.answered(AuthFailureFilter.labelOf(path),
                path.substring(path.lastIndexOf('/') + 1), context.response().getStatusCode(),
                context.get(EnrollmentMetrics.REFUSAL), System.nanoTime() - started));
        context.next();
    }
}
