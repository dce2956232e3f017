package io.estuary.frontend.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.estuary.frontend.auth.LabelAuthorization;
import io.estuary.frontend.config.AuthConfig;
import io.quarkus.security.identity.SecurityIdentity;

/** Decides whether an authenticated credential may enroll on a label, from its roles. */
@ApplicationScoped
public class EnrollmentAuthorization {
    @Inject
    AuthConfig config;

    public void requireLabel(SecurityIdentity identity, String label) {
        LabelAuthorization labels = new LabelAuthorization(config.labelRolePrefix());
        if (!labels.allows(identity.getRoles(), label)) {
            throw new LabelNotAllowedException("'" + identity.getPrincipal().getName() + "' may not enroll on label '"
                    + (label.isEmpty() ? LabelAuthorization.DEFAULT_LABEL : label) + "' (needs role "
                    + labels.roleFor(label) + ")");
        }
    }
}
