package io.estuary.audit.service;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.estuary.audit.config.AuditConfig;
import io.estuary.audit.domain.AuditEntry;
import io.estuary.audit.domain.AuditRecord;
import io.estuary.audit.domain.Blocking;
import io.estuary.audit.domain.ChainStorage;
import io.estuary.audit.domain.ChainStorage.ChainHead;
import io.estuary.audit.domain.ChainedEntry;
import io.estuary.audit.domain.HashChain;
import io.estuary.audit.domain.SourcePosition;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;

/**
 * Appends entries to the hash chain, in the order given, in one transaction under the chain lock. An entry whose
 * event id is already recorded is skipped: a redelivery or a replay over a filled store never doubles a row. The one
 * exception is a certificate other than the one recorded for its request: it is recorded too, under its own id.
 */
@ApplicationScoped
public class AuditChainAppender {
    private static final Logger LOG = Logger.getLogger(AuditChainAppender.class);
    private static final String ISSUED_TWICE = "estuary.audit.requests.issued.twice";

    @Inject
    ChainStorage writer;
    @Inject
    MeterRegistry meters;
    @Inject
    AuditConfig config;

    final Clock clock = Clock.systemUTC();
    /** When this instance last saw the chain grow, or started; the head-age gauge reads it. */
    private final AtomicLong lastGrowthMillis = new AtomicLong(System.currentTimeMillis());

    @PostConstruct
    void registerHeadAge() {
        Gauge.builder("estuary.audit.chain.head.age", lastGrowthMillis,
                        last -> Math.max(0, clock.millis() - last.get()) / 1000.0)
                .baseUnit("seconds")
                .description("seconds since this instance last appended to the chain (or started)")
                .register(meters);
        // Alerts take rates of these: they exist from the start, at zero.
        meters.counter("estuary.audit.events.late");
        meters.counter("estuary.audit.events.duplicate");
        meters.counter("estuary.audit.events.chained");
        meters.counter(ISSUED_TWICE);
    }

    /**
     * Appends from a thread that may block (not an event loop), in transactions of at most
     * {@code estuary.audit.consumer.append-batch-size} entries; returns how many were new.
     */
    public int appendBlocking(List<AuditEntry> entries) {
        int batch = config.consumer().appendBatchSize();
        int appended = 0;
        for (int from = 0; from < entries.size(); from += batch) {
            List<AuditEntry> part = entries.subList(from, Math.min(entries.size(), from + batch));
            appended += Blocking.await(() -> append(part));
        }
        return appended;
    }

    /** Returns how many entries were new and chained. */
    public Uni<Integer> append(List<AuditEntry> entries) {
        if (entries.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        List<String> eventIds = new ArrayList<>();
        for (AuditEntry entry : entries) {
            eventIds.add(entry.eventId());
            if (entry.namesCertificate()) {
                eventIds.add(entry.anotherCertificateEventId());
            }
        }
        return writer.append(eventIds, (head, recorded) -> chain(head, entries, recorded));
    }

    private List<AuditRecord> chain(ChainHead head, List<AuditEntry> entries, Map<String, String> alreadyRecorded) {
        long sequence = head == null ? 0 : head.sequence();
        String previousHash = head == null ? HashChain.GENESIS_HASH : head.hash();
        SourcePosition last = head == null ? null : head.source();
        // Each recorded event id with the serial its record names.
        Map<String, String> seen = new HashMap<>(alreadyRecorded);
        List<AuditRecord> chained = new ArrayList<>();
        for (AuditEntry received : entries) {
            AuditEntry entry = received;
            if (seen.containsKey(entry.eventId())) {
                String recordedSerial = seen.get(entry.eventId());
                if (entry.issuesAnotherCertificateThan(recordedSerial)) {
                    entry = entry.asAnotherCertificate(recordedSerial);
                }
                if (seen.containsKey(entry.eventId())) {
                    meters.counter("estuary.audit.events.duplicate").increment();
                    LOG.debugf("event %s at %s is already recorded", entry.eventId(), entry.source());
                    continue;
                }
                // Nothing is lost: a second certificate is as much in circulation as the first.
                meters.counter(ISSUED_TWICE).increment();
                LOG.errorf("request %s was answered twice: certificate serial %s after %s (two signers answered it);"
                        + " both are recorded", entry.requestId(), entry.serialNumber(),
                        recordedSerial == null ? "an answer without one" : "serial " + recordedSerial);
            }
            seen.put(entry.eventId(), entry.serialNumber());
            if (last != null && entry.source().compareTo(last) < 0) {
                // Recorded all the same (nothing is lost), but a replay will chain it at its timestamp's place.
                meters.counter("estuary.audit.events.late").increment();
                LOG.warnf("event %s at %s arrived after later events were chained; raise estuary.audit.consumer.settle",
                        entry.eventId(), entry.source());
            }
            ChainedEntry link = HashChain.link(++sequence, entry, previousHash);
            chained.add(AuditRecord.of(link, clock.instant()));
            previousHash = link.hash();
            last = entry.source();
        }
        meters.counter("estuary.audit.events.chained").increment(chained.size());
        if (!chained.isEmpty()) {
            lastGrowthMillis.set(clock.millis());
        }
        return chained;
    }
}
