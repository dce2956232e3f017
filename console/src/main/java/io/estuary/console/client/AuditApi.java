package io.estuary.console.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.estuary.console.domain.AuditPage;
import io.estuary.console.domain.ChainVerification;

/** The audit service's API, called with the signed-in user's access token (role auditor). */
@RegisterRestClient(configKey = "audit")
@RegisterClientHeaders(UserAccessToken.class)
@Produces(MediaType.APPLICATION_JSON)
public interface AuditApi {
    @GET
    @Path("/audit/records")
    AuditPage records(@QueryParam("device") String device, @QueryParam("serial") String serial,
            @QueryParam("label") String label, @QueryParam("outcome") String outcome, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("after") Long after, @QueryParam("limit") int limit);

    /** 200 when the chain is intact; 409 (thrown, with the same body) when broken. */
    @GET
    @Path("/audit/verify")
    ChainVerification verify();
}
