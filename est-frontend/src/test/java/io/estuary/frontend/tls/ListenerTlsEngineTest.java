package io.estuary.frontend.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import javax.net.ssl.X509KeyManager;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.estuary.frontend.config.FrontendConfig.TlsEngine;
import io.estuary.pki.ca.CertificateAuthority;
import io.estuary.pki.wire.Pem;
import io.estuary.testkit.TestCsrs;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslCachingX509KeyManagerFactory;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;

class ListenerTlsEngineTest {
    @Test
    void openSslLoadsOnTheMachinesTheImagesAreBuiltFor() {
        // The listener would fall back to the JDK engine with only a warning: the native library must load here.
        assertTrue(OpenSSLEngineOptions.isAvailable(), String.valueOf(OpenSsl.unavailabilityCause()));
        var engine = ListenerTlsEngine.engine(TlsEngine.OPENSSL, new HttpServerOptions());
        assertInstanceOf(OpenSSLEngineOptions.class, engine);
    }

    @Test
    void theJdkEngineGetsPooledBuffersAndKeepsItsOtherSettings() {
        HttpServerOptions options = new HttpServerOptions()
                .setSslEngineOptions(new JdkSSLEngineOptions().setUseWorkerThread(true));
        JdkSSLEngineOptions engine = assertInstanceOf(JdkSSLEngineOptions.class,
                ListenerTlsEngine.engine(TlsEngine.JDK, options));
        assertTrue(engine.isPooledHeapBuffers());
        assertTrue(engine.getUseWorkerThread());
        assertFalse(assertInstanceOf(JdkSSLEngineOptions.class,
                ListenerTlsEngine.engine(TlsEngine.JDK, new HttpServerOptions())).getUseWorkerThread());
    }

    @Test
    void openSslGetsTheKeyAndChainOnceThroughACachingFactory(@TempDir Path dir) throws Exception {
        KeyPair key = TestCsrs.ecP256();
        X509Certificate certificate = CertificateAuthority.selfSignedRoot(new X500Name("CN=localhost"),
                key.getPublic(), key.getPrivate(), new BouncyCastleProvider(), Duration.ofDays(1), Instant.now());
        Files.writeString(dir.resolve("server.pem"), Pem.encode(certificate));
        Files.writeString(dir.resolve("server.key"), "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(key.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        PemKeyCertOptions files = new PemKeyCertOptions().setCertPath(dir.resolve("server.pem").toString())
                .setKeyPath(dir.resolve("server.key").toString());

        var cached = ListenerTlsEngine.keyMaterial(new OpenSSLEngineOptions(), files);
        Vertx vertx = Vertx.vertx();
        try {
            // Netty keeps OpenSSL's form of the key and chain only for this factory; others, it converts per handshake.
            var factory = assertInstanceOf(OpenSslCachingX509KeyManagerFactory.class,
                    cached.getKeyManagerFactory(vertx));
            X509KeyManager manager = assertInstanceOf(X509KeyManager.class, factory.getKeyManagers()[0]);
            String alias = manager.chooseServerAlias("EC", null, null);
            assertEquals(certificate, manager.getCertificateChain(alias)[0], "the same certificate is presented");
            assertEquals(cached, cached.copy(), "copies share one TLS context");
            assertSame(cached, ListenerTlsEngine.keyMaterial(new OpenSSLEngineOptions(), cached));
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
        assertSame(files, ListenerTlsEngine.keyMaterial(new JdkSSLEngineOptions(), files),
                "the JDK engine keeps its own");
        assertNull(ListenerTlsEngine.keyMaterial(new OpenSSLEngineOptions(), null));
    }

    @Test
    void thePlainHttpListenerIsUntouched() {
        HttpServerOptions options = new HttpServerOptions();
        new ListenerTlsEngine().customizeHttpServer(options);
        assertNull(options.getSslEngineOptions());
        assertFalse(options.isSsl());
    }
}
