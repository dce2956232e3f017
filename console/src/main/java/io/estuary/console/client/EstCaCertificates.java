package io.estuary.console.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The frontend's EST {@code /cacerts}, which serves the certificates themselves (the CA information does not carry
 * the keys). Anonymous, as for any EST client: no token goes to the EST paths.
 */
@RegisterRestClient(configKey = "frontend")
@Produces("application/pkcs7-mime")
public interface EstCaCertificates {
    /** The unlabelled path's chain, base64 certs-only CMS. */
    @GET
    @Path("/.well-known/est/cacerts")
    String unlabelled();

    @GET
    @Path("/.well-known/est/{label}/cacerts")
    String labelled(@PathParam("label") String label);
}
