package io.estuary.frontend.rest;

import java.security.cert.X509Certificate;
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
 * Authenticates an EST request by its client certificate: the one a trusted proxy passed in its header, else the TLS
 * session's ({@link ClientCertificates} decides), with the request Quarkus's X509 mechanism makes, to the same identity
 * provider. The EST paths name their mechanisms by scheme ({@code basic,X509}) and Quarkus keeps one mechanism per
 * scheme, so this one must cover the TLS session's certificate too, or mutual TLS would stop authenticating. Whether
 * the certificate may do anything is judged later, by {@link io.estuary.frontend.auth.ClientCertificatePolicy}.
 */
@ApplicationScoped
public class ClientCertificateAuthentication implements HttpAuthenticationMechanism {
    /** Ahead of Quarkus's X509 mechanism, which it stands in for on the EST paths. */
    static final int PRIORITY = DEFAULT_PRIORITY + 1;

    @Inject
    ClientCertificates certificates;

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String path = context.normalizedPath();
        if (path == null || !path.startsWith(AuthFailureFilter.EST_PREFIX)) {
            return Uni.createFrom().nullItem();
        }
        X509Certificate[] chain = certificates.chain(context);
        if (chain == null) {
            return Uni.createFrom().nullItem();
        }
        CertificateCredential credential = new CertificateCredential(chain[0]);
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
