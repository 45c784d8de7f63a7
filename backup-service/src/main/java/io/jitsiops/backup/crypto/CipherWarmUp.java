package io.jitsiops.backup.crypto;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.jitsiops.backup.config.BackupConfig;
import io.quarkus.runtime.StartupEvent;

/**
 * Chooses the AES-GCM provider at start ({@link AesGcmProvider}) and, where that is the JDK's, warms it up on a thread
 * of its own (start-up does not wait for it, and nothing runs on an event
 * loop): see {@link SegmentedAesGcm#warmUp(int)} for why, and for how much it helped where it was measured. A backup
 * or restore that begins meanwhile only runs slower at first.
 */
@ApplicationScoped
public class CipherWarmUp {
    private static final Logger LOG = Logger.getLogger(CipherWarmUp.class);
    private final BackupConfig config;

    public CipherWarmUp(BackupConfig config) {
        this.config = config;
    }

    void start(@Observes StartupEvent start) {
        AesGcmProvider.useNative(config.nativeAesGcm());
        LOG.infof("AES-GCM: %s", AesGcmProvider.describe());
        int rounds = config.cipherWarmUpRounds();
        if (rounds <= 0 || AesGcmProvider.nativeInUse()) {
            return;
        }
        Thread t = new Thread(() -> {
            try {
                LOG.infof("AES-GCM warmed up in %d ms (%d rounds)", SegmentedAesGcm.warmUp(rounds), rounds);
            } catch (java.io.IOException | RuntimeException e) {
                LOG.warnf("AES-GCM warm-up failed: %s", e.getMessage());
            }
        }, "backup-cipher-warm-up");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }
}
