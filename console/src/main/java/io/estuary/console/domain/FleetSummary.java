package io.estuary.console.domain;

import java.time.Instant;
import java.util.List;

/** The renewal scheduler's {@code GET /renewals/summary}: devices tracked and late, over the fleet and per label. */
public record FleetSummary(Instant at, long tracked, long due, long overdue, long expired, List<LabelCounts> labels) {

    /** One label's devices and how many of their current certificates are in each late state. */
    public record LabelCounts(String label, long tracked, long due, long overdue, long expired) {
        /** The unlabelled path, as the console shows it. */
        public String name() {
            return label == null || label.isEmpty() ? "default" : label;
        }
    }
}
