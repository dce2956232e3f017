package io.estuary.renewal.rest;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.estuary.renewal.repository.DeviceCertificate;
import io.estuary.renewal.repository.DeviceCertificateRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

@Path("/renewals")
@Produces(MediaType.APPLICATION_JSON)
public class RenewalResource {
    private static final int MAX_LIMIT = 1000;

    @Inject
    DeviceCertificateRepository repository;

    /** Devices whose renewal point falls before now + {@code within} (an ISO-8601 duration, e.g. P7D), past ones included. */
    @GET
    @Path("due")
    @WithSession
    public Uni<List<DeviceCertificate>> due(@QueryParam("within") @DefaultValue("P0D") String within,
            @QueryParam("limit") @DefaultValue("100") int limit) {
        Duration window;
        try {
            window = Duration.parse(within);
        } catch (DateTimeParseException e) {
            throw new BadRequestException("'within' must be an ISO-8601 duration such as PT12H or P7D");
        }
        if (window.isNegative()) {
            throw new BadRequestException("'within' must not be negative");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new BadRequestException("'limit' must be between 1 and " + MAX_LIMIT);
        }
        return repository.renewalDueBy(Instant.now().plus(window), limit);
    }

    @GET
    @Path("devices/{deviceId}")
    @WithSession
    public Uni<DeviceCertificate> device(@PathParam("deviceId") String deviceId) {
        return repository.findByDevice(deviceId).onItem().ifNull()
                .failWith(() -> new NotFoundException("no certificate tracked for device " + deviceId));
    }
}
