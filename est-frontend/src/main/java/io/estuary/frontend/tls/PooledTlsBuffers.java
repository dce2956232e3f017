package io.estuary.frontend.tls;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.JdkSSLEngineOptions;

/**
 * The HTTPS listener's JDK TLS engine writes into pooled buffers. By default Vert.x gives it unpooled heap buffers, one
 * per TLS record written: at a thousand enrollments a second that was a quarter of the frontend's allocation, and young
 * collections (each a pause for every request in flight) came twice as often.
 */
@ApplicationScoped
public class PooledTlsBuffers implements HttpServerOptionsCustomizer {
    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
        if (options.getSslEngineOptions() == null || options.getSslEngineOptions() instanceof JdkSSLEngineOptions) {
            JdkSSLEngineOptions engine = options.getSslEngineOptions() instanceof JdkSSLEngineOptions jdk
                    ? new JdkSSLEngineOptions(jdk)
                    : new JdkSSLEngineOptions();
            options.setSslEngineOptions(engine.setPooledHeapBuffers(true));
        }
    }
}
