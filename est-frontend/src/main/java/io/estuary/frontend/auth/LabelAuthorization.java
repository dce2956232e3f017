package io.estuary.frontend.auth;

import java.util.Set;

import io.estuary.frontend.domain.DefaultLabel;

/**
 * Which EST labels a credential may enroll on, from its roles: {@code <prefix><label>} allows one label,
 * {@code <prefix>*} every label, and the unlabelled path {@code /.well-known/est/} is the label {@code default}.
 * The prefix defaults to {@code est-label:}; the Keycloak realm defines these roles.
 */
public final class LabelAuthorization {
    private final String prefix;

    public LabelAuthorization(String prefix) {
        this.prefix = prefix;
    }

    public boolean allows(Set<String> roles, String label) {
        return roles.contains(prefix + "*") || roles.contains(roleFor(label));
    }

    /** The role that allows exactly this label. */
    public String roleFor(String label) {
        return prefix + DefaultLabel.nameOf(label);
    }
}
