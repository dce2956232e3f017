package io.estuary.console.domain;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The expiry calendar laid out as a heat map: weeks from Monday to Sunday, each day shaded by how many certificates
 * expire on it relative to the busiest day (levels 0 to 4; 0 is none). Days outside the calendar are blank cells.
 */
public record ExpiryHeatMap(List<List<Cell>> weeks, long busiest, long total) {
    public static final int LEVELS = 4;

    /** A day of the map; {@code day} is null for a blank cell before the first or after the last day. */
    public record Cell(LocalDate day, long expiring, int level) {
        public boolean blank() {
            return day == null;
        }
    }

    public static ExpiryHeatMap of(ExpiryCalendar calendar) {
        long busiest = calendar.expiries().stream().mapToLong(ExpiryCalendar.DayCount::expiring).max().orElse(0);
        List<Cell> cells = new ArrayList<>();
        if (!calendar.expiries().isEmpty()) {
            DayOfWeek first = calendar.expiries().get(0).day().getDayOfWeek();
            for (int i = 1; i < first.getValue(); i++) {
                cells.add(new Cell(null, 0, 0));
            }
        }
        for (ExpiryCalendar.DayCount day : calendar.expiries()) {
            cells.add(new Cell(day.day(), day.expiring(), level(day.expiring(), busiest)));
        }
        while (cells.size() % 7 != 0) {
            cells.add(new Cell(null, 0, 0));
        }
        List<List<Cell>> weeks = new ArrayList<>();
        for (int i = 0; i < cells.size(); i += 7) {
            weeks.add(List.copyOf(cells.subList(i, i + 7)));
        }
        return new ExpiryHeatMap(List.copyOf(weeks), busiest, calendar.total());
    }

    /** 0 for none; otherwise 1 to LEVELS in equal steps up to the busiest day, so any expiry is visible. */
    static int level(long expiring, long busiest) {
        if (expiring <= 0 || busiest <= 0) {
            return 0;
        }
        return (int) Math.max(1, Math.min(LEVELS, (expiring * LEVELS + busiest - 1) / busiest));
    }
}
