package io.estuary.audit.domain;

/** What an audited event says happened; one value per event type and result. */
public enum AuditOutcome {
    /** The frontend accepted an enrollment request and handed it to the signer. */
    REQUESTED,
    /** The signer issued a certificate. */
    ISSUED,
    /** The signer rejected a request, with a reason. */
    REJECTED,
    /** The signer failed on a request (an internal error); nothing was signed, and a retry is signed anew. */
    SIGNER_FAILED,
    /** A client failed to authenticate. */
    AUTHENTICATION_FAILED,
    RENEWAL_DUE,
    RENEWAL_OVERDUE,
    RENEWAL_EXPIRED,
    /** An operator revoked a certificate; the requester is the operator, the reason the RFC 5280 one. */
    REVOKED
}
