package io.estuary.console.client;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;

import org.eclipse.microprofile.rest.client.ext.ClientHeadersFactory;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Sends the signed-in user's access token (from the OIDC session, refreshed with it) as the bearer token of each API
 * call, so each API applies that user's roles. Nothing is sent without a signed-in user.
 */
@ApplicationScoped
public class UserAccessToken implements ClientHeadersFactory {
    @Inject
    SecurityIdentity identity;

    @Override
    public MultivaluedMap<String, String> update(MultivaluedMap<String, String> incoming,
            MultivaluedMap<String, String> outgoing) {
        MultivaluedMap<String, String> headers = new MultivaluedHashMap<>();
        AccessTokenCredential token = identity.getCredential(AccessTokenCredential.class);
        if (token != null) {
            headers.add("Authorization", "Bearer " + token.getToken());
        }
        return headers;
    }
}
