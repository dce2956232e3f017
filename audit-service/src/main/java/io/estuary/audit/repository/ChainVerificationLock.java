package io.estuary.audit.repository;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.estuary.audit.domain.Blocking;
import io.estuary.audit.domain.VerificationLock;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * One chain verification at a time across every process on the store (this service, another instance, the
 * {@code audit verify} command): a PostgreSQL session advisory lock, held on a connection of its own for the run. A
 * process that dies mid-run ends its session and so releases the lock.
 */
@ApplicationScoped
public class ChainVerificationLock implements VerificationLock {
    private static final Logger LOG = Logger.getLogger(ChainVerificationLock.class);
    /** Arbitrary, fixed; not the append lock's key, so appends go on during a verification. */
    private static final long KEY = 0x6573747561727956L;

    private final Pool pool;

    @Inject
    public ChainVerificationLock(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Held tryAcquire() {
        SqlConnection connection = Blocking.await(pool::getConnection);
        boolean locked;
        try {
            locked = Blocking.await(() -> connection.preparedQuery("SELECT pg_try_advisory_lock($1)")
                    .execute(Tuple.of(KEY)).map(rows -> rows.iterator().next().getBoolean(0)));
        } catch (RuntimeException | Error e) {
            connection.closeAndForget();
            throw e;
        }
        if (!locked) {
            connection.closeAndForget();
            return null;
        }
        return () -> {
            try {
                Blocking.await(() -> connection.preparedQuery("SELECT pg_advisory_unlock($1)").execute(Tuple.of(KEY)));
            } catch (RuntimeException e) {
                LOG.warnf("could not release the verification lock (%s); it goes with the connection", e.toString());
            } finally {
                connection.closeAndForget();
            }
        };
    }
}
