package io.estuary.renewal.rest;

import java.util.List;

import io.estuary.renewal.domain.RenewalState;

/** One page of devices in a state; {@code hasMore} tells whether page + 1 has any. */
public record DevicePage(RenewalState state, String label, int page, int size, boolean hasMore,
        List<CertificateView> devices) {
}
