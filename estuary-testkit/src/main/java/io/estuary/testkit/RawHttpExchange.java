package io.estuary.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One HTTP/1.1 exchange over a socket the caller opened (plain or TLS), read byte for byte the way a strict embedded
 * EST client (libest) reads it: no HTTP library that would normalise what the server wrote.
 *
 * @param statusLine the status line exactly as written, without CR LF
 * @param headers    the header fields in the order written, names as written
 * @param body       the body, read by its Content-Length (or to the end of the stream when it has none)
 * @param rawHead    the status line and header block exactly as received
 */
public record RawHttpExchange(String statusLine, List<Header> headers, byte[] body, String rawHead) {
    /** Status line as RFC 9112 writes it, with a reason phrase. */
    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.1 [1-5][0-9][0-9] [A-Za-z][A-Za-z' -]*");
    /** Each hyphen-separated word capitalised, as strict clients spell names; WWW-Authenticate is the one exception. */
    private static final Pattern CANONICAL_NAME = Pattern.compile("[A-Z][a-z0-9]*(-[A-Z][a-z0-9]*)*|WWW-Authenticate");
    private static final int MAX_HEAD = 64 * 1024;

    public record Header(String name, String value) {
    }

    /**
     * Writes {@code head} (request line and headers, CR LF separated, without the blank line: it is added with
     * Content-Length when there is a body) and the body, then reads the whole response.
     */
    public static RawHttpExchange send(Socket socket, String head, byte[] body) throws IOException {
        StringBuilder request = new StringBuilder(head);
        if (body != null) {
            request.append("\r\nContent-Length: ").append(body.length);
        }
        request.append("\r\n\r\n");
        OutputStream out = socket.getOutputStream();
        out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) {
            out.write(body);
        }
        out.flush();
        return read(socket.getInputStream());
    }

    public static RawHttpExchange read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection ended inside the response head: " + head);
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
            if (head.size() > MAX_HEAD) {
                throw new IOException("response head larger than " + MAX_HEAD + " bytes");
            }
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        String[] lines = text.substring(0, text.length() - 4).split("\r\n", -1);
        List<Header> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                throw new IOException("not a header field: '" + lines[i] + "'");
            }
            headers.add(new Header(lines[i].substring(0, colon), lines[i].substring(colon + 1).strip()));
        }
        RawHttpExchange partial = new RawHttpExchange(lines[0], List.copyOf(headers), new byte[0], text);
        Optional<String> length = partial.header("Content-Length");
        byte[] body;
        if (length.isPresent()) {
            body = in.readNBytes(Integer.parseInt(length.get()));
        } else if (partial.status() == 204 || partial.status() == 304 || partial.header("Transfer-Encoding")
                .isPresent()) {
            body = new byte[0];
        } else {
            body = in.readAllBytes();
        }
        return new RawHttpExchange(lines[0], List.copyOf(headers), body, text);
    }

    public int status() {
        return Integer.parseInt(statusLine.substring(9, 12));
    }

    /** A header's value, its name matched without regard to case (as HTTP would). */
    public Optional<String> header(String name) {
        return headers.stream().filter(h -> h.name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT)))
                .map(Header::value).findFirst();
    }

    /** A header's value, its name matched byte for byte (as libest does); empty if spelled any other way. */
    public Optional<String> exactHeader(String name) {
        return headers.stream().filter(h -> h.name().equals(name)).map(Header::value).findFirst();
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * What a client that compares bytes needs: an {@code HTTP/1.1 <code> <reason>} status line, every header name in
     * canonical case, a Basic challenge spelled {@code Basic}, and a body delimited by Content-Length (never chunked,
     * never by closing the connection). Throws an AssertionError naming the first departure, with the raw head.
     */
    public RawHttpExchange assertReadableByStrictClients() {
        if (!STATUS_LINE.matcher(statusLine).matches()) {
            throw new AssertionError("status line '" + statusLine + "' is not 'HTTP/1.1 <code> <reason>'\n" + rawHead);
        }
        for (Header header : headers) {
            if (!CANONICAL_NAME.matcher(header.name()).matches()) {
                throw new AssertionError("header name '" + header.name() + "' is not in canonical case\n" + rawHead);
            }
        }
        if (exactHeader("Transfer-Encoding").isPresent()) {
            throw new AssertionError("a chunked (Transfer-Encoding) body\n" + rawHead);
        }
        exactHeader("WWW-Authenticate").ifPresent(challenge -> {
            if (!challenge.startsWith("Basic ")) {
                throw new AssertionError("challenge '" + challenge + "' is not spelled 'Basic'\n" + rawHead);
            }
        });
        if (status() != 204 && status() >= 200) {
            String length = exactHeader("Content-Length").orElseThrow(
                    () -> new AssertionError("no Content-Length on a " + status() + "\n" + rawHead));
            if (Integer.parseInt(length) != body.length) {
                throw new AssertionError("Content-Length " + length + " but " + body.length + " bytes\n" + rawHead);
            }
        }
        return this;
    }
}
