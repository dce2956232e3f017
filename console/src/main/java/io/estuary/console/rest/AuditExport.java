package io.estuary.console.rest;

import java.net.URI;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The audit export links: the audit service's CSV and JSON-lines exports, piped through as they stream (an export of
 * any size in bounded memory) with the user's token, which the browser never holds. Behind the same sign-in as every
 * page (the HTTP permissions cover these routes).
 */
@ApplicationScoped
public class AuditExport {
    private static final Logger LOG = Logger.getLogger(AuditExport.class);

    @ConfigProperty(name = "quarkus.rest-client.audit.url")
    URI auditUrl;

    private HttpClient client;

    void register(@Observes Router router, Vertx vertx) {
        client = vertx.createHttpClient();
        router.get("/audit/export.csv").handler(context -> pipe(context, "csv"));
        router.get("/audit/export.jsonl").handler(context -> pipe(context, "jsonl"));
    }

    private void pipe(RoutingContext context, String format) {
        if (!(context.user() instanceof QuarkusHttpUser user)
                || user.getSecurityIdentity().getCredential(AccessTokenCredential.class) == null) {
            context.response().setStatusCode(401).end();
            return;
        }
        String token = user.getSecurityIdentity().getCredential(AccessTokenCredential.class).getToken();
        String query = context.request().query();
        String path = auditUrl.getRawPath().replaceAll("/$", "") + "/audit/export." + format
                + (query == null ? "" : "?" + query);
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(auditUrl.getHost())
                .setPort(auditUrl.getPort()).setURI(path).putHeader("Authorization", "Bearer " + token);
        client.request(options).compose(request -> request.send()).onComplete(sent -> {
            if (sent.failed()) {
                LOG.warnf("audit export not reachable: %s", sent.cause().getMessage());
                context.response().setStatusCode(502).putHeader("Content-Type", "text/plain")
                        .end("the audit API is not reachable right now\n");
                return;
            }
            var answer = sent.result();
            context.response().setStatusCode(answer.statusCode());
            String type = answer.getHeader("Content-Type");
            if (type != null) {
                context.response().putHeader("Content-Type", type);
            }
            if (answer.statusCode() == 200) {
                context.response().putHeader("Content-Disposition",
                        "attachment; filename=\"audit-export." + format + "\"");
            }
            context.response().setChunked(true);
            answer.pipeTo(context.response());
        });
    }
}
