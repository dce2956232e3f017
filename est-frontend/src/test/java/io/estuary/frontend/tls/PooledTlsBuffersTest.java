package io.estuary.frontend.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;

class PooledTlsBuffersTest {
    private final PooledTlsBuffers customizer = new PooledTlsBuffers();

    @Test
    void theHttpsListenersJdkEngineGetsPooledBuffers() {
        HttpServerOptions options = new HttpServerOptions();
        customizer.customizeHttpsServer(options);
        JdkSSLEngineOptions engine = assertInstanceOf(JdkSSLEngineOptions.class, options.getSslEngineOptions());
        assertTrue(engine.isPooledHeapBuffers());
    }

    @Test
    void otherEngineSettingsAreKept() {
        HttpServerOptions options = new HttpServerOptions()
                .setSslEngineOptions(new JdkSSLEngineOptions().setUseWorkerThread(true));
        customizer.customizeHttpsServer(options);
        JdkSSLEngineOptions engine = (JdkSSLEngineOptions) options.getSslEngineOptions();
        assertTrue(engine.isPooledHeapBuffers());
        assertTrue(engine.getUseWorkerThread());

        // An OpenSSL engine is left as configured: pooling is a JDK-engine setting.
        OpenSSLEngineOptions openSsl = new OpenSSLEngineOptions();
        HttpServerOptions native_ = new HttpServerOptions().setSslEngineOptions(openSsl);
        customizer.customizeHttpsServer(native_);
        assertSame(openSsl, native_.getSslEngineOptions());
    }

    @Test
    void thePlainHttpListenerIsUntouched() {
        HttpServerOptions options = new HttpServerOptions();
        customizer.customizeHttpServer(options);
        assertEquals(null, options.getSslEngineOptions());
        assertFalse(options.isSsl());
    }
}
