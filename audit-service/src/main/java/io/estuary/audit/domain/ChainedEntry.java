package io.estuary.audit.domain;

/** An audit entry at its place in the chain: its sequence number, the previous entry's hash and its own. */
public record ChainedEntry(long sequence, AuditEntry entry, String previousHash, String hash) {
}
