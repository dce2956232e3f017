package io.estuary.frontend.rest;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.security.credential.CertificateCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.CertificateAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Authenticates an EST request by the certificate a trusted proxy passed in its header ({@link ClientCertificates}),
 * as Quarkus's X509 mechanism does by the TLS session's: the same request to the same identity provider, under the
 * same scheme name ({@code X509}, which the EST paths accept). Whether the certificate may do anything is judged later,
 * by {@link io.estuary.frontend.auth.ClientCertificatePolicy}, as for a TLS one.
 */
@ApplicationScoped
public class ForwardedCertificateAuthentication implements HttpAuthenticationMechanism {
    /** Just before Quarkus's X509 mechanism: a proxy that also presents its own TLS certificate is not the client. */
    static final int PRIORITY = DEFAULT_PRIORITY + 1;

    @Inject
    ClientCertificates certificates;

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String path = context.normalizedPath();
        if (path == null || !path.startsWith(AuthFailureFilter.EST_PREFIX) || !certificates.forwarded(context)) {
            return Uni.createFrom().nullItem();
        }
        CertificateCredential credential = new CertificateCredential(certificates.chain(context)[0]);
        AuthenticationRequest request = HttpSecurityUtils.setRoutingContextAttribute(
                new CertificateAuthenticationRequest(credential), context);
        return identityProviderManager.authenticate(request);
    }

    /** No challenge of its own: a client without credentials is asked for a password (Basic). */
    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().nullItem();
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(CertificateAuthenticationRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.X509, "X509"));
    }

    @Override
    public int getPriority() {
        return PRIORITY;
    }
}
