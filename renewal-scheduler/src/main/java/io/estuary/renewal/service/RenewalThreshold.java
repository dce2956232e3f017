package io.estuary.renewal.service;

import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a certificate should be renewed, in IoT Edge's {@code auto_renew.threshold} notation: {@code 80%} (after 80%
 * of the lifetime), {@code 4day} or {@code 10min} (that long before expiry). Speaking the devices' own notation lets
 * an operator copy the value from {@code config.toml}, so Estuary's idea of "due" matches when devices try to renew.
 */
public sealed interface RenewalThreshold {

    Instant renewalPoint(Instant notBefore, Instant notAfter);

    /** The threshold as written in configuration. */
    String notation();

    Pattern NOTATION = Pattern.compile("(\\d{1,9})\\s*(%|min|day)");

    /** Parses {@code <n>%} (1-100), {@code <n>min} or {@code <n>day} (n ≥ 1); anything else is refused with a reason. */
    static RenewalThreshold parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("renewal threshold is empty; use e.g. 80%, 4day or 10min");
        }
        Matcher matcher = NOTATION.matcher(text.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("renewal threshold '" + text
                    + "' is not a percentage of the lifetime (80%) or a time before expiry (4day, 10min)");
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "%" -> new Percentage((int) amount);
            case "min" -> new BeforeExpiry(Duration.ofMinutes(amount), amount + "min");
            default -> new BeforeExpiry(Duration.ofDays(amount), amount + "day");
        };
    }

    private static Duration lifetime(Instant notBefore, Instant notAfter) {
        if (!notAfter.isAfter(notBefore)) {
            throw new IllegalArgumentException("notAfter must be after notBefore");
        }
        return Duration.between(notBefore, notAfter);
    }

    /** Renew once this share of the lifetime has passed (IoT Edge's default is 80%). */
    record Percentage(int percent) implements RenewalThreshold {
        public Percentage {
            if (percent < 1 || percent > 100) {
                throw new IllegalArgumentException("renewal percentage must be 1-100, got " + percent);
            }
        }

        @Override
        public Instant renewalPoint(Instant notBefore, Instant notAfter) {
            return notBefore.plus(lifetime(notBefore, notAfter).multipliedBy(percent).dividedBy(100));
        }

        @Override
        public String notation() {
            return percent + "%";
        }
    }

    /**
     * Renew this long before expiry. A lead longer than the lifetime means "renew at once" (the point is clamped to
     * notBefore), the misconfiguration IoT Edge's documentation warns about.
     */
    record BeforeExpiry(Duration lead, String notation) implements RenewalThreshold {
        public BeforeExpiry {
            if (lead.isZero() || lead.isNegative()) {
                throw new IllegalArgumentException("renewal lead before expiry must be positive, got " + notation);
            }
        }

        @Override
        public Instant renewalPoint(Instant notBefore, Instant notAfter) {
            lifetime(notBefore, notAfter);
            Instant point = notAfter.minus(lead);
            return point.isBefore(notBefore) ? notBefore : point;
        }
    }
}
