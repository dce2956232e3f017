package io.estuary.renewal.service;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.estuary.renewal.domain.CertificateStore;
import io.estuary.renewal.domain.LabelCounts;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Prometheus gauges per EST label: {@code estuary_renewal_devices_tracked}, {@code _due}, {@code _overdue},
 * {@code _expired}. Refreshed by one aggregate query on a timer rather than on every scrape, so scrapes stay cheap
 * however large the fleet.
 */
@ApplicationScoped
public class FleetMetrics {
    private static final Logger LOG = Logger.getLogger(FleetMetrics.class);

    private final CertificateStore repository;
    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<String, AtomicLong> values = new ConcurrentHashMap<>();

    @Inject
    public FleetMetrics(CertificateStore repository, MeterRegistry registry, Clock clock) {
        this.repository = repository;
        this.registry = registry;
        this.clock = clock;
    }

    @Scheduled(identity = "renewal-metrics", every = "${estuary.renewal.metrics-refresh}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        return repository.countsByLabel(clock.instant())
                .invoke(this::update)
                .onFailure().invoke(failure -> LOG.warnf("fleet gauges not refreshed: %s", failure.toString()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    private void update(List<LabelCounts> counts) {
        // Labels that disappeared keep their gauges at zero rather than a stale count.
        values.values().forEach(value -> value.set(0));
        for (LabelCounts count : counts) {
            gauge("tracked", count.label()).set(count.tracked());
            gauge("due", count.label()).set(count.due());
            gauge("overdue", count.label()).set(count.overdue());
            gauge("expired", count.label()).set(count.expired());
        }
    }

    private AtomicLong gauge(String kind, String label) {
        return values.computeIfAbsent(kind + "\u0000" + label, key -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("estuary.renewal.devices." + kind, value, AtomicLong::doubleValue)
                    .description("devices on the label that are " + kind)
                    .tag("label", label)
                    .register(registry);
            return value;
        });
    }
}
