package io.estuary.renewal.messaging;

/** What a webhook's HTTP status means for the event: delivered, worth another attempt, or never going to work. */
public enum WebhookAnswer {
    DELIVERED,
    RETRY,
    REFUSED;

    /** 2xx delivered; 408, 425, 429 and 5xx are passing trouble; any other answer would repeat itself. */
    public static WebhookAnswer of(int status) {
        if (status >= 200 && status < 300) {
            return DELIVERED;
        }
        if (status == 408 || status == 425 || status == 429 || status >= 500) {
            return RETRY;
        }
        return REFUSED;
    }
}
