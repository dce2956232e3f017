package io.estuary.operatorauth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.oidc.OIDCException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * A bearer token that cannot be checked because Keycloak has not been reached yet (the services start without it and
 * fetch its keys at the first token) is answered 503 with {@code Retry-After}, as the EST listener answers a password
 * it cannot check: the token was not judged, so neither 401 nor the generic 500.
 */
@ApplicationScoped
public class TokenCheckUnavailableHandler {
    private static final Logger LOG = Logger.getLogger(TokenCheckUnavailableHandler.class);
    static final int RETRY_AFTER_SECONDS = 30;

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::handle);
    }

    void handle(RoutingContext context) {
        if (!causedByOidc(context.failure()) || context.response().headWritten()) {
            context.next();
            return;
        }
        LOG.warnf("bearer token on %s not checked: %s", context.normalizedPath(), context.failure().getMessage());
        context.response().setStatusCode(503).putHeader("Content-Type", "text/plain")
                .putHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS))
                .end("bearer tokens cannot be checked right now (Keycloak not reachable); retry later\n");
    }

    static boolean causedByOidc(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OIDCException) {
                return true;
            }
        }
        return false;
    }
}
