package io.estuary.responder.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.estuary.contracts.IssuanceResult;
import io.estuary.testkit.KafkaTestClient;
import io.estuary.testkit.TestIssuances;

class IssuedTest {
    @Test
    void theResponderReadsTheFieldsItNeedsFromAnIssuanceResultAsTheSignerWritesIt() throws Exception {
        Instant notAfter = Instant.parse("2027-01-06T12:00:00Z");
        String json = KafkaTestClient.JSON.writeValueAsString(
                TestIssuances.issued("device-1", "0a1b2c", Instant.parse("2026-12-07T12:00:00Z"), notAfter));
        var issued = KafkaTestClient.JSON.readValue(json, RevocationTopicsReader.Issued.class);
        assertEquals(IssuanceResult.Outcome.ISSUED, issued.outcome());
        assertEquals("0a1b2c", issued.serialNumber());
        assertEquals("CN=Test CA", issued.issuer());
        assertEquals(notAfter, issued.notAfter(), "the end of validity, which decides how long the serial is kept");
    }
}
