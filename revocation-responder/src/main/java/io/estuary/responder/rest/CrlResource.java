package io.estuary.responder.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import io.estuary.responder.service.CrlDistribution;

/**
 * Each CA's CRL at {@code /crl/<CA alias>.crl}, DER as {@code application/pkix-crl} (RFC 5280 §4.2.1.13), the URL the
 * profiles' {@code crl-url} puts into the certificates.
 */
@Path("/crl")
public class CrlResource {
    static final String PKIX_CRL = "application/pkix-crl";

    @Inject
    CrlDistribution crls;

    @GET
    @Path("{alias}.crl")
    public Response crl(@PathParam("alias") String alias) {
        return crls.crl(alias).map(crl -> Response.ok(crl.der(), PKIX_CRL)
                .header("Last-Modified", java.util.Date.from(crl.thisUpdate()))
                .header("Expires", java.util.Date.from(crl.nextUpdate())).build())
                .orElseGet(() -> Response.status(404).type("text/plain")
                        .entity("no CRL of CA '" + alias + "' (yet)\n").build());
    }
}
