package io.estuary.renewal.config;

import java.time.Duration;
import java.util.Map;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code estuary.renewal.*}: when certificates are due, how long after that they count as overdue, how often to scan. */
@ConfigMapping(prefix = "estuary.renewal")
public interface RenewalConfig {

    /** Default renewal threshold in IoT Edge notation: {@code 80%}, {@code 4day}, {@code 10min}. */
    @WithDefault("80%")
    String threshold();

    /** Thresholds for particular EST labels, e.g. {@code estuary.renewal.label-thresholds.edge-ca=10day}. */
    Map<String, String> labelThresholds();

    /** How long after its renewal point a certificate without a successor counts as overdue. */
    @WithDefault("PT24H")
    Duration grace();

    /** Period of the due-scan (Quarkus scheduler notation, e.g. {@code 30s}); read by the scheduler itself. */
    @WithDefault("60s")
    String scanInterval();

    /** Certificates claimed per scan transaction; bounds how long a transaction waits on the broker. */
    @WithDefault("200")
    int scanBatchSize();

    /** Period of the fleet gauges' refresh (one aggregate query). */
    @WithDefault("30s")
    String metricsRefresh();
}
