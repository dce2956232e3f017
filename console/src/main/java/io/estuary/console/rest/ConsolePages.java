package io.estuary.console.rest;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import io.estuary.console.client.AuditApi;
import io.estuary.console.client.CaApi;
import io.estuary.console.client.EstCaCertificates;
import io.estuary.console.client.RenewalApi;
import io.estuary.console.domain.AuditPage;
import io.estuary.console.domain.AuditSearch;
import io.estuary.console.domain.CaInformation;
import io.estuary.console.domain.Certificate;
import io.estuary.console.domain.ChainVerification;
import io.estuary.console.domain.DevicePage;
import io.estuary.console.domain.ExpiryCalendar;
import io.estuary.console.domain.ExpiryHeatMap;
import io.estuary.console.domain.FleetSummary;
import io.estuary.console.domain.KeyDescription;
import io.estuary.pki.wire.Base64Body;
import io.estuary.pki.wire.CertsOnly;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * The console's screens, rendered on the server from the APIs, each call made with the signed-in user's token. Every
 * list is a page of an API's paged list; the counts are the APIs' indexed counts: no screen reads the fleet.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class ConsolePages {
    static final int DEVICES_PER_PAGE = 20;
    static final int RECORDS_PER_PAGE = 50;
    static final int CALENDAR_DAYS = 90;
    /** The audit API's and renewal API's deepest pages; the console's links stop there too. */
    private static final int MAX_PAGE = 10_000;

    @Inject
    SecurityIdentity identity;
    @RestClient
    RenewalApi renewals;
    @RestClient
    AuditApi audit;
    @RestClient
    CaApi cas;
    @RestClient
    EstCaCertificates estCaCertificates;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance fleet(Viewer viewer, Fetched<FleetSummary> summary,
                Fetched<ExpiryHeatMap> heatMap, Fetched<DevicePage> overdue, Fetched<DevicePage> expired);

        static native TemplateInstance device(Viewer viewer, String deviceId, Fetched<List<Certificate>> history,
                Fetched<AuditPage> records, Long after);

        static native TemplateInstance revoke(Viewer viewer, String deviceId);

        static native TemplateInstance revoked(Viewer viewer, String deviceId, Fetched<String> answer);

        static native TemplateInstance audit(Viewer viewer, AuditSearch search, List<String> outcomes,
                Fetched<AuditPage> records, Long after, String exportQuery, String nextLink);

        static native TemplateInstance verification(Viewer viewer, Fetched<ChainVerification> result);

        static native TemplateInstance cas(Viewer viewer, Fetched<List<CaView>> cas);

        static native TemplateInstance signedOut();
    }

    /** A CA with the key type of each certificate of its chain (from EST /cacerts), by position. */
    public record CaView(CaInformation ca, List<String> keyTypes) {
        public String keyType(int index) {
            return index < keyTypes.size() ? keyTypes.get(index) : "unknown";
        }
    }

    @GET
    public Response home() {
        return Response.seeOther(URI.create("/fleet")).build();
    }

    @GET
    @Path("fleet")
    public TemplateInstance fleet(@QueryParam("overduePage") String overduePage,
            @QueryParam("expiredPage") String expiredPage) {
        Viewer viewer = Viewer.of(identity);
        Fetched<FleetSummary> summary = Fetched.from("the renewal API", renewals::summary);
        Fetched<ExpiryHeatMap> heatMap = Fetched.from("the renewal API",
                () -> ExpiryHeatMap.of(renewals.expiries(CALENDAR_DAYS)));
        Fetched<DevicePage> overdue = Fetched.from("the renewal API",
                () -> renewals.devices("overdue", null, page(overduePage), DEVICES_PER_PAGE));
        Fetched<DevicePage> expired = Fetched.from("the renewal API",
                () -> renewals.devices("expired", null, page(expiredPage), DEVICES_PER_PAGE));
        return Templates.fleet(viewer, summary, heatMap, overdue, expired);
    }

    /** The device search box: straight to the device's page. */
    @GET
    @Path("devices")
    public Response findDevice(@QueryParam("id") String deviceId) {
        if (deviceId == null || deviceId.isBlank()) {
            return Response.seeOther(URI.create("/fleet")).build();
        }
        return Response.seeOther(UriBuilder.fromPath("/devices/{id}").build(deviceId.strip())).build();
    }

    @GET
    @Path("devices/{deviceId}")
    public TemplateInstance device(@PathParam("deviceId") String deviceId, @QueryParam("after") String after) {
        Viewer viewer = Viewer.of(identity);
        Long afterSequence = sequence(after);
        Fetched<List<Certificate>> history = Fetched.from("the renewal API", () -> renewals.history(deviceId));
        Fetched<AuditPage> records = Fetched.from("the audit API",
                () -> audit.records(deviceId, null, null, null, null, null, afterSequence, RECORDS_PER_PAGE));
        return Templates.device(viewer, deviceId, history, records, afterSequence);
    }

    /** Asks before revoking: the reason is chosen here, and the form carries the CSRF token. */
    @GET
    @Path("devices/{deviceId}/revoke")
    public TemplateInstance confirmRevocation(@PathParam("deviceId") String deviceId) {
        return Templates.revoke(Viewer.of(identity), deviceId);
    }

    @GET
    @Path("audit")
    public TemplateInstance audit(@QueryParam("device") String device, @QueryParam("serial") String serial,
            @QueryParam("label") String label, @QueryParam("outcome") String outcome,
            @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("after") String after) {
        Viewer viewer = Viewer.of(identity);
        AuditSearch search = AuditSearch.of(device, serial, label, outcome, from, to);
        Long afterSequence = sequence(after);
        Fetched<AuditPage> records = Fetched.from("the audit API", () -> audit.records(search.device(),
                search.serial(), search.label(), search.outcome(), search.fromInstant(), search.toInstant(),
                afterSequence, RECORDS_PER_PAGE));
        String nextLink = records.ok() && records.value().next() != null
                ? searchUri("/audit", search).queryParam("after", records.value().next()).build().toString()
                : null;
        String exportQuery = searchUri("", search).build().getRawQuery();
        return Templates.audit(viewer, search, AuditSearch.OUTCOMES, records, afterSequence, exportQuery == null ? "" : exportQuery,
                nextLink);
    }

    /** Verifies the whole chain now (the audit API runs one verification at a time and says so when busy). */
    @GET
    @Path("audit/verification")
    public TemplateInstance verification() {
        Fetched<ChainVerification> result = Fetched.from("the audit API", () -> {
            try {
                return audit.verify();
            } catch (jakarta.ws.rs.WebApplicationException e) {
                if (e.getResponse().getStatus() == 409) {
                    return e.getResponse().readEntity(ChainVerification.class);
                }
                throw e;
            }
        });
        return Templates.verification(Viewer.of(identity), result);
    }

    @GET
    @Path("cas")
    public TemplateInstance cas() {
        Viewer viewer = Viewer.of(identity);
        Fetched<List<CaView>> views = Fetched.from("the CA information API", () -> {
            List<CaInformation> found = cas.cas();
            Map<String, String> keyTypes = new HashMap<>();
            for (CaInformation ca : found) {
                keyTypes.putAll(keyTypesServedFor(ca));
            }
            return found.stream().map(ca -> new CaView(ca, ca.chain().stream()
                    .map(c -> keyTypes.getOrDefault(c.sha256Fingerprint(), "unknown")).toList())).toList();
        });
        return Templates.cas(viewer, views);
    }

    @GET
    @Path("signed-out")
    public TemplateInstance signedOut() {
        return Templates.signedOut();
    }

    /**
     * The key type of each certificate EST serves for one of the CA's labels, by SHA-256 fingerprint; none when the CA
     * serves no label or the EST path cannot be read.
     */
    private Map<String, String> keyTypesServedFor(CaInformation ca) {
        if (ca.labels() == null || ca.labels().isEmpty()) {
            return Map.of();
        }
        String label = ca.labels().get(0);
        Fetched<String> body = Fetched.from("EST cacerts", () -> "default".equals(label)
                ? estCaCertificates.unlabelled() : estCaCertificates.labelled(label));
        if (!body.ok()) {
            return Map.of();
        }
        Map<String, String> types = new HashMap<>();
        for (X509Certificate certificate : CertsOnly.decode(Base64Body.decode(body.value()))) {
            types.put(CaFingerprint.of(certificate), KeyDescription.of(certificate.getPublicKey()));
        }
        return types;
    }

    static UriBuilder searchUri(String path, AuditSearch search) {
        UriBuilder uri = UriBuilder.fromPath(path);
        addIfPresent(uri, "device", search.device());
        addIfPresent(uri, "serial", search.serial());
        addIfPresent(uri, "label", search.label());
        addIfPresent(uri, "outcome", search.outcome());
        addIfPresent(uri, "from", search.from());
        addIfPresent(uri, "to", search.to());
        return uri;
    }

    private static void addIfPresent(UriBuilder uri, String name, String value) {
        if (value != null) {
            uri.queryParam(name, value);
        }
    }

    /** A page number from a link; anything else is the first page (the links are the console's own). */
    private static int page(String text) {
        try {
            int page = Integer.parseInt(text);
            return page >= 0 && page <= MAX_PAGE ? page : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Long sequence(String text) {
        try {
            long after = Long.parseLong(text);
            return after >= 0 ? after : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
