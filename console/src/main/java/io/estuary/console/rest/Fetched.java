package io.estuary.console.rest;

import java.util.function.Supplier;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;

import org.jboss.logging.Logger;

/**
 * What one API call gave a page: the value, or why there is none (the API's status and reason, e.g. 403 for a role
 * the user lacks), so one section of a page can say so while the rest shows.
 */
public record Fetched<T>(T value, int status, String problem) {
    private static final Logger LOG = Logger.getLogger(Fetched.class);

    public boolean ok() {
        return problem == null;
    }

    static <T> Fetched<T> from(String api, Supplier<T> call) {
        try {
            return new Fetched<>(call.get(), 200, null);
        } catch (WebApplicationException e) {
            int status = e.getResponse().getStatus();
            return new Fetched<>(null, status, api + " answered " + status + reason(e));
        } catch (ProcessingException e) {
            LOG.warnf("%s not reachable: %s", api, e.getMessage());
            return new Fetched<>(null, 503, api + " is not reachable right now");
        }
    }

    /** The API's own reason when it sent one as text (the services answer 4xx with a plain-text reason). */
    static String reason(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status == 401) {
            return ": the sign-in has expired; reload the page to sign in again";
        }
        if (status == 403) {
            return ": your account's roles do not allow this";
        }
        try {
            String body = e.getResponse().readEntity(String.class);
            if (body != null && !body.isBlank() && body.length() < 500 && !body.startsWith("{")) {
                return ": " + body.strip();
            }
        } catch (RuntimeException unreadable) {
            // no reason to add
        }
        return "";
    }
}
