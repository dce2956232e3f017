package io.estuary.frontend.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import io.estuary.frontend.service.EnrollmentService;
import io.quarkus.security.Authenticated;
import io.estuary.pki.policy.CsrAttributes;
import io.estuary.pki.wire.Base64Body;
import io.estuary.pki.wire.CertsOnly;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.ext.web.RoutingContext;
import io.smallrye.mutiny.Uni;

/**
 * RFC 7030 over HTTPS, under {@code /.well-known/est/} and {@code /.well-known/est/<label>/}. Thin on purpose: each
 * operation hands {@link EnrollmentService} the identity, the client's certificate chain ({@link ClientCertificates}),
 * the label and the body, and encodes its answer; every decision, and every refusal, is the service's (refusals are
 * mapped by {@link EstExceptionMappers}). No {@code @Produces}: clients whose {@code Accept} does not name the EST types still
 * get their answer.
 */
@Path("/.well-known/est")
public class EstResource {
    static final String PKCS10 = "application/pkcs10";
    static final String NO_LABEL = "";

    @Inject
    EnrollmentService enrollment;
    @Inject
    SecurityIdentity identity;
    @Inject
    ClientCertificates certificates;
    @Inject
    RoutingContext routing;

    @GET
    @Path("cacerts")
    @APIResponse(responseCode = "200", description = "the CA's chain, base64 certs-only",
            content = @Content(mediaType = CertsOnly.MEDIA_TYPE))
    public Response caCertificates() {
        return caCertificates(NO_LABEL);
    }

    @GET
    @Path("{label}/cacerts")
    @APIResponse(responseCode = "200", description = "the CA's chain, base64 certs-only",
            content = @Content(mediaType = CertsOnly.MEDIA_TYPE))
    public Response caCertificates(@PathParam("label") String label) {
        return base64(CertsOnly.MEDIA_TYPE, enrollment.caCertificates(label));
    }

    @POST
    @Path("simpleenroll")
    @Consumes(PKCS10)
    @Authenticated
    @APIResponse(responseCode = "200", description = "the certificate, base64 certs-only",
            content = @Content(mediaType = CertsOnly.MEDIA_TYPE))
    @APIResponse(responseCode = "202", description = "accepted, not yet issued: repeat after Retry-After")
    public Uni<Response> simpleEnroll(String body) {
        return simpleEnroll(NO_LABEL, body);
    }

    @POST
    @Path("{label}/simpleenroll")
    @Consumes(PKCS10)
    @Authenticated
    @APIResponse(responseCode = "200", description = "the certificate, base64 certs-only",
            content = @Content(mediaType = CertsOnly.MEDIA_TYPE))
    @APIResponse(responseCode = "202", description = "accepted, not yet issued: repeat after Retry-After")
    public Uni<Response> simpleEnroll(@PathParam("label") String label, String body) {
        return enrollment.simpleEnroll(identity, certificates.chain(routing), label, body)
                .map(der -> base64(CertsOnly.MEDIA_TYPE, der));
    }

    @POST
    @Path("simplereenroll")
    @Consumes(PKCS10)
    @APIResponse(responseCode = "200", description = "the certificate, base64 certs-only",
            content = @Content(mediaType = CertsOnly.MEDIA_TYPE))
    public Uni<Response> simpleReenroll(String body) {
        return simpleReenroll(NO_LABEL, body);
    }

    @POST
    @Path("{label}/simplereenroll")
    @Consumes(PKCS10)
    @APIResponse(responseCode = "200", description = "the certificate, base64 certs-only",
            content = @Content(mediaType = CertsOnly.MEDIA_TYPE))
    public Uni<Response> simpleReenroll(@PathParam("label") String label, String body) {
        return enrollment.simpleReenroll(identity, certificates.chain(routing), label, body)
                .map(der -> base64(CertsOnly.MEDIA_TYPE, der));
    }

    @POST
    @Path("serverkeygen")
    @Consumes(PKCS10)
    @Authenticated
    @APIResponse(responseCode = "200", description = "the private key (PKCS#8) and the certificate",
            content = @Content(mediaType = "multipart/mixed"))
    public Uni<Response> serverKeyGen(String body) {
        return serverKeyGen(NO_LABEL, body);
    }

    @POST
    @Path("{label}/serverkeygen")
    @Consumes(PKCS10)
    @Authenticated
    @APIResponse(responseCode = "200", description = "the private key (PKCS#8) and the certificate",
            content = @Content(mediaType = "multipart/mixed"))
    public Uni<Response> serverKeyGen(@PathParam("label") String label, String body) {
        return enrollment.serverKeyGen(identity, certificates.chain(routing), label, body).map(generated -> {
            try {
                return ServerKeyGenResponse.of(generated.pkcs8(), generated.certsOnly());
            } finally {
                java.util.Arrays.fill(generated.pkcs8(), (byte) 0);
            }
        });
    }

    @GET
    @Path("csrattrs")
    @APIResponse(responseCode = "200", description = "the attributes a CSR should carry, base64",
            content = @Content(mediaType = CsrAttributes.MEDIA_TYPE))
    @APIResponse(responseCode = "204", description = "the label's profile asks for none")
    public Response csrAttributes() {
        return csrAttributes(NO_LABEL);
    }

    @GET
    @Path("{label}/csrattrs")
    @APIResponse(responseCode = "200", description = "the attributes a CSR should carry, base64",
            content = @Content(mediaType = CsrAttributes.MEDIA_TYPE))
    @APIResponse(responseCode = "204", description = "the label's profile asks for none")
    public Response csrAttributes(@PathParam("label") String label) {
        return enrollment.csrAttributes(label).map(der -> base64(CsrAttributes.MEDIA_TYPE, der))
                .orElseGet(() -> Response.noContent().build());
    }

    @POST
    @Path("fullcmc")
    @APIResponse(responseCode = "501", description = "Full CMC is not offered")
    public void fullCmc() {
        fullCmc(NO_LABEL);
    }

    @POST
    @Path("{label}/fullcmc")
    @APIResponse(responseCode = "501", description = "Full CMC is not offered")
    public void fullCmc(@PathParam("label") String label) {
        enrollment.fullCmc(label);
    }

    /** Base64 in 64-character lines; the type is set as a plain string so it keeps the space libest expects. */
    static Response base64(String mediaType, byte[] der) {
        return Response.ok(Base64Body.encode(der)).header("Content-Type", mediaType)
                .header("Content-Transfer-Encoding", "base64").build();
    }
}
