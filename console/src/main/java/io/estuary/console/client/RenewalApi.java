package io.estuary.console.client;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.RestResponse;

import io.estuary.console.domain.Certificate;
import io.estuary.console.domain.DevicePage;
import io.estuary.console.domain.ExpiryCalendar;
import io.estuary.console.domain.FleetSummary;

/** The renewal scheduler's API, called with the signed-in user's access token (its roles decide what answers). */
@RegisterRestClient(configKey = "renewal")
@RegisterClientHeaders(UserAccessToken.class)
@Produces(MediaType.APPLICATION_JSON)
public interface RenewalApi {
    @GET
    @Path("/renewals/summary")
    FleetSummary summary();

    @GET
    @Path("/renewals/expiries")
    ExpiryCalendar expiries(@QueryParam("days") int days);

    @GET
    @Path("/renewals/devices")
    DevicePage devices(@QueryParam("state") String state, @QueryParam("label") String label,
            @QueryParam("page") int page, @QueryParam("size") int size);

    @GET
    @Path("/renewals/devices/{deviceId}/history")
    List<Certificate> history(@PathParam("deviceId") String deviceId);

    /** {@code POST /revocations} (role revoker): the body as docs/revocation.md describes it; the answer (201 revoked, 200 revoked before) as sent. */
    @POST
    @Path("/revocations")
    @Consumes(MediaType.APPLICATION_JSON)
    RestResponse<String> revoke(Map<String, String> request);
}
