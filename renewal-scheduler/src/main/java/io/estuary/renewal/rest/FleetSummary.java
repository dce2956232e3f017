package io.estuary.renewal.rest;

import java.time.Instant;
import java.util.List;

import io.estuary.renewal.domain.LabelCounts;

/** Devices tracked and how many are due, overdue or expired, over the fleet and per label. */
public record FleetSummary(Instant at, long tracked, long due, long overdue, long expired, List<LabelCounts> labels) {

    static FleetSummary of(Instant at, List<LabelCounts> labels) {
        return new FleetSummary(at, labels.stream().mapToLong(LabelCounts::tracked).sum(),
                labels.stream().mapToLong(LabelCounts::due).sum(),
                labels.stream().mapToLong(LabelCounts::overdue).sum(),
                labels.stream().mapToLong(LabelCounts::expired).sum(), labels);
    }
}
