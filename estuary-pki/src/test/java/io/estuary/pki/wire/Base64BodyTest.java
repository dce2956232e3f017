package io.estuary.pki.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.Random;

import org.junit.jupiter.api.Test;

class Base64BodyTest {
    private final byte[] der = new Random(7).ints(300, 0, 256).collect(java.io.ByteArrayOutputStream::new,
            (out, b) -> out.write(b), (a, b) -> a.write(b.toByteArray(), 0, b.size())).toByteArray();

    @Test
    void decodesWithOrWithoutLineBreaks() {
        String flat = Base64.getEncoder().encodeToString(der);
        String wrapped64 = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der) + "\n";
        String wrapped76Crlf = Base64.getMimeEncoder().encodeToString(der) + "\r\n";
        assertArrayEquals(der, Base64Body.decode(flat));
        assertArrayEquals(der, Base64Body.decode(wrapped64));
        assertArrayEquals(der, Base64Body.decode(wrapped76Crlf));
        assertArrayEquals(der, Base64Body.decode("  " + flat.substring(0, 10) + " \t" + flat.substring(10)));
    }

    @Test
    void refusesWhatIsNotBase64() {
        assertThrows(MalformedRequestException.class, () -> Base64Body.decode("not*base64!"));
        assertThrows(MalformedRequestException.class, () -> Base64Body.decode(""));
        assertThrows(MalformedRequestException.class, () -> Base64Body.decode("   \n"));
        assertThrows(MalformedRequestException.class, () -> Base64Body.decode("QUJD\u00e9"));
    }

    @Test
    void encodesIn64CharacterLinesEndingWithNewline() {
        String body = Base64Body.encode(der);
        assertTrue(body.endsWith("\n"));
        String[] lines = body.split("\n");
        for (int i = 0; i < lines.length - 1; i++) {
            assertEquals(64, lines[i].length(), "line " + i);
        }
        assertTrue(lines[lines.length - 1].length() <= 64);
        assertArrayEquals(der, Base64Body.decode(body));
    }
}
