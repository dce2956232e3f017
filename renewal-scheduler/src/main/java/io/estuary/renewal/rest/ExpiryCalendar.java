package io.estuary.renewal.rest;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.estuary.renewal.domain.DayCount;

/**
 * Expiries of current certificates per UTC day, from {@code from} (today) for {@code days} days, every day listed;
 * today counts only what expires after {@code at}.
 */
public record ExpiryCalendar(Instant at, LocalDate from, int days, long total, List<DayCount> expiries) {

    static ExpiryCalendar of(Instant at, LocalDate from, int days, List<DayCount> counts) {
        Map<LocalDate, Long> byDay = counts.stream().collect(Collectors.toMap(DayCount::day, DayCount::expiring));
        List<DayCount> every = new ArrayList<>(days);
        for (int i = 0; i < days; i++) {
            LocalDate day = from.plusDays(i);
            every.add(new DayCount(day, byDay.getOrDefault(day, 0L)));
        }
        return new ExpiryCalendar(at, from, days, every.stream().mapToLong(DayCount::expiring).sum(), every);
    }
}
