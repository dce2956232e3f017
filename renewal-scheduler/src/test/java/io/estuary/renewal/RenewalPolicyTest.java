package io.estuary.renewal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.estuary.renewal.service.RenewalPolicy;
import io.estuary.renewal.domain.RenewalSchedule;
import io.estuary.renewal.domain.RenewalState;
import io.estuary.renewal.service.RenewalThreshold;

class RenewalPolicyTest {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant END = START.plus(Duration.ofDays(100));

    @Test
    void percentageIsAShareOfTheLifetime() {
        assertEquals(START.plus(Duration.ofDays(80)), RenewalThreshold.parse("80%").renewalPoint(START, END));
        assertEquals(START.plus(Duration.ofMinutes(45)),
                RenewalThreshold.parse("75%").renewalPoint(START, START.plus(Duration.ofHours(1))));
        assertEquals(END, RenewalThreshold.parse("100%").renewalPoint(START, END));
    }

    @Test
    void absoluteThresholdsCountBackFromExpiryAsIotEdgeDoes() {
        assertEquals(END.minus(Duration.ofDays(4)), RenewalThreshold.parse("4day").renewalPoint(START, END));
        assertEquals(END.minus(Duration.ofMinutes(10)), RenewalThreshold.parse("10min").renewalPoint(START, END));
        assertEquals(END.minus(Duration.ofMinutes(10)), RenewalThreshold.parse(" 10 min ").renewalPoint(START, END));
        // A lead longer than the lifetime means "renew at once", not a point before the certificate existed.
        assertEquals(START, RenewalThreshold.parse("200day").renewalPoint(START, END));
        assertEquals("4day", RenewalThreshold.parse("4day").notation());
        assertEquals("80%", RenewalThreshold.parse("80%").notation());
    }

    @Test
    void refusesNonsenseWithAReason() {
        for (String bad : new String[] { "", " ", "0%", "101%", "80", "-5%", "4days", "4d", "60m", "1.5%", "0min",
                "0day", "tomorrow", "9999999999day" }) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> RenewalThreshold.parse(bad), bad);
            assertEquals(true, e.getMessage() != null && !e.getMessage().isBlank(), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> RenewalThreshold.parse("80%").renewalPoint(START, START));
        assertThrows(IllegalArgumentException.class, () -> RenewalThreshold.parse("4day").renewalPoint(END, START));
        assertThrows(IllegalArgumentException.class, () -> RenewalPolicy.of("80%", Map.of(), Duration.ofHours(-1)));
        IllegalArgumentException perLabel = assertThrows(IllegalArgumentException.class,
                () -> RenewalPolicy.of("80%", Map.of("edge-ca", "10d"), Duration.ZERO));
        assertEquals(true, perLabel.getMessage().contains("edge-ca"));
    }

    @Test
    void labelsHaveTheirOwnThresholdAndOthersTheDefault() {
        RenewalPolicy policy = RenewalPolicy.of("80%", Map.of("edge-ca", "10day"), Duration.ofDays(1));
        assertEquals(START.plus(Duration.ofDays(80)), policy.schedule("", START, END).renewAt());
        assertEquals(START.plus(Duration.ofDays(80)), policy.schedule("other", START, END).renewAt());
        assertEquals(END.minus(Duration.ofDays(10)), policy.schedule("edge-ca", START, END).renewAt());
    }

    @Test
    void overdueIsRenewalPointPlusGraceButNeverAfterExpiry() {
        RenewalPolicy policy = RenewalPolicy.of("80%", Map.of(), Duration.ofDays(5));
        assertEquals(START.plus(Duration.ofDays(85)), policy.schedule("", START, END).overdueAt());
        RenewalPolicy longGrace = RenewalPolicy.of("80%", Map.of(), Duration.ofDays(50));
        assertEquals(END, longGrace.schedule("", START, END).overdueAt());
    }

    @Test
    void statesFollowEachOtherAtTheirBoundaries() {
        RenewalSchedule schedule = RenewalPolicy.of("80%", Map.of(), Duration.ofDays(5)).schedule("", START, END);
        assertEquals(RenewalState.VALID, schedule.stateAt(START));
        assertEquals(RenewalState.VALID, schedule.stateAt(schedule.renewAt().minusMillis(1)));
        assertEquals(RenewalState.DUE, schedule.stateAt(schedule.renewAt()));
        assertEquals(RenewalState.OVERDUE, schedule.stateAt(schedule.overdueAt()));
        assertEquals(RenewalState.OVERDUE, schedule.stateAt(END.minusMillis(1)));
        assertEquals(RenewalState.EXPIRED, schedule.stateAt(END));
    }

    @Test
    void stateParameterIsCaseInsensitive() {
        assertEquals(RenewalState.OVERDUE, RenewalState.fromParameter("overdue"));
        assertEquals(RenewalState.DUE, RenewalState.fromParameter("DUE"));
        assertEquals(null, RenewalState.fromParameter("soon"));
        assertEquals(null, RenewalState.fromParameter(null));
    }
}
