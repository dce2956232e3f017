package io.estuary.renewal.repository;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One certificate of a device superseded by another: the older by notBefore gives way to the newer (on a tie the one
 * already current stays). Decided in memory for a whole batch, so the database sees one statement per batch instead
 * of a read and an update per certificate.
 */
record Supersession(String older, String newer) {

    /** A current certificate of a device as the database holds it. */
    record Current(String serialNumber, String deviceId, Instant notBefore) {
    }

    /**
     * The supersessions that tracking {@code added} (in this order, all newly inserted) on top of {@code existing}
     * (the devices' other current certificates) brings: each added certificate is compared with every certificate
     * of its device that is current when it arrives, exactly as if they had been tracked one by one. A certificate
     * is superseded at most once.
     */
    static List<Supersession> of(List<Current> existing, List<Current> added) {
        Map<String, List<Current>> currentByDevice = new HashMap<>();
        for (Current certificate : existing) {
            currentByDevice.computeIfAbsent(certificate.deviceId(), d -> new ArrayList<>()).add(certificate);
        }
        Map<String, Supersession> bySuperseded = new LinkedHashMap<>();
        for (Current certificate : added) {
            List<Current> current = currentByDevice.computeIfAbsent(certificate.deviceId(), d -> new ArrayList<>());
            boolean addedIsCurrent = true;
            for (Current other : List.copyOf(current)) {
                boolean addedIsNewer = certificate.notBefore().isAfter(other.notBefore());
                Current older = addedIsNewer ? other : certificate;
                Current newer = addedIsNewer ? certificate : other;
                if (bySuperseded.putIfAbsent(older.serialNumber(),
                        new Supersession(older.serialNumber(), newer.serialNumber())) == null) {
                    if (addedIsNewer) {
                        current.remove(other);
                    } else {
                        addedIsCurrent = false;
                    }
                }
            }
            if (addedIsCurrent) {
                current.add(certificate);
            }
        }
        return List.copyOf(bySuperseded.values());
    }
}
