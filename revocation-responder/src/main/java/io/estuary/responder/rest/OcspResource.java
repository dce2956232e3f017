package io.estuary.responder.rest;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.Encoded;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import io.estuary.pki.ocsp.OcspRefusal;
import io.estuary.pki.ocsp.OcspResponder;
import io.estuary.responder.service.OcspService;
import io.smallrye.common.annotation.Blocking;

/**
 * OCSP over HTTP (RFC 6960 Appendix A): POST of a DER request, or GET of its base64 (URL-encoded) in the path. A
 * request that is not OCSP gets the malformedRequest answer with 400; other refusals (a CA not answered for, tryLater)
 * are OCSP answers with 200, as clients expect them.
 */
@Path("/ocsp")
@Blocking
public class OcspResource {
    static final String REQUEST = "application/ocsp-request";
    static final String RESPONSE = "application/ocsp-response";
    private static final Logger LOG = Logger.getLogger(OcspResource.class);

    @Inject
    OcspService ocsp;

    @POST
    @Consumes(REQUEST)
    public Response post(byte[] request) {
        return answer(request);
    }

    @GET
    @Path("{request: .+}")
    public Response get(@Encoded @PathParam("request") String encoded) {
        byte[] request;
        try {
            // A '+' of base64 stays a '+' (URLDecoder would make it a space); %2B, %2F and %3D are decoded.
            request = Base64.getDecoder().decode(URLDecoder.decode(encoded.replace("+", "%2B"),
                    StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            return refused(new OcspRefusal(OcspRefusal.Status.MALFORMED_REQUEST, "not base64"));
        }
        return answer(request);
    }

    private Response answer(byte[] request) {
        try {
            return Response.ok(ocsp.answer(request), RESPONSE).build();
        } catch (OcspRefusal refusal) {
            return refused(refusal);
        }
    }

    private static Response refused(OcspRefusal refusal) {
        LOG.debugf("OCSP request refused (%s): %s", refusal.status(), refusal.getMessage());
        int http = refusal.status() == OcspRefusal.Status.MALFORMED_REQUEST ? 400 : 200;
        return Response.status(http).type(RESPONSE).entity(OcspResponder.refusal(refusal.status())).build();
    }
}
