package io.estuary.frontend.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Who may enroll: the Keycloak realm behind HTTP Basic, the credential cache, label roles and failure limits. */
@ConfigMapping(prefix = "estuary.auth")
public interface AuthConfig {

    Keycloak keycloak();

    /** How long a successful credential check is reused without asking Keycloak again. {@code PT0S} disables it. */
    @WithDefault("PT2M")
    Duration cacheTtl();

    /** Most credentials remembered at once. */
    @WithDefault("10000")
    int cacheSize();

    /** Realm roles {@code <prefix><label>} (or {@code <prefix>*}) allow enrolling on a label. */
    @WithDefault("est-label:")
    String labelRolePrefix();

    RateLimit rateLimit();

    /**
     * Folder of bootstrap (manufacturer) CAs: one sub-folder per label ({@code default} for the unlabelled path)
     * holding PEM files. Their certificates may enroll on that label with a TLS client certificate.
     */
    Optional<java.nio.file.Path> bootstrapCaDir();

    /** The label a request authenticated by a bootstrap certificate is enrolled under. */
    @WithDefault("est-identity")
    String bootstrapEnrollsAs();

    /** The profile whose certificates (EST identities) may authenticate later enrollments on any label. */
    @WithDefault("est-identity")
    String estIdentityProfile();

    /** Users known without Keycloak, for tests of everything but Keycloak; ignored when Keycloak is configured. */
    Map<String, TestUser> testUsers();

    interface TestUser {
        String password();

        List<String> roles();
    }

    interface Keycloak {
        /** Keycloak's base URL, e.g. {@code http://127.0.0.1:8180}. Unset: no Keycloak (tests with built-in users). */
        Optional<URI> url();

        @WithDefault("estuary")
        String realm();

        /** The realm's client allowed the password grant. */
        @WithDefault("est-frontend")
        String clientId();

        /** Only for a confidential client; the shipped realm's client is public. */
        Optional<String> clientSecret();

        @WithDefault("PT5S")
        Duration timeout();
    }

    interface RateLimit {
        /** Failed authentications one identity may have within the window before it gets 429. */
        @WithDefault("5")
        int perIdentity();

        /** Failed authentications one source address may have within the window before it gets 429. */
        @WithDefault("20")
        int perAddress();

        @WithDefault("PT5M")
        Duration window();
    }
}
