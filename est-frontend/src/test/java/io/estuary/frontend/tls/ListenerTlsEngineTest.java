package io.estuary.frontend.tls;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;


import org.junit.jupiter.api.Test;

import io.estuary.frontend.config.FrontendConfig.TlsEngine;
import io.netty.handler.ssl.OpenSsl;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;

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
    void thePlainHttpListenerIsUntouched() {
        HttpServerOptions options = new HttpServerOptions();
        new ListenerTlsEngine().customizeHttpServer(options);
        assertNull(options.getSslEngineOptions());
        assertFalse(options.isSsl());
    }
}
