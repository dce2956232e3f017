package io.estuary.audit.domain;

/**
 * Keyset pagination over the chain: records after sequence number {@code after}, at most {@code limit}. Stable while
 * the chain grows, unlike page numbers.
 */
public record PageRequest(long after, int limit) {

    public static PageRequest parse(String after, String limit, int defaultLimit, int maxLimit) {
        long afterSequence = parseAfter(after);
        int size = limit == null || limit.isBlank() ? defaultLimit : (int) number("limit", limit, 1, maxLimit);
        return new PageRequest(afterSequence, size);
    }

    /** The {@code after} parameter alone: 0 (from the start) when absent. */
    public static long parseAfter(String after) {
        return after == null || after.isBlank() ? 0 : number("after", after, 0, Long.MAX_VALUE);
    }

    private static long number(String name, String value, long min, long max) {
        try {
            long number = Long.parseLong(value.trim());
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidQueryException("'" + name + "' must be a whole number from " + min + " to " + max);
    }
}
