package io.jitsiops.backup.service;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

/** Backups being written, verified or restored right now: retention and clean-up leave them alone. */
@ApplicationScoped
public class InUse {
    private final Map<String, Integer> uses = new ConcurrentHashMap<>();

    public AutoCloseable hold(String backupId) {
        uses.merge(backupId, 1, Integer::sum);
        return () -> uses.computeIfPresent(backupId, (k, n) -> n == 1 ? null : n - 1);
    }

    public boolean contains(String backupId) {
        return uses.containsKey(backupId);
    }

    public Set<String> ids() {
        return Set.copyOf(uses.keySet());
    }
}
