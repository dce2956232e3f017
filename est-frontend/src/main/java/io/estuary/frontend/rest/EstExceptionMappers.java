package io.estuary.frontend.rest;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.estuary.frontend.service.EnrollmentPendingException;
import io.estuary.frontend.service.EnrollmentRejectedException;
import io.estuary.pki.InvalidCsrException;
import io.estuary.pki.MalformedRequestException;

/** Every error an EST client can see, mapped to its status code in one place, with a plain-text reason. */
public class EstExceptionMappers {

    @ServerExceptionMapper
    public Response malformed(MalformedRequestException e) {
        return plain(Response.Status.BAD_REQUEST, e.getMessage());
    }

    @ServerExceptionMapper
    public Response invalidCsr(InvalidCsrException e) {
        return plain(Response.Status.BAD_REQUEST, e.getMessage());
    }

    @ServerExceptionMapper
    public Response rejected(EnrollmentRejectedException e) {
        return plain(Response.Status.BAD_REQUEST, "request rejected: " + e.getMessage());
    }

    @ServerExceptionMapper
    public Response pending(EnrollmentPendingException e) {
        return Response.status(Response.Status.SERVICE_UNAVAILABLE).type(MediaType.TEXT_PLAIN_TYPE)
                .header("Retry-After", e.retryAfterSeconds()).entity(e.getMessage() + "\n").build();
    }

    static Response plain(Response.Status status, String reason) {
        return Response.status(status).type(MediaType.TEXT_PLAIN_TYPE).entity(reason + "\n").build();
    }
}
