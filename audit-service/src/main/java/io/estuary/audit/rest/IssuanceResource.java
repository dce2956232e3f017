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

    /** Every decision recorded for a device, oldest first. */
    @GET
    @WithSession
    public Uni<List<IssuanceRecord>> byDevice(@QueryParam("device") String deviceId) {
        if (deviceId == null || deviceId.isBlank()) {
            throw new BadRequestException("query parameter 'device' is required");
        }
        return repository.findByDevice(deviceId);
    }
}
