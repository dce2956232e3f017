package io.estuary.audit.service;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
import io.estuary.audit.domain.RequestAnswers;
import io.estuary.audit.domain.SourcePosition;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;

/**
 * Appends entries to the hash chain, in the order given, in one transaction under the chain lock. An entry whose
 * event id is already recorded is skipped: a redelivery or a replay over a filled store never doubles a row. A
 * signer's answer is placed among the answers recorded for its request ({@link RequestAnswers}): every certificate is
 * recorded, and one that answers its request twice is counted and logged as an error.
 */
@ApplicationScoped
public class AuditChainAppender {
    private static final Logger LOG = Logger.getLogger(AuditChainAppender.class);
    private static final String ANSWERED_TWICE = "estuary.audit.requests.answered.twice";

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
        meters.counter(ANSWERED_TWICE);
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
            if (RequestAnswers.isAnswer(entry) && entry.serialNumber() != null) {
                // Asked as well, so that no placement can ever insert an id the table holds.
                eventIds.add(entry.anotherCertificateEventId());
            }
        }
        List<String> answered = entries.stream().filter(RequestAnswers::isAnswer).map(AuditEntry::requestId)
                .distinct().toList();
        return writer.append(eventIds, answered, (head, recorded, answers) -> chain(head, entries, recorded,
                new RequestAnswers(answers, config.retryWindow())));
    }

    private List<AuditRecord> chain(ChainHead head, List<AuditEntry> entries, Set<String> alreadyRecorded,
            RequestAnswers answers) {
        long sequence = head == null ? 0 : head.sequence();
        String previousHash = head == null ? HashChain.GENESIS_HASH : head.hash();
        SourcePosition last = head == null ? null : head.source();
        Set<String> seen = new HashSet<>(alreadyRecorded);
        List<AuditRecord> chained = new ArrayList<>();
        for (AuditEntry received : entries) {
            AuditEntry entry = RequestAnswers.isAnswer(received) ? placed(received, answers) : received;
            if (entry == null || !seen.add(entry.eventId())) {
                meters.counter("estuary.audit.events.duplicate").increment();
                LOG.debugf("event %s at %s is already recorded", received.eventId(), received.source());
                continue;
            }
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

    /** The entry a signer's answer is chained as; null for a redelivery. */
    private AuditEntry placed(AuditEntry answer, RequestAnswers answers) {
        RequestAnswers.Placement placement = answers.place(answer);
        if (placement == null) {
            return null;
        }
        if (placement.answeredTwice()) {
            // Recorded all the same: the second certificate is as much in circulation as the first.
            meters.counter(ANSWERED_TWICE).increment();
            LOG.errorf("request %s, certificate serial %s: %s", answer.requestId(), answer.serialNumber(),
                    placement.entry().reason());
        } else if (placement.entry() != answer) {
            LOG.infof("request %s, certificate serial %s: %s", answer.requestId(), answer.serialNumber(),
                    placement.entry().reason());
        }
        return placement.entry();
    }
}
