package io.estuary.frontend.listener;

import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.vertx.http.HttpServerStart;
import io.quarkus.vertx.http.HttpsServerStart;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.HttpServerImpl;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.net.impl.TCPServerBase;
import io.vertx.ext.web.RoutingContext;

/**
 * The EST listener's connection limits ({@link ListenerConfig}): a cap on the connections of each source address, and
 * a {@link ConnectionDeadline} on every connection. Vert.x offers no hook where a connection is accepted, and Quarkus
 * keeps its servers to itself, so once the listener is bound a handler goes in front of the acceptor of its server
 * channel; a Vert.x whose internals moved fails the listener tests rather than leaving the limits silently off.
 */
@ApplicationScoped
public class ListenerGuard {
    private static final Logger LOG = Logger.getLogger(ListenerGuard.class);
    private static final String ACCEPTOR = "estuary-connection-limits";
    private static final String DEADLINE = "estuary-connection-deadline";

    @Inject
    ListenerConfig limits;

    @Inject
    Vertx vertx;

    @Inject
    ProtocolErrorLog protocolErrors;

    private ConnectionsPerAddress connections;
    private final Set<Integer> guardedPorts = new HashSet<>();
    /** How often and how long the limits are looked for a server of the listener's ports: up to a minute. */
    private static final int GUARD_ATTEMPTS = 300;
    private static final long GUARD_RETRY_MILLIS = 200;

    /** Malformed requests and refused connections: ten lines a minute per address. */
    @Produces
    @Singleton
    static ProtocolErrorLog protocolErrorLog() {
        return new ProtocolErrorLog(Logger.getLogger("io.estuary.frontend.listener.protocol"), 10,
                Duration.ofMinutes(1), Clock.systemUTC());
    }

    void register(@Observes Filters filters) {
        // Before every other filter: a request one of them answers at once still ends its phase.
        filters.register(this::filter, CanonicalResponseHeaders.PRIORITY + 1);
    }

    void httpStarted(@ObservesAsync HttpServerStart started) {
        guard();
    }

    void httpsStarted(@ObservesAsync HttpsServerStart started) {
        guard();
    }

    /** The ports the EST listener's limits are on, once it is bound (tests wait for it). */
    public synchronized Set<Integer> guardedPorts() {
        return Set.copyOf(guardedPorts);
    }

    void guard() {
        guard(0);
    }

    /**
     * Installs the limits on every server of the listener's ports. A test's random port becomes known only when
     * Quarkus publishes it after the bind, possibly after this observer ran, so an unresolved or unfound port is looked
     * for again a little later rather than left unguarded.
     */
    private synchronized void guard(int attempt) {
        if (connections == null) {
            connections = new ConnectionsPerAddress(limits.maxConnectionsPerAddress());
        }
        Set<Integer> ports = listenerPorts();
        var servers = ((VertxInternal) vertx).sharedHttpServers();
        synchronized (servers) {
            for (HttpServerImpl server : servers.values()) {
                int port = server.actualPort();
                if (ports.contains(port) && !guardedPorts.contains(port)) {
                    serverChannel(server).pipeline().addFirst(ACCEPTOR, new Acceptor(connections));
                    guardedPorts.add(port);
                    LOG.debugf("connection limits on port %d: %s", port, limits);
                }
            }
        }
        boolean pending = ports.contains(0) || !guardedPorts.containsAll(ports);
        if (pending && attempt < GUARD_ATTEMPTS) {
            vertx.setTimer(GUARD_RETRY_MILLIS, timer -> guard(attempt + 1));
            return;
        }
        for (int port : ports) {
            if (!guardedPorts.contains(port)) {
                LOG.warnf("the EST listener on port %d runs without connection limits: its server was not found", port);
            }
        }
    }

    void filter(RoutingContext context) {
        ConnectionDeadline deadline = deadlineOf(context.request());
        if (deadline != null) {
            deadline.headArrived(context.request());
            context.addEndHandler(ended -> deadline.responseEnded());
        }
        context.next();
    }

    private static ConnectionDeadline deadlineOf(HttpServerRequest request) {
        if (request.connection() instanceof ConnectionBase connection) {
            return connection.channel().pipeline().get(ConnectionDeadline.class);
        }
        return null;
    }

    /** The bound ports of the main HTTP server (actual ones, also where 0 asked for any). */
    private static Set<Integer> listenerPorts() {
        var config = ConfigProvider.getConfig();
        boolean test = LaunchMode.current().isDevOrTest();
        Set<Integer> ports = new HashSet<>();
        // With insecure requests disabled (production) no plain server is bound: its port is not the listener's.
        boolean plain = !"disabled".equalsIgnoreCase(config.getOptionalValue("quarkus.http.insecure-requests",
                String.class).orElse("enabled"));
        List<String> names = new ArrayList<>();
        if (plain) {
            names.add(test ? "quarkus.http.test-port" : "quarkus.http.port");
        }
        names.add(test ? "quarkus.http.test-ssl-port" : "quarkus.http.ssl-port");
        for (String name : names) {
            // 0 in a test: a random port Quarkus has not published yet.
            config.getOptionalValue(name, Integer.class).filter(port -> port >= 0).ifPresent(ports::add);
        }
        return ports;
    }

    @SuppressWarnings("unchecked")
    private static Channel serverChannel(TCPServerBase server) {
        try {
            Field bound = TCPServerBase.class.getDeclaredField("bindFuture");
            bound.setAccessible(true);
            return ((io.vertx.core.Future<Channel>) bound.get(server)).result();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this Vert.x keeps its server channel elsewhere", e);
        }
    }

    static String addressOf(Channel channel) {
        return channel.remoteAddress() instanceof InetSocketAddress remote ? remote.getAddress().getHostAddress()
                : String.valueOf(channel.remoteAddress());
    }

    /** On the server channel: counts each accepted connection against its address, and gives it its deadline. */
    @ChannelHandler.Sharable
    private final class Acceptor extends ChannelInboundHandlerAdapter {
        private final ConnectionsPerAddress connections;

        Acceptor(ConnectionsPerAddress connections) {
            this.connections = connections;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            if (message instanceof Channel child && child.remoteAddress() instanceof InetSocketAddress remote) {
                InetAddress address = remote.getAddress();
                if (!connections.tryOpen(address)) {
                    protocolErrors.debugf(address.getHostAddress(),
                            "closed a connection from %s: it already holds %d, the most one address may",
                            address.getHostAddress(), limits.maxConnectionsPerAddress());
                    child.unsafe().closeForcibly();
                    return;
                }
                child.closeFuture().addListener(closed -> connections.closed(address));
                child.pipeline().addFirst(DEADLINE, new ConnectionDeadline(limits, protocolErrors));
            }
            ctx.fireChannelRead(message);
        }
    }
}
