package io.estuary.frontend.rest;

/** Roles an enrollment credential carries. */
public final class EnrollmentRoles {
    public static final String ENROLL = "enroll";

    private EnrollmentRoles() {
    }
}
