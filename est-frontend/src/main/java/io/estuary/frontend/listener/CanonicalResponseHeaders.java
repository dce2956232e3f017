package io.estuary.frontend.listener;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;

/**
 * Every response of the listener leaves with its header names in their canonical spelling ({@code Content-Length},
 * {@code WWW-Authenticate}) and a Basic challenge spelled {@code Basic}. HTTP names and schemes are case-insensitive,
 * but embedded EST clients in the field (libest among them) compare them byte for byte, and Vert.x writes the names it
 * adds itself ({@code content-length}, {@code connection}) in lower case. Done here, once, for every route, so that no
 * endpoint can forget it.
 */
@ApplicationScoped
public class CanonicalResponseHeaders {
    /**
     * Runs before every other filter that touches a response (ListenerGuard's, which only watches, runs first), so its
     * headers-end handler (called in reverse order) runs after theirs.
     */
    public static final int PRIORITY = 10_000;
    private static final String WWW_AUTHENTICATE = "WWW-Authenticate";
    /** Names whose canonical form is not "each hyphenated word capitalised". */
    private static final Map<String, String> EXCEPTIONS = Map.of(
            "www-authenticate", WWW_AUTHENTICATE,
            "content-md5", "Content-MD5",
            "etag", "ETag",
            "te", "TE",
            "x-xss-protection", "X-XSS-Protection");

    void register(@Observes Filters filters) {
        filters.register(this::filter, PRIORITY);
    }

    void filter(RoutingContext context) {
        context.addHeadersEndHandler(v -> canonicalise(context.response().headers()));
        context.next();
    }

    public static void canonicalise(MultiMap headers) {
        boolean rewrite = false;
        for (Map.Entry<String, String> header : headers) {
            if (!header.getKey().equals(canonical(header.getKey())) || isLowerCaseBasic(header)) {
                rewrite = true;
                break;
            }
        }
        if (!rewrite) {
            return;
        }
        List<Map.Entry<String, String>> all = headers.entries();
        headers.clear();
        for (Map.Entry<String, String> header : all) {
            String value = isLowerCaseBasic(header) ? "Basic " + header.getValue().substring(6) : header.getValue();
            headers.add(canonical(header.getKey()), value);
        }
    }

    private static boolean isLowerCaseBasic(Map.Entry<String, String> header) {
        String value = header.getValue();
        return header.getKey().equalsIgnoreCase(WWW_AUTHENTICATE) && value.regionMatches(true, 0, "basic ", 0, 6)
                && !value.startsWith("Basic ");
    }

    /** {@code content-length} → {@code Content-Length}; the few irregular names from a table. */
    static String canonical(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        String irregular = EXCEPTIONS.get(lower);
        if (irregular != null) {
            return irregular;
        }
        char[] chars = lower.toCharArray();
        boolean start = true;
        for (int i = 0; i < chars.length; i++) {
            if (start) {
                chars[i] = Character.toUpperCase(chars[i]);
            }
            start = chars[i] == '-';
        }
        return new String(chars);
    }
}
