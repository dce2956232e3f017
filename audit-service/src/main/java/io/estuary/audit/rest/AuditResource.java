package io.estuary.audit.rest;

import java.net.URI;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.RestStreamElementType;

import io.estuary.audit.config.AuditConfig;
import io.estuary.audit.domain.AuditQuery;
import io.estuary.audit.domain.AuditRecord;
import io.estuary.audit.domain.AuditRecords;
import io.estuary.audit.domain.ChainVerification;
import io.estuary.audit.domain.Checkpoint;
import io.estuary.audit.domain.PageRequest;
import io.estuary.audit.service.AuditCsv;
import io.estuary.audit.service.AuditRecordView;
import io.estuary.audit.service.ChainVerificationRuns;
import io.estuary.audit.service.RunRefusedException;
import io.estuary.audit.service.VerificationFailedException;
import io.estuary.operatorauth.OperatorRoles;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The auditor's API: records by device, serial number, label, outcome, request and time range, in chain order;
 * exports of the same as JSON lines and CSV; and verification of the hash chain. Bearer token with the auditor role.
 */
@Path("/audit")
@Singleton // one export limit for every request
@RolesAllowed(OperatorRoles.AUDITOR)
public class AuditResource {
    private static final int EXPORT_PAGE_SIZE = 500;

    @Inject
    AuditRecords records;
    @Inject
    AuditConfig config;
    @Inject
    ChainVerificationRuns runs;

    private Semaphore exports;

    @PostConstruct
    void limitExports() {
        exports = new Semaphore(config.export().maxConcurrent());
    }

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
            @RestQuery String outcome, @RestQuery String request, @RestQuery String from, @RestQuery String to,
            @RestQuery String after) {
        AuditQuery query = AuditQuery.parse(device, serial, label, outcome, request, from, to);
        return matching(query, PageRequest.parseAfter(after));
    }

    @GET
    @Path("/export.csv")
    @Produces("text/csv")
    public Multi<String> exportCsv(@RestQuery String device, @RestQuery String serial, @RestQuery String label,
            @RestQuery String outcome, @RestQuery String request, @RestQuery String from, @RestQuery String to,
            @RestQuery String after) {
        AuditQuery query = AuditQuery.parse(device, serial, label, outcome, request, from, to);
        return Multi.createBy().concatenating().streams(Multi.createFrom().item(AuditCsv.header()),
                matching(query, PageRequest.parseAfter(after)).map(AuditCsv::row));
    }

    /**
     * Verifies the chain and answers when done: 200 when intact, 409 with the first broken record otherwise. A run
     * like {@code POST /audit/verifications}, with the same checkpoint parameters and the same one-at-a-time rule.
     */
    @GET
    @Path("/verify")
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking
    public Uni<RestResponse<ChainVerification>> verify(@RestQuery String after, @RestQuery String afterHash) {
        ChainVerificationRuns.Run run = runs.start(Checkpoint.parse(after, afterHash));
        return Uni.createFrom().completionStage(run.done())
                .onFailure().transform(e -> new VerificationFailedException(run.id(), e))
                .map(result -> result.valid() ? RestResponse.ok(result)
                        : RestResponse.status(RestResponse.Status.CONFLICT, result));
    }

    /** Starts a verification in the background: 202 with its status, whose location tells its progress. */
    @POST
    @Path("/verifications")
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking
    public RestResponse<ChainVerificationRuns.Status> startVerification(@RestQuery String after,
            @RestQuery String afterHash) {
        ChainVerificationRuns.Run run = runs.start(Checkpoint.parse(after, afterHash));
        return RestResponse.ResponseBuilder.<ChainVerificationRuns.Status>create(RestResponse.Status.ACCEPTED)
                .location(URI.create("/audit/verifications/" + run.id())).entity(run.status()).build();
    }

    @GET
    @Path("/verifications/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public RestResponse<ChainVerificationRuns.Status> verification(@RestPath String id) {
        return runs.find(id).map(run -> RestResponse.ok(run.status()))
                .orElseGet(() -> RestResponse.notFound());
    }

    /**
     * Every matching record up to the head as it was when the export started, read a page at a time by sequence
     * number and written as the client takes it, so an export of any size streams in bounded memory.
     */
    private Multi<AuditRecordView> matching(AuditQuery query, long after) {
        if (!exports.tryAcquire()) {
            throw new RunRefusedException("the most exports at once (" + config.export().maxConcurrent()
                    + ", estuary.audit.export.max-concurrent) are streaming; start this one when one ends");
        }
        AtomicLong position = new AtomicLong(after);
        return Panache.withSession(records::headSequence).toMulti()
                .onItem().transformToMultiAndConcatenate(through -> Multi.createBy().repeating()
                        .uni(() -> Panache.withSession(() -> records.page(query, position.get(), through,
                                EXPORT_PAGE_SIZE)).invoke(page -> {
                                    if (!page.isEmpty()) {
                                        position.set(page.get(page.size() - 1).sequence);
                                    }
                                }))
                        .until(List::isEmpty)
                        .onItem().<AuditRecord>disjoint())
                .map(AuditRecordView::of)
                .onTermination().invoke(exports::release);
    }
}
