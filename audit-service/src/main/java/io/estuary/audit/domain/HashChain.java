package io.estuary.audit.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The audit trail's hash chain: record n's hash is SHA-256 over the previous record's hash, a line feed, and record
 * n's canonical content (every stored column but the hashes and the local recording time). The first record's
 * previous hash is {@link #GENESIS_HASH}.
 */
public final class HashChain {
    public static final String GENESIS_HASH = "0".repeat(64);

    private HashChain() {
    }

    public static ChainedEntry link(long sequence, AuditEntry entry, String previousHash) {
        return new ChainedEntry(sequence, entry, previousHash, hashOf(sequence, entry, previousHash));
    }

    public static String hashOf(long sequence, AuditEntry entry, String previousHash) {
        return sha256Hex(previousHash + "\n" + canonicalContent(sequence, entry));
    }

    /** SHA-256 over the text's UTF-8, lower-case hex. */
    public static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The hashed content of a record, as canonical JSON. */
    public static String canonicalContent(long sequence, AuditEntry entry) {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("sequence", sequence);
        content.put("eventId", entry.eventId());
        content.put("outcome", entry.outcome().name());
        content.put("occurredAt", entry.occurredAt().toString());
        content.put("deviceId", entry.deviceId());
        content.put("serialNumber", entry.serialNumber());
        content.put("label", entry.label());
        content.put("requester", entry.requester());
        content.put("requestId", entry.requestId());
        content.put("reason", entry.reason());
        content.put("payload", entry.payload());
        content.put("sourceTimestamp", entry.source().timestamp().toString());
        content.put("sourceTopic", entry.source().topic());
        content.put("sourcePartition", entry.source().partition());
        content.put("sourceOffset", entry.source().offset());
        return CanonicalJson.write(content);
    }
}
