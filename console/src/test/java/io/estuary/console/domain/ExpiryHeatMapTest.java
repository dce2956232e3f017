package io.estuary.console.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class ExpiryHeatMapTest {
    @Test
    void weeksRunMondayToSundayWithBlankCellsOutsideTheCalendar() {
        // 2026-12-02 is a Wednesday: two blank cells before it; 10 days end on Friday 11th, two blanks after.
        LocalDate from = LocalDate.parse("2026-12-02");
        List<ExpiryCalendar.DayCount> days = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            days.add(new ExpiryCalendar.DayCount(from.plusDays(i), i == 3 ? 8 : i == 4 ? 1 : 0));
        }
        ExpiryHeatMap map = ExpiryHeatMap.of(new ExpiryCalendar(Instant.EPOCH, from, 10, 9, days));
        assertEquals(2, map.weeks().size());
        List<ExpiryHeatMap.Cell> first = map.weeks().get(0);
        assertTrue(first.get(0).blank() && first.get(1).blank());
        assertEquals(from, first.get(2).day());
        assertEquals(LocalDate.parse("2026-12-11"), map.weeks().get(1).get(4).day());
        assertTrue(map.weeks().get(1).get(5).blank() && map.weeks().get(1).get(6).blank());
        assertEquals(8, map.busiest());
        assertEquals(9, map.total());
        assertEquals(4, first.get(5).level(), "the busiest day is the darkest");
        assertEquals(1, first.get(6).level(), "one expiry is still visible beside eight");
        assertEquals(0, first.get(2).level());
    }

    @Test
    void levelsStepEvenlyUpToTheBusiestDay() {
        assertEquals(0, ExpiryHeatMap.level(0, 100));
        assertEquals(1, ExpiryHeatMap.level(1, 100));
        assertEquals(1, ExpiryHeatMap.level(25, 100));
        assertEquals(2, ExpiryHeatMap.level(26, 100));
        assertEquals(3, ExpiryHeatMap.level(75, 100));
        assertEquals(4, ExpiryHeatMap.level(100, 100));
        assertEquals(0, ExpiryHeatMap.level(0, 0));
    }

    @Test
    void anEmptyCalendarHasNoWeeks() {
        ExpiryHeatMap map = ExpiryHeatMap.of(new ExpiryCalendar(Instant.EPOCH, LocalDate.EPOCH, 0, 0, List.of()));
        assertEquals(0, map.weeks().size());
        assertEquals(0, map.busiest());
    }
}
