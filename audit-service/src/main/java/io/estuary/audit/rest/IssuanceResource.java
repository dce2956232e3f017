package io.estuary.audit.rest;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.estuary.audit.repository.IssuanceRecord;
import io.estuary.audit.repository.IssuanceRecordRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

@Path("/issuances")
@Produces(MediaType.APPLICATION_JSON)
public class IssuanceResource {
    @Inject
    IssuanceRecordRepository repository;

    /** Every decision recorded for a device, oldest first; or the one decision for a request id. */
    @GET
    @WithSession
    public Uni<List<IssuanceRecord>> find(@QueryParam("device") String deviceId,
            @QueryParam("request") String requestId) {
        if (deviceId != null && !deviceId.isBlank()) {
            return repository.findByDevice(deviceId);
        }
        if (requestId != null && !requestId.isBlank()) {
            return repository.findByRequestId(requestId).map(r -> r == null ? List.of() : List.of(r));
        }
        throw new BadRequestException("query parameter 'device' or 'request' is required");
    }
}
