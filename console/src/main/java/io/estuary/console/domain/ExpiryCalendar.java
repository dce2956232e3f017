package io.estuary.console.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** The renewal scheduler's {@code GET /renewals/expiries}: current certificates expiring per UTC day, every day listed. */
public record ExpiryCalendar(Instant at, LocalDate from, int days, long total, List<DayCount> expiries) {

    public record DayCount(LocalDate day, long expiring) {
    }
}
