package io.estuary.renewal.domain;

import java.time.LocalDate;

/** How many current certificates expire on one day (UTC). */
public record DayCount(LocalDate day, long expiring) {
}
