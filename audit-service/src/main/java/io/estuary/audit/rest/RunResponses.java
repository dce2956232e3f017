package io.estuary.audit.rest;

import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.estuary.audit.service.RunRefusedException;
import io.estuary.audit.service.VerificationFailedException;

/** A verification or export that cannot run now (429) or could not finish (503), with the reason as text. */
public class RunResponses {
    @ServerExceptionMapper
    public RestResponse<String> refused(RunRefusedException e) {
        return RestResponse.ResponseBuilder.create(RestResponse.Status.TOO_MANY_REQUESTS, e.getMessage())
                .type(MediaType.TEXT_PLAIN_TYPE).build();
    }

    @ServerExceptionMapper
    public RestResponse<String> failed(VerificationFailedException e) {
        return RestResponse.ResponseBuilder.create(RestResponse.Status.SERVICE_UNAVAILABLE, e.getMessage())
                .type(MediaType.TEXT_PLAIN_TYPE).build();
    }
}
