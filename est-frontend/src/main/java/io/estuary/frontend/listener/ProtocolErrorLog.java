package io.estuary.frontend.listener;

import java.time.Clock;
import java.time.Duration;

import org.jboss.logging.Logger;

import io.estuary.frontend.auth.FailureRateLimiter;

/**
 * DEBUG lines about malformed requests and refused connections, a few per source address in a window: a client sending
 * garbage in a loop fills no disk, and a malformed request never costs a WARN or ERROR line, which anyone could provoke
 * without credentials.
 */
public final class ProtocolErrorLog {
    private final Logger log;
    private final FailureRateLimiter lines;

    public ProtocolErrorLog(Logger log, int linesPerWindow, Duration window, Clock clock) {
        this.log = log;
        this.lines = new FailureRateLimiter(linesPerWindow, window, clock);
    }

    /** Logs at DEBUG unless the address has had its share of lines in the window. */
    public void debugf(String address, String format, Object... parameters) {
        if (log.isDebugEnabled() && permits(address)) {
            log.debugf(format, parameters);
        }
    }

    /** Whether one more line about the address may be written now; counts it if so. */
    boolean permits(String address) {
        var reservation = lines.reserve(address);
        reservation.slot().ifPresent(FailureRateLimiter.Slot::failed);
        return reservation.slot().isPresent();
    }
}
