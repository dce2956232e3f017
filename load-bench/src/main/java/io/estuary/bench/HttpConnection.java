package io.estuary.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import io.netty.handler.ssl.SslContext;

/**
 * One HTTP/1.1 connection, over TLS or plain TCP; enough of HTTP for answers with a Content-Length. A plain client
 * over blocking sockets keeps the load generator's own cost small, and makes "a new connection per request" exact.
 * The TLS comes from a {@link WorkerTls}, which decides whether the next connection may resume this one's session.
 */
final class HttpConnection {
    private static final int TIMEOUT_MILLIS = 60_000;

    /** An answer: its status and body. */
    record Answer(int status, byte[] body) {
    }

    private final AutoCloseable transport;
    private final OutputStream out;
    private final InputStream in;
    private final String host;
    /** Whether the handshake resumed a session. */
    final boolean resumed;
    /** Run after each answer is read (a TLS 1.3 ticket comes with the first). */
    private final Runnable afterAnswer;

    private HttpConnection(AutoCloseable transport, InputStream in, OutputStream out, String host, boolean resumed,
            Runnable afterAnswer) {
        this.transport = transport;
        this.afterAnswer = afterAnswer;
        this.host = host;
        this.resumed = resumed;
        this.out = out;
        this.in = new BufferedInputStream(in);
    }

    /**
     * Over the JDK's TLS: connections of one {@link SSLContext} to one host and port resume the session JSSE cached
     * from the one before (a TLS 1.3 ticket arrives after the handshake and is taken in when the answer is read); a
     * resumed JSSE session keeps the creation time of its first. Without {@code resumes} the session is taken out of
     * the cache once the answer (and with it the ticket) is read, so no later connection resumes it.
     */
    static HttpConnection jdk(SSLContext tls, String host, int port, boolean resumes) throws IOException {
        long opened = System.currentTimeMillis();
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(host, port);
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            socket.startHandshake();
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        return new HttpConnection(socket, socket.getInputStream(), socket.getOutputStream(), host,
                socket.getSession().getCreationTime() < opened, resumes ? () -> { } : () -> socket.getSession()
                        .invalidate());
    }

    /** Over BoringSSL: the context's session cache (or none) decides what resumes. */
    static HttpConnection openSsl(SslContext tls, String host, int port) throws IOException {
        OpenSslStreams streams = OpenSslStreams.connect(tls, host, port, TIMEOUT_MILLIS);
        return new HttpConnection(streams, streams.in, streams.out, host, streams.resumed(), () -> { });
    }

    static HttpConnection plain(String host, int port) throws IOException {
        Socket socket = new Socket(host, port);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(TIMEOUT_MILLIS);
        return new HttpConnection(socket, socket.getInputStream(), socket.getOutputStream(), host, false, () -> { });
    }

    /** POSTs the body; {@code authorization} may be null. */
    Answer post(String path, String authorization, String contentType, byte[] body, boolean keepAlive)
            throws IOException {
        String head = "POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\n"
                + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                + "Content-Type: " + contentType + "\r\nContent-Length: " + body.length + "\r\n"
                + (keepAlive ? "" : "Connection: close\r\n") + "\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        String status = line();
        if (status == null) {
            throw new IOException("connection closed");
        }
        int length = 0;
        String header;
        while ((header = line()) != null && !header.isEmpty()) {
            int colon = header.indexOf(':');
            if (colon > 0 && header.substring(0, colon).equalsIgnoreCase("content-length")) {
                length = Integer.parseInt(header.substring(colon + 1).trim());
            }
        }
        byte[] answer = in.readNBytes(length);
        if (answer.length < length) {
            throw new IOException("connection closed in the body");
        }
        afterAnswer.run();
        return new Answer(Integer.parseInt(status.split(" ")[1]), answer);
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                int last = line.length() - 1;
                if (last >= 0 && line.charAt(last) == '\r') {
                    line.setLength(last);
                }
                return line.toString();
            }
            line.append((char) c);
        }
        return line.length() == 0 ? null : line.toString();
    }

    void close() {
        try {
            transport.close();
        } catch (Exception e) {
            // closing anyway
        }
    }
}
