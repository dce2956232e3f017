package io.estuary.renewal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import io.estuary.renewal.messaging.WebhookAnswer;

class WebhookAnswerTest {
    @Test
    void passingTroubleIsRetriedAndRefusalsAreNot() {
        assertEquals(WebhookAnswer.DELIVERED, WebhookAnswer.of(200));
        assertEquals(WebhookAnswer.DELIVERED, WebhookAnswer.of(204));
        for (int status : new int[] { 408, 425, 429, 500, 502, 503, 504 }) {
            assertEquals(WebhookAnswer.RETRY, WebhookAnswer.of(status), "" + status);
        }
        for (int status : new int[] { 301, 400, 401, 403, 404, 410, 413 }) {
            assertEquals(WebhookAnswer.REFUSED, WebhookAnswer.of(status), "" + status);
        }
    }
}
