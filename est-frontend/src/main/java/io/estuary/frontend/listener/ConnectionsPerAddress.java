package io.estuary.frontend.listener;

import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Open connections per source address, each address held to a cap; an address with none open is forgotten. */
public final class ConnectionsPerAddress {
    private final int max;
    private final Map<InetAddress, Integer> open = new ConcurrentHashMap<>();

    public ConnectionsPerAddress(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("the cap must be at least 1");
        }
        this.max = max;
    }

    /** Counts one more connection from the address if it is under the cap; false (nothing counted) if it is not. */
    public boolean tryOpen(InetAddress address) {
        boolean[] admitted = { false };
        open.compute(address, (a, count) -> {
            int current = count == null ? 0 : count;
            if (current >= max) {
                return count;
            }
            admitted[0] = true;
            return current + 1;
        });
        return admitted[0];
    }

    /** One admitted connection from the address has closed. */
    public void closed(InetAddress address) {
        open.computeIfPresent(address, (a, count) -> count <= 1 ? null : count - 1);
    }

    public int open(InetAddress address) {
        return open.getOrDefault(address, 0);
    }

    int trackedAddresses() {
        return open.size();
    }
}
