package io.estuary.renewal.rest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
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
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.estuary.operatorauth.OperatorRoles;
import io.estuary.renewal.domain.CertificateStore;
import io.estuary.renewal.domain.RenewalState;
import io.smallrye.mutiny.Uni;

/** The fleet's renewal state, for operators: bearer token with the operator role. */
@Path("/renewals")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(OperatorRoles.OPERATOR)
public class RenewalResource {
    private static final int MAX_LIMIT = 1000;
    /** Deep offsets get slow on a large fleet; beyond this, filter by label instead. */
    private static final int MAX_PAGE = 10_000;
    /** A year and a day: the calendar's range is one index range scan, bounded so a request cannot ask for all. */
    private static final int MAX_CALENDAR_DAYS = 366;

    @Inject
    CertificateStore repository;

    @Inject
    Clock clock;

    /** Devices tracked and how many are due, overdue, expired, in total and per label. */
    @GET
    @Path("summary")
    public Uni<FleetSummary> summary() {
        Instant now = clock.instant();
        return repository.countsByLabel(now).map(labels -> FleetSummary.of(now, labels));
    }

    /**
     * Per UTC day from today through {@code days} days ahead, how many current certificates expire (revoked ones not
     * counted); every day is listed, zero included, so a calendar needs no filling in.
     */
    @GET
    @Path("expiries")
    public Uni<ExpiryCalendar> expiries(@QueryParam("days") @DefaultValue("90") String daysParameter) {
        int days = intInRange("days", daysParameter, 1, MAX_CALENDAR_DAYS);
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        Instant until = today.plusDays(days).atStartOfDay(ZoneOffset.UTC).toInstant();
        return repository.expiriesPerDay(now, until).map(counts -> ExpiryCalendar.of(now, today, days, counts));
    }

    /** Devices whose renewal point falls before now + {@code within} (an ISO-8601 duration, e.g. P7D), past ones included. */
    @GET
    @Path("due")
    public Uni<List<CertificateView>> due(@QueryParam("within") @DefaultValue("P0D") String within,
            @QueryParam("limit") @DefaultValue("100") String limitParameter) {
        Duration window;
        try {
            window = Duration.parse(within);
        } catch (DateTimeParseException e) {
            throw new BadRequestException("'within' must be an ISO-8601 duration such as PT12H or P7D");
        }
        if (window.isNegative()) {
            throw new BadRequestException("'within' must not be negative");
        }
        int limit = intInRange("limit", limitParameter, 1, MAX_LIMIT);
        Instant now = clock.instant();
        return repository.renewalDueBy(now.plus(window), limit)
                .map(list -> list.stream().map(c -> CertificateView.of(c, now)).toList());
    }

    /** Devices whose current certificate is due, overdue or expired now (the states do not overlap), a page at a time. */
    @GET
    @Path("devices")
    public Uni<DevicePage> devices(@QueryParam("state") String stateParameter, @QueryParam("label") String label,
            @QueryParam("page") @DefaultValue("0") String pageParameter,
            @QueryParam("size") @DefaultValue("100") String sizeParameter) {
        RenewalState state = RenewalState.fromParameter(stateParameter);
        if (state != RenewalState.DUE && state != RenewalState.OVERDUE && state != RenewalState.EXPIRED) {
            throw new BadRequestException("'state' must be one of due, overdue, expired");
        }
        int page = intInRange("page", pageParameter, 0, MAX_PAGE);
        int size = intInRange("size", sizeParameter, 1, MAX_LIMIT);
        Instant now = clock.instant();
        // One row more than asked tells whether another page follows, without counting the fleet.
        return repository.inState(state, label, now, (long) page * size, size + 1).map(rows -> new DevicePage(state,
                label, page, size, rows.size() > size,
                rows.stream().limit(size).map(c -> CertificateView.of(c, now)).toList()));
    }

    /** The device's current certificate. */
    @GET
    @Path("devices/{deviceId}")
    public Uni<CertificateView> device(@PathParam("deviceId") String deviceId) {
        Instant now = clock.instant();
        return repository.current(deviceId).onItem().ifNull()
                .failWith(() -> new NotFoundException("no certificate tracked for device " + deviceId))
                .map(c -> CertificateView.of(c, now));
    }

    /** Every certificate issued to the device, newest first, with what was reported for each. */
    @GET
    @Path("devices/{deviceId}/history")
    public Uni<List<CertificateView>> history(@PathParam("deviceId") String deviceId) {
        Instant now = clock.instant();
        return repository.history(deviceId).map(list -> {
            if (list.isEmpty()) {
                throw new NotFoundException("no certificate tracked for device " + deviceId);
            }
            return list.stream().map(c -> CertificateView.of(c, now)).toList();
        });
    }

    /** Parsed here rather than by JAX-RS, which answers a non-number query parameter with 404, not 400. */
    private static int intInRange(String name, String text, int min, int max) {
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadRequestException("'" + name + "' must be a whole number between " + min + " and " + max);
    }

    /** The reason goes back as plain text, as the other services do. */
    @ServerExceptionMapper
    Response badRequest(BadRequestException e) {
        return Response.status(400).type(MediaType.TEXT_PLAIN).entity(e.getMessage()).build();
    }

    @ServerExceptionMapper
    Response notFound(NotFoundException e) {
        return Response.status(404).type(MediaType.TEXT_PLAIN).entity(e.getMessage()).build();
    }
}
