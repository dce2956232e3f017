package io.estuary.frontend.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import io.estuary.frontend.service.EnrollmentService;
import io.estuary.pki.Base64Body;
import io.estuary.pki.CertsOnly;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/** RFC 7030 over HTTPS. Thin on purpose: every decision lives in {@link EnrollmentService}. */
@Path("/.well-known/est")
public class EstResource {
    static final String PKCS10 = "application/pkcs10";
    static final String DEFAULT_LABEL = "";

    @Inject
    EnrollmentService enrollment;
    @Inject
    SecurityIdentity identity;

    @GET
    @Path("cacerts")
    public Response caCertificates() {
        return certsOnly(enrollment.caCertificates());
    }

    @POST
    @Path("simpleenroll")
    @Consumes(PKCS10)
    @RolesAllowed(EnrollmentRoles.ENROLL)
    public Uni<Response> simpleEnroll(String body) {
        return enrollment.simpleEnroll(identity.getPrincipal().getName(), DEFAULT_LABEL, body)
                .map(EstResource::certsOnly);
    }

    /** Base64 in 64-character lines; the type is set as a plain string so it keeps the space libest expects. */
    static Response certsOnly(byte[] der) {
        return Response.ok(Base64Body.encode(der)).header("Content-Type", CertsOnly.MEDIA_TYPE)
                .header("Content-Transfer-Encoding", "base64").build();
    }
}
