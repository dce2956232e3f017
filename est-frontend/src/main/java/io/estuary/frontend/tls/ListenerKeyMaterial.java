package io.estuary.frontend.tls;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Instant;
import java.util.Arrays;

import javax.net.ssl.X509KeyManager;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import io.estuary.frontend.config.FrontendConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.tls.runtime.KeyStoreAndKeyCertOptions;
import io.quarkus.tls.runtime.KeyStoreProvider;
import io.smallrye.common.annotation.Identifier;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;

/**
 * The EST listener's key and certificate, for the TLS registry's configuration "est" (which names no key store, so the
 * registry asks this bean). Read from {@code ESTUARY_TLS_CERT} and {@code ESTUARY_TLS_KEY} at start, and again every
 * {@code ESTUARY_TLS_RELOAD_PERIOD}: a rotated certificate (cert-manager renewing a Secret) is served from the next
 * handshake on, without a restart, a new TLS context or a dropped connection ({@link ListenerKeyManager}). A changed
 * pair is checked before it is served; one that cannot be (unreadable, half written, a key from another pair) leaves
 * the current one served, with a warning, until a later read finds a good pair.
 */
@ApplicationScoped
@Identifier(EstListenerTrust.TLS_CONFIGURATION)
public class ListenerKeyMaterial implements KeyStoreProvider {
    private static final Logger LOG = Logger.getLogger(ListenerKeyMaterial.class);

    @Inject
    FrontendConfig config;

    private final ListenerKeyManager keys = new ListenerKeyManager();
    private ListenerKeyCertOptions options;
    private volatile Loaded current;
    private volatile Counter refused;
    private long timer = -1;

    /** A pair of files as read, and what they hold. */
    record Loaded(byte[] certificate, byte[] key, ListenerCertificate served, KeyStore store, X509KeyManager keys) {
        boolean sameFiles(byte[] otherCertificate, byte[] otherKey) {
            return Arrays.equals(certificate, otherCertificate) && Arrays.equals(key, otherKey);
        }
    }

    /**
     * The listener's key material, read now; the options stay the same, whatever pair they present. None where the
     * listener is plain HTTP (tests) and no file is named: the registry asks every provider, used or not.
     */
    @Override
    public synchronized KeyStoreAndKeyCertOptions getKeyStore(Vertx vertx) {
        boolean listenerUsesIt = ConfigProvider.getConfig()
                .getOptionalValue("quarkus.http.tls-configuration-name", String.class)
                .filter(EstListenerTrust.TLS_CONFIGURATION::equals).isPresent();
        if (!listenerUsesIt && config.tlsCertificate().isEmpty() && config.tlsKey().isEmpty()) {
            return null;
        }
        if (options == null) {
            options = new ListenerKeyCertOptions(keys, ListenerTlsEngine.usesOpenSsl(config.tlsEngine()));
        }
        read(vertx);
        return new KeyStoreAndKeyCertOptions(current.store(), options);
    }

    /**
     * Reads the files and, if they changed and hold a good pair, serves it from the next handshake on.
     *
     * @throws IllegalStateException if nothing is served yet and the files cannot be
     */
    synchronized void read(Vertx vertx) {
        Path certificateFile = config.tlsCertificate().orElseThrow(() -> new IllegalStateException(
                "The EST listener has no certificate: set ESTUARY_TLS_CERT to its PEM file"));
        Path keyFile = config.tlsKey().orElseThrow(() -> new IllegalStateException(
                "The EST listener has no key: set ESTUARY_TLS_KEY to its PEM file"));
        Loaded before = current;
        Loaded loaded;
        try {
            byte[] certificate = Files.readAllBytes(certificateFile);
            byte[] key = Files.readAllBytes(keyFile);
            if (before != null && before.sameFiles(certificate, key)) {
                return;
            }
            loaded = load(vertx, certificate, key);
        } catch (Exception e) {
            String reason = e.getMessage() != null ? e.getMessage() : e.toString();
            if (before == null) {
                throw new IllegalStateException("The EST listener cannot serve " + certificateFile + " with the key "
                        + keyFile + ": " + reason, e);
            }
            if (refused != null) {
                refused.increment();
            }
            LOG.warnf("The EST listener keeps serving %s: %s with the key %s cannot be served: %s", before.served(),
                    certificateFile, keyFile, reason);
            return;
        }
        keys.install(loaded.keys());
        current = loaded;
        if (before == null) {
            LOG.infof("The EST listener serves %s", loaded.served());
        } else {
            LOG.infof("The EST listener now serves %s, read from %s (it served %s)", loaded.served(),
                    certificateFile, before.served());
        }
        if (loaded.served().expiresBefore(Instant.now())) {
            LOG.warnf("The EST listener's certificate %s has expired: clients will refuse it", loaded.served());
        }
    }

    /**
     * Parses and checks a pair.
     *
     * @throws Exception with the reason, if the files do not hold a certificate and the key that signs for it
     */
    static Loaded load(Vertx vertx, byte[] certificate, byte[] key) throws Exception {
        PemKeyCertOptions pem = new PemKeyCertOptions().addCertValue(Buffer.buffer(certificate))
                .addKeyValue(Buffer.buffer(key));
        KeyStore store = pem.loadKeyStore(vertx);
        X509KeyManager manager = (X509KeyManager) pem.getKeyManagerFactory(vertx).getKeyManagers()[0];
        String alias = store.aliases().nextElement();
        ListenerCertificate served = ListenerCertificate.of(manager.getCertificateChain(alias),
                manager.getPrivateKey(alias));
        return new Loaded(certificate.clone(), key.clone(), served, store, manager);
    }

    /** Reads the files again every reload period, once the listener serves them. */
    void start(@Observes StartupEvent started, Vertx vertx, MeterRegistry registry) {
        Gauge.builder("estuary.listener.certificate.not.after", this,
                material -> material.current == null ? Double.NaN
                        : material.current.served().notAfter().getEpochSecond())
                .baseUnit("seconds").description("When the certificate the EST listener serves expires (Unix time)")
                .register(registry);
        refused = Counter.builder("estuary.listener.certificate.reloads.refused")
                .description("Changed listener certificate files that could not be served (the current one stayed)")
                .register(registry);
        long period = config.tlsReloadPeriod().toMillis();
        if (current != null && period > 0) {
            timer = vertx.setPeriodic(period, id -> vertx.executeBlocking(() -> {
                read(vertx);
                return null;
            }, false));
        }
    }

    void stop(@Observes ShutdownEvent stopping, Vertx vertx) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }
}
