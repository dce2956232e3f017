package io.estuary.pki.ca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.estuary.pki.policy.CertificateProfile;
import io.estuary.pki.wire.CertsOnly;

class IssuanceRehearsalTest {
    private static final CertificateProfile DEVICE = CertificateProfile.deviceIdentity(Duration.ofDays(30));
    /** RSA keys only: refuses every request of the rehearsal, which still reads and checks them. */
    private static final CertificateProfile RSA_ONLY = new CertificateProfile("rsa-only", "estuary-ca",
            Duration.ofDays(30), 2048, Set.of(), List.of(), false, Optional.empty(), Optional.empty(), true, false);

    @Test
    void aRoundIssuesUnderEveryAcceptingProfileWithTheThrowawayCaOnly() {
        IssuanceRehearsal rehearsal = new IssuanceRehearsal(List.of(DEVICE, RSA_ONLY));
        List<byte[]> made = rehearsal.round(Instant.now());
        assertEquals(4, made.size(), "each request once, under the profile that accepts EC keys");
        for (byte[] der : made) {
            String issuer = CertsOnly.decode(CertsOnly.encodeDer(List.of(der))).get(0).getIssuerX500Principal()
                    .getName();
            assertEquals("CN=Estuary warm-up (throwaway)", issuer);
        }
        assertTrue(rehearsal.round(Instant.now()).size() == 4, "rounds repeat");
    }

    @Test
    void aProfileThatRefusesEveryRequestMakesNothingAndThrowsNothing() {
        assertEquals(List.of(), new IssuanceRehearsal(List.of(RSA_ONLY)).round(Instant.now()));
    }
}
