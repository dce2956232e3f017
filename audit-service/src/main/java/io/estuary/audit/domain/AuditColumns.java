package io.estuary.audit.domain;

/**
 * What the audit store's text columns can hold, and how an event's text is fitted to them. An event is never refused
 * for its text (the consumer would retry it forever and record nothing after it): the columns auditors filter by get a
 * value cut to their length (and to {@value #MAX_BYTES} bytes), ending in {@value #CUT_MARK}, while the payload keeps
 * the event whole. Characters PostgreSQL text cannot hold (NUL, an unpaired surrogate) become U+FFFD. The fitting is
 * a function of the event alone, so a replay fits it the same way and the chain's hashes agree.
 */
public final class AuditColumns {
    public static final int EVENT_ID = 300;
    public static final int DEVICE_ID = 1000;
    public static final int SERIAL_NUMBER = 255;
    public static final int LABEL = 255;
    public static final int REQUESTER = 1000;
    public static final int REQUEST_ID = 255;
    public static final int REASON = 2000;
    /**
     * The most any fitted value takes in UTF-8: a PostgreSQL index entry holds at most 2,704 bytes with its header,
     * and one insert refused for it would stall the consumer like any other.
     */
    public static final int MAX_BYTES = 2400;
    /** Marks a value cut to its column. */
    public static final String CUT_MARK = "\u2026";
    private static final int CUT_MARK_BYTES = 3;
    private static final char REPLACEMENT = '\ufffd';
    /** An event id's type (such as {@code auth-failure:}) is kept when the rest is replaced by its hash. */
    private static final int EVENT_TYPE_LENGTH = 40;

    private AuditColumns() {
    }

    /**
     * The value as a column of {@code length} characters stores it: at most that many characters and
     * {@value #MAX_BYTES} bytes of UTF-8; null stays null.
     */
    public static String fit(String value, int length) {
        if (value == null) {
            return null;
        }
        String storable = storable(value);
        // Characters take at most 3 bytes each in UTF-8 but for surrogate pairs (4 bytes for 2 chars).
        if (storable.length() <= length && (storable.length() * 3 <= MAX_BYTES || utf8Length(storable) <= MAX_BYTES)) {
            return storable;
        }
        int limit = Math.min(storable.length(), length - CUT_MARK.length());
        int cut = 0;
        for (int bytes = 0; cut < limit; cut++) {
            bytes += utf8Length(storable.charAt(cut));
            if (bytes > MAX_BYTES - CUT_MARK_BYTES) {
                break;
            }
        }
        if (cut > 0 && Character.isHighSurrogate(storable.charAt(cut - 1))) {
            cut--; // not half a character
        }
        return storable.substring(0, cut) + CUT_MARK;
    }

    private static int utf8Length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            bytes += utf8Length(text.charAt(i));
        }
        return bytes;
    }

    /** A surrogate pair's two halves take 4 bytes together. */
    private static int utf8Length(char c) {
        return c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
    }

    /**
     * An event id as the unique column stores it: unchanged if it fits, else its type and the SHA-256 of the whole id,
     * so that distinct ids stay distinct and a redelivery is still recognised.
     */
    public static String eventId(String id) {
        if (id.length() <= EVENT_ID && storable(id).equals(id)) {
            return id;
        }
        int colon = id.indexOf(':');
        String type = colon > 0 && colon < EVENT_TYPE_LENGTH ? id.substring(0, colon + 1) : "";
        return storable(type) + "sha256:" + HashChain.sha256Hex(id);
    }

    /** The text with NUL and unpaired surrogates replaced; the same instance when there are none (the usual case). */
    public static String storable(String value) {
        char[] chars = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean bad;
            if (c == 0) {
                bad = true;
            } else if (Character.isHighSurrogate(c)) {
                bad = i + 1 == value.length() || !Character.isLowSurrogate(value.charAt(i + 1));
                if (!bad) {
                    i++; // the pair's low half
                    continue;
                }
            } else {
                bad = Character.isLowSurrogate(c);
            }
            if (bad) {
                if (chars == null) {
                    chars = value.toCharArray();
                }
                chars[i] = REPLACEMENT;
            }
        }
        return chars == null ? value : new String(chars);
    }
}
