package io.estuary.frontend.domain;

/**
 * The unlabelled path {@code /.well-known/est/}: what it is called where a label needs a name (role names, bootstrap CA
 * folders, CA information).
 */
public final class DefaultLabel {
    public static final String NAME = "default";

    private DefaultLabel() {
    }

    /** The label's name, {@value #NAME} for the unlabelled path ({@code ""} or null). */
    public static String nameOf(String label) {
        return label == null || label.isEmpty() ? NAME : label;
    }
}
