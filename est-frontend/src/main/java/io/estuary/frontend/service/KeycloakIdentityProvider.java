package io.estuary.frontend.service;

import java.time.Clock;
import java.util.Set;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.estuary.frontend.auth.CredentialCache;
import io.estuary.frontend.auth.KeycloakPasswordCheck;
import io.estuary.frontend.config.AuthConfig;
import io.estuary.frontend.domain.TooManyFailuresException;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.ext.web.RoutingContext;

/**
 * HTTP Basic credentials checked against Keycloak, successes cached briefly. Without {@code estuary.auth.keycloak.url}
 * (tests only) the users of {@code estuary.auth.test-users} answer instead.
 */
@ApplicationScoped
public class KeycloakIdentityProvider implements IdentityProvider<UsernamePasswordAuthenticationRequest> {
    /**
     * Routing-context key under which the reason of a refusal by Keycloak is left for the failure filter; the failure
     * was counted already, when the check that refused it ended.
     */
    public static final String FAILURE_REASON = "estuary.auth.failure-reason";
    private static final Logger LOG = Logger.getLogger(KeycloakIdentityProvider.class);

    @Inject
    AuthConfig config;
    @Inject
    AuthFailures failures;

    private KeycloakPasswordCheck keycloak;
    private CredentialCache cache;

    @PostConstruct
    void init() {
        AuthConfig.Keycloak kc = config.keycloak();
        kc.url().ifPresent(url -> {
            keycloak = new KeycloakPasswordCheck(url, kc.realm(), kc.clientId(), kc.clientSecret(), kc.timeout());
            LOG.infof("enrollment credentials are checked by Keycloak at %s, realm %s, client %s", url, kc.realm(),
                    kc.clientId());
        });
        cache = new CredentialCache(config.cacheTtl(), config.cacheSize(), Clock.systemUTC());
    }

    /** A packaged frontend without Keycloak would refuse every credential: stop at start with the reason instead. */
    void checkConfigured(@Observes StartupEvent event) {
        if (keycloak == null && LaunchMode.current() == LaunchMode.NORMAL) {
            throw new IllegalStateException(
                    "estuary.auth.keycloak.url (ESTUARY_KEYCLOAK_URL) is not set: no enrollment credential could be checked");
        }
    }

    @Override
    public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
        return UsernamePasswordAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request,
            AuthenticationRequestContext context) {
        String username = request.getUsername();
        char[] password = request.getPassword().getPassword();
        if (keycloak == null) {
            return Uni.createFrom().item(() -> testUser(username, password));
        }
        var cached = cache.find(username, password);
        if (cached.isPresent()) {
            return Uni.createFrom().item(identity(username, cached.get()));
        }
        RoutingContext routing = HttpSecurityUtils.getRoutingContextAttribute(request);
        String address = AuthFailures.addressOf(routing);
        return Uni.createFrom().completionStage(() -> cache.shareCheck(username, password,
                () -> countedCheck(username, password, address)))
                .map(outcome -> {
                    if (outcome instanceof KeycloakPasswordCheck.Valid valid) {
                        cache.rememberSuccess(username, password, valid.roles());
                        return identity(username, valid.roles());
                    }
                    String reason = ((KeycloakPasswordCheck.Invalid) outcome).reason();
                    if (routing != null) {
                        routing.put(FAILURE_REASON, reason);
                    }
                    throw new AuthenticationFailedException(reason);
                })
                .onFailure(e -> !(e instanceof AuthenticationFailedException)).invoke(e -> LOG.warnf(
                        "credential of '%s' could not be checked: %s", username, e.toString()));
    }

    /**
     * One guess sent to Keycloak: a slot under the identity and the address is reserved first (or the request is
     * refused with {@link TooManyFailuresException}, unchecked), and settled with the outcome.
     */
    private java.util.concurrent.CompletionStage<KeycloakPasswordCheck.Outcome> countedCheck(String username,
            char[] password, String address) {
        AuthFailures.Check slot = failures.reserveCheck(username, address);
        return Uni.createFrom().item(() -> keycloak.check(username, password))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onItemOrFailure().invoke((outcome, failure) -> {
                    if (outcome instanceof KeycloakPasswordCheck.Invalid) {
                        slot.failed();
                    } else {
                        slot.release();
                    }
                })
                .subscribeAsCompletionStage();
    }

    /** Without Keycloak (tests only: a packaged frontend does not start so), the configured test users. */
    private SecurityIdentity testUser(String username, char[] password) {
        AuthConfig.TestUser user = config.testUsers().get(username);
        if (user == null || !java.security.MessageDigest.isEqual(user.password().getBytes(
                java.nio.charset.StandardCharsets.UTF_8), new String(password).getBytes(
                        java.nio.charset.StandardCharsets.UTF_8))) {
            throw new AuthenticationFailedException("invalid credentials");
        }
        return identity(username, Set.copyOf(user.roles()));
    }

    private static SecurityIdentity identity(String username, Set<String> roles) {
        return QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(username)).addRoles(roles).build();
    }
}
