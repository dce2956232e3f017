package io.estuary.console.domain;

import java.util.List;

/** A page of the devices in one late state ({@code GET /renewals/devices?state=…}). */
public record DevicePage(String state, String label, int page, int size, boolean hasMore, List<Certificate> devices) {
}
