package io.estuary.audit.rest;

import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.estuary.audit.domain.InvalidQueryException;

/** Bad input to any endpoint: 400 with the reason as text. */
public class InvalidQueryMapper {
    @ServerExceptionMapper
    public RestResponse<String> badRequest(InvalidQueryException e) {
        return RestResponse.ResponseBuilder.create(RestResponse.Status.BAD_REQUEST, e.getMessage())
                .type(MediaType.TEXT_PLAIN_TYPE).build();
    }
}
