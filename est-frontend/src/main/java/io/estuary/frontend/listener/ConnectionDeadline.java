package io.estuary.frontend.listener;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.http.HttpServerRequest;

/**
 * The deadline of one EST connection, first in its pipeline (under TLS, so a slow handshake counts too). Vert.x's idle
 * timeout is reset by every byte, so a client trickling a header byte every few seconds would hold a connection for
 * hours; here each phase has a deadline from its start that no trickle moves:
 * <ul>
 * <li>head: from connecting, or from a kept-alive connection's first byte, to the request head (header timeout);</li>
 * <li>body: from the head to the body's end (body timeout);</li>
 * <li>processing: none (the enrollment's own wait bounds it);</li>
 * <li>idle: from a response's end to the next request's first byte (keep-alive timeout).</li>
 * </ul>
 * The head's arrival and the response's end are told by the router ({@link ListenerGuard}); all state is touched on the
 * channel's event loop only.
 */
final class ConnectionDeadline extends ChannelInboundHandlerAdapter {
    enum Phase {
        HEAD, BODY, PROCESSING, IDLE
    }

    private final ListenerConfig limits;
    private final ProtocolErrorLog log;
    private ChannelHandlerContext context;
    private Phase phase;
    private ScheduledFuture<?> timer;
    private HttpServerRequest request;

    ConnectionDeadline(ListenerConfig limits, ProtocolErrorLog log) {
        this.limits = limits;
        this.log = log;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        context = ctx;
        if (ctx.channel().isActive()) {
            enter(Phase.HEAD);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (phase == null) {
            enter(Phase.HEAD);
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (phase == Phase.IDLE) {
            enter(Phase.HEAD);
        }
        ctx.fireChannelRead(message);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        request = null;
        ctx.fireChannelInactive();
    }

    /** The router has a request's head: its body has the body timeout from now. */
    void headArrived(HttpServerRequest request) {
        onEventLoop(() -> {
            this.request = request;
            enter(request.isEnded() ? Phase.PROCESSING : Phase.BODY);
        });
    }

    /** A response has ended: the connection, if kept alive, waits for its next request. */
    void responseEnded() {
        onEventLoop(() -> {
            request = null;
            if (context.channel().isActive()) {
                enter(Phase.IDLE);
            }
        });
    }

    Phase phase() {
        return phase;
    }

    private void onEventLoop(Runnable step) {
        if (context.executor().inEventLoop()) {
            step.run();
        } else {
            context.executor().execute(step);
        }
    }

    private void enter(Phase next) {
        cancel();
        phase = next;
        Duration limit = switch (next) {
            case HEAD -> limits.headerTimeout();
            case BODY -> limits.bodyTimeout();
            case IDLE -> limits.keepAliveTimeout();
            case PROCESSING -> null;
        };
        if (limit != null) {
            timer = context.executor().schedule(() -> expire(next), limit.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void expire(Phase expired) {
        if (phase != expired) {
            return;
        }
        timer = null;
        // A body the router has all of, or a request already answered, is no slow client.
        if (expired == Phase.BODY && request != null && (request.isEnded() || request.response().ended())) {
            phase = Phase.PROCESSING;
            return;
        }
        if (expired != Phase.IDLE) {
            String address = ListenerGuard.addressOf(context.channel());
            log.debugf(address, "closed the connection from %s: no complete request %s within %s", address,
                    expired == Phase.HEAD ? "head" : "body",
                    expired == Phase.HEAD ? limits.headerTimeout() : limits.bodyTimeout());
        }
        context.close();
    }
}
