package io.estuary.frontend.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AuthFailuresTest {

    @Test
    void clientTextIsLoggedQuotedOnOneLine() {
        assertEquals("\"device-1\"", AuthFailures.printable("device-1"));
        assertEquals("-", AuthFailures.printable(null));
        // A user name that would otherwise forge a second log line, or close the quote early.
        assertEquals("\"x\\u000a2026-12-01 INFO ok \\\"y\\\" \\\\ \\u0000\"",
                AuthFailures.printable("x\n2026-12-01 INFO ok \"y\" \\ \u0000"));
        assertEquals("\"a\\u2028b\"", AuthFailures.printable("a\u2028b"));
    }

    @Test
    void longClientTextIsCut() {
        String logged = AuthFailures.printable("u".repeat(5000));
        assertEquals("\"" + "u".repeat(AuthFailures.LOGGED_LENGTH) + "\"\u2026", logged);
    }
}
