package io.estuary.console.rest;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestResponse;

import io.estuary.console.client.RenewalApi;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * The revoke button's form: a POST with the CSRF token (checked by the CSRF filter before this runs), passed on to
 * {@code POST /revocations} with the user's token. The console does not judge the role itself: the renewal API does,
 * and its refusal (403 for a user without the revoker role) is shown with its status.
 */
@Path("/devices/{deviceId}/revocations")
public class RevocationForm {
    @Inject
    SecurityIdentity identity;
    @RestClient
    RenewalApi renewals;

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response revoke(@PathParam("deviceId") String deviceId, @RestForm String reason) {
        String chosen = reason == null || reason.isBlank() ? "unspecified" : reason.strip();
        Fetched<RestResponse<String>> sent = Fetched.from("the renewal API",
                () -> renewals.revoke(Map.of("deviceId", deviceId, "reason", chosen)));
        Fetched<String> answer = sent.ok() ? new Fetched<>(sent.value().getEntity(), sent.value().getStatus(), null)
                : new Fetched<>(null, sent.status(), sent.problem());
        return Response.status(answer.status())
                .entity(ConsolePages.Templates.revoked(Viewer.of(identity), deviceId, answer)).build();
    }
}
