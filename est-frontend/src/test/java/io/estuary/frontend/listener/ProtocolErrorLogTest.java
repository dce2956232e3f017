package io.estuary.frontend.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import io.estuary.frontend.auth.MutableClock;

class ProtocolErrorLogTest {
    private final MutableClock clock = new MutableClock();

    @Test
    void eachAddressHasAFewLinesAWindow() {
        ProtocolErrorLog log = new ProtocolErrorLog(Logger.getLogger("test.protocol"), 3, Duration.ofMinutes(1), clock);
        for (int i = 0; i < 3; i++) {
            assertTrue(log.permits("192.0.2.1"), "line " + i);
        }
        assertFalse(log.permits("192.0.2.1"));
        assertTrue(log.permits("192.0.2.2"), "another address has its own share");

        clock.advance(Duration.ofSeconds(61));
        assertTrue(log.permits("192.0.2.1"), "the window moved on");
    }

    @Test
    void linesAreDebugAndLimited() {
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger("test.protocol.lines");
        List<LogRecord> records = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Level before = jul.getLevel();
        jul.setLevel(Level.ALL);
        jul.addHandler(capture);
        try {
            ProtocolErrorLog log = new ProtocolErrorLog(Logger.getLogger("test.protocol.lines"), 2,
                    Duration.ofMinutes(1), clock);
            for (int i = 0; i < 5; i++) {
                log.debugf("192.0.2.1", "malformed request %d", i);
            }
        } finally {
            jul.removeHandler(capture);
            jul.setLevel(before);
        }
        assertEquals(2, records.size(), "lines past the address's share are dropped");
        assertTrue(records.stream().allMatch(r -> r.getLevel().intValue() < Level.INFO.intValue()),
                "DEBUG only");
    }
}
