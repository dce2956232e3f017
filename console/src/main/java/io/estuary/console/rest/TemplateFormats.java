package io.estuary.console.rest;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import io.quarkus.qute.TemplateExtension;

/** How the pages write times: UTC, to the minute or second, the same everywhere. */
@TemplateExtension
public class TemplateFormats {
    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    static String utc(Instant instant) {
        return instant == null ? "" : MINUTES.format(instant);
    }

    /** A value as one path segment of a link (device ids are certificate common names: any character). */
    static String segment(String value) {
        return value == null ? "" : URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A value as a query parameter of a link. */
    static String param(String value) {
        return value == null ? "" : URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static String utcSeconds(Instant instant) {
        return instant == null ? "" : SECONDS.format(instant);
    }
}
