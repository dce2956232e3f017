package io.estuary.frontend.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.estuary.frontend.domain.ClientCertificateRefusedException;
import io.estuary.frontend.domain.ClientCertificateRefusedException.Refusal;
import io.estuary.frontend.domain.CredentialCheckUnavailableException;
import io.estuary.frontend.domain.EnrollmentFailedException;
import io.estuary.frontend.domain.EnrollmentPendingException;
import io.estuary.frontend.domain.EnrollmentRejectedException;
import io.estuary.frontend.domain.EnrollmentUnavailableException;
import io.estuary.frontend.domain.LabelNotAllowedException;
import io.estuary.frontend.domain.OperationNotSupportedException;
import io.estuary.frontend.domain.TooManyFailuresException;
import io.estuary.frontend.domain.UnknownLabelException;
import io.estuary.frontend.listener.MalformedClientCertificateHeaderException;
import io.estuary.frontend.service.EnrollmentMetrics;
import io.estuary.pki.policy.InvalidCsrException;
import io.estuary.pki.policy.ReenrollmentRefusedException;
import io.estuary.pki.wire.MalformedRequestException;
import io.vertx.ext.web.RoutingContext;

/**
 * Every error an EST client can see, mapped to its status code in one place, with a plain-text reason. The exceptions
 * carry no status: what a refusal means on the wire is decided here, also for the refusals answered before
 * authentication ({@link AuthFailureFilter} sends {@link #tooManyFailures}'s answer).
 */
public class EstExceptionMappers {
    @Inject
    RoutingContext routing;
    @ConfigProperty(name = "quarkus.http.auth.realm", defaultValue = "estuary")
    String realm;

    /**
     * A refused TLS client certificate: 401 when it is outside its validity (the client must authenticate again: its
     * bootstrap certificate on a new connection, or a password without a certificate, which the challenge names), 403
     * when no trusted CA vouches for it or it is not allowed here. Failed authentications are left for
     * {@link AuthFailureFilter} to count and publish.
     */
    @ServerExceptionMapper
    public Response certificateRefused(ClientCertificateRefusedException e) {
        routing.put(EnrollmentMetrics.REFUSAL, "certificate");
        if (e.refusal().authenticationFailure()) {
            routing.put(ClientCertificates.AUTHENTICATION_FAILURE, e.getMessage());
        }
        if (e.refusal() == Refusal.OUTSIDE_VALIDITY) {
            return Response.status(Response.Status.UNAUTHORIZED).type(MediaType.TEXT_PLAIN_TYPE)
                    .entity(e.getMessage() + "\n").header("WWW-Authenticate", "Basic realm=\"" + realm + "\"")
                    .build();
        }
        return plain(Response.Status.FORBIDDEN, e.getMessage());
    }

    @ServerExceptionMapper
    public Response malformed(MalformedRequestException e) {
        routing.put(EnrollmentMetrics.REFUSAL, "malformed");
        return plain(Response.Status.BAD_REQUEST, e.getMessage());
    }

    /** A trusted proxy's client-certificate header without a readable certificate (see {@link AuthFailureFilter}). */
    @ServerExceptionMapper
    public Response malformedHeader(MalformedClientCertificateHeaderException e) {
        routing.put(EnrollmentMetrics.REFUSAL, "malformed");
        return malformedHeaderResponse(e);
    }

    static Response malformedHeaderResponse(MalformedClientCertificateHeaderException e) {
        return plain(Response.Status.BAD_REQUEST, e.getMessage());
    }

    @ServerExceptionMapper
    public Response invalidCsr(InvalidCsrException e) {
        routing.put(EnrollmentMetrics.REFUSAL, "csr_policy");
        return plain(Response.Status.BAD_REQUEST, e.getMessage());
    }

    @ServerExceptionMapper
    public Response rejected(EnrollmentRejectedException e) {
        routing.put(EnrollmentMetrics.REFUSAL, "signer_rejected");
        return plain(Response.Status.BAD_REQUEST, "request rejected: " + e.getMessage());
    }

