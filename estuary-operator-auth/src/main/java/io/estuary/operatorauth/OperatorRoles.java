package io.estuary.operatorauth;

/**
 * Keycloak realm roles that open the operator APIs to a bearer token; the realm (deploy/keycloak/estuary-realm.json)
 * defines them under the same names.
 */
public final class OperatorRoles {
    /** Reads the audit trail (records, exports, chain verification, issuances) and the CA information. */
    public static final String AUDITOR = "auditor";
    /** Reads the renewal fleet data and the CA information. */
    public static final String OPERATOR = "operator";
    /** Revokes certificates ({@code POST /revocations} on the renewal scheduler). */
    public static final String REVOKER = "revoker";

    private OperatorRoles() {
    }
}
