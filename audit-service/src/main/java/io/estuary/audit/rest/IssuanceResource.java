package io.estuary.audit.rest;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestQuery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.estuary.audit.domain.AuditColumns;
import io.estuary.audit.domain.AuditRecord;
import io.estuary.audit.domain.AuditRecords;
import io.estuary.audit.domain.InvalidQueryException;
import io.estuary.contracts.IssuanceResult;
import io.estuary.operatorauth.OperatorRoles;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * The signer's decisions (issued or rejected) for a device or a request, as the signer published them. Part of the audit
 * trail: bearer token with the auditor role.
 */
@Path("/issuances")
@RolesAllowed(OperatorRoles.AUDITOR)
@Produces(MediaType.APPLICATION_JSON)
public class IssuanceResource {
    @Inject
    AuditRecords records;
    @Inject
    ObjectMapper json;

    /** Every decision recorded for a device, oldest first; or the one decision for a request id. */
    @GET
    public Uni<List<IssuanceResult>> find(@RestQuery String device, @RestQuery String request) {
        // The column may hold a value cut to its length (AuditColumns); the event itself tells the exact one.
        if (device != null && !device.isBlank()) {
            return Panache.withSession(() -> records.issuanceResultsForDevice(
                    AuditColumns.fit(device, AuditColumns.DEVICE_ID)))
                    .map(found -> events(found).stream().filter(e -> device.equals(e.deviceId())).toList());
        }
        if (request != null && !request.isBlank()) {
            return Panache.withSession(() -> records.issuanceResultsForRequest(
                    AuditColumns.fit(request, AuditColumns.REQUEST_ID)))
                    .map(found -> events(found).stream().filter(e -> request.equals(e.requestId())).toList());
        }
        throw new InvalidQueryException("query parameter 'device' or 'request' is required");
    }

    private List<IssuanceResult> events(List<AuditRecord> found) {
        return found.stream().map(this::event).toList();
    }

    private IssuanceResult event(AuditRecord record) {
        try {
            return json.readValue(record.payload, IssuanceResult.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("record " + record.sequence + " holds an unreadable issuance result", e);
        }
    }
}
