package io.estuary.frontend.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.vertx.http.runtime.filters.Filters;

/**
 * Quarkus writes the Basic challenge as {@code basic realm="…"}. The scheme is case-insensitive (RFC 9110 §11.1), but
 * embedded EST clients match {@code Basic} literally, so the challenge is rewritten with the canonical spelling.
 */
@ApplicationScoped
public class BasicChallengeFilter {
    private static final String HEADER = "WWW-Authenticate";

    void register(@Observes Filters filters) {
        filters.register(context -> {
            context.addHeadersEndHandler(v -> {
                String challenge = context.response().headers().get(HEADER);
                if (challenge != null && challenge.regionMatches(true, 0, "basic ", 0, 6)
                        && !challenge.startsWith("Basic ")) {
                    context.response().headers().set(HEADER, "Basic " + challenge.substring(6));
                }
            });
            context.next();
        }, 100);
    }
}
