package io.estuary.pki.policy;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which profile each EST label issues under; the path without a label uses the default profile. Checked when built,
 * so a bad configuration stops a service at start instead of failing requests.
 */
public final class EstLabels {
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final Map<String, CertificateProfile> profiles;
    private final Map<String, String> labels;
    private final CertificateProfile defaultProfile;

    /**
     * @param profiles       profiles by name
     * @param labels         label to profile name
     * @param defaultProfile profile name for requests without a label
     */
    public EstLabels(Map<String, CertificateProfile> profiles, Map<String, String> labels, String defaultProfile) {
        this.profiles = Map.copyOf(profiles);
        this.labels = Map.copyOf(labels);
        labels.forEach((label, profile) -> {
            if (EstOperation.ofPath(label).isPresent()) {
                throw new IllegalArgumentException("label '" + label + "' is the name of an EST operation");
            }
            if (!LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("label '" + label + "' must match " + LABEL.pattern());
            }
            if (!profiles.containsKey(profile)) {
                throw new IllegalArgumentException("label '" + label + "' names unknown profile '" + profile + "'");
            }
        });
        this.defaultProfile = profiles.get(defaultProfile);
        if (this.defaultProfile == null) {
            throw new IllegalArgumentException("default profile '" + defaultProfile + "' is not defined");
        }
    }

    /** The profile for a label ({@code ""} for none), or empty for an unknown label. */
    public Optional<CertificateProfile> profileFor(String label) {
        if (label == null || label.isEmpty()) {
            return Optional.of(defaultProfile);
        }
        return Optional.ofNullable(labels.get(label)).map(profiles::get);
    }

    public Map<String, CertificateProfile> profiles() {
        return profiles;
    }

    public Map<String, String> labels() {
        return labels;
    }
}
