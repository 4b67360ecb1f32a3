package io.clipstream.ingest;

/**
 * An item that did not become a vector: dead-lettered by the service (code and reason from the
 * dead-letter headers), or refused by the broker when it was sent (code SEND_FAILED).
 */
public record Rejected(ItemRef item, String code, String reason) {
}
