package io.estuary.console.rest;

import io.estuary.operatorauth.OperatorRoles;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who is signed in and which of the console's screens their roles open. It only decides what the pages offer: every
 * API the console calls checks the user's token itself, and refuses what the role does not allow.
 */
public record Viewer(String name, boolean operator, boolean auditor, boolean revoker) {

    static Viewer of(SecurityIdentity identity) {
        return new Viewer(identity.getPrincipal().getName(), identity.hasRole(OperatorRoles.OPERATOR),
                identity.hasRole(OperatorRoles.AUDITOR), identity.hasRole(OperatorRoles.REVOKER));
    }
}
