package io.estuary.console.client;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.estuary.console.domain.CaInformation;

/** The frontend's CA information, called with the signed-in user's access token (role auditor or operator). */
@RegisterRestClient(configKey = "frontend")
@RegisterClientHeaders(UserAccessToken.class)
public interface CaApi {
    @GET
    @Path("/api/cas")
    @Produces(MediaType.APPLICATION_JSON)
    List<CaInformation> cas();
}
