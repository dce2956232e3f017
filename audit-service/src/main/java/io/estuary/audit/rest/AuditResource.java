package io.estuary.audit.rest;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.RestStreamElementType;

import io.estuary.audit.config.AuditConfig;
import io.estuary.audit.repository.AuditRecord;
import io.estuary.audit.repository.AuditRecordRepository;
import io.estuary.audit.service.AuditCsv;
import io.estuary.audit.service.AuditQuery;
import io.estuary.audit.service.AuditRecordView;
import io.estuary.audit.service.ChainVerification;
import io.estuary.audit.service.ChainVerificationService;
import io.estuary.audit.service.PageRequest;
import io.estuary.operatorauth.OperatorRoles;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The auditor's API: records by device, serial number, label, outcome, request and time range, in chain order;
 * exports of the same as JSON lines and CSV; and verification of the hash chain. Bearer token with the auditor role.
 */
@Path("/audit")
@RolesAllowed(OperatorRoles.AUDITOR)
public class AuditResource {
    private static final int EXPORT_PAGE_SIZE = 500;

    @Inject
    AuditRecordRepository records;
    @Inject
    ChainVerificationService verification;
    @Inject
    AuditConfig config;

    /** One page of records; {@code next} is the {@code after} value of the following page, null on the last. */
    public record AuditPage(List<AuditRecordView> records, Long next) {
    }

    @GET
    @Path("/records")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<AuditPage> records(@RestQuery String device, @RestQuery String serial, @RestQuery String label,
            @RestQuery String outcome, @RestQuery String request, @RestQuery String from, @RestQuery String to,
            @RestQuery String after, @RestQuery String limit) {
        AuditQuery query = AuditQuery.parse(device, serial, label, outcome, request, from, to);
        PageRequest page = PageRequest.parse(after, limit, config.query().defaultLimit(), config.query().maxLimit());
        return Panache.withSession(() -> records.page(query, page.after(), page.limit())).map(found -> {
            Long next = found.size() < page.limit() ? null : found.get(found.size() - 1).sequence;
            return new AuditPage(found.stream().map(AuditRecordView::of).toList(), next);
        });
    }

    @GET
    @Path("/export.jsonl")
    @Produces("application/x-ndjson")
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<AuditRecordView> exportJsonLines(@RestQuery String device, @RestQuery String serial, @RestQuery String label,
            @RestQuery String outcome, @RestQuery String request, @RestQuery String from, @RestQuery String to) {
        AuditQuery query = AuditQuery.parse(device, serial, label, outcome, request, from, to);
        return matching(query);
    }

    @GET
    @Path("/export.csv")
    @Produces("text/csv")
    public Multi<String> exportCsv(@RestQuery String device, @RestQuery String serial, @RestQuery String label,
            @RestQuery String outcome, @RestQuery String request, @RestQuery String from, @RestQuery String to) {
        AuditQuery query = AuditQuery.parse(device, serial, label, outcome, request, from, to);
        return Multi.createBy().concatenating().streams(Multi.createFrom().item(AuditCsv.header()),
                matching(query).map(AuditCsv::row));
    }

    /** 200 when the whole chain verifies, 409 with the first broken record otherwise. */
    @GET
    @Path("/verify")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<ChainVerification>> verify() {
        return verification.verify().map(result -> result.valid() ? RestResponse.ok(result)
                : RestResponse.status(RestResponse.Status.CONFLICT, result));
    }

    /** Every matching record, read a page at a time so that an export of any size streams in bounded memory. */
    private Multi<AuditRecordView> matching(AuditQuery query) {
        AtomicLong after = new AtomicLong();
        return Multi.createBy().repeating()
                .uni(() -> Panache.withSession(() -> records.page(query, after.get(), EXPORT_PAGE_SIZE))
                        .invoke(page -> {
                            if (!page.isEmpty()) {
                                after.set(page.get(page.size() - 1).sequence);
                            }
                        }))
                .until(List::isEmpty)
                .onItem().<AuditRecord>disjoint()
                .map(AuditRecordView::of);
    }
}