    /** Not the client's fault and nothing was signed: the same request may be sent again. */
    @ServerExceptionMapper
    public Response failed(EnrollmentFailedException e) {
        return plain(Response.Status.INTERNAL_SERVER_ERROR, e.getMessage());
    }

    /** RFC 7030 §4.2.3: accepted, not yet issued; the client repeats the same request after the delay. */
    @ServerExceptionMapper
    public Response pending(EnrollmentPendingException e) {
        return Response.status(Response.Status.ACCEPTED).type(MediaType.TEXT_PLAIN_TYPE)
                .header("Retry-After", e.retryAfterSeconds()).entity(e.getMessage() + "\n").build();
    }

    @ServerExceptionMapper
    public Response unavailable(EnrollmentUnavailableException e) {
        return Response.status(Response.Status.SERVICE_UNAVAILABLE).type(MediaType.TEXT_PLAIN_TYPE)
                .header("Retry-After", 30).entity(e.getMessage() + "\n").build();
    }

    /** Keycloak down or misconfigured: the credential was not judged, so neither 401 nor a counted failure. */
    @ServerExceptionMapper
    public Response credentialsUncheckable(CredentialCheckUnavailableException e) {
        return Response.status(Response.Status.SERVICE_UNAVAILABLE).type(MediaType.TEXT_PLAIN_TYPE)
                .header("Retry-After", 30).entity("credentials cannot be checked right now; retry later\n").build();
    }

    /**
     * An identity or address over its failure limit: found by {@link AuthFailureFilter} before authentication, or
     * while a password check was about to reserve its slot.
     */
    @ServerExceptionMapper
    public Response tooManyFailures(TooManyFailuresException e) {
        return tooManyFailuresResponse(e);
    }

    static Response tooManyFailuresResponse(TooManyFailuresException e) {
        return Response.status(429).type(MediaType.TEXT_PLAIN_TYPE).header("Retry-After", e.retryAfterSeconds())
                .entity(e.getMessage() + "\n").build();
    }

    @ServerExceptionMapper
    public Response reenrollmentRefused(ReenrollmentRefusedException e) {
        routing.put(EnrollmentMetrics.REFUSAL, "reenrollment");
        return plain(Response.Status.FORBIDDEN, e.getMessage());
    }

    @ServerExceptionMapper
    public Response labelNotAllowed(LabelNotAllowedException e) {
        routing.put(EnrollmentMetrics.REFUSAL, "label_not_allowed");
        return plain(Response.Status.FORBIDDEN, e.getMessage());
    }

    @ServerExceptionMapper
    public Response unknownLabel(UnknownLabelException e) {
        return plain(Response.Status.NOT_FOUND, e.getMessage());
    }

    @ServerExceptionMapper
    public Response notSupported(OperationNotSupportedException e) {
        return plain(Response.Status.NOT_IMPLEMENTED, e.getMessage());
    }

    /**
     * What JAX-RS refuses before an operation runs (a method the path does not take): the same status and headers
     * (Allow), with a reason instead of an empty body.
     */
    @ServerExceptionMapper
    public Response refusedByHttp(jakarta.ws.rs.WebApplicationException e) {
        Response refused = e.getResponse();
        String reason = refused.getStatusInfo().getReasonPhrase();
        String allowed = refused.getHeaderString("Allow");
        if (refused.getStatus() == 405 && allowed != null) {
            reason = routing.request().method() + " is not allowed on this path; allowed: " + allowed;
        }
        return Response.fromResponse(refused).type(MediaType.TEXT_PLAIN_TYPE).entity(reason + "\n").build();
    }

    static Response plain(Response.Status status, String reason) {
        return Response.status(status).type(MediaType.TEXT_PLAIN_TYPE).entity(reason + "\n").build();
    }
}
