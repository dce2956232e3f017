package io.estuary.renewal.rest;

import java.time.Clock;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.estuary.operatorauth.OperatorRoles;
import io.estuary.renewal.domain.InvalidRevocationException;
import io.estuary.renewal.domain.RevocationOrder;
import io.estuary.renewal.domain.UnknownCertificateException;
import io.estuary.renewal.service.RevocationService;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Revokes certificates: bearer token with the revoker role. 201 when the request revoked something, 200 when every
 * certificate it names was revoked already (the first revocation stands, nothing is published again), 404 for a
 * certificate or device never issued, 400 with the reason for a malformed request.
 */
@Path("/revocations")
@RolesAllowed(OperatorRoles.REVOKER)
public class RevocationResource {
    private static final Logger LOG = Logger.getLogger(RevocationResource.class);

    @Inject
    RevocationService revocations;
    @Inject
    SecurityIdentity identity;
    @Inject
    Clock clock;

    /** The answer: what this request revoked, and what it found revoked before. */
    public record RevocationAnswer(List<RevocationView> revoked, List<RevocationView> alreadyRevoked) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> revoke(RevocationRequest request) {
        if (request == null) {
            throw new InvalidRevocationException("the body must be a JSON object");
        }
        RevocationOrder order = RevocationOrder.parse(request.issuer(), request.serialNumber(), request.deviceId(),
                request.reason(), request.invalidityDate(), clock.instant());
        String operator = identity.getPrincipal().getName();
        return revocations.revoke(order, operator).map(done -> {
            done.added().forEach(r -> LOG.infof("certificate %s of '%s' (device %s) revoked by %s: %s",
                    r.serialNumber(), r.issuer(), r.deviceId(), operator, r.reason().rfcName()));
            RevocationAnswer answer = new RevocationAnswer(done.added().stream().map(RevocationView::of).toList(),
                    done.existing().stream().map(RevocationView::of).toList());
            return Response.status(done.added().isEmpty() ? Response.Status.OK : Response.Status.CREATED)
                    .entity(answer).type(MediaType.APPLICATION_JSON_TYPE).build();
        });
    }

    @ServerExceptionMapper
    Response invalid(InvalidRevocationException e) {
        return Response.status(400).type(MediaType.TEXT_PLAIN).entity(e.getMessage()).build();
    }

    @ServerExceptionMapper
    Response badRequest(BadRequestException e) {
        return Response.status(400).type(MediaType.TEXT_PLAIN).entity(e.getMessage()).build();
    }

    @ServerExceptionMapper
    Response unknown(UnknownCertificateException e) {
        return Response.status(404).type(MediaType.TEXT_PLAIN).entity(e.getMessage()).build();
    }
}
