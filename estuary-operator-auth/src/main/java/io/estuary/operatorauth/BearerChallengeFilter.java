package io.estuary.operatorauth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.vertx.http.runtime.filters.Filters;

/**
 * Every 401 names the scheme to retry with (RFC 9110 §11.6.1). The OIDC mechanism writes {@code WWW-Authenticate:
 * Bearer} itself, except while Keycloak has not been reached yet (its challenge needs the tenant); then the 401 would
 * go out bare. A 401 that already carries a challenge (the EST listener's Basic one) is left alone.
 */
@ApplicationScoped
public class BearerChallengeFilter {
    private static final String HEADER = "WWW-Authenticate";

    void register(@Observes Filters filters) {
        filters.register(context -> {
            context.addHeadersEndHandler(v -> {
                if (context.response().getStatusCode() == 401 && !context.response().headers().contains(HEADER)) {
                    context.response().headers().set(HEADER, "Bearer");
                }
            });
            context.next();
        }, 50);
    }
}
