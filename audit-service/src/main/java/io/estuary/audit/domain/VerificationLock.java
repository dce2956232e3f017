package io.estuary.audit.domain;

/** One chain verification at a time across every process on the store; repository/ implements it. */
public interface VerificationLock {
    /** The lock, until closed. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /** Blocking. The lock, or null when another session holds it. */
    Held tryAcquire();
}
