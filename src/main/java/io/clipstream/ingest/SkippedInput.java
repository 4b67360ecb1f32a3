package io.clipstream.ingest;

/**
 * Something under the folder or in the captions file that is not sent, and why; every one is
 * listed in the summary.
 *
 * @param what   a relative file path, or "captions line N"
 * @param reason why it is not sent, and what to do about it where that is not obvious
 */
public record SkippedInput(String what, String reason) {
}
