package io.estuary.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * One HTTP/1.1 connection, over TLS or plain TCP; enough of HTTP for answers with a Content-Length. A plain client
 * over sockets keeps the load generator's own cost small, and makes "a new connection per request" exact. Connections
 * of one {@link SSLContext} to one host and port resume the session JSSE cached from the one before (a TLS 1.3 ticket
 * arrives after the handshake and is taken in when the answer is read), unless it was forgotten.
 */
final class HttpConnection {
    /** An answer: its status and body. */
    record Answer(int status, byte[] body) {
    }

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final String host;
    /** Whether the handshake resumed a session: a resumed session keeps the creation time of its first. */
    final boolean resumed;

    private HttpConnection(Socket socket, String host, boolean resumed) throws IOException {
        this.socket = socket;
        this.host = host;
        this.resumed = resumed;
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(60_000);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream());
    }

    static HttpConnection tls(SSLContext tls, String host, int port) throws IOException {
        long opened = System.currentTimeMillis();
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(host, port);
        socket.startHandshake();
        return new HttpConnection(socket, host, socket.getSession().getCreationTime() < opened);
    }

    static HttpConnection plain(String host, int port) throws IOException {
        return new HttpConnection(new Socket(host, port), host, false);
    }

    /** Takes this connection's session out of the client's cache, so the next connection cannot resume it. */
    void forgetSession() {
        if (socket instanceof SSLSocket tls) {
            tls.getSession().invalidate();
        }
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
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
