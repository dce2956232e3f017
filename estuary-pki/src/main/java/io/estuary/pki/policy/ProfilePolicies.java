package io.estuary.pki.policy;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.PolicyInformation;

/**
 * Every certificate Estuary issues names its profile in a certificate policy, so that a certificate presented later
 * says what it was issued as (an EST identity may authenticate enrollments; a device identity may not). The OID is
 * {@code 2.25.<uuid>} (ITU-T X.667), derived from the profile name: no registered arc is needed.
 */
public final class ProfilePolicies {
    private ProfilePolicies() {
    }

    // A handful of profiles, asked for on every issuance and every client certificate check.
    private static final Map<String, ASN1ObjectIdentifier> OIDS = new ConcurrentHashMap<>();

    public static ASN1ObjectIdentifier oidFor(String profileName) {
        return OIDS.computeIfAbsent(profileName, ProfilePolicies::derive);
    }

    private static ASN1ObjectIdentifier derive(String profileName) {
        UUID uuid = UUID.nameUUIDFromBytes(("estuary-profile:" + profileName).getBytes(StandardCharsets.UTF_8));
        byte[] bytes = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits()).array();
        return new ASN1ObjectIdentifier("2.25." + new BigInteger(1, bytes));
    }

    public static CertificatePolicies policiesFor(String profileName) {
        return new CertificatePolicies(new PolicyInformation(oidFor(profileName)));
    }

    /** True if the certificate carries the policy of the named profile. */
    public static boolean issuedUnder(X509Certificate certificate, String profileName) {
        byte[] extension = certificate.getExtensionValue(Extension.certificatePolicies.getId());
        if (extension == null) {
            return false;
        }
        ASN1ObjectIdentifier wanted = oidFor(profileName);
        CertificatePolicies policies = CertificatePolicies.getInstance(ASN1OctetString.getInstance(extension)
                .getOctets());
        for (PolicyInformation policy : policies.getPolicyInformation()) {
            if (wanted.equals(policy.getPolicyIdentifier())) {
                return true;
            }
        }
        return false;
    }
}
