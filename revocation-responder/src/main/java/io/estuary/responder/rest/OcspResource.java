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
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * OCSP over HTTP (RFC 6960 Appendix A): POST of a DER request, or GET of its base64 (URL-encoded) in the path. A
 * request that is not OCSP gets the malformedRequest answer with 400; other refusals (a CA not answered for, tryLater)
 * are OCSP answers with 200, as clients expect them.
 */
@Path("/ocsp")
@NonBlocking
public class OcspResource {
    static final String REQUEST = "application/ocsp-request";
    static final String RESPONSE = "application/ocsp-response";
    private static final Logger LOG = Logger.getLogger(OcspResource.class);

    @Inject
    OcspService ocsp;

    @POST
    @Consumes(REQUEST)
    public Uni<Response> post(byte[] request) {
        return answer(request);
    }

    @GET
    @Path("{request: .+}")
    public Uni<Response> get(@Encoded @PathParam("request") String encoded) {
        byte[] request;
        try {
            // A '+' of base64 stays a '+' (URLDecoder would make it a space); %2B, %2F and %3D are decoded.
            request = Base64.getDecoder().decode(URLDecoder.decode(encoded.replace("+", "%2B"),
                    StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(refused(new OcspRefusal(OcspRefusal.Status.MALFORMED_REQUEST, "not base64")));
        }
        return answer(request);
    }

    /**
     * A kept answer is sent from the I/O thread; one to be signed (a token operation that may block) is made on a
     * worker thread.
     */
    private Uni<Response> answer(byte[] request) {
        try {
            byte[] kept = ocsp.kept(request);
            if (kept != null) {
                return Uni.createFrom().item(Response.ok(kept, RESPONSE).build());
            }
        } catch (OcspRefusal refusal) {
            return Uni.createFrom().item(refused(refusal));
        }
        return Uni.createFrom().item(() -> {
            try {
                return Response.ok(ocsp.answer(request), RESPONSE).build();
            } catch (OcspRefusal refusal) {
                return refused(refusal);
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private static Response refused(OcspRefusal refusal) {
        LOG.debugf("OCSP request refused (%s): %s", refusal.status(), refusal.getMessage());
        int http = refusal.status() == OcspRefusal.Status.MALFORMED_REQUEST ? 400 : 200;
        return Response.status(http).type(RESPONSE).entity(OcspResponder.refusal(refusal.status())).build();
    }
}
