package io.estuary.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslContext;
import io.netty.internal.tcnative.SSL;
import io.netty.util.ReferenceCountUtil;

/**
 * A TLS connection in BoringSSL (netty-tcnative's engine) over a blocking socket, read and written as streams: what a
 * device's OpenSSL-based client costs, without an event loop. The engine takes the session to resume from its
 * context's cache, and a TLS 1.3 ticket that arrives with the answer goes into that cache when the answer is read.
 */
final class OpenSslStreams implements AutoCloseable {
    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

    private final Socket socket;
    private final InputStream socketIn;
    private final OutputStream socketOut;
    private final SSLEngine engine;
    /** Bytes read from the socket and not yet unwrapped (kept ready for writing). */
    private final ByteBuffer netIn;
    /** Records to send. */
    private final ByteBuffer netOut;
    /** Plain bytes unwrapped and not yet read (kept ready for reading); grown when a record needs more room. */
    private ByteBuffer appIn;
    final InputStream in = new In();
    final OutputStream out = new Out();

    private OpenSslStreams(Socket socket, SSLEngine engine) throws IOException {
        this.socket = socket;
        this.engine = engine;
        socketIn = socket.getInputStream();
        socketOut = socket.getOutputStream();
        netIn = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        netOut = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize()).limit(0);
    }

    /** Connects and completes the handshake; {@code timeoutMillis} bounds each read. */
    static OpenSslStreams connect(SslContext context, String host, int port, int timeoutMillis) throws IOException {
        Socket socket = new Socket(host, port);
        SSLEngine engine = null;
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(timeoutMillis);
            engine = context.newEngine(ByteBufAllocator.DEFAULT, host, port);
            OpenSslStreams streams = new OpenSslStreams(socket, engine);
            streams.handshake();
            return streams;
        } catch (IOException | RuntimeException e) {
            ReferenceCountUtil.release(engine);
            socket.close();
            throw e;
        }
    }

    /** Whether the handshake resumed a cached session, as BoringSSL tells it. */
    boolean resumed() {
        return engine instanceof ReferenceCountedOpenSslEngine openSsl && SSL.isSessionReused(openSsl.sslPointer());
    }

    private void handshake() throws IOException {
        engine.beginHandshake();
        HandshakeStatus status = engine.getHandshakeStatus();
        while (status != HandshakeStatus.FINISHED && status != HandshakeStatus.NOT_HANDSHAKING) {
            switch (status) {
                case NEED_WRAP -> status = wrap(NOTHING).getHandshakeStatus();
                case NEED_UNWRAP -> status = unwrap().getHandshakeStatus();
                case NEED_TASK -> {
                    for (Runnable task; (task = engine.getDelegatedTask()) != null;) {
                        task.run();
                    }
                    status = engine.getHandshakeStatus();
                }
                default -> throw new SSLException("unexpected handshake status " + status);
            }
        }
    }

    /** Wraps what {@code plain} holds (all of it) and sends the records. */
    private SSLEngineResult wrap(ByteBuffer plain) throws IOException {
        SSLEngineResult result;
        do {
            netOut.clear();
            result = engine.wrap(plain, netOut);
            if (result.getStatus() != SSLEngineResult.Status.OK && result.getStatus() != SSLEngineResult.Status.CLOSED) {
                throw new SSLException("wrap: " + result.getStatus());
            }
            socketOut.write(netOut.array(), 0, netOut.position());
        } while (plain.hasRemaining() && result.getStatus() == SSLEngineResult.Status.OK);
        return result;
    }

    /** Unwraps one record into {@link #appIn}, reading from the socket until a whole one is there. */
    private SSLEngineResult unwrap() throws IOException {
        while (true) {
            netIn.flip();
            appIn.compact();
            SSLEngineResult result;
            try {
                result = engine.unwrap(netIn, appIn);
            } finally {
                appIn.flip();
                netIn.compact();
            }
            switch (result.getStatus()) {
                case OK, CLOSED -> {
                    return result;
                }
                case BUFFER_UNDERFLOW -> {
                    int read = socketIn.read(netIn.array(), netIn.position(), netIn.remaining());
                    if (read < 0) {
                        throw new EOFException("connection closed in a TLS record");
                    }
                    netIn.position(netIn.position() + read);
                }
                case BUFFER_OVERFLOW -> {
                    // The engine asks for more room than the session's application buffer size offered: grow, keeping
                    // what was unwrapped before.
                    ByteBuffer larger = ByteBuffer.allocate(Math.max(2 * appIn.capacity(),
                            engine.getSession().getApplicationBufferSize()));
                    larger.put(appIn).flip();
                    appIn = larger;
                }
                default -> throw new SSLException("unwrap: " + result.getStatus());
            }
        }
    }

    @Override
    public void close() {
        try {
            engine.closeOutbound();
            socket.close();
        } catch (IOException e) {
            // closing anyway
        } finally {
            ReferenceCountUtil.release(engine);
        }
    }

    private final class In extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            while (!appIn.hasRemaining()) {
                SSLEngineResult result = unwrap();
                if (result.getStatus() == SSLEngineResult.Status.CLOSED && !appIn.hasRemaining()) {
                    return -1;
                }
                if (result.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                    wrap(NOTHING); // a post-handshake message the peer waits for (a key update)
                }
            }
            int n = Math.min(length, appIn.remaining());
            appIn.get(bytes, offset, n);
            return n;
        }
    }

    private final class Out extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] { (byte) b }, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            wrap(ByteBuffer.wrap(bytes, offset, length));
        }
    }
}
