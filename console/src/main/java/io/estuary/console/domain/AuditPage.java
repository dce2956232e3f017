package io.estuary.console.domain;

import java.util.List;

/** A page of audit records; {@code next} is the {@code after} of the following page, null on the last. */
public record AuditPage(List<AuditRecord> records, Long next) {
}
